package dev.vigil.formats.syslog;

import dev.vigil.core.Event;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders an event as a CEF record, the inverse of {@link CefFormat}'s reader, e.g. to forward alerts to another
 * SIEM. The header comes from {@code deviceVendor}, {@code deviceProduct}, {@code deviceVersion}, {@code signatureId}
 * (or {@code event.code}), {@code name} (or {@code message}) and {@code severity} (defaults {@code Vigil}, {@code
 * Vigil}, {@code 0}, {@code 0}, {@code event}, {@code 0}); the extension from every field whose name is a CEF key (letters,
 * digits, {@code _}; dotted ECS names are derived by the reader and not written), plus {@code src}, {@code dst},
 * {@code spt}, {@code dpt}, {@code suser}, {@code act}, {@code msg} and {@code rt} from their ECS fields when the event
 * lacks them. Escapes: {@code \|} and {@code \\} in the header, {@code \=}, {@code \\}, {@code \n} and {@code \r} in
 * the extension; line breaks in header values become spaces (CEF has no escape for them there).
 */
public final class CefWriter {
    static final Set<String> HEADER = Set.of(
            "cefVersion",
            "deviceVendor",
            "deviceProduct",
            "deviceVersion",
            "signatureId",
            "name",
            "severity",
            "leefVersion",
            "eventId");
    /** Syslog header fields the reader sets from a header around the record, not from the record. */
    static final Set<String> SYSLOG = Set.of("message", "hostname", "program", "pid", "priority", "facility", "msgid");

    private static final String[][] FROM_ECS = {
        {"src", "source.ip"},
        {"dst", "destination.ip"},
        {"spt", "source.port"},
        {"dpt", "destination.port"},
        {"suser", "user.name"},
        {"act", "event.action"}
    };

    /** The CEF record of {@code event}, one line. */
    public String write(Event event) {
        Map<String, Object> f = event.fields();
        StringBuilder b = new StringBuilder(256);
        b.append("CEF:0|");
        header(b, f, "Vigil", "deviceVendor");
        header(b, f, "Vigil", "deviceProduct");
        header(b, f, "0", "deviceVersion");
        header(b, f, "0", "signatureId", "event.code");
        header(b, f, "event", "name", "message");
        header(b, f, "0", "severity", "event.severity");
        boolean first = true;
        for (Map.Entry<String, Object> e : f.entrySet()) {
            String k = e.getKey();
            if (HEADER.contains(k) || SYSLOG.contains(k) || !isKey(k) || e.getValue() == null) {
                continue;
            }
            first = pair(b, first, k, e.getValue());
        }
        for (String[] m : FROM_ECS) {
            if (!f.containsKey(m[0]) && f.get(m[1]) != null) {
                first = pair(b, first, m[0], f.get(m[1]));
            }
        }
        Object message = f.get("message");
        if (!f.containsKey("msg") && message != null && !message.equals(f.get("name"))) {
            first = pair(b, first, "msg", message);
        }
        if (!f.containsKey("rt") && event.timestamp() != null) {
            pair(b, first, "rt", event.timestamp().toEpochMilli());
        }
        return b.toString();
    }

    static boolean isKey(String k) {
        if (k.isEmpty()) {
            return false;
        }
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static boolean pair(StringBuilder b, boolean first, String key, Object value) {
        if (!first) {
            b.append(' ');
        }
        b.append(key).append('=');
        String v = value instanceof List<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList())
                : value.toString();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '=' -> b.append("\\=");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return false;
    }

    private static void header(StringBuilder b, Map<String, Object> f, String fallback, String... keys) {
        String v = fallback;
        for (String k : keys) {
            Object o = f.get(k);
            if (o != null) {
                v = o.toString();
                break;
            }
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '|' -> b.append("\\|");
                case '\n', '\r' -> b.append(' ');
                default -> b.append(c);
            }
        }
        b.append('|');
    }
}
