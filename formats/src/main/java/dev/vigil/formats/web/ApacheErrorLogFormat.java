package dev.vigil.formats.web;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.SourceRef;
import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextFormat;
import dev.vigil.formats.text.TextParser;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Apache httpd error logs, 2.2 ({@code [Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] message}) and 2.4 ({@code
 * [Wed Oct 11 14:32:52.123456 2017] [core:error] [pid 1234:tid 5678] [client 1.2.3.4:5678] AH00124: message}).
 *
 * <p>Fields: {@code log.level}, {@code message} (the text after the bracketed prefixes), {@code c-ip}/{@code
 * source.ip} (and {@code source.port}) from {@code [client ...]}, {@code apache.error.module}, {@code process.pid},
 * {@code process.thread.id}, {@code error.code} ({@code AH00124}). The timestamp carries no zone: the {@link
 * TextContext#defaultZone()} applies. Log source: product {@code apache}, category {@code webserver}, service {@code
 * apache}, which is what SigmaHQ's Apache error-log rules ({@code service: apache}) ask for.
 */
public final class ApacheErrorLogFormat implements TextFormat {
    private static final LogSource LOG_SOURCE = new LogSource("apache", Set.of("webserver"), Set.of("apache"));

    @Override
    public String name() {
        return "apache-error";
    }

    @Override
    public String description() {
        return "Apache httpd error log (2.2 and 2.4)";
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

    /** The fields of an error-log line (timestamp under {@link AccessLogPattern#TIME_KEY}), or {@code null}. */
    static Map<String, Object> parse(String line, java.time.ZoneId zone) {
        if (!line.startsWith("[")) {
            return null;
        }
        int close = line.indexOf(']');
        if (close < 0) {
            return null;
        }
        Instant time = WebTimes.ctime(line.substring(1, close), zone);
        if (time == null || !line.startsWith(" [", close + 1)) {
            return null;
        }
        int levelEnd = line.indexOf(']', close + 3);
        if (levelEnd < 0) {
            return null;
        }
        Map<String, Object> f = new LinkedHashMap<>(24);
        f.put(AccessLogPattern.TIME_KEY, time);
        String level = line.substring(close + 3, levelEnd);
        int colon = level.indexOf(':');
        if (colon >= 0) {
            f.put("apache.error.module", level.substring(0, colon));
            level = level.substring(colon + 1);
        }
        if (level.isEmpty() || level.indexOf(' ') >= 0) {
            return null;
        }
        f.put("log.level", level);
        int pos = levelEnd + 1;
        while (line.startsWith(" [", pos)) {
            int end = line.indexOf(']', pos);
            if (end < 0) {
                break;
            }
            String part = line.substring(pos + 2, end);
            if (part.startsWith("pid ")) {
                String pid = part.substring(4);
                int tid = pid.indexOf(":tid ");
                if (tid >= 0) {
                    putLong(f, "process.thread.id", pid.substring(tid + 5));
                    pid = pid.substring(0, tid);
                }
                putLong(f, "process.pid", pid);
            } else if (part.startsWith("client ") || part.startsWith("remote ")) {
                String client = part.substring(7);
                int c = client.lastIndexOf(':');
                if (c > 0 && client.indexOf(':') == c || (c > 0 && client.indexOf('.') >= 0)) {
                    // 1.2.3.4:5678 (2.4); an IPv6 address without a port has several colons and no dot
                    putLong(f, "source.port", client.substring(c + 1));
                    client = client.substring(0, c);
                }
                HttpFields.clientIp(f, client);
            } else {
                break;
            }
            pos = end + 1;
        }
        String message = pos < line.length() && line.charAt(pos) == ' ' ? line.substring(pos + 1) : line.substring(pos);
        if (message.length() > 8 && message.startsWith("AH") && message.charAt(7) == ':') {
            f.put("error.code", message.substring(0, 7));
        }
        f.put("message", message);
        f.put("event.kind", "event");
        f.put("event.category", "web");
        f.put("event.type", "error");
        return f;
    }

    private static void putLong(Map<String, Object> f, String key, String v) {
        long n = HttpFields.parseLong(v, 0, v.length());
        if (n >= 0) {
            f.put(key, n);
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
                out.accept(build(line, lineNumber, context, parse(line, context.defaultZone()), problems, name()));
            }
        };
    }

    static Event build(
            String line,
            long lineNumber,
            TextContext context,
            Map<String, Object> fields,
            ProblemSink problems,
            String formatName) {
        Instant time = null;
        if (fields == null) {
            problems.report(new Problem(
                    context.source(),
                    lineNumber,
                    "not a " + formatName + " line: " + AccessLogFormat.abbreviate(line)));
            fields = new LinkedHashMap<>(4);
            fields.put("message", line);
        } else {
            time = (Instant) fields.remove(AccessLogPattern.TIME_KEY);
            HttpFields.timestamp(fields, time);
        }
        return Event.builder()
                .tenant(context.tenant())
                .fields(fields)
                .original(line)
                .logSource(formatName.startsWith("nginx") ? NginxErrorLogFormat.LOG_SOURCE : LOG_SOURCE)
                .timestamp(time)
                .source(new SourceRef(context.source(), lineNumber))
                .build();
    }
}
