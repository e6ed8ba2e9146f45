package dev.vigil.formats.syslog;

import java.util.Map;

/**
 * The header of an RFC 3164 ("BSD") syslog line after the PRI: {@code Mmm dd hh:mm:ss host tag[pid]: message}, with
 * the variants seen in the wild: an RFC 3339 time instead, a year before the time, no host, tags with spaces
 * ({@code syslogd 1.4.1:}, {@code Microsoft Word[12]:}), a tag with a pid and no colon.
 */
final class Header3164 {
    private final String s;
    private final Map<String, Object> f;
    private final int marker;
    private final RecentStrings recent;
    int end;
    SyslogTime.Parsed timestamp;

    /**
     * @param marker where a CEF or LEEF record starts in {@code s}, or -1: the header stops there
     */
    Header3164(String s, int start, Map<String, Object> fields, int marker, RecentStrings recent) {
        this.s = s;
        this.recent = recent;
        this.end = start;
        this.f = fields;
        this.marker = marker;
    }

    /** Parses the header; false when the line has no syslog timestamp (then only a PRI can make it syslog). */
    boolean parse() {
        int p = end;
        SyslogTime.Parsed t = SyslogTime.bsd(s, p);
        if (t == null) {
            t = SyslogTime.iso(s, p);
        }
        if (t != null) {
            timestamp = t;
            p = t.end;
            if (p < s.length() && s.charAt(p) != ' ') {
                timestamp = null;
                return false;
            }
            while (p < s.length() && s.charAt(p) == ' ') {
                p++;
            }
            if (p == marker) {
                end = p;
                return true;
            }
            int hostEnd = p;
            while (hostEnd < s.length() && s.charAt(hostEnd) != ' ') {
                hostEnd++;
            }
            char last = hostEnd > p ? s.charAt(hostEnd - 1) : ' ';
            if (hostEnd > p && last != ':' && last != ']' && hostEnd < s.length()) {
                String host = recent.get(s, p, hostEnd);
                f.put("hostname", host);
                f.put("host.name", host);
                p = hostEnd + 1;
            }
        }
        int q = p;
        while (q < s.length() && s.charAt(q) == ' ' && t != null) {
            q++; // "host  tag:" with two spaces
        }
        int e = tag(q);
        end = e == q ? p : e;
        return t != null;
    }

    /** Parses {@code tag[pid]: } at {@code p}; returns where the message starts. */
    private int tag(int p) {
        if (p >= s.length() || p == marker) {
            return p;
        }
        int q = p;
        while (q < s.length()) {
            char c = s.charAt(q);
            if (c == ' ' || c == ':' || c == '[') {
                break;
            }
            q++;
        }
        if (q == p || q >= s.length()) {
            return p;
        }
        char c = s.charAt(q);
        if (c == ' ') {
            return spacedTag(p);
        }
        if (c == '[') {
            return withPid(p, q);
        }
        // ':'
        if (q + 1 == s.length() || s.charAt(q + 1) == ' ') {
            program(recent.get(s, p, q));
            return q + 1 == s.length() ? q + 1 : q + 2;
        }
        return p;
    }

    private int withPid(int p, int bracket) {
        int close = s.indexOf(']', bracket + 1);
        if (close < 0 || close - bracket > 21) {
            return p;
        }
        int r = close + 1;
        if (r < s.length() && s.charAt(r) == ':') {
            r++;
        }
        if (r < s.length() && s.charAt(r) != ' ') {
            return p;
        }
        program(recent.get(s, p, bracket));
        pid(s.substring(bracket + 1, close));
        return Math.min(r + 1, s.length());
    }

    /** A tag with spaces: {@code Microsoft Word[12]:} or {@code syslogd 1.4.1:}. */
    private int spacedTag(int p) {
        int limit = Math.min(s.length(), p + 48);
        for (int r = p; r < limit; r++) {
            char c = s.charAt(r);
            if (c == '[') {
                int close = s.indexOf(']', r);
                if (close > r + 1
                        && close + 1 < s.length()
                        && s.charAt(close + 1) == ':'
                        && SyslogTime.digits(s, r + 1, close) >= 0) {
                    program(recent.get(s, p, r));
                    pid(s.substring(r + 1, close));
                    return Math.min(close + 3, s.length());
                }
                return p;
            }
            if (c == ':') {
                // "name version:" only: the words after the first are version numbers.
                int sp = s.indexOf(' ', p);
                for (int k = sp + 1; k < r; k++) {
                    char v = s.charAt(k);
                    if (!(v == '.' || v == ' ' || (v >= '0' && v <= '9'))) {
                        return p;
                    }
                }
                if (r + 1 < s.length() && s.charAt(r + 1) != ' ') {
                    return p;
                }
                program(recent.get(s, p, r));
                return Math.min(r + 2, s.length());
            }
        }
        return p;
    }

    private void program(String program) {
        f.put("program", program);
        f.put("process.name", program);
        f.put("log.syslog.appname", program);
    }

    private void pid(String pid) {
        Long n = pid.isEmpty() || pid.length() > 18 ? null : parseLong(pid);
        f.put("pid", n != null ? (Object) n : pid);
        f.put("log.syslog.procid", pid);
        if (n != null) {
            f.put("process.pid", n);
        }
    }

    static Long parseLong(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return Long.parseLong(s);
    }
}
