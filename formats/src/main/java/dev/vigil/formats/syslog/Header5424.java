package dev.vigil.formats.syslog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The header and structured data of an RFC 5424 record after {@code <PRI>1 }. */
final class Header5424 {
    private final String s;
    private final Map<String, Object> f;
    private final RecentStrings recent;
    int end;
    SyslogTime.Parsed timestamp;

    Header5424(String s, int start, Map<String, Object> fields, RecentStrings recent) {
        this.s = s;
        this.recent = recent;
        this.end = start;
        this.f = fields;
    }

    /** Parses the header; returns an error message, or null when it is valid. */
    String parse() {
        int p = end;
        if (s.startsWith("- ", p)) {
            p += 2;
        } else {
            timestamp = SyslogTime.iso(s, p);
            if (timestamp == null || timestamp.end >= s.length() || s.charAt(timestamp.end) != ' ') {
                return "RFC 5424 record with an invalid timestamp: " + Payloads.excerpt(s);
            }
            p = timestamp.end + 1;
        }
        String[] tokens = new String[3];
        for (int k = 0; k < 4; k++) {
            int sp = s.indexOf(' ', p);
            if (sp < 0) {
                return "RFC 5424 header truncated: " + Payloads.excerpt(s);
            }
            String token = recent.get(s, p, sp);
            p = sp + 1;
            if (k < 3) {
                tokens[k] = token;
            } else if (!token.equals("-")) {
                f.put("msgid", token);
                f.put("log.syslog.msgid", token);
            }
        }
        if (!tokens[0].equals("-")) {
            f.put("hostname", tokens[0]);
            f.put("host.name", tokens[0]);
        }
        if (!tokens[1].equals("-")) {
            f.put("program", tokens[1]);
            f.put("process.name", tokens[1]);
            f.put("log.syslog.appname", tokens[1]);
        }
        if (!tokens[2].equals("-")) {
            Long pid = Header3164.parseLong(tokens[2]);
            f.put("pid", pid != null ? (Object) pid : tokens[2]);
            f.put("log.syslog.procid", tokens[2]);
            if (pid != null) {
                f.put("process.pid", pid);
            }
        }
        f.put("log.syslog.version", 1L);
        if (p >= s.length()) {
            return "RFC 5424 header truncated before the structured data: " + Payloads.excerpt(s);
        }
        if (s.charAt(p) == '-') {
            p++;
        } else if (s.charAt(p) == '[') {
            String err = structuredData(p);
            if (err != null) {
                return err;
            }
            p = end;
        } else {
            return "RFC 5424 structured data must start with '[' or be '-': " + Payloads.excerpt(s);
        }
        if (p < s.length()) {
            if (s.charAt(p) != ' ') {
                return "RFC 5424 structured data not followed by a space: " + Payloads.excerpt(s);
            }
            p++;
        }
        end = p;
        return null;
    }

    private String structuredData(int p) {
        while (p < s.length() && s.charAt(p) == '[') {
            int q = p + 1;
            while (q < s.length() && s.charAt(q) != ' ' && s.charAt(q) != ']') {
                q++;
            }
            if (q >= s.length()) {
                return "truncated structured data: " + Payloads.excerpt(s);
            }
            String id = s.substring(p + 1, q);
            if (id.isEmpty()) {
                return "structured data element without an id: " + Payloads.excerpt(s);
            }
            p = q;
            while (true) {
                if (p >= s.length()) {
                    return "truncated structured data in [" + id + "]: " + Payloads.excerpt(s);
                }
                char c = s.charAt(p);
                if (c == ']') {
                    p++;
                    break;
                }
                if (c != ' ') {
                    return "invalid structured data in [" + id + "] at column " + (p + 1) + ": " + Payloads.excerpt(s);
                }
                p++;
                int eq = s.indexOf('=', p);
                if (eq < 0 || eq + 1 >= s.length() || s.charAt(eq + 1) != '"') {
                    return "truncated or invalid structured data parameter in [" + id + "]: " + Payloads.excerpt(s);
                }
                String name = s.substring(p, eq);
                int v = eq + 2;
                // Most values have no escapes: one substring, no builder.
                int plainEnd = v;
                while (plainEnd < s.length() && s.charAt(plainEnd) != '"' && s.charAt(plainEnd) != '\\') {
                    plainEnd++;
                }
                StringBuilder value = null;
                boolean closed = false;
                if (plainEnd < s.length() && s.charAt(plainEnd) == '"') {
                    closed = true;
                    v = plainEnd;
                } else {
                    value = new StringBuilder().append(s, v, plainEnd);
                    v = plainEnd;
                }
                while (!closed && v < s.length()) {
                    char ch = s.charAt(v);
                    if (ch == '\\' && v + 1 < s.length()) {
                        char next = s.charAt(v + 1);
                        if (next == '"' || next == '\\' || next == ']') {
                            value.append(next);
                            v += 2;
                            continue;
                        }
                        value.append(ch);
                        v++;
                        continue;
                    }
                    if (ch == '"') {
                        closed = true;
                        break;
                    }
                    value.append(ch);
                    v++;
                }
                if (!closed) {
                    return "truncated structured data: value of " + id + "." + name + " not closed: "
                            + Payloads.excerpt(s);
                }
                put("sd." + id + "." + name, value == null ? s.substring(eq + 2, v) : value.toString());
                p = v + 1;
            }
        }
        end = p;
        return null;
    }

    @SuppressWarnings("unchecked")
    private void put(String key, String value) {
        Object old = f.get(key);
        if (old == null) {
            f.put(key, value);
        } else if (old instanceof List<?> list) {
            ((List<Object>) list).add(value);
        } else {
            List<Object> list = new ArrayList<>();
            list.add(old);
            list.add(value);
            f.put(key, list);
        }
    }
}
