package dev.vigil.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.incidents.EntityGraph.Edge;
import dev.vigil.incidents.EntityGraph.EdgeKind;
import dev.vigil.incidents.EntityGraph.Node;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EntityGraphTest {
    private static final String SYSMON = "Microsoft-Windows-Sysmon/Operational";

    private static Event sysmon(int id, String category, Map<String, Object> fields) {
        Event.Builder b = Event.builder()
                .field("EventID", (long) id)
                .field("Channel", SYSMON)
                .field("Computer", "WS01.corp.example.com")
                .logSource(new LogSource("windows", Set.of(category), Set.of("sysmon")));
        fields.forEach(b::field);
        return b.build();
    }

    /** The scenario's evidence: Word starts PowerShell, which connects out, drops a file, resolves a domain; alice logs on to srv02. */
    static List<EvidenceEvent> scenarioEvents() {
        return List.of(
                new EvidenceEvent(
                        101,
                        sysmon(
                                1,
                                "process_creation",
                                Map.of(
                                        "Image", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                                        "ProcessId", "4242",
                                        "ParentImage",
                                                "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
                                        "ParentProcessId", "1000",
                                        "User", "CORP\\alice"))),
                new EvidenceEvent(
                        102,
                        sysmon(
                                3,
                                "network_connection",
                                Map.of(
                                        "Image", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                                        "ProcessId", "4242",
                                        "SourceIp", "10.0.0.5",
                                        "DestinationIp", "203.0.113.80"))),
                new EvidenceEvent(
                        103,
                        sysmon(
                                11,
                                "file_event",
                                Map.of(
                                        "Image", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                                        "ProcessId", "4242",
                                        "TargetFilename", "C:\\Users\\alice\\AppData\\Local\\Temp\\lsass.dmp"))),
                new EvidenceEvent(
                        104,
                        sysmon(
                                22,
                                "dns_query",
                                Map.of(
                                        "Image", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                                        "ProcessId", "4242",
                                        "QueryName", "update.evil.example"))),
                new EvidenceEvent(
                        105,
                        Event.builder()
                                .field("EventID", 4624L)
                                .field("Channel", "Security")
                                .field("Computer", "SRV02.corp.example.com")
                                .field("TargetUserName", "alice")
                                .field("TargetDomainName", "CORP")
                                .field("IpAddress", "10.0.0.5")
                                .build()),
                new EvidenceEvent(
                        106,
                        Event.builder()
                                .field("EventID", 4688L)
                                .field("Channel", "Security")
                                .field("Computer", "SRV02.corp.example.com")
                                .field("NewProcessName", "C:\\Windows\\PSEXESVC.exe")
                                .field("NewProcessId", "0x1f4")
                                .field("ParentProcessName", "C:\\Windows\\System32\\services.exe")
                                .field("ProcessId", "0x270")
                                .field("SubjectUserName", "alice")
                                .field("SubjectDomainName", "CORP")
                                .build()));
    }

    private static boolean hasEdge(EntityGraph g, String from, String to, EdgeKind kind, long event) {
        return g.edges().stream()
                .anyMatch(e -> e.from().equals(from)
                        && e.to().equals(to)
                        && e.kind() == kind
                        && e.events().contains(event));
    }

    @Test
    void sysmonAndSecurityEventsGiveTheEdgesOfTheAttack() {
        EntityGraph g = EntityGraphBuilder.of(scenarioEvents());
        String ps = "process:ws01:4242:c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe";
        String word = "process:ws01:1000:c:\\program files\\microsoft office\\root\\office16\\winword.exe";
        assertThat(hasEdge(g, word, ps, EdgeKind.SPAWNED, 101)).isTrue();
        assertThat(hasEdge(g, ps, "host:ws01", EdgeKind.RAN_ON, 101)).isTrue();
        assertThat(hasEdge(g, ps, "user:corp\\alice", EdgeKind.RAN_AS, 101)).isTrue();
        assertThat(hasEdge(g, ps, "ip:203.0.113.80", EdgeKind.CONNECTED_TO, 102))
                .isTrue();
        assertThat(hasEdge(g, "ip:10.0.0.5", "ip:203.0.113.80", EdgeKind.CONNECTED_TO, 102))
                .isTrue();
        assertThat(hasEdge(g, ps, "file:c:\\users\\alice\\appdata\\local\\temp\\lsass.dmp", EdgeKind.WROTE, 103))
                .isTrue();
        assertThat(hasEdge(g, ps, "domain:update.evil.example", EdgeKind.RESOLVED, 104))
                .isTrue();
        assertThat(hasEdge(g, "user:corp\\alice", "host:srv02", EdgeKind.LOGGED_ON_TO, 105))
                .isTrue();
        assertThat(hasEdge(g, "ip:10.0.0.5", "host:srv02", EdgeKind.LOGGED_ON_TO, 105))
                .isTrue();
        assertThat(hasEdge(
                        g,
                        "process:srv02:0x270:c:\\windows\\system32\\services.exe",
                        "process:srv02:0x1f4:c:\\windows\\psexesvc.exe",
                        EdgeKind.SPAWNED,
                        106))
                .isTrue();
        // The user ties both hosts together: alice ran PowerShell on ws01 and logged on to srv02.
        assertThat(g.nodes()).extracting(Node::id).contains("host:ws01", "host:srv02", "user:corp\\alice");
        assertThat(g.truncated()).isFalse();
        // Every edge's endpoints are nodes of the graph.
        Set<String> ids = Set.copyOf(g.nodes().stream().map(Node::id).toList());
        for (Edge e : g.edges()) {
            assertThat(ids).contains(e.from(), e.to());
        }
        // The same edge seen again lists both events, once each.
        EntityGraph twice = new EntityGraphBuilder()
                .add(scenarioEvents().get(0))
                .add(new EvidenceEvent(201, scenarioEvents().get(0).event()))
                .add(scenarioEvents().get(0))
                .build();
        assertThat(twice.edges().get(0).events()).containsExactly(101L, 201L);
    }

    @Test
    void ecsAndZeekEventsGiveLogonsConnectionsAndLookups() {
        Event login = Event.builder()
                .original(Map.of(
                        "event", Map.of("category", List.of("authentication"), "outcome", "success"),
                        "host", Map.of("name", "web-1"),
                        "user", Map.of("name", "deploy"),
                        "source", Map.of("ip", "198.51.100.7")))
                .build();
        Event conn = Event.builder()
                .field("id.orig_h", "10.0.0.5")
                .field("id.resp_h", "10.0.0.9")
                .build();
        Event dns = Event.builder()
                .field("id.orig_h", "10.0.0.5")
                .field("id.resp_h", "10.0.0.53")
                .field("query", "c2.evil.example")
                .build();
        EntityGraph g = EntityGraphBuilder.of(
                List.of(new EvidenceEvent(1, login), new EvidenceEvent(2, conn), new EvidenceEvent(3, dns)));
        assertThat(hasEdge(g, "user:deploy", "host:web-1", EdgeKind.LOGGED_ON_TO, 1))
                .isTrue();
        assertThat(hasEdge(g, "ip:198.51.100.7", "host:web-1", EdgeKind.LOGGED_ON_TO, 1))
                .isTrue();
        assertThat(hasEdge(g, "ip:10.0.0.5", "ip:10.0.0.9", EdgeKind.CONNECTED_TO, 2))
                .isTrue();
        assertThat(hasEdge(g, "ip:10.0.0.5", "domain:c2.evil.example", EdgeKind.RESOLVED, 3))
                .isTrue();
    }

    @Test
    void limitsTruncateAndCount() {
        EntityGraphBuilder b = new EntityGraphBuilder(4, 100, 2);
        for (int i = 0; i < 10; i++) {
            b.add(new EvidenceEvent(
                    i,
                    Event.builder()
                            .field("SourceIp", "10.0.0." + (i % 3 + 1))
                            .field("DestinationIp", "10.0.1." + (i % 3 + 1))
                            .build()));
        }
        EntityGraph g = b.build();
        assertThat(g.truncated()).isTrue();
        assertThat(g.nodes()).hasSize(4);
        assertThat(g.edges()).hasSize(2);
        assertThat(g.droppedEdges()).isEqualTo(3);
        assertThat(g.edges().get(0).events()).containsExactly(0L, 3L);
        // The first edge saw 4 events and the second 3, each keeping 2.
        assertThat(g.droppedEventReferences()).isEqualTo(3);
    }

    @Test
    void theGraphExportsAsJson() throws Exception {
        String json = new IncidentJson().graph(EntityGraphBuilder.of(scenarioEvents()));
        com.fasterxml.jackson.databind.JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(tree.get("nodes").isArray()).isTrue();
        assertThat(tree.get("edges").get(0).get("kind").asText()).isEqualTo("SPAWNED");
        assertThat(tree.get("edges").get(0).get("events").get(0).asLong()).isEqualTo(101);
        assertThat(tree.get("truncated").asBoolean()).isFalse();
        assertThat(tree.get("nodes").get(0).has("label")).isTrue();
    }
}
