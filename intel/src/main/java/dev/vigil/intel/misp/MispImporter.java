package dev.vigil.intel.misp;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.intel.ImportOptions;
import dev.vigil.intel.ImportResult;
import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorSource;
import dev.vigil.intel.IndicatorType;
import dev.vigil.intel.IndicatorValues;
import dev.vigil.intel.IntelJson;
import dev.vigil.intel.IntelReferences;
import dev.vigil.intel.Tlp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Imports MISP events: a file holding {@code {"Event": {...}}} or {@code {"response": [{"Event": {...}}, ...]}}, and
 * MISP feeds (a {@code manifest.json} naming event uuids, each event in {@code <uuid>.json}).
 *
 * <p><b>Attributes</b>, also those inside {@code Object}s, become indicators by type: {@code ip-src}, {@code ip-dst}
 * (address or CIDR), {@code ip-src|port}, {@code ip-dst|port} (the address), {@code domain}, {@code hostname},
 * {@code hostname|port}, {@code domain|ip} (both), {@code url}, {@code md5}, {@code sha1}, {@code sha256},
 * {@code filename|md5}, {@code filename|sha1}, {@code filename|sha256} (the hash; the name alone would be too weak),
 * {@code email}, {@code email-src}, {@code email-dst}, {@code filename}. Other types (text, regkey, mutex, yara …) are
 * counted unsupported, per type in {@link ImportResult#objectTypes()}.
 *
 * <p><b>to_ids</b>: MISP marks with {@code to_ids} the attributes meant for detection; the others are context (a
 * victim's address, a legitimate domain abused). Only {@code to_ids: true} attributes are imported unless {@link
 * ImportOptions#includeNonDetection()} is set; the rest are counted as skipped, as are deleted attributes.
 *
 * <p><b>Tags</b> of the event, its galaxies and the attribute: {@code tlp:*} sets the marking (the strictest wins);
 * {@code misp-galaxy:mitre-attack-pattern="… - T1234"} (and the other {@code mitre-*-attack-pattern} galaxies) gives
 * ATT&CK ids; {@code misp-galaxy:threat-actor}, {@code mitre-intrusion-set} give actors; {@code malpedia}, {@code
 * tool}, {@code ransomware}, {@code rat}, {@code botnet}, {@code banker}, {@code stealer}, {@code backdoor}, {@code
 * android}, {@code mitre-malware}, {@code mitre-tool} give malware names; other tags stay tags. The description is the
 * attribute's comment or the event's {@code info}; the attribute's {@code first_seen}/{@code last_seen} go to the
 * source.
 */
public final class MispImporter {
    private static final Pattern TECHNIQUE = Pattern.compile("\\bT\\d{4}(?:\\.\\d{3})?\\b");
    private static final Pattern GALAXY_TAG = Pattern.compile("misp-galaxy:([a-z0-9_-]+)=\"?(.*?)\"?");
    private static final Set<String> MALWARE_GALAXIES = Set.of(
            "malpedia",
            "tool",
            "ransomware",
            "rat",
            "botnet",
            "banker",
            "stealer",
            "backdoor",
            "android",
            "mitre-malware",
            "mitre-tool",
            "mitre-enterprise-attack-malware",
            "mitre-enterprise-attack-tool",
            "exploit-kit");
    private static final Set<String> ACTOR_GALAXIES = Set.of(
            "threat-actor", "mitre-intrusion-set", "mitre-enterprise-attack-intrusion-set", "microsoft-activity-group");

    private final ObjectMapper mapper = IntelJson.mapper();

    /** Imports a file of one or more events held in memory. */
    public ImportResult importEvents(String source, byte[] json, ImportOptions options) {
        return importEvents(source, new ByteArrayInputStream(json), options);
    }

    /** Imports a file of one or more events read from {@code in} (not closed here). */
    public ImportResult importEvents(String source, InputStream in, ImportOptions options) {
        requireNonNull(options, "options");
        ImportResult.Collector out = new ImportResult.Collector(source);
        JsonNode root = read(in, options, out, "");
        if (root != null) {
            List<JsonNode> events = events(root);
            if (events.isEmpty()) {
                out.problem(0, "not a MISP event: expected {\"Event\": …} or {\"response\": [{\"Event\": …}]}");
            }
            for (JsonNode e : events) {
                event(e, options, out);
            }
        }
        return out.result();
    }

    /**
     * Imports a MISP feed.
     *
     * @param manifest the bytes of the feed's {@code manifest.json}
     * @param eventBytes gives the bytes of {@code <uuid>.json} for an event uuid; it may return {@code null} or throw
     *     when it cannot, which is reported with the uuid and the other events imported
     */
    public ImportResult importFeed(
            String source, byte[] manifest, Function<String, byte[]> eventBytes, ImportOptions options) {
        requireNonNull(options, "options");
        requireNonNull(eventBytes, "eventBytes");
        ImportResult.Collector out = new ImportResult.Collector(source);
        JsonNode root = read(new ByteArrayInputStream(manifest), options, out, "manifest.json: ");
        if (root == null) {
            return out.result();
        }
        if (!root.isObject()) {
            out.problem(0, "manifest.json: expected an object of event uuids");
            return out.result();
        }
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String uuid = it.next();
            byte[] bytes;
            try {
                bytes = eventBytes.apply(uuid);
            } catch (RuntimeException e) {
                out.problem(0, "event " + uuid + ": cannot be read: " + e.getMessage());
                continue;
            }
            if (bytes == null) {
                out.problem(0, "event " + uuid + ": listed in the manifest but missing");
                continue;
            }
            JsonNode doc = read(new ByteArrayInputStream(bytes), options, out, "event " + uuid + ": ");
            if (doc == null) {
                continue;
            }
            List<JsonNode> events = events(doc);
            if (events.isEmpty()) {
                out.problem(0, "event " + uuid + ": not a MISP event");
            }
            for (JsonNode e : events) {
                event(e, options, out);
            }
        }
        return out.result();
    }

    private JsonNode read(InputStream in, ImportOptions options, ImportResult.Collector out, String what) {
        try {
            return mapper.readTree(IntelJson.limit(in, options.maxBytes()));
        } catch (JsonProcessingException e) {
            out.problem(
                    e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    what + "invalid JSON, nothing imported from it: " + e.getOriginalMessage());
        } catch (IOException e) {
            out.problem(0, what + "cannot read: " + e.getMessage());
        }
        return null;
    }

    private static List<JsonNode> events(JsonNode root) {
        List<JsonNode> events = new ArrayList<>();
        if (root.path("Event").isObject()) {
            events.add(root.path("Event"));
        }
        JsonNode response = root.path("response");
        if (response.isArray()) {
            for (JsonNode r : response) {
                if (r.path("Event").isObject()) {
                    events.add(r.path("Event"));
                }
            }
        } else if (response.path("Event").isObject()) {
            events.add(response.path("Event"));
        }
        return events;
    }

    /** Context gathered from tags. */
    private static final class Context {
        Tlp tlp = Tlp.UNMARKED;
        final Set<String> tags = new LinkedHashSet<>();
        final Set<String> attack = new LinkedHashSet<>();
        final Set<String> malware = new LinkedHashSet<>();
        final Set<String> actors = new LinkedHashSet<>();

        Context copy() {
            Context c = new Context();
            c.tlp = tlp;
            c.tags.addAll(tags);
            c.attack.addAll(attack);
            c.malware.addAll(malware);
            c.actors.addAll(actors);
            return c;
        }

        void tag(String name) {
            if (name.isEmpty()) {
                return;
            }
            if (name.toLowerCase(Locale.ROOT).startsWith("tlp:")) {
                Tlp.parse(name).ifPresentOrElse(t -> tlp = tlp.stricter(t), () -> tags.add(name));
                return;
            }
            Matcher g = GALAXY_TAG.matcher(name);
            if (g.matches()) {
                String galaxy = g.group(1);
                String value = g.group(2);
                if (galaxy.contains("attack-pattern")) {
                    Matcher t = TECHNIQUE.matcher(value);
                    boolean any = false;
                    while (t.find()) {
                        attack.add(t.group());
                        any = true;
                    }
                    if (any) {
                        return;
                    }
                } else if (MALWARE_GALAXIES.contains(galaxy)) {
                    malware.add(stripSuffix(value));
                    return;
                } else if (ACTOR_GALAXIES.contains(galaxy)) {
                    actors.add(stripSuffix(value));
                    return;
                }
            }
            tags.add(name);
        }

        /** MITRE galaxies write "Name - S0001"; keep the name. */
        private static String stripSuffix(String value) {
            int dash = value.lastIndexOf(" - ");
            return dash > 0 && value.substring(dash + 3).matches("[SGC]\\d{4}") ? value.substring(0, dash) : value;
        }

        IntelReferences references() {
            return new IntelReferences(attack, malware, Set.of(), actors);
        }
    }

    private static void tags(JsonNode holder, Context c) {
        for (JsonNode t : holder.path("Tag")) {
            c.tag(t.path("name").asText(""));
        }
    }

    private static void event(JsonNode event, ImportOptions options, ImportResult.Collector out) {
        Context ctx = new Context();
        tags(event, ctx);
        for (JsonNode galaxy : event.path("Galaxy")) {
            for (JsonNode cluster : galaxy.path("GalaxyCluster")) {
                String tag = cluster.path("tag_name").asText("");
                ctx.tag(
                        tag.isEmpty()
                                ? "misp-galaxy:" + galaxy.path("type").asText("") + "=\""
                                        + cluster.path("value").asText("") + "\""
                                : tag);
            }
        }
        String info = event.path("info").asText("");
        for (JsonNode a : event.path("Attribute")) {
            attribute(a, ctx, info, options, out);
        }
        for (JsonNode object : event.path("Object")) {
            if (object.path("deleted").asBoolean(false)) {
                continue;
            }
            for (JsonNode a : object.path("Attribute")) {
                attribute(a, ctx, info, options, out);
            }
        }
    }

    private static void attribute(
            JsonNode a, Context eventContext, String info, ImportOptions options, ImportResult.Collector out) {
        out.read();
        String type = a.path("type").asText("");
        String uuid = a.path("uuid").asText(a.path("id").asText(""));
        out.objectType(type);
        if (a.path("deleted").asBoolean(false)) {
            out.skipped();
            return;
        }
        List<Map.Entry<IndicatorType, String>> values =
                values(type, a.path("value").asText(""));
        if (values == null) {
            out.unsupported();
            return;
        }
        boolean toIds = flag(a.path("to_ids"));
        if (!toIds && !options.includeNonDetection()) {
            out.skipped();
            return;
        }
        Context ctx = eventContext;
        if (a.has("Tag")) {
            ctx = eventContext.copy();
            tags(a, ctx);
        }
        String comment = a.path("comment").asText("");
        IndicatorSource source = new IndicatorSource(
                out.source(),
                uuid,
                IndicatorSource.UNKNOWN_CONFIDENCE,
                instant(a.path("first_seen").asText("")),
                instant(a.path("last_seen").asText("")));
        int accepted = 0;
        List<String> errors = new ArrayList<>();
        for (Map.Entry<IndicatorType, String> v : values) {
            try {
                IndicatorType t = v.getKey();
                if (t == IndicatorType.IPV4) {
                    t = IndicatorValues.ipTypeOf(v.getValue()).orElse(IndicatorType.IPV4);
                }
                String normalized = IndicatorValues.normalize(t, v.getValue());
                out.indicator(Indicator.builder(t, normalized, source)
                        .tenant(options.tenant())
                        .tlp(ctx.tlp)
                        .tags(ctx.tags)
                        .references(ctx.references())
                        .description(comment.isEmpty() ? info : comment)
                        .build());
                accepted++;
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        if (accepted > 0) {
            out.imported();
            for (String e : errors) {
                out.problem(0, "attribute " + uuid + " (" + type + "): " + e);
            }
        } else {
            out.rejected(0, "attribute " + uuid + " (" + type + "): " + String.join("; ", errors));
        }
    }

    /** The (type, raw value) pairs of an attribute; {@code null} for types that are not indicators. */
    static List<Map.Entry<IndicatorType, String>> values(String type, String value) {
        String first = value;
        String second = "";
        int bar = value.indexOf('|');
        if (type.indexOf('|') >= 0 && bar >= 0) {
            first = value.substring(0, bar);
            second = value.substring(bar + 1);
        }
        return switch (type) {
            case "ip-src", "ip-dst" -> List.of(Map.entry(IndicatorType.IPV4, value));
            case "ip-src|port", "ip-dst|port" -> List.of(Map.entry(IndicatorType.IPV4, first));
            case "domain", "hostname" -> List.of(Map.entry(IndicatorType.DOMAIN, value));
            case "hostname|port" -> List.of(Map.entry(IndicatorType.DOMAIN, first));
            case "domain|ip" -> List.of(Map.entry(IndicatorType.DOMAIN, first), Map.entry(IndicatorType.IPV4, second));
            case "url" -> List.of(Map.entry(IndicatorType.URL, value));
            case "md5" -> List.of(Map.entry(IndicatorType.MD5, value));
            case "sha1" -> List.of(Map.entry(IndicatorType.SHA1, value));
            case "sha256" -> List.of(Map.entry(IndicatorType.SHA256, value));
            case "filename|md5" -> List.of(Map.entry(IndicatorType.MD5, second));
            case "filename|sha1" -> List.of(Map.entry(IndicatorType.SHA1, second));
            case "filename|sha256" -> List.of(Map.entry(IndicatorType.SHA256, second));
            case "email", "email-src", "email-dst" -> List.of(Map.entry(IndicatorType.EMAIL, value));
            case "filename" -> List.of(Map.entry(IndicatorType.FILE_NAME, value));
            default -> null;
        };
    }

    /** MISP writes flags as JSON booleans, and some exports as "1"/"0" or 1/0. */
    private static boolean flag(JsonNode v) {
        return v.asBoolean(false) || v.asText("").equals("1");
    }

    private static Instant instant(String s) {
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** The attribute types this importer turns into indicators, for documentation and tools. */
    public static Map<String, String> supportedTypes() {
        Map<String, String> m = new TreeMap<>();
        for (String t : List.of(
                "ip-src",
                "ip-dst",
                "ip-src|port",
                "ip-dst|port",
                "domain",
                "hostname",
                "hostname|port",
                "domain|ip",
                "url",
                "md5",
                "sha1",
                "sha256",
                "filename|md5",
                "filename|sha1",
                "filename|sha256",
                "email",
                "email-src",
                "email-dst",
                "filename")) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<IndicatorType, String> e : values(t, "x|y")) {
                sb.append(sb.isEmpty() ? "" : ", ").append(e.getKey());
            }
            m.put(t, sb.toString());
        }
        return m;
    }
}
