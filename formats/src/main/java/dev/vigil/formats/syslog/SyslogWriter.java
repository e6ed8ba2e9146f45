package dev.vigil.formats.syslog;

import dev.vigil.core.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders an event as an RFC 5424 or RFC 3164 syslog record, the inverse of {@link SyslogFormat}'s reader: the PRI from
 * {@code log.syslog.priority} (or the facility and severity codes; {@code user.notice} when none), the event's time,
 * {@code host.name}, the app-name from {@code log.syslog.appname} or {@code process.name}, the procid from
 * {@code log.syslog.procid} or {@code process.pid}, {@code log.syslog.msgid}, structured data from the
 * {@code sd.ID.PARAM} fields (ID up to the last dot) and {@code message}.
 *
 * <p>Header tokens are made valid (characters outside printable ASCII and spaces become {@code _}, NIL {@code -} when
 * empty). A message or structured-data value with line breaks round-trips exactly only with {@linkplain
 * #octetCounting() octet counting} (RFC 6587), which the reader joins back; without it CR and LF are written as
 * rsyslog writes them, {@code #015} and {@code #012}. RFC 3164 keeps no year, zone or fraction of a second: the time is
 * written in the writer's zone (UTC by default) to the second.
 */
public final class SyslogWriter {
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    private final boolean rfc5424;
    private final boolean octetCounting;
    private final ZoneId zone;

    private SyslogWriter(boolean rfc5424, boolean octetCounting, ZoneId zone) {
        this.rfc5424 = rfc5424;
        this.octetCounting = octetCounting;
        this.zone = zone;
    }

    /** An RFC 5424 writer without framing. */
    public static SyslogWriter rfc5424() {
        return new SyslogWriter(true, false, ZoneOffset.UTC);
    }

    /** An RFC 3164 writer without framing, times in UTC. */
    public static SyslogWriter rfc3164() {
        return new SyslogWriter(false, false, ZoneOffset.UTC);
    }

    /** This writer with octet-counting framing ({@code LEN SP record}). */
    public SyslogWriter octetCounting() {
        return new SyslogWriter(rfc5424, true, zone);
    }

    /** This writer with RFC 3164 times in {@code zone}. */
    public SyslogWriter inZone(ZoneId zone) {
        return new SyslogWriter(rfc5424, octetCounting, zone);
    }

    /** The record of {@code event}, without a line terminator. */
    public String write(Event event) {
        Map<String, Object> f = event.fields();
        StringBuilder b = new StringBuilder(128);
        b.append('<').append(priority(f)).append('>');
        String host = token(f.get("host.name"), 255);
        String app = token(first(f, "log.syslog.appname", "process.name", "program"), 48);
        String procid = token(first(f, "log.syslog.procid", "process.pid", "pid"), 128);
        String message = string(f.get("message"));
        Instant ts = event.timestamp();
        if (rfc5424) {
            b.append("1 ").append(ts == null ? "-" : ts.toString()).append(' ');
            b.append(host).append(' ').append(app).append(' ').append(procid).append(' ');
            b.append(token(f.get("log.syslog.msgid"), 32)).append(' ');
            structuredData(f, b);
            if (!message.isEmpty()) {
                b.append(' ').append(text(message));
            }
        } else {
            LocalDateTime t = LocalDateTime.ofInstant(ts == null ? Instant.EPOCH : ts, zone);
            b.append(MONTHS[t.getMonthValue() - 1]).append(' ');
            if (t.getDayOfMonth() < 10) {
                b.append(' ');
            }
            b.append(t.getDayOfMonth()).append(' ');
            two(b, t.getHour()).append(':');
            two(b, t.getMinute()).append(':');
            two(b, t.getSecond()).append(' ');
            b.append(host).append(' ');
            if (!app.equals("-")) {
                b.append(app.replace('[', '_').replace(':', '_'));
                if (!procid.equals("-")) {
                    b.append('[').append(procid.replace(']', '_')).append(']');
                }
                b.append(": ");
            }
            b.append(text(message));
        }
        if (!octetCounting) {
            return b.toString();
        }
        String rec = b.toString();
        return rec.getBytes(StandardCharsets.UTF_8).length + " " + rec;
    }

    private static StringBuilder two(StringBuilder b, int v) {
        if (v < 10) {
            b.append('0');
        }
        return b.append(v);
    }

    private String text(String s) {
        if (octetCounting || (s.indexOf('\n') < 0 && s.indexOf('\r') < 0)) {
            return s;
        }
        return s.replace("\r", "#015").replace("\n", "#012");
    }

    private static int priority(Map<String, Object> f) {
        Object p = f.get("log.syslog.priority");
        if (p instanceof Long l && l >= 0 && l <= 191) {
            return l.intValue();
        }
        Object fac = f.get("log.syslog.facility.code");
        Object sev = f.get("log.syslog.severity.code");
        int facility = fac instanceof Long l && l >= 0 && l < 24 ? l.intValue() : 1;
        int severity = sev instanceof Long l && l >= 0 && l < 8 ? l.intValue() : 5;
        return facility * 8 + severity;
    }

    private static Object first(Map<String, Object> f, String... keys) {
        for (String k : keys) {
            Object v = f.get(k);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String string(Object v) {
        return v == null ? "" : v.toString();
    }

    /** A header token: printable ASCII without spaces, at most {@code max} characters, {@code -} when empty. */
    static String token(Object v, int max) {
        String s = string(v);
        if (s.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c > 32 && c < 127 ? c : '_');
        }
        return b.toString();
    }

    private void structuredData(Map<String, Object> f, StringBuilder b) {
        Map<String, List<String[]>> elements = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : f.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith("sd.")) {
                continue;
            }
            int dot = k.lastIndexOf('.');
            if (dot <= 3 || dot == k.length() - 1) {
                continue;
            }
            String id = sdName(k.substring(3, dot));
            String param = sdName(k.substring(dot + 1));
            List<String[]> params = elements.computeIfAbsent(id, x -> new ArrayList<>());
            if (e.getValue() instanceof List<?> list) {
                for (Object o : list) {
                    params.add(new String[] {param, string(o)});
                }
            } else {
                params.add(new String[] {param, string(e.getValue())});
            }
        }
        if (elements.isEmpty()) {
            b.append('-');
            return;
        }
        for (Map.Entry<String, List<String[]>> e : elements.entrySet()) {
            b.append('[').append(e.getKey());
            for (String[] p : e.getValue()) {
                b.append(' ').append(p[0]).append("=\"");
                String v = text(p[1]);
                for (int i = 0; i < v.length(); i++) {
                    char c = v.charAt(i);
                    if (c == '"' || c == '\\' || c == ']') {
                        b.append('\\');
                    }
                    b.append(c);
                }
                b.append('"');
            }
            b.append(']');
        }
    }

    /** An SD-NAME: printable ASCII except {@code = ] "} and space, at most 32 characters. */
    private static String sdName(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 32; i++) {
            char c = s.charAt(i);
            b.append(c > 32 && c < 127 && c != '=' && c != ']' && c != '"' ? c : '_');
        }
        return b.isEmpty() ? "_" : b.toString();
    }
}
