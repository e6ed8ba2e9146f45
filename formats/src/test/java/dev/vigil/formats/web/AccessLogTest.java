package dev.vigil.formats.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.TenantId;
import dev.vigil.formats.EventReaders;
import dev.vigil.formats.ReadOptions;
import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextFormat;
import dev.vigil.formats.text.TextFormats;
import dev.vigil.formats.text.TextParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogTest {
    @TempDir
    Path dir;

    private final List<Event> events = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();

    private List<Event> parse(TextFormat format, String... lines) {
        TextParser p = format.newParser(TextContext.of("t.log", TenantId.DEFAULT));
        for (int i = 0; i < lines.length; i++) {
            p.line(lines[i], i + 1, events::add, problems::add);
        }
        p.end(events::add, problems::add);
        return events;
    }

    @Test
    void commonCombinedAndVhostAreDetectedAndParsed() throws IOException {
        Path log = dir.resolve("a.log");
        Files.writeString(log, """
                127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326
                2001:db8::7 - - [10/Oct/2000:13:55:37 -0700] "GET /a.php?x=1&y=\\"2\\" HTTP/1.1" 404 - "http://ref/" "UA \\"quoted\\" here"
                www.example.org:443 10.0.0.1 - - [10/Oct/2000:13:55:38 -0700] "POST /login HTTP/2.0" 302 0 "-" "curl/8.0"
                10.0.0.2 - - [10/Oct/2000:13:55:39 -0700] "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03" 400 226 "-" "-"
                10.0.0.3 - - [10/Oct/2000:13:55:40 -0700] "-" 408 - "-" "-"
                """);
        EventReaders.read(log, ReadOptions.DEFAULT, events::add, problems::add);
        assertThat(problems).isEmpty();
        assertThat(events).hasSize(5);
        assertThat(events.get(0).fields())
                .containsEntry("c-ip", "127.0.0.1")
                .containsEntry("user.name", "frank")
                .containsEntry("cs-username", "frank")
                .containsEntry("cs-method", "GET")
                .containsEntry("c-uri-extension", "gif")
                .containsEntry("sc-status", 200L)
                .containsEntry("http.response.body.bytes", 2326L)
                .containsEntry("http.version", "1.0")
                .containsEntry("event.kind", "event")
                .containsEntry("event.category", "web")
                .containsEntry("event.outcome", "success")
                .doesNotContainKey("cs-user-agent");
        assertThat(events.get(0).timestamp()).isEqualTo(Instant.parse("2000-10-10T20:55:36Z"));
        assertThat(events.get(0).logSource().product()).isEqualTo("apache");
        assertThat(events.get(1).fields())
                .containsEntry("source.ip", "2001:db8::7")
                .containsEntry("url.query", "x=1&y=\"2\"")
                .containsEntry("sc-bytes", 0L)
                .containsEntry("event.outcome", "failure")
                .containsEntry("user_agent.original", "UA \"quoted\" here");
        assertThat(events.get(2).fields())
                .containsEntry("cs-host", "www.example.org")
                .containsEntry("s-port", 443L)
                .containsEntry("c-ip", "10.0.0.1")
                .containsEntry("c-useragent", "curl/8.0")
                .containsEntry("http.version", "2.0");
        assertThat(events.get(3).fields())
                .containsEntry("request", "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03")
                .containsEntry("http.request.malformed", true)
                .containsEntry("sc-status", 400L)
                .doesNotContainKey("cs-method");
        assertThat(events.get(4).fields()).containsEntry("request", "-").containsEntry("sc-status", 408L);
    }

    @Test
    void scores() {
        List<String> combined = List.of(
                "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326 \"-\" \"x\"",
                "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /b HTTP/1.0\" 200 2326 \"-\" \"x\"");
        assertThat(AccessLogFormat.standard().score(combined)).isEqualTo(70);
        assertThat(TextFormats.detect(combined).orElseThrow().name()).isEqualTo("access");
        assertThat(AccessLogFormat.apache(AccessLogFormat.COMBINED).score(combined))
                .isZero();
        assertThat(AccessLogFormat.standard().score(List.of("hello world", "foo")))
                .isZero();
        assertThat(new ApacheErrorLogFormat().score(List.of("[Sun Dec 04 04:47:44 2005] [error] x")))
                .isEqualTo(70);
        assertThat(new NginxErrorLogFormat().score(List.of("2024/01/05 10:00:00 [error] 1#0: x")))
                .isEqualTo(70);
        assertThat(new ApacheErrorLogFormat().score(combined)).isZero();
    }

    @Test
    void apacheCustomFormat() {
        AccessLogFormat f = AccessLogFormat.apache(
                "%h %l %u %t \\\"%r\\\" %>s %b \\\"%{Referer}i\\\" \\\"%{User-agent}i\\\" %D %v %p"
                        + " \\\"%{X-Forwarded-For}i\\\" %{Cookie}i");
        parse(
                f,
                "10.0.0.1 - bob [05/Jan/2024:10:00:00 +0100] \"GET /x?q=1 HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0 (X)\""
                        + " 1500 shop.example 8443 \"198.51.100.1, 10.0.0.1\" a=b; c=d");
        assertThat(problems).isEmpty();
        Map<String, Object> x = events.get(0).fields();
        assertThat(x)
                .containsEntry("user.name", "bob")
                .containsEntry("time-taken", 1L)
                .containsEntry("event.duration", 1_500_000L)
                .containsEntry("cs-host", "shop.example")
                .containsEntry("s-port", 8443L)
                .containsEntry("cs(X-Forwarded-For)", "198.51.100.1, 10.0.0.1")
                .containsEntry("cs-cookie", "a=b; c=d")
                .containsEntry("c-useragent", "Mozilla/5.0 (X)");
        assertThat(events.get(0).timestamp()).isEqualTo(Instant.parse("2024-01-05T09:00:00Z"));
        assertThat(f.name()).isEqualTo("apache-custom");
    }

    @Test
    void customFormatsAreNamedByTheirFormatStringForTheCommandLine() throws IOException {
        Path log = dir.resolve("timed.log");
        Files.writeString(
                log,
                "10.0.0.1 - bob [05/Jan/2024:10:00:00 +0100] \"GET /a HTTP/1.1\" 200 5 1500\n",
                StandardCharsets.UTF_8);
        ReadOptions options = ReadOptions.defaults().withFormatNamed("apache-format:%h %l %u %t \"%r\" %>s %b %D");
        List<Event> read = new ArrayList<>();
        List<Problem> bad = new ArrayList<>();
        EventReaders.read(log, options, read::add, bad::add);
        assertThat(bad).isEmpty();
        assertThat(read)
                .singleElement()
                .satisfies(e -> assertThat(e.fields())
                        .containsEntry("event.duration", 1_500_000L)
                        .containsEntry("user.name", "bob"));
        assertThat(TextFormats.byName("NGINX-FORMAT:$remote_addr [$time_local] \"$request\" $status"))
                .get()
                .extracting(TextFormat::name)
                .isEqualTo("nginx-custom");
        assertThatThrownBy(() -> ReadOptions.defaults().withFormatNamed("apache-format:no directives"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nginxCustomFormat() {
        AccessLogFormat f = AccessLogFormat.nginx(
                "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\""
                        + " \"$http_user_agent\" $request_time $upstream_response_time \"$http_x_forwarded_for\"");
        parse(
                f,
                "192.0.2.1 - - [05/Jan/2024:10:00:00 +0000] \"GET /api/v1?id=2 HTTP/1.1\" 500 17 \"-\" \"Go-http-client/1.1\""
                        + " 0.250 0.249 \"-\"",
                "garbage line");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).fields())
                .containsEntry("c-ip", "192.0.2.1")
                .containsEntry("cs-uri-query", "/api/v1?id=2")
                .containsEntry("sc-status", 500L)
                .containsEntry("time-taken", 250L)
                .containsEntry("upstream_response_time", "0.249")
                .doesNotContainKey("cs(x-forwarded-for)");
        assertThat(events.get(0).logSource().product()).isEqualTo("nginx");
        assertThat(events.get(1).fields()).containsOnlyKeys("message");
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("t.log");
            assertThat(p.location()).isEqualTo(2);
        });
        AccessLogFormat iso = AccessLogFormat.nginx("$time_iso8601 $remote_addr $request_method $request_uri $status");
        events.clear();
        parse(iso, "2024-01-05T10:00:00+02:00 192.0.2.1 GET /a/b.js?v=3 304");
        assertThat(events.get(0).timestamp()).isEqualTo(Instant.parse("2024-01-05T08:00:00Z"));
        assertThat(events.get(0).fields())
                .containsEntry("cs-method", "GET")
                .containsEntry("url.path", "/a/b.js")
                .containsEntry("url.query", "v=3")
                .containsEntry("url.extension", "js");
    }

    @Test
    void badFormatStrings() {
        assertThatThrownBy(() -> AccessLogFormat.apache("no directives")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessLogFormat.apache("%h%u")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessLogFormat.nginx("$a$b")).isInstanceOf(IllegalArgumentException.class);
    }

    private static final DateTimeFormatter CLF =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.ofHours(2));

    @Test
    void roundTripCombined() {
        Random r = new Random(20260101L);
        String[] methods = {"GET", "POST", "HEAD", "PUT", "OPTIONS", "PROPFIND"};
        String[] ips = {"10.1.2.3", "2001:db8::42", "fe80::1", "192.168.255.254", "::1"};
        AccessLogFormat f = AccessLogFormat.standard();
        for (int i = 0; i < 200; i++) {
            String ip = ips[r.nextInt(ips.length)];
            String user = r.nextInt(3) == 0 ? "-" : "u" + r.nextInt(1000);
            Instant t = Instant.ofEpochSecond(946684800L + r.nextInt(900_000_000));
            String method = methods[r.nextInt(methods.length)];
            String path = "/" + word(r) + (r.nextBoolean() ? "/" + word(r) + ".php" : "");
            String query = r.nextBoolean() ? null : "a=" + word(r) + "&b=" + nasty(r);
            int status = 100 + r.nextInt(500);
            long bytes = r.nextInt(4) == 0 ? -1 : r.nextInt(1_000_000);
            String ref = r.nextBoolean() ? "-" : "http://" + word(r) + ".example/" + nasty(r);
            String ua = r.nextInt(5) == 0 ? "-" : "Agent/" + r.nextInt(10) + " (" + nasty(r) + ")";
            String target = path + (query == null ? "" : "?" + query);
            String line = ip + " - " + user + " [" + CLF.format(t) + "] \"" + esc(method + " " + target + " HTTP/1.1")
                    + "\" " + status + " " + (bytes < 0 ? "-" : bytes) + " \"" + esc(ref) + "\" \"" + esc(ua) + "\"";
            events.clear();
            parse(f, line);
            assertThat(problems).as(line).isEmpty();
            Event e = events.get(0);
            Map<String, Object> x = e.fields();
            assertThat(e.timestamp()).as(line).isEqualTo(t);
            assertThat(x.get("c-ip")).as(line).isEqualTo(ip);
            assertThat(x.get("user.name")).as(line).isEqualTo(user.equals("-") ? null : user);
            assertThat(x.get("cs-method")).as(line).isEqualTo(method);
            assertThat(x.get("url.original")).as(line).isEqualTo(target);
            assertThat(x.get("url.path")).as(line).isEqualTo(path);
            assertThat(x.get("url.query")).as(line).isEqualTo(query);
            assertThat(x.get("sc-status")).as(line).isEqualTo((long) status);
            assertThat(x.get("sc-bytes")).as(line).isEqualTo(Math.max(bytes, 0));
            assertThat(x.get("cs-referer")).as(line).isEqualTo(ref.equals("-") ? null : ref);
            assertThat(x.get("cs-user-agent")).as(line).isEqualTo(ua.equals("-") ? null : ua);
            assertThat(e.original()).isEqualTo(line);
        }
    }

    private static String word(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = 1 + r.nextInt(8); i > 0; i--) {
            b.append((char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }

    /** Text with the characters that make access logs hard: quotes, backslashes, brackets, spaces. */
    private static String nasty(Random r) {
        String chars = "ab\" \\[]'%;,=-";
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            b.append(chars.charAt(r.nextInt(chars.length())));
        }
        return b.toString().replace(" ", "%20");
    }

    /** Apache's escaping of quoted values. */
    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Test
    void badInputIsReportedWithFileAndLineAndTheRestIsRead() throws IOException {
        String good = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1 \"-\" \"x\"\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) {
            b.writeBytes(good.getBytes(StandardCharsets.UTF_8));
        }
        b.writeBytes(new byte[] {0x00, (byte) 0xff, 0x13, (byte) 0x80, 0x01, 0x7f, '\n'}); // binary garbage: line 6
        b.writeBytes(("1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /\u00e9\u00e8 HTTP/1.0\" 200 1 \"-\" \"x\"\n")
                .getBytes(StandardCharsets.ISO_8859_1)); // invalid UTF-8 inside a good line: line 7
        b.writeBytes("x".repeat(10 << 20).getBytes(StandardCharsets.UTF_8)); // a 10 MB line: line 8
        b.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes("1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HT\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(good.getBytes(StandardCharsets.UTF_8));
        b.writeBytes("1.2.3.4 - - [10/Oct/20".getBytes(StandardCharsets.UTF_8)); // truncated last line: 11
        Path log = dir.resolve("bad.log");
        Files.write(log, b.toByteArray());
        EventReaders.read(log, ReadOptions.DEFAULT, events::add, problems::add);
        problems.forEach(p -> System.out.println(AccessLogFormat.abbreviate(p.toString())));
        assertThat(problems).extracting(Problem::location).containsExactly(6L, 8L, 9L, 11L);
        assertThat(problems).allSatisfy(p -> assertThat(p.source()).isEqualTo(log.toString()));
        // every line becomes an event: the bad ones with only "message", so keyword rules still see them
        assertThat(events).hasSize(11);
        assertThat(events.get(5).fields()).containsOnlyKeys("message");
        assertThat(events.get(6).fields())
                .containsEntry("url.path", "/\uFFFD\uFFFD")
                .containsEntry("sc-status", 200L);
        assertThat(events.get(9).fields()).containsEntry("sc-status", 200L);
        assertThat(events.get(7).fields()).containsOnlyKeys("message");
    }
}
