package dev.vigil.intel;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which event fields hold observables, and how to read them. The default table ({@link #defaults()}) covers ECS and the
 * field names of Sigma rules for Windows (Sysmon, Security), proxy, DNS, Zeek and Suricata logs; docs/intel.md lists it.
 *
 * <p>Events are read through their flat fields (which readers fill with both the Sigma and the ECS names); a dotted
 * ECS name that is not a flat field is also looked up in the nested original when its first segment is there, as
 * winlogbeat JSON keeps it.
 *
 * <p>Private and reserved addresses ({@code 10.0.0.0/8}, {@code 127.0.0.1} …) are looked up like any other: they
 * match only if a feed lists them (some do, by mistake: an import's problems or a review of the feed shows it).
 */
public final class EventObservables {
    /** How a field's value is read. */
    public enum Kind {
        /** An IPv4 or IPv6 address. */
        ADDRESS,
        /** A host name: the domain and its parents are looked up; an address here is looked up as an address. */
        DOMAIN,
        /** A full URL: looked up as a URL, and its host as a domain or address. */
        URL,
        /** One hash; its length says MD5, SHA-1 or SHA-256. */
        HASH,
        /** Sysmon's {@code Hashes}: {@code SHA1=…,MD5=…,SHA256=…,IMPHASH=…} (IMPHASH is not looked up). */
        SYSMON_HASHES,
        /** An e-mail address: looked up as an address, and its domain as a domain. */
        EMAIL,
        /** A file name or path: its base name is looked up. */
        FILE,
        /** DNS answers: addresses or host names, one per value or separated by {@code ;} (Sysmon QueryResults). */
        DNS_ANSWERS
    }

    private final Map<String, Kind> table;
    private final Map<String, String> firstSegments;

    public EventObservables(Map<String, Kind> table) {
        this.table = Map.copyOf(requireNonNull(table, "table"));
        Map<String, String> firsts = new LinkedHashMap<>();
        for (String name : table.keySet()) {
            int dot = name.indexOf('.');
            if (dot > 0) {
                firsts.put(name, name.substring(0, dot));
            }
        }
        this.firstSegments = Map.copyOf(firsts);
    }

    /** The table: field name to kind. */
    public Map<String, Kind> table() {
        return table;
    }

    /** The default table (see the class comment). */
    public static EventObservables defaults() {
        Map<String, Kind> t = new LinkedHashMap<>();
        for (String f : List.of(
                "source.ip",
                "destination.ip",
                "client.ip",
                "server.ip",
                "related.ip",
                "source.nat.ip",
                "destination.nat.ip",
                "SourceIp",
                "DestinationIp",
                "SourceAddress",
                "DestAddress",
                "IpAddress",
                "src_ip",
                "dst_ip",
                "dest_ip",
                "c-ip",
                "s-ip",
                "id.orig_h",
                "id.resp_h",
                "ClientIP",
                "cs-ip")) {
            t.put(f, Kind.ADDRESS);
        }
        for (String f : List.of(
                "dns.question.name",
                "url.domain",
                "destination.domain",
                "source.domain",
                "server.domain",
                "client.domain",
                "tls.client.server_name",
                "DestinationHostname",
                "SourceHostname",
                "QueryName",
                "cs-host",
                "r-dns",
                "query",
                "server_name",
                "http.hostname",
                "host.hostname_requested",
                "dns.rrname",
                "tls.sni")) {
            t.put(f, Kind.DOMAIN);
        }
        for (String f : List.of("url.original", "url.full", "c-uri", "http.url", "request.url", "cs-uri")) {
            t.put(f, Kind.URL);
        }
        for (String f : List.of(
                "file.hash.md5",
                "file.hash.sha1",
                "file.hash.sha256",
                "process.hash.md5",
                "process.hash.sha1",
                "process.hash.sha256",
                "process.parent.hash.md5",
                "process.parent.hash.sha1",
                "process.parent.hash.sha256",
                "dll.hash.md5",
                "dll.hash.sha1",
                "dll.hash.sha256",
                "md5",
                "sha1",
                "sha256",
                "MD5",
                "SHA1",
                "SHA256",
                "hash.md5",
                "hash.sha1",
                "hash.sha256")) {
            t.put(f, Kind.HASH);
        }
        t.put("Hashes", Kind.SYSMON_HASHES);
        t.put("Hash", Kind.SYSMON_HASHES);
        for (String f : List.of(
                "email.from.address",
                "email.to.address",
                "email.cc.address",
                "email.bcc.address",
                "email.sender.address",
                "email.reply_to.address",
                "user.email",
                "source.user.email",
                "sender",
                "recipient")) {
            t.put(f, Kind.EMAIL);
        }
        for (String f : List.of(
                "file.name",
                "file.path",
                "process.executable",
                "process.name",
                "dll.path",
                "Image",
                "TargetFilename",
                "ImageLoaded",
                "OriginalFileName",
                "ScriptBlockPath",
                "ServiceFileName")) {
            t.put(f, Kind.FILE);
        }
        for (String f : List.of("answers", "dns.answers.data", "dns.resolved_ip", "QueryResults")) {
            t.put(f, Kind.DNS_ANSWERS);
        }
        return new EventObservables(t);
    }

    /** Receives each observable of an event. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * @param field the event field
         * @param type what to look the value up as
         * @param value the value (not yet normalised)
         */
        void visit(String field, IndicatorType type, String value);
    }

    /** Visits every observable of {@code event}, in field order; nothing is allocated for fields outside the table. */
    public void forEach(Event event, Visitor visitor) {
        Map<String, Object> fields = event.fields();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            Kind kind = table.get(e.getKey());
            if (kind != null) {
                visitValue(e.getKey(), kind, e.getValue(), visitor);
            }
        }
        if (event.original() instanceof Map<?, ?> original && !firstSegments.isEmpty()) {
            for (Map.Entry<String, String> f : firstSegments.entrySet()) {
                if (original.containsKey(f.getValue()) && !fields.containsKey(f.getKey())) {
                    Object v = event.field(f.getKey());
                    if (v != Event.MISSING) {
                        visitValue(f.getKey(), table.get(f.getKey()), v, visitor);
                    }
                }
            }
        }
    }

    /** The observables of {@code event} as a list of (field, type, value), for tests and tools. */
    public List<Observable> observables(Event event) {
        List<Observable> out = new ArrayList<>();
        forEach(event, (f, t, v) -> out.add(new Observable(f, t, v)));
        return out;
    }

    /** One observable of an event. */
    public record Observable(String field, IndicatorType type, String value) {}

    private static void visitValue(String field, Kind kind, Object value, Visitor visitor) {
        if (value instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    visitString(field, kind, s, visitor);
                }
            }
        } else if (value instanceof String s) {
            visitString(field, kind, s, visitor);
        }
    }

    private static void visitString(String field, Kind kind, String s, Visitor visitor) {
        if (s.isEmpty() || s.equals("-")) {
            return;
        }
        switch (kind) {
            case ADDRESS -> visitor.visit(field, s.indexOf(':') >= 0 ? IndicatorType.IPV6 : IndicatorType.IPV4, s);
            case DOMAIN -> visitHost(field, s, visitor);
            case URL -> {
                visitor.visit(field, IndicatorType.URL, s);
                String host = hostOf(s);
                if (host != null) {
                    visitHost(field, host, visitor);
                }
            }
            case HASH -> hash(field, s, visitor);
            case SYSMON_HASHES -> {
                int start = 0;
                while (start < s.length()) {
                    int comma = s.indexOf(',', start);
                    int end = comma < 0 ? s.length() : comma;
                    int eq = s.indexOf('=', start);
                    if (eq > start && eq < end) {
                        String algorithm = s.substring(start, eq).strip();
                        if (!algorithm.equalsIgnoreCase("IMPHASH")) {
                            hash(field, s.substring(eq + 1, end).strip(), visitor);
                        }
                    } else if (eq < 0 || eq > end) {
                        hash(field, s.substring(start, end).strip(), visitor);
                    }
                    start = end + 1;
                }
            }
            case EMAIL -> {
                visitor.visit(field, IndicatorType.EMAIL, s);
                int at = s.lastIndexOf('@');
                if (at > 0 && at < s.length() - 1) {
                    String domain = s.substring(at + 1);
                    visitor.visit(
                            field,
                            IndicatorType.DOMAIN,
                            domain.endsWith(">") ? domain.substring(0, domain.length() - 1) : domain);
                }
            }
            case FILE -> visitor.visit(field, IndicatorType.FILE_NAME, s);
            case DNS_ANSWERS -> {
                for (String part : s.split(";")) {
                    String p = part.strip();
                    if (p.startsWith("type:")) {
                        // Sysmon writes "type:  5 cname.example.com" for records other than addresses.
                        String[] words = p.split("\\s+");
                        p = words[words.length - 1];
                    }
                    if (!p.isEmpty()) {
                        visitHost(field, p, visitor);
                    }
                }
            }
        }
    }

    private static void hash(String field, String s, Visitor visitor) {
        IndicatorType type = switch (s.length()) {
            case 32 -> IndicatorType.MD5;
            case 40 -> IndicatorType.SHA1;
            case 64 -> IndicatorType.SHA256;
            default -> null;
        };
        if (type != null) {
            visitor.visit(field, type, s);
        }
    }

    private static void visitHost(String field, String host, Visitor visitor) {
        char last = host.charAt(host.length() - 1);
        boolean ipLike = host.indexOf(':') >= 0 || (last >= '0' && last <= '9');
        visitor.visit(
                field,
                !ipLike ? IndicatorType.DOMAIN : host.indexOf(':') >= 0 ? IndicatorType.IPV6 : IndicatorType.IPV4,
                host);
    }

    /** The host of a URL (without port or brackets), or {@code null} when there is none. */
    static String hostOf(String url) {
        int start = url.indexOf("://");
        if (start < 0) {
            return null;
        }
        start += 3;
        int end = url.length();
        for (int i = start; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || c == '?' || c == '#' || c == '\\') {
                end = i;
                break;
            }
        }
        String authority = url.substring(start, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close > 1 ? authority.substring(1, close) : null;
        }
        int colon = authority.indexOf(':');
        if (colon >= 0) {
            authority = authority.substring(0, colon);
        }
        return authority.isEmpty() ? null : authority;
    }
}
