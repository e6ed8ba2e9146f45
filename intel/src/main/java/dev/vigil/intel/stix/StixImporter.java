package dev.vigil.intel.stix;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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
import dev.vigil.intel.stix.StixPattern.Comparison;
import dev.vigil.intel.stix.StixPattern.ComparisonGroup;
import dev.vigil.intel.stix.StixPattern.Literal;
import dev.vigil.intel.stix.StixPattern.Observation;
import dev.vigil.intel.stix.StixPattern.ObservationExpression;
import dev.vigil.intel.stix.StixPattern.ObservationGroup;
import dev.vigil.intel.stix.StixPattern.Test;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Imports STIX 2.0 and 2.1 bundles (or a TAXII envelope, or a bare JSON array of objects).
 *
 * <p><b>Streaming.</b> The bundle is read with Jackson's streaming parser and each object is turned into a tree on its
 * own, so a bundle of a million indicators never exists as one tree. What needs the whole bundle (relationships,
 * markings, 2.1 observed-data referring to SCOs that may come later) is kept as small records and resolved at the end.
 *
 * <p><b>Indicators from patterns.</b> From each {@code indicator} whose pattern parses ({@link StixPattern}), the
 * non-negated {@code =} (and {@code IN}) comparisons on {@code ipv4-addr:value}, {@code ipv6-addr:value},
 * {@code domain-name:value}, {@code url:value}, {@code file:hashes.MD5/SHA-1/SHA-256} (quoted or not),
 * {@code file:name} and {@code email-addr:value} become indicators. Under {@code OR} every branch counts; under
 * {@code AND} only the most specific kind of value is kept (hash before URL before address, domain or e-mail before
 * file name), since {@code [file:hashes.MD5 = 'x' AND file:name = 'setup.exe']} does not make every {@code setup.exe}
 * bad. Observation operators ({@code AND}, {@code OR}, {@code FOLLOWEDBY}) collect the values of every observation;
 * qualifiers are ignored with a note. Patterns with nothing of this are counted unsupported, with a note naming the
 * indicator.
 *
 * <p><b>Context.</b> {@code indicates}, {@code uses} and {@code attributed-to} relationships from an indicator to
 * {@code malware}/{@code tool} (malware names), {@code campaign}, {@code intrusion-set}/{@code threat-actor} (actors)
 * and {@code attack-pattern} (ATT&CK ids from {@code external_references} with {@code source_name} {@code
 * mitre-attack}) become references; a campaign's {@code attributed-to} actors are added too. TLP comes from {@code
 * object_marking_refs}: the standard TLP marking definitions of STIX 2.0/2.1 and the TLP 2.0 extension ids, and any
 * {@code marking-definition} of {@code definition_type} {@code tlp} in the bundle. Labels and 2.1 {@code
 * indicator_types} become tags. Revoked indicators are skipped; {@code valid_from}/{@code valid_until} carry over.
 *
 * <p>{@code observed-data} gives indicators from its SCOs (2.0: the inline {@code objects} map; 2.1: {@code
 * object_refs} to SCOs in the bundle), valid from {@code first_observed}.
 */
public final class StixImporter {
    private static final Map<String, Tlp> STANDARD_TLP = Map.ofEntries(
            Map.entry("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", Tlp.CLEAR),
            Map.entry("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", Tlp.GREEN),
            Map.entry("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", Tlp.AMBER),
            Map.entry("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", Tlp.RED),
            // TLP 2.0 marking definitions (extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d).
            Map.entry("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", Tlp.CLEAR),
            Map.entry("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", Tlp.GREEN),
            Map.entry("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", Tlp.AMBER),
            Map.entry("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", Tlp.AMBER_STRICT),
            Map.entry("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", Tlp.RED));

    /** Types that are valid STIX and simply carry nothing this importer uses. */
    private static final Set<String> KNOWN_TYPES = Set.of(
            "report",
            "identity",
            "course-of-action",
            "sighting",
            "note",
            "opinion",
            "grouping",
            "location",
            "vulnerability",
            "infrastructure",
            "language-content",
            "extension-definition",
            "incident",
            "malware-analysis",
            "artifact",
            "autonomous-system",
            "directory",
            "email-message",
            "mac-addr",
            "mutex",
            "network-traffic",
            "process",
            "software",
            "user-account",
            "windows-registry-key",
            "x509-certificate",
            "ipv4-addr",
            "ipv6-addr",
            "domain-name",
            "url",
            "file",
            "email-addr",
            "bundle");

    private final ObjectMapper mapper = IntelJson.mapper();

    /** Imports a bundle held in memory. */
    public ImportResult importBundle(String source, byte[] bundle, ImportOptions options) {
        return importBundle(source, new ByteArrayInputStream(bundle), options);
    }

    /** Imports a bundle read from {@code in} (not closed here), at most {@code options.maxBytes()} bytes. */
    public ImportResult importBundle(String source, InputStream in, ImportOptions options) {
        requireNonNull(options, "options");
        Run run = new Run(new ImportResult.Collector(source), options);
        try (JsonParser p = mapper.createParser(IntelJson.limit(in, options.maxBytes()))) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                readObjects(p, run);
            } else if (t == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (name.equals("objects") && v == JsonToken.START_ARRAY) {
                        readObjects(p, run);
                    } else if (name.equals("type")
                            && v == JsonToken.VALUE_STRING
                            && !p.getText().equals("bundle")) {
                        run.out.problem(0, "not a STIX bundle: the top-level object has type '" + p.getText() + "'");
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                run.out.problem(0, "not a STIX bundle: expected a JSON object or array");
            }
        } catch (JsonProcessingException e) {
            run.out.problem(
                    e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "invalid JSON, objects after this point not read: " + e.getOriginalMessage());
        } catch (IOException e) {
            run.out.problem(0, "cannot read: " + e.getMessage());
        }
        run.finish();
        return run.out.result();
    }

    private void readObjects(JsonParser p, Run run) throws IOException {
        int position = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
            if (t == JsonToken.START_OBJECT) {
                run.object(mapper.readTree(p));
            } else {
                run.out.problem(p.currentLocation().getLineNr(), "objects[" + position + "] is not an object, skipped");
                p.skipChildren();
            }
            position++;
        }
    }

    /** A value taken from a pattern or an SCO. */
    private record Value(IndicatorType type, String raw, int rank) {}

    /** An indicator object waiting for the relationships and markings of the whole bundle. */
    private record Pending(
            String id,
            List<Value> values,
            Instant validFrom,
            Instant validUntil,
            int confidence,
            Set<String> tags,
            List<String> markings,
            String description,
            Instant created) {}

    private record Target(String type, String name, Set<String> attackIds) {}

    private record Relationship(String source, String type, String target) {}

    /** State of one import. */
    private static final class Run {
        final ImportResult.Collector out;
        final ImportOptions options;
        final List<Pending> pending = new ArrayList<>();
        final Map<String, Target> targets = new HashMap<>();
        final List<Relationship> relationships = new ArrayList<>();
        final Map<String, Tlp> markings = new HashMap<>(STANDARD_TLP);
        final Map<String, List<Value>> scos = new HashMap<>();
        /** 2.1 observed-data: the SCO ids it refers to, resolved at the end. */
        final List<Map.Entry<Pending, List<String>>> observedRefs = new ArrayList<>();

        int qualifierNotes;

        Run(ImportResult.Collector out, ImportOptions options) {
            this.out = out;
            this.options = options;
        }

        void object(JsonNode o) {
            String type = text(o, "type");
            String id = text(o, "id");
            out.objectType(type.isEmpty() ? "(none)" : type);
            switch (type) {
                case "indicator" -> indicator(o, id);
                case "observed-data" -> observedData(o, id);
                case "relationship" ->
                    relationships.add(new Relationship(
                            text(o, "source_ref"), text(o, "relationship_type"), text(o, "target_ref")));
                case "malware", "tool", "campaign", "intrusion-set", "threat-actor", "attack-pattern" ->
                    targets.put(id, new Target(type, text(o, "name"), attackIds(o)));
                case "marking-definition" -> marking(o, id);
                default -> {
                    List<Value> sco = scoValues(o);
                    if (!sco.isEmpty()) {
                        scos.put(id, sco);
                    } else if (!KNOWN_TYPES.contains(type) && !type.startsWith("x-")) {
                        out.problem(
                                0,
                                "unknown object type '" + type + "'" + (id.isEmpty() ? "" : " (" + id + ")")
                                        + ", skipped");
                    }
                }
            }
        }

        private void marking(JsonNode o, String id) {
            JsonNode def = o.path("definition");
            if (text(o, "definition_type").equals("tlp") && def.has("tlp")) {
                Tlp.parse(def.path("tlp").asText()).ifPresent(t -> markings.put(id, t));
            } else if (o.has("name") && text(o, "name").toUpperCase(Locale.ROOT).startsWith("TLP:")) {
                Tlp.parse(text(o, "name")).ifPresent(t -> markings.put(id, t));
            }
        }

        private void indicator(JsonNode o, String id) {
            out.read();
            if (o.path("revoked").asBoolean(false)) {
                out.skipped();
                return;
            }
            String patternType = text(o, "pattern_type");
            if (!patternType.isEmpty() && !patternType.equals("stix")) {
                out.unsupported();
                out.note(0, id + ": pattern_type '" + patternType + "' is not indexed");
                return;
            }
            String pattern = text(o, "pattern");
            if (pattern.isEmpty()) {
                out.rejected(0, id + ": indicator without a pattern");
                return;
            }
            Observation parsed;
            try {
                parsed = StixPattern.parse(pattern);
            } catch (StixPatternException e) {
                out.rejected(0, id + ": malformed pattern: " + e.getMessage());
                return;
            }
            List<String> unsupportedPaths = new ArrayList<>();
            List<Value> values = new ArrayList<>();
            observations(parsed, values, unsupportedPaths, id);
            if (values.isEmpty()) {
                out.unsupported();
                out.note(0, id + ": nothing to index in the pattern (" + String.join(", ", unsupportedPaths) + ")");
                return;
            }
            Set<String> tags = new LinkedHashSet<>();
            strings(o.path("labels"), tags);
            strings(o.path("indicator_types"), tags);
            String description = text(o, "description");
            pending.add(new Pending(
                    id,
                    values,
                    instant(o, "valid_from", id),
                    instant(o, "valid_until", id),
                    confidence(o),
                    tags,
                    markingRefs(o),
                    description.isEmpty() ? text(o, "name") : description,
                    instant(o, "created", id)));
        }

        private void observedData(JsonNode o, String id) {
            out.read();
            if (o.path("revoked").asBoolean(false)) {
                out.skipped();
                return;
            }
            List<Value> values = new ArrayList<>();
            JsonNode inline = o.path("objects");
            if (inline.isObject()) {
                for (JsonNode sco : inline) {
                    values.addAll(scoValues(sco));
                }
            }
            Pending p = new Pending(
                    id,
                    values,
                    instant(o, "first_observed", id),
                    null,
                    confidence(o),
                    Set.of(),
                    markingRefs(o),
                    "",
                    instant(o, "created", id));
            List<String> refs = new ArrayList<>();
            strings(o.path("object_refs"), refs);
            if (!refs.isEmpty()) {
                observedRefs.add(Map.entry(p, refs));
            } else if (values.isEmpty()) {
                out.unsupported();
            } else {
                pending.add(p);
            }
        }

        private void observations(Observation o, List<Value> values, List<String> unsupported, String id) {
            if (o instanceof ObservationGroup g) {
                noteQualifiers(g.qualifiers(), id);
                for (Observation c : g.children()) {
                    observations(c, values, unsupported, id);
                }
            } else if (o instanceof ObservationExpression e) {
                noteQualifiers(e.qualifiers(), id);
                values.addAll(comparison(e.comparison(), unsupported));
            }
        }

        private void noteQualifiers(List<String> qualifiers, String id) {
            if (!qualifiers.isEmpty() && qualifierNotes++ < 100) {
                out.note(
                        0, id + ": qualifier " + String.join(" ", qualifiers) + " ignored (single values are indexed)");
            }
        }

        private List<Value> comparison(Comparison c, List<String> unsupported) {
            if (c instanceof ComparisonGroup g) {
                List<Value> all = new ArrayList<>();
                for (Comparison child : g.children()) {
                    all.addAll(comparison(child, unsupported));
                }
                if (!g.and() || all.isEmpty()) {
                    return all;
                }
                int best = Integer.MAX_VALUE;
                for (Value v : all) {
                    best = Math.min(best, v.rank());
                }
                List<Value> kept = new ArrayList<>();
                for (Value v : all) {
                    if (v.rank() == best) {
                        kept.add(v);
                    }
                }
                return kept;
            }
            Test t = (Test) c;
            IndicatorType type = typeOf(t.objectType(), t.path());
            boolean equality = t.operator().equals("=") || t.operator().equals("IN");
            if (type == null || !equality || t.negated()) {
                unsupported.add(t.objectType() + ":" + t.pathText() + (t.negated() ? " NOT " : " ") + t.operator());
                return List.of();
            }
            List<Value> out = new ArrayList<>();
            for (Literal l : t.values()) {
                if (l.kind().equals("string")) {
                    out.add(new Value(type, l.text(), rank(type)));
                }
            }
            return out;
        }

        void finish() {
            for (Map.Entry<Pending, List<String>> e : observedRefs) {
                Pending p = e.getKey();
                List<Value> values = new ArrayList<>(p.values());
                for (String ref : e.getValue()) {
                    values.addAll(scos.getOrDefault(ref, List.of()));
                }
                if (values.isEmpty()) {
                    out.unsupported();
                } else {
                    pending.add(new Pending(
                            p.id(),
                            values,
                            p.validFrom(),
                            null,
                            p.confidence(),
                            p.tags(),
                            p.markings(),
                            p.description(),
                            p.created()));
                }
            }
            Map<String, List<Relationship>> bySource = new HashMap<>();
            for (Relationship r : relationships) {
                bySource.computeIfAbsent(r.source(), k -> new ArrayList<>()).add(r);
            }
            for (Pending p : pending) {
                IntelReferences refs = references(p.id(), bySource);
                Tlp tlp = Tlp.UNMARKED;
                for (String m : p.markings()) {
                    Tlp t = markings.get(m);
                    if (t != null) {
                        tlp = tlp.stricter(t);
                    }
                }
                IndicatorSource source = new IndicatorSource(out.source(), p.id(), p.confidence(), p.created(), null);
                int accepted = 0;
                for (Value v : p.values()) {
                    Indicator i = build(v, p, source, tlp, refs);
                    if (i != null) {
                        out.indicator(i);
                        accepted++;
                    }
                }
                if (accepted > 0) {
                    out.imported();
                } else {
                    out.rejected(0, p.id() + ": no valid value in it");
                }
            }
        }

        private Indicator build(Value v, Pending p, IndicatorSource source, Tlp tlp, IntelReferences refs) {
            String normalized;
            IndicatorType type = v.type();
            try {
                if (type == IndicatorType.IPV4 || type == IndicatorType.IPV6) {
                    IndicatorType actual = IndicatorValues.ipTypeOf(v.raw()).orElse(type);
                    type = actual == IndicatorType.CIDR ? IndicatorType.CIDR : type;
                }
                normalized = IndicatorValues.normalize(type, v.raw());
            } catch (IllegalArgumentException e) {
                out.problem(0, p.id() + ": " + e.getMessage());
                return null;
            }
            return Indicator.builder(type, normalized, source)
                    .tenant(options.tenant())
                    .validFrom(p.validFrom())
                    .validUntil(p.validUntil())
                    .tlp(tlp)
                    .tags(p.tags())
                    .references(refs)
                    .description(p.description())
                    .build();
        }

        private IntelReferences references(String id, Map<String, List<Relationship>> bySource) {
            List<Relationship> rels = bySource.get(id);
            if (rels == null) {
                return IntelReferences.NONE;
            }
            Set<String> attack = new LinkedHashSet<>();
            Set<String> malware = new LinkedHashSet<>();
            Set<String> campaigns = new LinkedHashSet<>();
            Set<String> actors = new LinkedHashSet<>();
            for (Relationship r : rels) {
                if (!Set.of("indicates", "uses", "attributed-to").contains(r.type())) {
                    continue;
                }
                Target t = targets.get(r.target());
                if (t == null) {
                    continue;
                }
                switch (t.type()) {
                    case "malware", "tool" -> addName(malware, t.name());
                    case "intrusion-set", "threat-actor" -> addName(actors, t.name());
                    case "attack-pattern" -> attack.addAll(t.attackIds());
                    case "campaign" -> {
                        addName(campaigns, t.name());
                        for (Relationship cr : bySource.getOrDefault(r.target(), List.of())) {
                            Target actor = targets.get(cr.target());
                            if (cr.type().equals("attributed-to")
                                    && actor != null
                                    && (actor.type().equals("intrusion-set")
                                            || actor.type().equals("threat-actor"))) {
                                addName(actors, actor.name());
                            }
                        }
                    }
                    default -> {}
                }
            }
            return new IntelReferences(attack, malware, campaigns, actors);
        }

        private static void addName(Set<String> set, String name) {
            if (!name.isEmpty()) {
                set.add(name);
            }
        }

        private Instant instant(JsonNode o, String field, String id) {
            String s = text(o, field);
            if (s.isEmpty()) {
                return null;
            }
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                out.problem(0, id + ": " + field + " is not a timestamp: '" + s + "', ignored");
                return null;
            }
        }

        private static int confidence(JsonNode o) {
            JsonNode c = o.path("confidence");
            return c.isInt() && c.asInt() >= 0 && c.asInt() <= 100 ? c.asInt() : IndicatorSource.UNKNOWN_CONFIDENCE;
        }

        private static List<String> markingRefs(JsonNode o) {
            List<String> refs = new ArrayList<>();
            strings(o.path("object_marking_refs"), refs);
            return refs;
        }
    }

    static String text(JsonNode o, String field) {
        JsonNode v = o.path(field);
        return v.isTextual() ? v.asText() : "";
    }

    static void strings(JsonNode array, java.util.Collection<String> out) {
        if (array.isArray()) {
            for (JsonNode v : array) {
                if (v.isTextual()) {
                    out.add(v.asText());
                }
            }
        }
    }

    private static Set<String> attackIds(JsonNode o) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode ref : o.path("external_references")) {
            if (text(ref, "source_name").equals("mitre-attack")
                    && !text(ref, "external_id").isEmpty()) {
                ids.add(text(ref, "external_id"));
            }
        }
        return ids;
    }

    /** The indicator type of a pattern's object path, or {@code null} when it is not indexed. */
    static IndicatorType typeOf(String objectType, List<String> path) {
        String first = path.get(0);
        return switch (objectType) {
            case "ipv4-addr" -> path.size() == 1 && first.equals("value") ? IndicatorType.IPV4 : null;
            case "ipv6-addr" -> path.size() == 1 && first.equals("value") ? IndicatorType.IPV6 : null;
            case "domain-name" -> path.size() == 1 && first.equals("value") ? IndicatorType.DOMAIN : null;
            case "url" -> path.size() == 1 && first.equals("value") ? IndicatorType.URL : null;
            case "email-addr" -> path.size() == 1 && first.equals("value") ? IndicatorType.EMAIL : null;
            case "file" -> {
                if (path.size() == 1 && first.equals("name")) {
                    yield IndicatorType.FILE_NAME;
                }
                yield path.size() == 2 && first.equals("hashes") ? hashType(path.get(1)) : null;
            }
            default -> null;
        };
    }

    static IndicatorType hashType(String algorithm) {
        return switch (algorithm.toUpperCase(Locale.ROOT).replace("-", "").replace("_", "")) {
            case "MD5" -> IndicatorType.MD5;
            case "SHA1" -> IndicatorType.SHA1;
            case "SHA256" -> IndicatorType.SHA256;
            default -> null;
        };
    }

    private static int rank(IndicatorType type) {
        return switch (type) {
            case MD5, SHA1, SHA256 -> 0;
            case URL -> 1;
            case FILE_NAME -> 3;
            default -> 2;
        };
    }

    /** The values of a cyber-observable object (SCO) of an indexed type. */
    private static List<Value> scoValues(JsonNode sco) {
        String type = text(sco, "type");
        List<Value> out = new ArrayList<>();
        switch (type) {
            case "ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr" -> {
                IndicatorType t = typeOf(type, List.of("value"));
                String v = text(sco, "value");
                if (t != null && !v.isEmpty()) {
                    out.add(new Value(t, v, rank(t)));
                }
            }
            case "file" -> {
                var fields = sco.path("hashes").fields();
                while (fields.hasNext()) {
                    var e = fields.next();
                    IndicatorType t = hashType(e.getKey());
                    if (t != null && e.getValue().isTextual()) {
                        out.add(new Value(t, e.getValue().asText(), 0));
                    }
                }
                if (out.isEmpty() && !text(sco, "name").isEmpty()) {
                    out.add(new Value(IndicatorType.FILE_NAME, text(sco, "name"), 3));
                }
            }
            default -> {}
        }
        return out;
    }
}
