package dev.vigil.server;

import static dev.vigil.server.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.meta.Role;
import dev.vigil.meta.Tenant;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's end-to-end case: an attack written for this project (a macro document starts PowerShell, which talks to
 * its command-and-control server and dumps LSASS; the user's credentials then open a PsExec session on a database
 * server) goes in through the ingest API as plain Sysmon, Security and System events. Out come one incident, its steps
 * in time order with their ATT&amp;CK tactics, and an entity graph in which both hosts and the user are connected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncidentScenarioTest {
    private VigilServer server;
    private HttpTestClient client;
    private String read;
    private String admin;
    private String otherRead;

    private com.sun.net.httpserver.HttpServer receiver;
    private final java.util.concurrent.BlockingQueue<Delivery> deliveries =
            new java.util.concurrent.LinkedBlockingQueue<>();

    /** What the SOAR webhook received: the body and the signature headers. */
    record Delivery(String body, String timestamp, String signature) {}

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hooks/vigil", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            deliveries.add(new Delivery(
                    new String(body, StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("X-Vigil-Timestamp"),
                    exchange.getRequestHeaders().getFirst("X-Vigil-Signature")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        var notifications = dev.vigil.notify.NotificationsConfig.parse(
                Map.of(
                        "channels",
                        List.of(Map.of(
                                "name",
                                "soar",
                                "type",
                                "webhook",
                                "url",
                                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/vigil",
                                "secret",
                                WEBHOOK_SECRET)),
                        "routes",
                        List.of(Map.of(
                                "name", "incidents", "kinds", List.of("incident"), "channels", List.of("soar")))),
                "test: notifications",
                dir);
        server = VigilServer.start(ServerConfig.defaults()
                .withData(dir.resolve("data"))
                .withPort(0)
                .withNotifications(notifications));
        client = new HttpTestClient(server.port());
        Tenant acme = server.metadata().createTenant("acme");
        Tenant other = server.metadata().createTenant("globex");
        String ingest =
                server.metadata().createToken(acme.id(), Role.INGEST, "t").token();
        read = server.metadata().createToken(acme.id(), Role.READ, "t").token();
        admin = server.metadata().createToken(acme.id(), Role.ADMIN, "t").token();
        otherRead = server.metadata().createToken(other.id(), Role.READ, "t").token();
        byte[] scenario;
        try (InputStream in = IncidentScenarioTest.class.getResourceAsStream("incident-scenario.ndjson")) {
            scenario = in.readAllBytes();
        }
        var r = client.post("/api/v1/ingest", bearer(ingest), "application/x-ndjson", scenario);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("accepted").asInt()).isEqualTo(10);
        assertThat(server.awaitIdle(Duration.ofSeconds(30))).isTrue();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private static final String WEBHOOK_SECRET = "webhook-shared-secret";

    @Test
    void theOpenedIncidentIsSentToTheWebhookSigned() throws Exception {
        String id = theIncident().get("id").asText();
        Delivery d = deliveries.poll(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(d).as("a webhook delivery within 30 s").isNotNull();
        JsonNode body = HttpTestClient.JSON.readTree(d.body());
        assertThat(body.get("kind").asText()).isEqualTo("incident");
        assertThat(body.get("tenant").asText()).isEqualTo("acme");
        assertThat(body.get("id").asText()).isEqualTo(id);
        assertThat(body.get("link").asText()).endsWith("/t/acme/incidents/" + id);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((d.timestamp() + "." + d.body()).getBytes(StandardCharsets.UTF_8));
        assertThat(d.signature()).isEqualTo("sha256=" + java.util.HexFormat.of().formatHex(expected));
    }

    private JsonNode theIncident() {
        JsonNode list = client.get("/api/v1/incidents", bearer(read)).json();
        assertThat(list.get("total").asInt()).as(list.toString()).isEqualTo(1);
        String id = list.get("incidents").get(0).get("id").asText();
        var r = client.get("/api/v1/incidents/" + id, bearer(read));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    @Test
    void oneIncidentWithTheStepsInOrderAlongTheTactics() {
        JsonNode incident = theIncident();
        assertThat(incident.get("severity").asText()).isEqualTo("critical");
        List<String> titles = new ArrayList<>();
        List<String> times = new ArrayList<>();
        for (JsonNode step : incident.get("timeline")) {
            titles.add(step.get("title").asText());
            times.add(step.get("time").asText());
        }
        assertThat(times).isSorted();
        assertThat(titles)
                .containsSubsequence(
                        "Office application starts a command shell or script host",
                        "PowerShell connects to a public address on an unusual port",
                        "LSASS dumped with comsvcs.dll MiniDump",
                        "PsExec service installed",
                        "Whoami lists all privileges or groups");
        List<String> tactics = new ArrayList<>();
        incident.get("attack_chain").get("tactics").forEach(t -> tactics.add(t.asText()));
        assertThat(tactics)
                .containsSubsequence(
                        "initial-access",
                        "execution",
                        "credential-access",
                        "discovery",
                        "lateral-movement",
                        "command-and-control");
        assertThat(incident.get("attack_chain").get("furthest").asText()).isEqualTo("command-and-control");
        JsonNode lsass = stepTitled(incident, "LSASS dumped with comsvcs.dll MiniDump");
        assertThat(lsass.get("tactics").get(0).asText()).isEqualTo("credential-access");
        assertThat(lsass.get("techniques").get(0).asText()).isEqualTo("T1003.001");
        assertThat(stepTitled(incident, "PsExec service installed")
                        .get("tactics")
                        .toString())
                .contains("lateral-movement");
    }

    @Test
    void theGraphLinksBothHostsAndTheUser() {
        JsonNode graph = theIncident().get("graph");
        Map<String, String> idOf = new HashMap<>();
        for (JsonNode n : graph.get("nodes")) {
            idOf.put(
                    n.get("type").asText() + ":" + n.get("value").asText(),
                    n.get("id").asText());
        }
        String workstation = idOf.get("host:ws-acc-07");
        String server = idOf.get("host:srv-db-02");
        String user = idOf.get("user:contoso\\mchen");
        assertThat(workstation).as(idOf.keySet().toString()).isNotNull();
        assertThat(server).as(idOf.keySet().toString()).isNotNull();
        assertThat(user).as(idOf.keySet().toString()).isNotNull();
        Map<String, Set<String>> adjacent = new HashMap<>();
        Set<String> kinds = new HashSet<>();
        for (JsonNode e : graph.get("edges")) {
            adjacent.computeIfAbsent(e.get("from").asText(), k -> new HashSet<>())
                    .add(e.get("to").asText());
            adjacent.computeIfAbsent(e.get("to").asText(), k -> new HashSet<>())
                    .add(e.get("from").asText());
            kinds.add(e.get("kind").asText());
            assertThat(e.get("events").size()).as("every edge names its events").isPositive();
        }
        assertThat(kinds).contains("spawned", "ran_on", "connected_to", "resolved");
        Set<String> reached = reachable(adjacent, workstation);
        assertThat(reached).as(graph.toString()).contains(server, user);
        assertThat(idOf).containsKey("domain:cdn-update.example-c2.net").containsKey("ip:185.220.101.7");
    }

    @Test
    void theCaseIsWorkedThroughTheApiWithAnAuditTrail() {
        String id = theIncident().get("id").asText();
        var denied = client.post("/api/v1/incidents/" + id + "/case", bearer(read), "application/json", "{}");
        assertThat(denied.status()).as("a read token cannot change a case").isEqualTo(403);
        var r = client.post(
                "/api/v1/incidents/" + id + "/case",
                bearer(admin),
                "application/json",
                "{\"status\":\"in_progress\",\"assignee\":\"li.wei\",\"add_tags\":[\"ransomware-precursor\"],"
                        + "\"comment\":\"Isolating WS-ACC-07\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode kase = r.json().get("case");
        assertThat(kase.get("status").asText()).isEqualTo("in_progress");
        assertThat(kase.get("assignee").asText()).isEqualTo("li.wei");
        assertThat(kase.get("comments").get(0).get("text").asText()).isEqualTo("Isolating WS-ACC-07");
        assertThat(kase.get("audit").size()).isGreaterThanOrEqualTo(3);
        var invalid = client.post(
                "/api/v1/incidents/" + id + "/case", bearer(admin), "application/json", "{\"status\":\"new\"}");
        assertThat(invalid.status()).as("in progress cannot go back to new").isEqualTo(400);
        JsonNode filtered = client.get("/api/v1/incidents?status=in_progress&assignee=li.wei", bearer(read))
                .json();
        assertThat(filtered.get("total").asInt()).isEqualTo(1);
    }

    @Test
    void anotherTenantSeesNothing() {
        String id = theIncident().get("id").asText();
        assertThat(client.get("/api/v1/incidents", bearer(otherRead))
                        .json()
                        .get("total")
                        .asInt())
                .isZero();
        assertThat(client.get("/api/v1/incidents/" + id, bearer(otherRead)).status())
                .isEqualTo(404);
        assertThat(client.get("/api/v1/incidents/" + id + "/graph", bearer(otherRead))
                        .status())
                .isEqualTo(404);
    }

    private static JsonNode stepTitled(JsonNode incident, String title) {
        for (JsonNode step : incident.get("timeline")) {
            if (step.get("title").asText().equals(title)) {
                return step;
            }
        }
        throw new AssertionError("no step titled " + title + " in " + incident.get("timeline"));
    }

    private static Set<String> reachable(Map<String, Set<String>> adjacent, String from) {
        Set<String> seen = new HashSet<>(List.of(from));
        ArrayDeque<String> queue = new ArrayDeque<>(List.of(from));
        while (!queue.isEmpty()) {
            for (String next : adjacent.getOrDefault(queue.poll(), Set.of())) {
                if (seen.add(next)) {
                    queue.add(next);
                }
            }
        }
        return seen;
    }

    @SuppressWarnings("unused")
    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
