package dev.vigil.formats.web;

import static java.util.Objects.requireNonNull;

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
 * Web server access logs: Apache's and nginx's {@code common}, {@code combined} and {@code vhost_combined} formats
 * (detected from the content, format name {@code access}), and any format written as an Apache {@code LogFormat}
 * string ({@link #apache(String)}) or an nginx {@code log_format} string ({@link #nginx(String)}).
 *
 * <p>Each line becomes one event with the Sigma {@code webserver} taxonomy fields ({@code c-ip}, {@code cs-method},
 * {@code cs-uri-query}, {@code cs-uri-stem}, {@code c-uri}, {@code sc-status}, {@code cs-user-agent}, {@code
 * c-useragent}, {@code cs-referer}, {@code cs-host}, {@code cs-version}, ...) and their ECS equivalents ({@code
 * source.ip}, {@code http.request.method}, {@code url.original}, {@code url.path}, {@code url.query}, {@code
 * http.response.status_code}, {@code user_agent.original}, ...), the line as the original record, and the log source
 * {@code category: webserver} with product {@code apache} or {@code nginx}. Apache's and nginx's standard formats are
 * the same, so a detected {@code access} log is labelled {@code apache} (whose {@code LogFormat} nicknames they are);
 * {@code --as nginx-access} labels it nginx. Sigma's webserver rules name no product, so both route the same.
 *
 * <p>Lines are matched against the format with bounded backtracking: a quoted value ends at an unescaped quote
 * followed by the rest of the format's next literal, a value at the end of the line takes the rest of the line, and
 * numeric values must be numbers or {@code -}. Request lines that are not {@code METHOD TARGET PROTOCOL} (scanners
 * send TLS handshakes and garbage) are kept whole in {@code request}. A line that does not match is reported and still
 * emitted, as an event with only {@code message}, so keyword rules see it. Lines wrapped in an extra pair of quotes
 * (as some exports write them) are unwrapped.
 */
public final class AccessLogFormat implements TextFormat {
    /** Apache's {@code common} log format. */
    public static final String COMMON = "%h %l %u %t \"%r\" %>s %b";
    /** Apache's {@code combined} log format (nginx's default {@code combined} is the same). */
    public static final String COMBINED = COMMON + " \"%{Referer}i\" \"%{User-agent}i\"";
    /** Apache's {@code vhost_combined} log format. */
    public static final String VHOST_COMBINED = "%v:%p " + COMBINED;

    private static final List<AccessLogPattern> STANDARD = List.of(
            AccessLogPattern.apache(COMBINED),
            AccessLogPattern.apache(COMMON),
            AccessLogPattern.apache(VHOST_COMBINED));

    private final String name;
    private final String description;
    private final List<AccessLogPattern> patterns;
    private final String product;
    private final boolean detectable;

    private AccessLogFormat(
            String name, String description, List<AccessLogPattern> patterns, String product, boolean detectable) {
        this.name = requireNonNull(name, "name");
        this.description = description;
        this.patterns = patterns;
        this.product = product;
        this.detectable = detectable;
    }

    /** The standard formats, detected from the content: {@code access}, product {@code apache}. */
    public static AccessLogFormat standard() {
        return new AccessLogFormat(
                "access",
                "web server access log (Apache/nginx common, combined, vhost_combined)",
                STANDARD,
                "apache",
                true);
    }

    /** The standard formats labelled as nginx's: {@code nginx-access}, only when forced. */
    public static AccessLogFormat nginxStandard() {
        return new AccessLogFormat(
                "nginx-access", "nginx access log (common, combined); only with --as", STANDARD, "nginx", false);
    }

    /**
     * A format given as an Apache {@code LogFormat} string, e.g. {@code %h %l %u %t "%r" %>s %b "%{Referer}i" %D}
     * (quotes may be written {@code \"} as in httpd.conf). Its name is {@code apache-custom}; it is never detected.
     *
     * @throws IllegalArgumentException when the string has no directive or two directives with nothing between them
     */
    public static AccessLogFormat apache(String logFormat) {
        return new AccessLogFormat(
                "apache-custom",
                "Apache access log in the format " + logFormat,
                List.of(AccessLogPattern.apache(logFormat)),
                "apache",
                false);
    }

    /**
     * A format given as an nginx {@code log_format} string, e.g. {@code $remote_addr - $remote_user [$time_local]
     * "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time}. Its name is {@code
     * nginx-custom}; it is never detected.
     *
     * @throws IllegalArgumentException when the string has no variable or two variables with nothing between them
     */
    public static AccessLogFormat nginx(String logFormat) {
        return new AccessLogFormat(
                "nginx-custom",
                "nginx access log in the format " + logFormat,
                List.of(AccessLogPattern.nginx(logFormat)),
                "nginx",
                false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    /** 70 when at least 60% of the sample lines match a standard format; custom formats score 0 (forced only). */
    @Override
    public int score(List<String> sample) {
        if (!detectable || sample.isEmpty()) {
            return 0;
        }
        int ok = 0;
        for (String line : sample) {
            for (AccessLogPattern p : patterns) {
                if (p.match(line) != null || (line.startsWith("\"") && p.match(unwrap(line)) != null)) {
                    ok++;
                    break;
                }
            }
        }
        return ok * 10 >= sample.size() * 6 ? 70 : 0;
    }

    @Override
    public TextParser newParser(TextContext context) {
        LogSource logSource = new LogSource(product, Set.of("webserver"), Set.of());
        return new TextParser() {
            private int last;

            private Map<String, Object> parse(String text) {
                for (int k = 0; k < patterns.size(); k++) {
                    int i = (last + k) % patterns.size();
                    int[] bounds = patterns.get(i).match(text);
                    if (bounds != null) {
                        last = i;
                        return patterns.get(i).fields(text, bounds, context.defaultZone());
                    }
                }
                return null;
            }

            @Override
            public void line(String line, long lineNumber, Consumer<Event> out, ProblemSink problems) {
                if (line.isBlank()) {
                    return;
                }
                Map<String, Object> fields = parse(line);
                if (fields == null && line.charAt(0) == '"') {
                    fields = parse(unwrap(line));
                }
                Instant time = null;
                if (fields == null) {
                    problems.report(
                            new Problem(context.source(), lineNumber, "not a " + name + " line: " + abbreviate(line)));
                    fields = new LinkedHashMap<>(4);
                    fields.put("message", line);
                } else {
                    Object ts = fields.remove(AccessLogPattern.TIME_KEY);
                    if (ts instanceof Instant t) {
                        time = t;
                        HttpFields.timestamp(fields, t);
                    }
                    fields.put("event.kind", "event");
                    fields.put("event.category", "web");
                    fields.put("event.type", "access");
                }
                out.accept(Event.builder()
                        .tenant(context.tenant())
                        .fields(fields)
                        .original(line)
                        .logSource(logSource)
                        .timestamp(time)
                        .source(new SourceRef(context.source(), lineNumber))
                        .build());
            }
        };
    }

    /** A line wrapped in one more pair of quotes, {@code "1.2.3.4 - - [...] "GET / HTTP/1.1" ... "UA""}, unwrapped. */
    static String unwrap(String line) {
        int n = line.length();
        if (n > 2 && line.charAt(0) == '"' && line.charAt(1) != '"') {
            return line.endsWith("\"\"") ? line.substring(1, n - 1) : line.substring(1);
        }
        return line;
    }

    static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 120) + "...";
    }

    @Override
    public String toString() {
        return name;
    }
}
