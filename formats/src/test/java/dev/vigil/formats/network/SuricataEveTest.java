package dev.vigil.formats.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.Event;
import dev.vigil.core.ProblemCollector;
import dev.vigil.core.TenantId;
import dev.vigil.core.testing.Corpus;
import dev.vigil.formats.EventReaders;
import dev.vigil.formats.JsonEventNormalizer;
import dev.vigil.formats.ReadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuricataEveTest {
    @TempDir
    Path tmp;

    @Test
    void everySampleIsRead() throws IOException {
        Path root = Corpus.require("network/suricata-eve-samples");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(4);
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Integer> perType = new TreeMap<>();
        for (Path file : files) {
            JsonNode tree = mapper.readTree(file.toFile());
            List<JsonNode> expected = new ArrayList<>();
            if (tree.isArray()) {
                tree.forEach(expected::add);
            } else {
                expected.add(tree);
            }
            List<Event> events = new ArrayList<>();
            ProblemCollector problems = new ProblemCollector(10);
            EventReaders.read(file, ReadOptions.DEFAULT, events::add, problems);
            assertThat(problems.problems()).as(file.toString()).isEmpty();
            assertThat(events).as(file.toString()).hasSize(expected.size());
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i);
                JsonNode n = expected.get(i);
                String type = n.get("event_type").asText();
                perType.merge(type, 1, Integer::sum);
                assertThat(e.logSource().product()).isEqualTo("suricata");
                assertThat(e.logSource().categories()).containsExactly(type);
                assertThat(e.timestamp()).as(file + " " + i).isNotNull();
                assertThat(e.fields())
                        .containsEntry("source.ip", n.get("src_ip").asText())
                        .containsEntry("destination.ip", n.get("dest_ip").asText());
                if (n.has("src_port")) {
                    assertThat(e.fields())
                            .containsEntry("source.port", n.get("src_port").asLong());
                }
                if ("alert".equals(type)) {
                    JsonNode alert = n.get("alert");
                    assertThat(e.fields())
                            .containsEntry("event.kind", "alert")
                            .containsEntry("rule.name", alert.get("signature").asText())
                            .containsEntry("rule.id", alert.get("signature_id").asLong())
                            .containsEntry(
                                    "event.severity", alert.get("severity").asLong())
                            .containsEntry(
                                    "network.transport", n.get("proto").asText().toLowerCase());
                }
            }
        }
        assertThat(perType).containsOnlyKeys("alert");
        assertThat(perType.get("alert")).isGreaterThan(500);
    }

    @Test
    void timestampWithoutColonInOffsetAndProtocolSections() {
        Map<String, Object> dns = new LinkedHashMap<>();
        dns.put("timestamp", "2018-03-24T15:12:17.012345+0000");
        dns.put("flow_id", 1L);
        dns.put("event_type", "dns");
        dns.put("src_ip", "10.0.0.1");
        dns.put("src_port", 5353);
        dns.put("dest_ip", "10.0.0.2");
        dns.put("dest_port", 53);
        dns.put("proto", "UDP");
        dns.put("dns", Map.of("type", "query", "rrname", "evil.example", "rrtype", "A"));
        Event e = JsonEventNormalizer.normalize(dns, "eve.json", 1, TenantId.DEFAULT);
        assertThat(e.timestamp()).hasToString("2018-03-24T15:12:17.012345Z");
        assertThat(e.fields())
                .containsEntry("dns.question.name", "evil.example")
                .containsEntry("network.transport", "udp")
                .containsEntry("destination.port", 53L)
                .containsEntry("event.kind", "event");
        assertThat(e.logSource().categories()).containsExactly("dns");

        Map<String, Object> http = new LinkedHashMap<>();
        http.put("timestamp", "2017-03-25T16:49:58.856335-0600");
        http.put("event_type", "http");
        http.put("src_ip", "10.0.0.1");
        http.put("dest_ip", "10.0.0.2");
        http.put(
                "http",
                Map.of(
                        "hostname",
                        "h.example",
                        "url",
                        "/a?b=1",
                        "http_method",
                        "POST",
                        "status",
                        200,
                        "http_user_agent",
                        "curl/8"));
        Event h = JsonEventNormalizer.normalize(http, "eve.json", 2, TenantId.DEFAULT);
        assertThat(h.timestamp()).hasToString("2017-03-25T22:49:58.856335Z");
        assertThat(h.fields())
                .containsEntry("url.domain", "h.example")
                .containsEntry("url.original", "/a?b=1")
                .containsEntry("url.query", "b=1")
                .containsEntry("http.request.method", "POST")
                .containsEntry("http.response.status_code", 200L)
                .containsEntry("user_agent.original", "curl/8");

        Map<String, Object> tls = new LinkedHashMap<>();
        tls.put("timestamp", "2019-01-02T03:50:11.315110");
        tls.put("event_type", "tls");
        tls.put("flow_id", 3L);
        tls.put("tls", Map.of("sni", "example.org", "version", "TLS 1.2"));
        Event t = JsonEventNormalizer.normalize(tls, "eve.json", 3, TenantId.DEFAULT);
        assertThat(t.timestamp()).hasToString("2019-01-02T03:50:11.315110Z");
        assertThat(t.fields()).containsEntry("tls.server.sni", "example.org").containsEntry("tls.version", "TLS 1.2");
    }

    @Test
    void truncatedEveFileReportsAndKeepsTheRest() throws IOException {
        Path f = tmp.resolve("eve.json");
        Files.writeString(
                f,
                "{\"timestamp\":\"2018-03-24T15:12:17.012345+0000\",\"flow_id\":1,\"event_type\":\"flow\",\"src_ip\":\"1.2.3.4\","
                        + "\"dest_ip\":\"5.6.7.8\",\"proto\":\"TCP\",\"flow\":{\"bytes_toserver\":10,\"bytes_toclient\":20}}\n"
                        + "{\"timestamp\":\"2018-03-24T15:12:18+0000\",\"flow_id\":2,\"event_ty\n"
                        + "{\"timestamp\":\"2018-03-24T15:12:19+0000\",\"flow_id\":3,\"event_type\":\"anomaly\",\"src_ip\":\"1.2.3.4\"}\n");
        List<Event> events = new ArrayList<>();
        ProblemCollector problems = new ProblemCollector(10);
        EventReaders.read(f, ReadOptions.DEFAULT, events::add, problems);
        assertThat(events).hasSize(2);
        assertThat(problems.problems()).hasSize(1);
        assertThat(problems.problems().get(0).location()).isEqualTo(2);
        assertThat(events.get(0).fields()).containsEntry("network.bytes", 30L);
    }
}
