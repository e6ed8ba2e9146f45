package dev.vigil.formats.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.testing.Corpus;
import dev.vigil.formats.EventFormat;
import dev.vigil.formats.EventReaders;
import dev.vigil.formats.ReadOptions;
import dev.vigil.formats.ReadSummary;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.SigmaDetector;
import dev.vigil.sigma.SigmaRuleSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The Apache access logs of three web vulnerability scanners: every line parses and SigmaHQ's web rules fire. */
class ScannerLogsTest {
    private static final List<String> FILES = List.of("acunetix.txt", "netsparker.txt", "w3af.txt");

    private static List<Event> read(Path dir, List<Problem> problems) throws IOException {
        List<Event> events = new ArrayList<>();
        for (String f : FILES) {
            ReadSummary s = EventReaders.read(dir.resolve(f), ReadOptions.DEFAULT, events::add, problems::add);
            assertThat(s.format()).isEqualTo(EventFormat.TEXT);
        }
        return events;
    }

    @Test
    void everyLineParses() throws IOException {
        Path dir = Corpus.require("logs/apache-http-logs-scanners");
        List<Problem> problems = new ArrayList<>();
        List<Event> events = read(dir, problems);
        long lines = 0;
        for (String f : FILES) {
            lines += Files.readAllLines(dir.resolve(f)).stream()
                    .filter(l -> !l.isBlank())
                    .count();
        }
        problems.forEach(p -> System.out.println("parse failure: " + p));
        System.out.println("scanner logs: " + lines + " lines, " + events.size() + " events, " + problems.size()
                + " parse failures");
        assertThat(problems).isEmpty();
        assertThat(events).hasSize((int) lines);
        // wc -l says 17,846: it counts newlines, and each of the three files lacks one after its last line
        assertThat(lines).isEqualTo(17_849);
        for (Event e : events) {
            assertThat(e.logSource().categories()).containsExactly("webserver");
            assertThat(e.timestamp()).isNotNull();
            assertThat(e.fields()).containsKeys("c-ip", "source.ip", "sc-status", "@timestamp");
        }

        // acunetix.txt line 1
        Event first = events.get(0);
        assertThat(first.source().record()).isEqualTo(1);
        assertThat(first.fields())
                .containsEntry("c-ip", "192.168.4.25")
                .containsEntry("cs-method", "POST")
                .containsEntry("http.request.method", "POST")
                .containsEntry("cs-uri-stem", "/administrator/index.php")
                .containsEntry("url.original", "/administrator/index.php")
                .containsEntry("sc-status", 303L)
                .containsEntry("sc-bytes", 382L)
                .containsEntry("cs-referer", "http://192.168.4.161/DVWA")
                .containsEntry("cs-version", "HTTP/1.1")
                .containsEntry("http.version", "1.1")
                .containsEntry("@timestamp", "2016-12-22T13:30:52Z")
                .containsEntry(
                        "cs-user-agent",
                        "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.21 (KHTML, like Gecko)"
                                + " Chrome/41.0.2228.0 Safari/537.21");
        assertThat(first.timestamp()).isEqualTo(Instant.parse("2016-12-22T13:30:52Z"));
        assertThat(first.original())
                .isEqualTo(Files.readAllLines(dir.resolve("acunetix.txt")).get(0));

        // an escaped quote in the request line (acunetix)
        Event escaped = events.stream()
                .filter(e -> String.valueOf(e.original()).contains("searchword=%f0''%f0\\\"\\\""))
                .findFirst()
                .orElseThrow();
        assertThat(escaped.fields())
                .containsEntry("cs-method", "GET")
                .containsEntry("url.path", "/index.php/component/search/")
                .containsEntry("url.query", "ordering=newest&searchphrase=any&searchword=%f0''%f0\"\"")
                .containsEntry("sc-status", 200L);

        // a w3af line that is not wrapped in quotes, and its user agent
        Event w3af = events.stream()
                .filter(e ->
                        e.source().source().endsWith("w3af.txt") && e.source().record() == 3935)
                .findFirst()
                .orElseThrow();
        assertThat(w3af.fields())
                .containsEntry("c-ip", "192.168.1.20")
                .containsEntry("cs-method", "GET")
                .containsEntry("c-uri", "/DVWA/")
                .containsEntry("sc-status", 302L)
                .containsEntry("c-useragent", "w3af.org");
    }

    @Test
    void sigmaWebRulesFire() throws IOException {
        Path dir = Corpus.require("logs/apache-http-logs-scanners");
        Path rules = Corpus.require("sigma/rules/web");
        SigmaRuleSet set = SigmaRuleSet.builder().add(rules).build();
        SigmaDetector detector = new SigmaDetector(set);
        Map<String, Integer> counts = new TreeMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Event e : read(dir, problems)) {
            for (Detection d : detector.process(e)) {
                counts.merge(d.rule().title() + " (" + d.rule().id() + ")", 1, Integer::sum);
            }
        }
        detector.finish();
        counts.forEach((rule, n) -> System.out.println("fired " + n + "x: " + rule));
        assertThat(counts.keySet())
                .anyMatch(r -> r.startsWith("SQL Injection Strings In URI"))
                .anyMatch(r -> r.startsWith("Path Traversal Exploitation Attempts"))
                .anyMatch(r -> r.startsWith("Cross Site Scripting Strings"));
        // The scanners' user agents (browser strings and "w3af.org") are in no SigmaHQ webserver rule: the recon-tool
        // rule lists commix, Nikto, sqlmap, ... The proxy UA rules are category proxy and do not route to webserver
        // events. scannerUserAgentRuleFires shows the webserver UA rule firing through the same reader.
        assertThat(counts.keySet()).noneMatch(r -> r.startsWith("Suspicious User-Agents Related To Recon Tools"));
    }

    @Test
    void scannerUserAgentRuleFires(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path rules = Corpus.require("sigma/rules/web");
        Path log = dir.resolve("access.log");
        Files.writeString(log, """
                10.0.0.9 - - [05/Jan/2024:10:00:00 +0000] "GET /?id=1 HTTP/1.1" 200 12 "-" "sqlmap/1.7.2#stable (https://sqlmap.org)"
                10.0.0.9 - - [05/Jan/2024:10:00:01 +0000] "GET /cgi-bin/ HTTP/1.1" 404 0 "-" "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000003)"
                10.0.0.8 - - [05/Jan/2024:10:00:02 +0000] "GET / HTTP/1.1" 200 512 "-" "Mozilla/5.0"
                """);
        SigmaDetector detector =
                new SigmaDetector(SigmaRuleSet.builder().add(rules).build());
        List<String> fired = new ArrayList<>();
        EventReaders.read(
                log,
                ReadOptions.DEFAULT,
                e -> detector.process(e)
                        .forEach(d ->
                                fired.add(e.source().record() + " " + d.rule().title())),
                p -> {
                    throw new AssertionError(p.toString());
                });
        System.out.println("user-agent rule: " + fired);
        assertThat(fired)
                .contains(
                        "1 Suspicious User-Agents Related To Recon Tools",
                        "2 Suspicious User-Agents Related To Recon Tools")
                .noneMatch(f -> f.startsWith("3 "));
    }
}
