package dev.vigil.core.alert;

import dev.vigil.core.Event;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The entities of an event, read from the field names Sigma rules use for Windows and Sysmon events and from ECS names
 * (nested or flat, through {@link Event#field}). Values are normalised by {@link EntityRef#of}; placeholders are
 * dropped; the result has no duplicates and lists entities in the order of this table:
 *
 * <table>
 *   <caption>Fields read</caption>
 *   <tr><th>type</th><th>fields</th></tr>
 *   <tr><td>HOST</td><td>{@code Computer}, {@code ComputerName}, {@code Hostname}, {@code host.name},
 *       {@code host.hostname}, {@code WorkstationName} (the source workstation of a logon)</td></tr>
 *   <tr><td>USER</td><td>{@code User}; {@code SubjectUserName} with {@code SubjectDomainName};
 *       {@code TargetUserName} with {@code TargetDomainName}; {@code user.name} with {@code user.domain};
 *       {@code source.user.name}, {@code destination.user.name}</td></tr>
 *   <tr><td>IP</td><td>{@code SourceIp}, {@code DestinationIp}, {@code IpAddress}, {@code source.ip},
 *       {@code destination.ip}, {@code client.ip}, {@code server.ip}, {@code host.ip}, {@code src_ip},
 *       {@code dest_ip} (Suricata), {@code id.orig_h}, {@code id.resp_h} (Zeek), {@code c-ip}, {@code s-ip}
 *       (W3C)</td></tr>
 *   <tr><td>PROCESS</td><td>{@code Image}, {@code ParentImage}, {@code NewProcessName}, {@code ParentProcessName},
 *       {@code process.executable}, {@code process.parent.executable}: the executable's path (process ids belong to
 *       the entity graph, where a process is an instance)</td></tr>
 *   <tr><td>FILE_HASH</td><td>{@code Hashes} (Sysmon's {@code SHA256=…,MD5=…}: every algorithm but IMPHASH, which
 *       many binaries share), {@code Hash}, {@code file.hash.md5|sha1|sha256|sha512},
 *       {@code process.hash.md5|sha1|sha256|sha512}</td></tr>
 *   <tr><td>FILE</td><td>{@code TargetFilename}, {@code file.path}</td></tr>
 *   <tr><td>DOMAIN</td><td>{@code QueryName}, {@code dns.question.name}, {@code query} (Zeek DNS),
 *       {@code url.domain}, {@code DestinationHostname}</td></tr>
 *   <tr><td>URL</td><td>{@code url.original}, {@code url.full}; W3C/IIS {@code cs-host} with {@code c-uri} or
 *       {@code cs-uri-stem} and {@code cs-uri-query} as {@code http://host/path?query}</td></tr>
 * </table>
 */
public final class AlertEntities {
    private static final String[] HOST_FIELDS = {
        "Computer", "ComputerName", "Hostname", "host.name", "host.hostname", "WorkstationName"
    };
    private static final String[] IP_FIELDS = {
        "SourceIp",
        "DestinationIp",
        "IpAddress",
        "source.ip",
        "destination.ip",
        "client.ip",
        "server.ip",
        "host.ip",
        "src_ip",
        "dest_ip",
        "id.orig_h",
        "id.resp_h",
        "c-ip",
        "s-ip"
    };
    private static final String[] PROCESS_FIELDS = {
        "Image", "ParentImage", "NewProcessName", "ParentProcessName", "process.executable", "process.parent.executable"
    };
    private static final String[] HASH_ALGORITHMS = {"md5", "sha1", "sha256", "sha512"};
    private static final String[] FILE_FIELDS = {"TargetFilename", "file.path"};
    private static final String[] DOMAIN_FIELDS = {
        "QueryName", "dns.question.name", "query", "url.domain", "DestinationHostname"
    };

    private AlertEntities() {}

    /** The entities of one event, in the order of the table above, without duplicates. */
    public static List<EntityRef> extract(Event event) {
        Set<EntityRef> out = new LinkedHashSet<>();
        for (String f : HOST_FIELDS) {
            add(out, EntityType.HOST, event, f);
        }
        add(out, EntityType.USER, event, "User");
        user(out, event, "SubjectUserName", "SubjectDomainName");
        user(out, event, "TargetUserName", "TargetDomainName");
        user(out, event, "user.name", "user.domain");
        add(out, EntityType.USER, event, "source.user.name");
        add(out, EntityType.USER, event, "destination.user.name");
        for (String f : IP_FIELDS) {
            add(out, EntityType.IP, event, f);
        }
        for (String f : PROCESS_FIELDS) {
            add(out, EntityType.PROCESS, event, f);
        }
        for (String s : strings(event.field("Hashes"))) {
            sysmonHashes(out, s);
        }
        for (String s : strings(event.field("Hash"))) {
            sysmonHashes(out, s);
        }
        for (String prefix : new String[] {"file.hash.", "process.hash."}) {
            for (String algorithm : HASH_ALGORITHMS) {
                add(out, EntityType.FILE_HASH, event, prefix + algorithm);
            }
        }
        for (String f : FILE_FIELDS) {
            add(out, EntityType.FILE, event, f);
        }
        for (String f : DOMAIN_FIELDS) {
            add(out, EntityType.DOMAIN, event, f);
        }
        add(out, EntityType.URL, event, "url.original");
        add(out, EntityType.URL, event, "url.full");
        w3cUrl(out, event);
        return List.copyOf(out);
    }

    /** The text values of a field: a scalar or each element of a list; none when the field is missing or null. */
    public static List<String> strings(Object value) {
        if (value == null || value == Event.MISSING) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object e : list) {
                if (e != null && !(e instanceof List<?>) && !(e instanceof java.util.Map<?, ?>)) {
                    out.add(e.toString());
                }
            }
            return out;
        }
        if (value instanceof java.util.Map<?, ?>) {
            return List.of();
        }
        return List.of(value.toString());
    }

    /** The first text value of a field, if any. */
    public static Optional<String> first(Event event, String field) {
        List<String> values = strings(event.field(field));
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private static void add(Set<EntityRef> out, EntityType type, Event event, String field) {
        for (String s : strings(event.field(field))) {
            EntityRef.of(type, s).ifPresent(out::add);
        }
    }

    private static void user(Set<EntityRef> out, Event event, String nameField, String domainField) {
        Optional<String> domain = first(event, domainField);
        for (String name : strings(event.field(nameField))) {
            EntityRef.user(name, domain.orElse(null)).ifPresent(out::add);
        }
    }

    private static void sysmonHashes(Set<EntityRef> out, String text) {
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                EntityRef.of(EntityType.FILE_HASH, part).ifPresent(out::add);
            } else if (!part.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("imphash")) {
                EntityRef.of(EntityType.FILE_HASH, part.substring(eq + 1)).ifPresent(out::add);
            }
        }
    }

    private static void w3cUrl(Set<EntityRef> out, Event event) {
        Optional<String> host = first(event, "cs-host");
        if (host.isEmpty() || host.get().strip().equals("-")) {
            return;
        }
        Optional<String> path = first(event, "c-uri").or(() -> first(event, "cs-uri-stem"));
        String query = first(event, "cs-uri-query")
                .filter(q -> !q.isBlank() && !q.equals("-"))
                .orElse(null);
        String p = path.filter(s -> !s.equals("-")).orElse("/");
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        String url = "http://" + host.get().strip() + p + (query == null || p.contains("?") ? "" : "?" + query);
        EntityRef.of(EntityType.URL, url).ifPresent(out::add);
    }
}
