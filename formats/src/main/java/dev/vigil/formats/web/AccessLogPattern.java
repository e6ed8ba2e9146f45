package dev.vigil.formats.web;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A compiled access-log format: literals and value directives, matched with bounded backtracking. */
final class AccessLogPattern {
    /** The key under which {@link #fields} leaves the parsed {@link Instant} for the caller to take. */
    static final String TIME_KEY = "\u0000time";

    private static final int MAX_CANDIDATES = 16;

    enum Kind {
        CLIENT_IP,
        CLIENT_PORT,
        SERVER_IP,
        SERVER_PORT,
        IDENT,
        USER,
        TIME_CLF,
        TIME_ISO,
        TIME_MSEC,
        REQUEST,
        METHOD,
        TARGET,
        PATH,
        QUERY,
        PROTOCOL,
        STATUS,
        BYTES,
        DURATION_US,
        DURATION_MS,
        DURATION_S,
        REFERER,
        USER_AGENT,
        HOST,
        COOKIE,
        PID,
        HEADER,
        OTHER,
        IGNORE
    }

    /** One element: a literal ({@code kind == null}) or a value directive stored under {@code name}. */
    record Element(String literal, Kind kind, String name) {}

    private final Element[] elements;
    private final boolean[] quoted;

    private AccessLogPattern(List<Element> elements) {
        this.elements = elements.toArray(Element[]::new);
        this.quoted = new boolean[this.elements.length];
        boolean any = false;
        for (int i = 0; i < this.elements.length; i++) {
            Element e = this.elements[i];
            if (e.kind() != null) {
                any = true;
                if (i + 1 < this.elements.length && this.elements[i + 1].kind() != null) {
                    throw new IllegalArgumentException(
                            "two directives with nothing between them: cannot tell their" + " values apart");
                }
                quoted[i] = i > 0
                        && this.elements[i - 1].literal().endsWith("\"")
                        && i + 1 < this.elements.length
                        && this.elements[i + 1].literal().startsWith("\"");
            }
        }
        if (!any) {
            throw new IllegalArgumentException("the format has no directive");
        }
    }

    /** Compiles an Apache {@code LogFormat} string. */
    static AccessLogPattern apache(String format) {
        String f = format.replace("\\\"", "\"").replace("\\t", "\t");
        List<Element> out = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < f.length()) {
            char c = f.charAt(i);
            if (c != '%' || i + 1 >= f.length()) {
                lit.append(c);
                i++;
                continue;
            }
            if (f.charAt(i + 1) == '%') {
                lit.append('%');
                i += 2;
                continue;
            }
            int j = i + 1;
            // modifiers: < > and status conditions such as !200,304
            while (j < f.length() && "<>!,0123456789".indexOf(f.charAt(j)) >= 0) {
                j++;
            }
            String arg = null;
            if (j < f.length() && f.charAt(j) == '{') {
                int close = f.indexOf('}', j);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed %{ in " + format);
                }
                arg = f.substring(j + 1, close);
                j = close + 1;
            }
            if (j >= f.length()) {
                throw new IllegalArgumentException("directive without a letter at the end of " + format);
            }
            char letter = f.charAt(j);
            flush(lit, out);
            out.add(apacheDirective(letter, arg));
            i = j + 1;
        }
        flush(lit, out);
        return new AccessLogPattern(out);
    }

    /** Compiles an nginx {@code log_format} string. */
    static AccessLogPattern nginx(String format) {
        List<Element> out = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '$' || i + 1 >= format.length()) {
                lit.append(c);
                i++;
                continue;
            }
            int j = i + 1;
            String name;
            if (format.charAt(j) == '{') {
                int close = format.indexOf('}', j);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed ${ in " + format);
                }
                name = format.substring(j + 1, close);
                j = close + 1;
            } else {
                while (j < format.length() && isNameChar(format.charAt(j))) {
                    j++;
                }
                name = format.substring(i + 1, j);
            }
            if (name.isEmpty()) {
                lit.append(c);
                i++;
                continue;
            }
            flush(lit, out);
            out.add(nginxVariable(name));
            i = j;
        }
        flush(lit, out);
        return new AccessLogPattern(out);
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static void flush(StringBuilder lit, List<Element> out) {
        if (!lit.isEmpty()) {
            out.add(new Element(lit.toString(), null, null));
            lit.setLength(0);
        }
    }

    private static Element el(Kind kind, String name) {
        return new Element(null, kind, name);
    }

    private static Element apacheDirective(char letter, String arg) {
        return switch (letter) {
            case 'h', 'a' ->
                "remote".equals(arg) || arg == null || "c".equals(arg)
                        ? el(Kind.CLIENT_IP, null)
                        : el(Kind.OTHER, "client_ip_" + arg);
            case 'A' -> el(Kind.SERVER_IP, null);
            case 'l' -> el(Kind.IDENT, null);
            case 'u' -> el(Kind.USER, null);
            case 't' -> arg == null ? el(Kind.TIME_CLF, null) : el(Kind.OTHER, "time");
            case 'r' -> el(Kind.REQUEST, null);
            case 's' -> el(Kind.STATUS, null);
            case 'b', 'B' -> el(Kind.BYTES, null);
            case 'O' -> el(Kind.OTHER, "bytes_sent");
            case 'I' -> el(Kind.OTHER, "cs-bytes");
            case 'D' -> el(Kind.DURATION_US, null);
            case 'T' ->
                "ms".equals(arg)
                        ? el(Kind.DURATION_MS, null)
                        : "us".equals(arg) ? el(Kind.DURATION_US, null) : el(Kind.DURATION_S, null);
            case 'v', 'V' -> el(Kind.HOST, null);
            case 'p' -> "remote".equals(arg) ? el(Kind.CLIENT_PORT, null) : el(Kind.SERVER_PORT, null);
            case 'P' -> el(Kind.PID, null);
            case 'm' -> el(Kind.METHOD, null);
            case 'U' -> el(Kind.PATH, null);
            case 'q' -> el(Kind.QUERY, null);
            case 'H' -> el(Kind.PROTOCOL, null);
            case 'i' -> header(arg == null ? "" : arg);
            case 'o' -> el(Kind.OTHER, "sc(" + arg + ")");
            case 'e', 'n', 'C', 'x' -> el(Kind.OTHER, arg == null ? String.valueOf(letter) : arg);
            default -> el(Kind.IGNORE, null);
        };
    }

    private static Element header(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "referer", "referrer" -> el(Kind.REFERER, null);
            case "user-agent" -> el(Kind.USER_AGENT, null);
            case "host" -> el(Kind.HOST, null);
            case "cookie" -> el(Kind.COOKIE, null);
            default -> el(Kind.HEADER, "cs(" + name + ")");
        };
    }

    private static Element nginxVariable(String name) {
        return switch (name) {
            case "remote_addr", "realip_remote_addr", "binary_remote_addr" -> el(Kind.CLIENT_IP, null);
            case "remote_port" -> el(Kind.CLIENT_PORT, null);
            case "server_addr" -> el(Kind.SERVER_IP, null);
            case "server_port" -> el(Kind.SERVER_PORT, null);
            case "remote_user" -> el(Kind.USER, null);
            case "time_local" -> el(Kind.TIME_CLF, null);
            case "time_iso8601" -> el(Kind.TIME_ISO, null);
            case "msec" -> el(Kind.TIME_MSEC, null);
            case "request" -> el(Kind.REQUEST, null);
            case "request_method" -> el(Kind.METHOD, null);
            case "request_uri" -> el(Kind.TARGET, null);
            case "uri", "document_uri" -> el(Kind.PATH, null);
            case "args", "query_string" -> el(Kind.QUERY, null);
            case "server_protocol" -> el(Kind.PROTOCOL, null);
            case "status" -> el(Kind.STATUS, null);
            case "body_bytes_sent" -> el(Kind.BYTES, null);
            case "request_time" -> el(Kind.DURATION_S, null);
            case "host", "server_name", "http_host" -> el(Kind.HOST, null);
            case "pid" -> el(Kind.PID, null);
            case "http_referer" -> el(Kind.REFERER, null);
            case "http_user_agent" -> el(Kind.USER_AGENT, null);
            case "http_cookie" -> el(Kind.COOKIE, null);
            default ->
                name.startsWith("http_")
                        ? el(Kind.HEADER, "cs(" + name.substring(5).replace('_', '-') + ")")
                        : el(Kind.OTHER, name);
        };
    }

    /**
     * The bounds of every element's value in {@code line} (start at {@code 2i}, end at {@code 2i+1}), or {@code null}
     * when the line does not match.
     */
    int[] match(String line) {
        int[] bounds = new int[elements.length * 2];
        return match(line, 0, 0, bounds) ? bounds : null;
    }

    private boolean match(String line, int e, int pos, int[] bounds) {
        if (e == elements.length) {
            return pos == line.length();
        }
        Element el = elements[e];
        if (el.kind() == null) {
            if (!line.startsWith(el.literal(), pos)) {
                return false;
            }
            bounds[2 * e] = pos;
            bounds[2 * e + 1] = pos + el.literal().length();
            return match(line, e + 1, pos + el.literal().length(), bounds);
        }
        bounds[2 * e] = pos;
        if (e + 1 == elements.length) {
            bounds[2 * e + 1] = line.length();
            return valid(el.kind(), line, pos, line.length(), false);
        }
        String next = elements[e + 1].literal();
        if (e + 2 == elements.length) {
            // the last literal closes the line: the value runs up to it, whatever it contains
            int end = line.length() - next.length();
            if (end < pos || !line.endsWith(next) || !valid(el.kind(), line, pos, end, quoted[e])) {
                return false;
            }
            bounds[2 * e + 1] = end;
            bounds[2 * e + 2] = end;
            bounds[2 * e + 3] = line.length();
            return true;
        }
        int from = pos;
        for (int tries = 0; tries < MAX_CANDIDATES; tries++) {
            int i = line.indexOf(next, from);
            if (i < 0) {
                return false;
            }
            from = i + 1;
            if (quoted[e] && escaped(line, pos, i)) {
                continue;
            }
            if (!valid(el.kind(), line, pos, i, quoted[e])) {
                if (!quoted[e] && el.kind() != Kind.OTHER && el.kind() != Kind.HEADER && el.kind() != Kind.TIME_CLF) {
                    return false; // a longer value would contain the delimiter: no point trying further
                }
                continue;
            }
            bounds[2 * e + 1] = i;
            if (match(line, e + 1, i, bounds)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the quote at {@code i} is preceded by an odd number of backslashes. */
    private static boolean escaped(String line, int from, int i) {
        int n = 0;
        for (int k = i - 1; k >= from && line.charAt(k) == '\\'; k--) {
            n++;
        }
        return (n & 1) == 1;
    }

    private static boolean valid(Kind kind, String s, int from, int to, boolean quoted) {
        switch (kind) {
            case STATUS:
                return to - from == 3 && HttpFields.parseLong(s, from, to) >= 0;
            case BYTES, DURATION_US, DURATION_MS, SERVER_PORT, CLIENT_PORT, PID:
                return (to - from == 1 && s.charAt(from) == '-') || HttpFields.parseLong(s, from, to) >= 0;
            case DURATION_S, TIME_MSEC:
                return isDecimal(s, from, to);
            case TIME_CLF:
                return WebTimes.clf(s, from, to, java.time.ZoneOffset.UTC) != null;
            case CLIENT_IP, SERVER_IP, HOST:
                return to > from && noSpace(s, from, to) && s.charAt(from) != '"';
            case IDENT, USER, METHOD, TARGET, PATH, PROTOCOL:
                return to > from && (quoted || noSpace(s, from, to));
            default:
                return true;
        }
    }

    private static boolean noSpace(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '"') {
                return false;
            }
        }
        return true;
    }

    private static boolean isDecimal(String s, int from, int to) {
        if (to - from == 1 && s.charAt(from) == '-') {
            return true;
        }
        boolean digit = false;
        boolean dot = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return false;
            }
        }
        return digit;
    }

    /** The event fields of a matched line; the timestamp, if any, is left under {@link #TIME_KEY}. */
    Map<String, Object> fields(String line, int[] bounds, ZoneId zone) {
        Map<String, Object> f = new LinkedHashMap<>(64);
        for (int e = 0; e < elements.length; e++) {
            Element el = elements[e];
            if (el.kind() == null) {
                continue;
            }
            int from = bounds[2 * e];
            int to = bounds[2 * e + 1];
            String v = quoted[e] ? HttpFields.unescape(line, from, to) : line.substring(from, to);
            switch (el.kind()) {
                case CLIENT_IP -> HttpFields.clientIp(f, v);
                case CLIENT_PORT -> putLong(f, v, "c-port", "source.port");
                case SERVER_IP -> {
                    if (!HttpFields.isDash(v)) {
                        f.put("s-ip", v);
                        f.put("destination.ip", v);
                    }
                }
                case SERVER_PORT -> putLong(f, v, "s-port", "destination.port");
                case IDENT -> {
                    if (!HttpFields.isDash(v)) {
                        f.put("ident", v);
                    }
                }
                case USER -> HttpFields.user(f, v);
                case TIME_CLF -> put(f, TIME_KEY, WebTimes.clf(line, from, to, zone));
                case TIME_ISO -> put(f, TIME_KEY, WebTimes.iso(v, zone));
                case TIME_MSEC -> {
                    if (!HttpFields.isDash(v)) {
                        double d = Double.parseDouble(v);
                        long secs = (long) d;
                        f.put(TIME_KEY, Instant.ofEpochSecond(secs, Math.round((d - secs) * 1e9)));
                    }
                }
                case REQUEST -> HttpFields.request(f, v);
                case METHOD -> HttpFields.method(f, v);
                case TARGET -> HttpFields.target(f, v);
                case PATH -> {
                    f.put("cs-uri-stem", v);
                    f.put("c-uri-stem", v);
                    f.put("url.path", v);
                }
                case QUERY -> {
                    String q = v.startsWith("?") ? v.substring(1) : v;
                    if (!q.isEmpty() && !q.equals("-")) {
                        f.put("c-uri-query", q);
                        f.put("url.query", q);
                    }
                }
                case PROTOCOL -> HttpFields.version(f, v);
                case STATUS -> HttpFields.status(f, HttpFields.parseLong(v, 0, v.length()));
                case BYTES -> {
                    long b = HttpFields.parseLong(v, 0, v.length());
                    HttpFields.bytes(f, Math.max(b, 0));
                }
                case DURATION_US -> duration(f, HttpFields.parseLong(v, 0, v.length()) * 1000L);
                case DURATION_MS -> duration(f, HttpFields.parseLong(v, 0, v.length()) * 1_000_000L);
                case DURATION_S -> {
                    if (!HttpFields.isDash(v)) {
                        duration(f, Math.round(Double.parseDouble(v) * 1e9));
                    }
                }
                case REFERER -> HttpFields.referer(f, v);
                case USER_AGENT -> HttpFields.userAgent(f, v);
                case HOST -> HttpFields.host(f, v);
                case COOKIE -> {
                    if (!HttpFields.isDash(v)) {
                        f.put("cs-cookie", v);
                    }
                }
                case PID -> putLong(f, v, "process.pid", null);
                case HEADER, OTHER -> {
                    if (!HttpFields.isDash(v)) {
                        f.put(el.name(), v);
                    }
                }
                case IGNORE -> {}
            }
        }
        // the standard formats take the path and query from %r; custom ones may give them apart
        if (!f.containsKey("url.original") && f.containsKey("url.path")) {
            Object q = f.get("url.query");
            HttpFields.target(f, f.get("url.path") + (q == null ? "" : "?" + q));
        }
        return f;
    }

    private static void duration(Map<String, Object> f, long nanos) {
        if (nanos >= 0) {
            f.put("time-taken", nanos / 1_000_000L);
            f.put("event.duration", nanos);
        }
    }

    private static void putLong(Map<String, Object> f, String v, String sigma, String ecs) {
        long n = HttpFields.parseLong(v, 0, v.length());
        if (n >= 0) {
            f.put(sigma, n);
            if (ecs != null) {
                f.put(ecs, n);
            }
        }
    }

    private static void put(Map<String, Object> f, String key, Object v) {
        if (v != null) {
            f.put(key, v);
        }
    }
}
