package dev.vigil.formats.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.TenantId;
import dev.vigil.core.testing.Corpus;
import dev.vigil.formats.EventReaders;
import dev.vigil.formats.ReadOptions;
import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextFormat;
import dev.vigil.formats.text.TextFormats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorLogTest {
    @TempDir
    Path dir;

    private static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Test
    void loghubApacheMatchesItsStructuredCsv() throws IOException {
        Path log = Corpus.require("logs/loghub/Apache/Apache_2k.log");
        Path csv = Corpus.require("logs/loghub/Apache/Apache_2k.log_structured.csv");
        List<Event> events = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        EventReaders.read(log, ReadOptions.DEFAULT, events::add, problems::add);
        // the structured CSV is read by the CSV reader (detected from its header)
        List<Event> expected = new ArrayList<>();
        EventReaders.read(csv, ReadOptions.DEFAULT, expected::add, problems::add);
        problems.forEach(System.out::println);
        assertThat(problems).isEmpty();
        assertThat(events).hasSize(2000);
        assertThat(expected).hasSize(2000);
        int equal = 0;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            Event x = expected.get(i);
            assertThat(e.logSource().services()).containsExactly("apache");
            assertThat(e.logSource().product()).isEqualTo("apache");
            assertThat(CTIME.format(e.timestamp())).as("line %d time", i + 1).isEqualTo(x.field("Time"));
            assertThat(e.field("log.level")).as("line %d level", i + 1).isEqualTo(x.field("Level"));
            // loghub keeps the [client ...] prefix in Content; Vigil puts it in c-ip and the rest in message
            String content = (e.hasField("c-ip") ? "[client " + e.field("c-ip") + "] " : "") + e.field("message");
            assertThat(content).as("line %d content", i + 1).isEqualTo(x.field("Content"));
            equal++;
        }
        System.out.println(
                "loghub Apache_2k: " + equal + " of " + events.size() + " lines equal to the structured CSV");
    }

    @Test
    void apache24AndNginxErrorLines() throws IOException {
        Path a = dir.resolve("error.log");
        Files.writeString(
                a,
                "[Wed Oct 11 14:32:52.123456 2017] [core:error] [pid 1234:tid 5678] [client 10.1.2.3:5678] AH00124:"
                        + " Request exceeded the limit of 10 internal redirects\n"
                        + "[Wed Oct 11 14:32:53 2017] [mpm_event:notice] [pid 99:tid 1] AH00489: resuming normal"
                        + " operations\n"
                        + "[Thu Oct 12 01:00:00.5 2017] [proxy:warn] [pid 7] [client 2001:db8::1] AH01144: No protocol"
                        + " handler\n");
        List<Event> events = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        EventReaders.read(a, ReadOptions.DEFAULT, events::add, problems::add);
        assertThat(problems).isEmpty();
        assertThat(events).hasSize(3);
        assertThat(events.get(0).timestamp()).isEqualTo(Instant.parse("2017-10-11T14:32:52.123456Z"));
        assertThat(events.get(0).fields())
                .containsEntry("apache.error.module", "core")
                .containsEntry("log.level", "error")
                .containsEntry("process.pid", 1234L)
                .containsEntry("process.thread.id", 5678L)
                .containsEntry("c-ip", "10.1.2.3")
                .containsEntry("source.port", 5678L)
                .containsEntry("error.code", "AH00124")
                .containsEntry("message", "AH00124: Request exceeded the limit of 10 internal redirects");
        assertThat(events.get(1).fields()).doesNotContainKey("c-ip").containsEntry("log.level", "notice");
        assertThat(events.get(2).fields()).containsEntry("c-ip", "2001:db8::1").doesNotContainKey("source.port");

        Path n = dir.resolve("nginx-error.log");
        Files.writeString(
                n,
                "2024/01/05 10:00:00 [error] 1234#0: *5 open() \"/usr/share/nginx/html/x.php\" failed (2: No such file"
                        + " or directory), client: 203.0.113.7, server: example.org, request: \"GET /x.php?a=1"
                        + " HTTP/1.1\", host: \"example.org\", referrer: \"http://r.example/\"\n"
                        + "2024/01/05 10:00:01 [notice] 1#1: signal process started\n"
                        + "2024/01/05 10:00:02 [crit] 1234#0: *6 SSL_do_handshake() failed, client: 2001:db8::2,"
                        + " server: 0.0.0.0:443\n");
        events.clear();
        EventReaders.read(n, ReadOptions.DEFAULT, events::add, problems::add);
        assertThat(problems).isEmpty();
        assertThat(events).hasSize(3);
        Event e = events.get(0);
        assertThat(e.logSource().product()).isEqualTo("nginx");
        assertThat(e.logSource().services()).containsExactly("nginx");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-01-05T10:00:00Z"));
        assertThat(e.fields())
                .containsEntry("log.level", "error")
                .containsEntry("process.pid", 1234L)
                .containsEntry("nginx.error.connection_id", 5L)
                .containsEntry(
                        "message", "open() \"/usr/share/nginx/html/x.php\" failed (2: No such file or directory)")
                .containsEntry("c-ip", "203.0.113.7")
                .containsEntry("cs-method", "GET")
                .containsEntry("url.path", "/x.php")
                .containsEntry("url.query", "a=1")
                .containsEntry("cs-host", "example.org")
                .containsEntry("cs-referer", "http://r.example/");
        assertThat(events.get(1).fields()).containsEntry("message", "signal process started");
        assertThat(events.get(2).fields()).containsEntry("c-ip", "2001:db8::2").containsEntry("log.level", "crit");
    }

    @Test
    void defaultZoneApplies() {
        TextFormat f = TextFormats.byName("apache-error").orElseThrow();
        List<Event> out = new ArrayList<>();
        f.newParser(new TextContext("x", TenantId.DEFAULT, ZoneId.of("Europe/Berlin"), 0))
                .line("[Sun Dec 04 04:47:44 2005] [notice] hello", 1, out::add, p -> {
                    throw new AssertionError(p.toString());
                });
        assertThat(out.get(0).timestamp()).isEqualTo(Instant.parse("2005-12-04T03:47:44Z"));
        assertThat(out.get(0).field("@timestamp")).isEqualTo("2005-12-04T03:47:44Z");
    }
}
