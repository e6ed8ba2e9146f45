package dev.vigil.formats.syslog;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.TemporalAccessor;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** CEF and LEEF records: header and extension parsing, with ECS mappings of the common keys. */
final class Payloads {
    /** CEF extension keys (and LEEF attribute names) and their ECS field. */
    private static final Map<String, String> ECS = new HashMap<>();

    private static final Map<String, String> NUMERIC = new HashMap<>();

    static {
        String[][] m = {
            {"src", "source.ip"},
            {"dst", "destination.ip"},
            {"suser", "user.name"},
            {"duser", "destination.user.name"},
            {"act", "event.action"},
            {"shost", "source.domain"},
            {"dhost", "destination.domain"},
            {"smac", "source.mac"},
            {"dmac", "destination.mac"},
            {"app", "network.protocol"},
            {"request", "url.original"},
            {"requestMethod", "http.request.method"},
            {"requestClientApplication", "user_agent.original"},
            {"outcome", "event.outcome"},
            {"sproc", "process.name"},
            {"dproc", "process.name"},
            {"dvc", "observer.ip"},
            {"dvchost", "observer.hostname"},
            {"fname", "file.name"},
            {"filePath", "file.path"},
            {"fileHash", "file.hash"},
            {"cs1", "cs1"},
            {"reason", "event.reason"},
            {"deviceDirection", "network.direction"},
            {"sntdom", "source.user.domain"},
            {"duid", "destination.user.id"},
            {"suid", "user.id"},
            // LEEF names
            {"usrName", "user.name"},
            {"srcMAC", "source.mac"},
            {"dstMAC", "destination.mac"},
            {"url", "url.original"},
            {"identHostName", "host.name"},
            {"srcPreNAT", "source.nat.ip"},
            {"dstPreNAT", "destination.nat.ip"},
            {"srcPostNAT", "source.nat.ip"},
            {"dstPostNAT", "destination.nat.ip"},
            {"action", "event.action"},
            {"policy", "rule.name"}
        };
        for (String[] e : m) {
            ECS.put(e[0], e[1]);
        }
        String[][] n = {
            {"spt", "source.port"},
            {"dpt", "destination.port"},
            {"in", "source.bytes"},
            {"out", "destination.bytes"},
            {"spid", "process.pid"},
            {"dpid", "process.pid"},
            {"cnt", "event.count"},
            {"srcPort", "source.port"},
            {"dstPort", "destination.port"},
            {"srcBytes", "source.bytes"},
            {"dstBytes", "destination.bytes"},
            {"srcPackets", "source.packets"},
            {"dstPackets", "destination.packets"},
            {"sev", "event.severity"},
            {"fsize", "file.size"}
        };
        for (String[] e : n) {
            NUMERIC.put(e[0], e[1]);
        }
    }

    private static final DateTimeFormatter CEF_TIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("MMM dd[ yyyy] HH:mm:ss[.SSS][ zzz]")
            .toFormatter(Locale.ROOT);

    private Payloads() {}

    /** Where {@code CEF:n|} or {@code LEEF:n.n|} starts in {@code s} at or after {@code from}, or -1. */
    static int markerIndex(String s, int from) {
        int c = s.indexOf("CEF:", from);
        while (c >= 0) {
            if (c + 5 < s.length() && SyslogTime.isDigit(s, c + 4) && s.indexOf('|', c) > 0) {
                break;
            }
            c = s.indexOf("CEF:", c + 4);
        }
        int l = s.indexOf("LEEF:", from);
        while (l >= 0) {
            if (SyslogTime.isDigit(s, l + 5) && s.indexOf('|', l) > 0) {
                break;
            }
            l = s.indexOf("LEEF:", l + 5);
        }
        if (c < 0) {
            return l;
        }
        return l < 0 ? c : Math.min(c, l);
    }

    static String excerpt(String s) {
        StringBuilder b = new StringBuilder();
        int n = Math.min(s.length(), 80);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || c == '\uFFFD' ? '?' : c);
        }
        return "'" + b + (s.length() > 80 ? "...'" : "'");
    }

    /** Parses a CEF record into {@code f}; returns an error message or null. */
    static String cef(String rec, Map<String, Object> f) {
        // CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension
        String[] h = new String[7];
        int p = 4;
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < 7; k++) {
            b.setLength(0);
            boolean closed = false;
            while (p < rec.length()) {
                char c = rec.charAt(p);
                if (c == '\\' && p + 1 < rec.length() && (rec.charAt(p + 1) == '|' || rec.charAt(p + 1) == '\\')) {
                    b.append(rec.charAt(p + 1));
                    p += 2;
                    continue;
                }
                p++;
                if (c == '|') {
                    closed = true;
                    break;
                }
                b.append(c);
            }
            if (!closed) {
                return "truncated CEF header (" + k + " of 7 fields): " + excerpt(rec);
            }
            h[k] = b.toString();
        }
        f.put("cefVersion", h[0]);
        f.put("deviceVendor", h[1]);
        f.put("deviceProduct", h[2]);
        f.put("deviceVersion", h[3]);
        f.put("signatureId", h[4]);
        f.put("name", h[5]);
        f.put("severity", h[6]);
        f.put("observer.vendor", h[1]);
        f.put("observer.product", h[2]);
        f.put("observer.version", h[3]);
        f.put("event.code", h[4]);
        Long sev = Header3164.parseLong(h[6]);
        if (sev != null) {
            f.put("event.severity", sev);
        }
        f.put("message", h[5]);
        extension(rec, p, f);
        Object msg = f.get("msg");
        if (msg != null) {
            f.put("message", msg);
        }
        return null;
    }

    /** CEF extension {@code key=value key2=value 2}: a value runs to the space before the next {@code key=}. */
    private static void extension(String s, int p, Map<String, Object> f) {
        int n = s.length();
        String key = null;
        int valueStart = -1;
        int i = p;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '=') {
                // the key is the word before '=', after a space (or at the start)
                int k = i;
                while (k > p && isKeyChar(s.charAt(k - 1))) {
                    k--;
                }
                boolean atBoundary = k == p || s.charAt(k - 1) == ' ';
                if (k < i && atBoundary && (key == null || k > valueStart)) {
                    if (key != null) {
                        put(f, key, unescapeCef(s, valueStart, k - 1 >= valueStart ? k - 1 : valueStart));
                    }
                    key = s.substring(k, i);
                    valueStart = i + 1;
                }
            }
            i++;
        }
        if (key != null) {
            put(f, key, unescapeCef(s, valueStart, n));
        }
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '.'
                || c == '-'
                || c == '['
                || c == ']';
    }

    private static String unescapeCef(String s, int from, int to) {
        if (s.indexOf('\\', from) < 0 || s.indexOf('\\', from) >= to) {
            return s.substring(from, to);
        }
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < to) {
                char e = s.charAt(++i);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case '=', '\\', '|' -> b.append(e);
                    default -> b.append('\\').append(e);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void put(Map<String, Object> f, String key, String value) {
        f.put(key, value);
        String ecs = ECS.get(key);
        if (ecs != null && !ecs.equals(key)) {
            f.put(ecs, key.equals("proto") ? value.toLowerCase(Locale.ROOT) : value);
            return;
        }
        String num = NUMERIC.get(key);
        if (num != null) {
            Long v = Header3164.parseLong(value.strip());
            f.put(num, v != null ? (Object) v : value);
        } else if (key.equals("proto")) {
            f.put("network.transport", value.toLowerCase(Locale.ROOT));
        }
    }

    /** Parses a LEEF 1.0 or 2.0 record into {@code f}; returns an error message or null. */
    static String leef(String rec, Map<String, Object> f) {
        // LEEF:Version|Vendor|Product|Version|EventID|[Delimiter|]attributes
        String[] h = new String[5];
        int p = 5;
        for (int k = 0; k < 5; k++) {
            int bar = rec.indexOf('|', p);
            if (bar < 0) {
                if (k == 4 && p < rec.length()) {
                    h[k] = rec.substring(p);
                    p = rec.length();
                    break;
                }
                return "truncated LEEF header (" + k + " of 5 fields): " + excerpt(rec);
            }
            h[k] = rec.substring(p, bar);
            p = bar + 1;
        }
        char delimiter = '\t';
        if (h[0].startsWith("2")) {
            int bar = rec.indexOf('|', p);
            if (bar >= 0) {
                String d = rec.substring(p, bar);
                Character parsed = delimiter(d);
                if (parsed != null) {
                    delimiter = parsed;
                    p = bar + 1;
                }
            }
        }
        f.put("leefVersion", h[0]);
        f.put("deviceVendor", h[1]);
        f.put("deviceProduct", h[2]);
        f.put("deviceVersion", h[3]);
        f.put("eventId", h[4]);
        f.put("observer.vendor", h[1]);
        f.put("observer.product", h[2]);
        f.put("observer.version", h[3]);
        f.put("event.code", h[4]);
        f.put("message", h[4]);
        int i = p;
        while (i <= rec.length()) {
            int next = rec.indexOf(delimiter, i);
            if (next < 0) {
                next = rec.length();
            }
            int eq = rec.indexOf('=', i);
            if (eq > i && eq < next) {
                String key = rec.substring(i, eq);
                String value = rec.substring(eq + 1, next);
                put(f, key, value);
            }
            i = next + 1;
        }
        Object msg = f.get("msg");
        if (msg != null) {
            f.put("message", msg);
        }
        return null;
    }

    /** A LEEF 2.0 delimiter: one character, or {@code xHH}/{@code 0xHH} in hex; null when {@code d} is neither. */
    static Character delimiter(String d) {
        if (d.length() == 1 && d.charAt(0) != '=') {
            return d.charAt(0);
        }
        String hex =
                d.startsWith("0x") || d.startsWith("0X") ? d.substring(2) : d.startsWith("x") ? d.substring(1) : null;
        if (hex != null && !hex.isEmpty() && hex.length() <= 4) {
            try {
                return (char) Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** The device time ({@code rt} of CEF, {@code devTime} of LEEF) as an instant, or null. */
    static Instant deviceTime(Map<String, Object> f, ZoneId zone, int currentYear) {
        Object rt = f.get("rt");
        if (rt == null) {
            rt = f.get("devTime");
        }
        if (rt == null) {
            rt = f.get("end");
        }
        if (!(rt instanceof String s) || s.isBlank()) {
            return null;
        }
        s = s.strip();
        Long epoch = Header3164.parseLong(s);
        if (epoch != null) {
            return epoch < 100_000_000_000L ? Instant.ofEpochSecond(epoch) : Instant.ofEpochMilli(epoch);
        }
        SyslogTime.Parsed iso = SyslogTime.iso(s, 0);
        if (iso != null) {
            return iso.instant(zone, currentYear);
        }
        Object format = f.get("devTimeFormat");
        try {
            DateTimeFormatter fmt = format instanceof String p ? DateTimeFormatter.ofPattern(p, Locale.ROOT) : CEF_TIME;
            TemporalAccessor t = fmt.parse(s);
            if (t.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS)
                    || t.query(java.time.temporal.TemporalQueries.zone()) != null) {
                return ZonedDateTime.from(t).toInstant();
            }
            if (!t.isSupported(java.time.temporal.ChronoField.YEAR)) {
                return null;
            }
            return LocalDateTime.from(t).atZone(zone).toInstant();
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return null;
        }
    }
}
