package dev.vigil.formats.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.ProblemCollector;
import dev.vigil.core.TenantId;
import dev.vigil.core.testing.Corpus;
import dev.vigil.formats.EventFormat;
import dev.vigil.formats.EventReaders;
import dev.vigil.formats.JsonEventNormalizer;
import dev.vigil.formats.ReadOptions;
import dev.vigil.formats.ReadSummary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZeekReaderTest {
    @TempDir
    Path tmp;

    @Test
    void everyLogOfTheWrccdcSample() throws IOException {
        Path root = Corpus.require("network/zeek-wrccdc-sample");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".log.gz")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(30);
        Map<String, Integer> counts = new LinkedHashMap<>();
        long total = 0;
        for (Path file : files) {
            String log = file.getFileName().toString().replace(".log.gz", "");
            long expected;
            String pathHeader;
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
                List<String> lines = r.lines().toList();
                expected = lines.stream()
                        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                        .count();
                pathHeader = lines.stream()
                        .filter(l -> l.startsWith("#path\t"))
                        .findFirst()
                        .orElseThrow()
                        .substring(6);
            }
            List<Event> events = new ArrayList<>();
            ProblemCollector problems = new ProblemCollector(10);
            ReadSummary s = EventReaders.read(file, ReadOptions.DEFAULT, events::add, problems);
            assertThat(s.format()).as(file.toString()).isEqualTo(EventFormat.TEXT);
            assertThat(problems.problems()).as(file.toString()).isEmpty();
            assertThat(events).as(file.toString()).hasSize((int) expected);
            for (Event e : events) {
                assertThat(e.logSource().product()).isEqualTo("zeek");
                assertThat(e.logSource().services()).containsExactly(pathHeader);
                if (e.fields().containsKey("ts")) {
                    assertThat(e.timestamp()).isNotNull();
                }
            }
            assertThat(pathHeader).isEqualTo(log);
            counts.put(log, events.size());
            total += events.size();
        }
        assertThat(counts)
                .containsEntry("dns", 53615)
                .containsEntry("ssl", 49474)
                .containsEntry("rdp", 4122)
                .containsEntry("smb_files", 13)
                .containsEntry("kerberos", 11)
                .containsEntry("x509", 348);
        assertThat(total).isGreaterThan(150_000);
    }

    @Test
    void dnsFieldsTypedAsHeadersSay() throws IOException {
        Path file = Corpus.require("network/zeek-wrccdc-sample").resolve("zeek-default/dns.log.gz");
        List<Event> events = new ArrayList<>();
        EventReaders.read(file, ReadOptions.DEFAULT, events::add, p -> {});
        Event first = events.get(0);
        assertThat(first.timestamp()).hasToString("2018-03-24T17:15:20.865716Z");
        assertThat(first.fields())
                .containsEntry("ts", "2018-03-24T17:15:20.865716Z")
                .containsEntry("uid", "CqKst53mF3det3eDV9")
                .containsEntry("id.orig_h", "10.47.1.100")
                .containsEntry("id.orig_p", 41772L)
                .containsEntry("id.resp_p", 53L)
                .containsEntry("rtt", 0.00087)
                .containsEntry("query", "ise.wrccdc.org")
                .containsEntry("AA", false)
                .containsEntry("RD", true)
                .containsEntry("answers", List.of("ise.wrccdc.cpp.edu", "134.71.3.16"))
                .containsEntry("TTLs", List.of(2230.0, 41830.0))
                .containsEntry("source.ip", "10.47.1.100")
                .containsEntry("source.port", 41772L)
                .containsEntry("destination.ip", "10.0.0.100")
                .containsEntry("network.transport", "udp")
                .containsEntry("dns.question.name", "ise.wrccdc.org")
                .containsEntry("@timestamp", "2018-03-24T17:15:20.865716Z");
        Event last = events.get(events.size() - 1);
        assertThat(last.fields()).doesNotContainKeys("rtt", "rcode", "answers");
        assertThat(first.logSource().categories()).containsExactly("dns");
    }

    @Test
    void headersEmptyUnsetAndBadLines() throws IOException {
        String text = String.join(
                "\n",
                "#separator \\x7c",
                "#set_separator|;",
                "#empty_field|EMPTY",
                "#unset_field|NONE",
                "#path|http",
                "#fields|ts|uid|id.orig_h|id.orig_p|method|host|uri|user_agent|tags|status_code",
                "#types|time|string|addr|port|string|string|string|string|set[string]|count",
                "1521911720.5|C1|10.0.0.1|5000|PUT|h.example|/dav/a.exe?x=1|Mozilla\\x7cX|EMPTY|201",
                "1521911721.5|C2|10.0.0.1|5000|GET",
                "\u0000\u0001\uFFFD\uFFFD|garbage",
                "1521911722.5|C3|10.0.0.2|NONE|GET|NONE|/|NONE|a;b|NONE");
        Path f = tmp.resolve("http.log");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        List<Event> events = new ArrayList<>();
        ProblemCollector problems = new ProblemCollector(10);
        EventReaders.read(f, ReadOptions.DEFAULT, events::add, problems);
        assertThat(events).hasSize(2);
        assertThat(problems.problems()).hasSize(2);
        assertThat(problems.problems().get(0).location()).isEqualTo(9);
        assertThat(problems.problems().get(1).location()).isEqualTo(10);
        Event e = events.get(0);
        assertThat(e.fields())
                .containsEntry("user_agent", "Mozilla|X")
                .containsEntry("tags", List.of())
                .containsEntry("status_code", 201L)
                .containsEntry("http.request.method", "PUT")
                .containsEntry("url.original", "/dav/a.exe?x=1")
                .containsEntry("url.path", "/dav/a.exe")
                .containsEntry("http.response.status_code", 201L)
                .containsEntry("user_agent.original", "Mozilla|X");
        assertThat(e.logSource().services()).containsExactly("http");
        assertThat(events.get(1).fields()).doesNotContainKeys("id.orig_p", "host", "status_code");
        assertThat(events.get(1).fields()).containsEntry("tags", List.of("a", "b"));
    }

    @Test
    void zeekJsonInfersLogType() {
        Map<String, Object> dns = new LinkedHashMap<>();
        dns.put("ts", 1521911720.865716);
        dns.put("uid", "C1");
        dns.put("id.orig_h", "10.0.0.1");
        dns.put("id.orig_p", 5353);
        dns.put("query", "evil.example");
        dns.put("qtype_name", "A");
        Event e = JsonEventNormalizer.normalize(dns, "z.json", 1, TenantId.DEFAULT);
        assertThat(e.logSource().product()).isEqualTo("zeek");
        assertThat(e.logSource().services()).containsExactly("dns");
        assertThat(e.fields())
                .containsEntry("dns.question.name", "evil.example")
                .containsEntry("source.port", 5353L);
        assertThat(e.timestamp()).hasToString("2018-03-24T17:15:20.865716Z");

        Map<String, Object> ssl = new LinkedHashMap<>();
        ssl.put("ts", "2018-03-24T17:15:20.865716Z");
        ssl.put("uid", "C2");
        ssl.put("id", Map.of("orig_h", "10.0.0.1", "resp_h", "10.0.0.2"));
        ssl.put("server_name", "example.org");
        ssl.put("version", "TLSv12");
        ssl.put("cipher", "TLS_AES");
        Event t = JsonEventNormalizer.normalize(ssl, "z.json", 2, TenantId.DEFAULT);
        assertThat(t.logSource().services()).containsExactly("ssl");
        assertThat(t.fields())
                .containsEntry("id.resp_h", "10.0.0.2")
                .containsEntry("tls.server.sni", "example.org")
                .containsEntry("tls.version", "TLSv12");

        Map<String, Object> http = new LinkedHashMap<>();
        http.put("_path", "http");
        http.put("ts", 1.5e9);
        http.put("uid", "C3");
        http.put("method", "GET");
        http.put("host", "h");
        http.put("uri", "/x");
        assertThat(JsonEventNormalizer.normalize(http, "z.json", 3, TenantId.DEFAULT)
                        .logSource()
                        .services())
                .containsExactly("http");
    }
}
