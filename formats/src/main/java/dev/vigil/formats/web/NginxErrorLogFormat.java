package dev.vigil.formats.web;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.ProblemSink;
import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextFormat;
import dev.vigil.formats.text.TextParser;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * nginx error logs: {@code 2024/01/05 10:00:00 [error] 1234#0: *5 message, client: 1.2.3.4, server: x, request: "GET /
 * HTTP/1.1", host: "x"}.
 *
 * <p>Fields: {@code log.level}, {@code process.pid}, {@code process.thread.id}, {@code nginx.error.connection_id},
 * {@code message} (the text before the {@code , client: } context), and from the context {@code c-ip}/{@code
 * source.ip}, {@code cs-host}, the request's method, target and version (as for access logs) and {@code
 * http.request.referrer}. The timestamp carries no zone: the {@link TextContext#defaultZone()} applies. Log source:
 * product {@code nginx}, category {@code webserver}, service {@code nginx} (SigmaHQ's nginx rules ask for {@code
 * service: nginx}).
 */
public final class NginxErrorLogFormat implements TextFormat {
    static final LogSource LOG_SOURCE = new LogSource("nginx", Set.of("webserver"), Set.of("nginx"));

    @Override
    public String name() {
        return "nginx-error";
    }

    @Override
    public String description() {
        return "nginx error log";
    }

    /** 70 when at least 60% of the sample lines parse. */
    @Override
    public int score(List<String> sample) {
        int ok = 0;
        for (String line : sample) {
            if (parse(line, java.time.ZoneOffset.UTC) != null) {
                ok++;
            }
        }
        return !sample.isEmpty() && ok * 10 >= sample.size() * 6 ? 70 : 0;
    }

    static Map<String, Object> parse(String line, ZoneId zone) {
        Instant time = WebTimes.nginx(line, 0, zone);
        if (time == null || !line.startsWith(" [", 19)) {
            return null;
        }
        int levelEnd = line.indexOf("] ", 21);
        if (levelEnd < 0 || levelEnd - 21 > 10) {
            return null;
        }
        Map<String, Object> f = new LinkedHashMap<>(24);
        f.put(AccessLogPattern.TIME_KEY, time);
        f.put("log.level", line.substring(21, levelEnd));
        int pos = levelEnd + 2;
        int hash = line.indexOf('#', pos);
        int colon = line.indexOf(": ", pos);
        if (hash > pos && colon > hash) {
            long pid = HttpFields.parseLong(line, pos, hash);
            long tid = HttpFields.parseLong(line, hash + 1, colon);
            if (pid >= 0 && tid >= 0) {
                f.put("process.pid", pid);
                f.put("process.thread.id", tid);
                pos = colon + 2;
            }
        }
        if (line.startsWith("*", pos)) {
            int sp = line.indexOf(' ', pos);
            long cid = sp < 0 ? -1 : HttpFields.parseLong(line, pos + 1, sp);
            if (cid >= 0) {
                f.put("nginx.error.connection_id", cid);
                pos = sp + 1;
            }
        }
        String rest = line.substring(pos);
        int ctx = rest.indexOf(", client: ");
        String message = ctx < 0 ? rest : rest.substring(0, ctx);
        if (ctx >= 0) {
            context(f, rest.substring(ctx + 2));
        }
        f.put("message", message);
        f.put("event.kind", "event");
        f.put("event.category", "web");
        f.put("event.type", "error");
        return f;
    }

    /** {@code client: 1.2.3.4, server: x, request: "GET / HTTP/1.1", upstream: "...", host: "x", referrer: "..."}. */
    private static void context(Map<String, Object> f, String s) {
        int i = 0;
        while (i < s.length()) {
            int colon = s.indexOf(": ", i);
            if (colon < 0) {
                return;
            }
            String key = s.substring(i, colon);
            int v = colon + 2;
            String value;
            if (v < s.length() && s.charAt(v) == '"') {
                int end = v + 1;
                while (end < s.length() && (s.charAt(end) != '"' || s.charAt(end - 1) == '\\')) {
                    end++;
                }
                value = HttpFields.unescape(s, v + 1, Math.min(end, s.length()));
                i = end + 1;
            } else {
                int end = s.indexOf(", ", v);
                end = end < 0 ? s.length() : end;
                value = s.substring(v, end);
                i = end;
            }
            switch (key) {
                case "client" -> HttpFields.clientIp(f, value);
                case "server" -> {
                    if (!value.isEmpty()) {
                        f.put("s-sitename", value);
                    }
                }
                case "request" -> HttpFields.request(f, value);
                case "host" -> HttpFields.host(f, value);
                case "referrer" -> HttpFields.referer(f, value);
                case "upstream" -> f.put("nginx.error.upstream", value);
                default -> f.put("nginx.error." + key.replace(' ', '_'), value);
            }
            if (s.startsWith(", ", i)) {
                i += 2;
            } else {
                return;
            }
        }
    }

    @Override
    public TextParser newParser(TextContext context) {
        return new TextParser() {
            @Override
            public void line(String line, long lineNumber, Consumer<Event> out, ProblemSink problems) {
                if (line.isBlank()) {
                    return;
                }
                out.accept(ApacheErrorLogFormat.build(
                        line, lineNumber, context, parse(line, context.defaultZone()), problems, name()));
            }
        };
    }
}
