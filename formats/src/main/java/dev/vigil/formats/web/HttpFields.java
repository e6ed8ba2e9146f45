package dev.vigil.formats.web;

import java.time.Instant;
import java.util.Map;

/**
 * Puts HTTP values into an event's fields under the Sigma {@code webserver} taxonomy names and their ECS equivalents.
 *
 * <p>SigmaHQ's webserver rules read {@code cs-uri-query} as the whole request target, path and query ({@code
 * cs-uri-query|endswith: '/mgmt/tm/util/bash'}), so it holds the target as requested; {@code cs-uri-stem} and {@code
 * c-uri-stem} hold the path, {@code c-uri-query} and ECS {@code url.query} the query string without its {@code ?}.
 */
final class HttpFields {
    private HttpFields() {}

    static void timestamp(Map<String, Object> f, Instant t) {
        if (t != null) {
            f.put("@timestamp", t.toString());
        }
    }

    static void clientIp(Map<String, Object> f, String ip) {
        if (!isDash(ip)) {
            f.put("c-ip", ip);
            f.put("source.ip", ip);
        }
    }

    static void user(Map<String, Object> f, String user) {
        if (!isDash(user)) {
            f.put("cs-username", user);
            f.put("user.name", user);
        }
    }

    static void status(Map<String, Object> f, long status) {
        f.put("sc-status", status);
        f.put("http.response.status_code", status);
        f.put("event.outcome", status >= 400 ? "failure" : "success");
    }

    static void bytes(Map<String, Object> f, long bytes) {
        f.put("sc-bytes", bytes);
        f.put("http.response.body.bytes", bytes);
    }

    static void referer(Map<String, Object> f, String referer) {
        if (!isDash(referer)) {
            f.put("cs-referer", referer);
            f.put("http.request.referrer", referer);
        }
    }

    static void userAgent(Map<String, Object> f, String ua) {
        if (!isDash(ua)) {
            f.put("cs-user-agent", ua);
            f.put("c-useragent", ua);
            f.put("user_agent.original", ua);
        }
    }

    static void host(Map<String, Object> f, String host) {
        if (!isDash(host)) {
            f.put("cs-host", host);
            f.put("url.domain", host);
        }
    }

    static void method(Map<String, Object> f, String method) {
        f.put("cs-method", method);
        f.put("http.request.method", method);
    }

    static void version(Map<String, Object> f, String protocol) {
        f.put("cs-version", protocol);
        f.put("http.version", protocol.startsWith("HTTP/") ? protocol.substring(5) : protocol);
    }

    /** The request target (path and query as requested). */
    static void target(Map<String, Object> f, String target) {
        f.put("c-uri", target);
        f.put("cs-uri-query", target);
        f.put("url.original", target);
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        f.put("cs-uri-stem", path);
        f.put("c-uri-stem", path);
        f.put("url.path", path);
        if (q >= 0) {
            String query = target.substring(q + 1);
            f.put("c-uri-query", query);
            f.put("url.query", query);
        }
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot > slash && dot < path.length() - 1) {
            String ext = path.substring(dot + 1);
            f.put("c-uri-extension", ext);
            f.put("url.extension", ext);
        }
    }

    /**
     * A request line {@code METHOD TARGET PROTOCOL} (or {@code METHOD TARGET} of HTTP/0.9). Anything else, the {@code
     * -} of a connection closed before a request or a TLS handshake sent to a plain port, is kept whole in {@code
     * request} and marked {@code http.request.malformed}.
     */
    static void request(Map<String, Object> f, String request) {
        int sp1 = request.indexOf(' ');
        int sp2 = request.lastIndexOf(' ');
        if (sp1 > 0 && isToken(request, 0, sp1)) {
            if (sp2 > sp1 && request.startsWith("HTTP/", sp2 + 1)) {
                method(f, request.substring(0, sp1));
                target(f, request.substring(sp1 + 1, sp2));
                version(f, request.substring(sp2 + 1));
                return;
            }
            if (sp2 == sp1 && sp1 < request.length() - 1) {
                method(f, request.substring(0, sp1));
                target(f, request.substring(sp1 + 1));
                return;
            }
        }
        f.put("request", request);
        f.put("http.request.malformed", true);
    }

    private static boolean isToken(String s, int from, int to) {
        if (to - from > 32) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    static boolean isDash(String s) {
        return s == null || s.isEmpty() || s.equals("-");
    }

    /** Undoes Apache's and nginx's escapes of quotes and backslashes ({@code \"}, {@code \\}); {@code \xhh} stays. */
    static String unescape(String s, int from, int to) {
        int bs = s.indexOf('\\', from);
        if (bs < 0 || bs >= to) {
            return s.substring(from, to);
        }
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < to && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
                b.append(s.charAt(++i));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Parses a non-negative whole number; -1 when {@code s[from, to)} is not one. */
    static long parseLong(String s, int from, int to) {
        if (from >= to || to - from > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
