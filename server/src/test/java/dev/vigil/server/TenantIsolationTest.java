package dev.vigil.server;

import static dev.vigil.server.HttpTestClient.bearer;
import static dev.vigil.server.HttpTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.meta.MetadataStore;
import dev.vigil.meta.Role;
import dev.vigil.meta.Tenant;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant isolation at every door: a token of tenant A neither reads nor writes tenant B, A's events never meet B's
 * filters or rule settings, correlation windows are per tenant, and tenant and token administration stays inside a
 * tenant unless the token is a global administrator's.
 */
class TenantIsolationTest {
    @TempDir
    Path dir;

    private VigilServer server;
    private HttpTestClient client;
    private Tenant a;
    private Tenant b;

    @BeforeEach
    void start() throws Exception {
        server = VigilServer.start(ServerConfig.defaults().withData(dir).withPort(0));
        client = new HttpTestClient(server.port());
        a = server.metadata().createTenant("tenant-a");
        b = server.metadata().createTenant("tenant-b");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String token(Tenant t, Role role) {
        return server.metadata().createToken(t.id(), role, "isolation test").token();
    }

    private long total(String readToken, String query) throws InterruptedException {
        assertThat(server.awaitIdle(Duration.ofSeconds(30))).isTrue();
        var r = client.get("/api/v1/events?from=now-30d&q=" + q(query), bearer(readToken));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("total").asLong();
    }

    @Test
    void aTokenReadsAndWritesOnlyItsOwnTenant() throws Exception {
        String ingestA = token(a, Role.INGEST);
        String ingestB = token(b, Role.INGEST);
        String readA = token(a, Role.READ);
        String readB = token(b, Role.READ);
        // A payload naming another tenant still lands in the token's tenant.
        client.post(
                "/api/v1/ingest",
                bearer(ingestA),
                "application/x-ndjson",
                "{\"secret\":\"of-a\",\"tenant\":\"tenant-b\"}\n");
        client.post("/api/v1/ingest", bearer(ingestB), "application/x-ndjson", "{\"secret\":\"of-b\"}\n");
        client.post(
                "/services/collector/event",
                "Splunk " + ingestA,
                "application/json",
                "{\"event\":{\"secret\":\"of-a\"},\"index\":\"tenant-b\"}");
        for (String query : new String[] {"secret:of-b", "of-b", "secret:*", "*", "secret:of*", "_exists_:secret"}) {
            assertThat(total(readA, query)).as(query).isEqualTo(query.contains("of-b") ? 0 : 2);
        }
        assertThat(total(readB, "secret:of-a")).isZero();
        assertThat(total(readB, "*")).isEqualTo(1);
        var terms = client.get("/api/v1/aggregations/terms?field=secret&from=now-1d", bearer(readA))
                .json();
        assertThat(terms.toString()).doesNotContain("of-b");
    }

    @Test
    void alertsFiltersAndRuleSettingsStayWithTheirTenant() throws Exception {
        String event =
                ServerIntegrationTest.ENCODED_POWERSHELL.formatted(Instant.now().toString()) + "\n";
        String adminA = token(a, Role.ADMIN);
        // A filters the rule out for user eve; B has no filter and must still see the alert.
        String filter = """
                title: eve runs encoded PowerShell for the backup job
                logsource:
                    product: windows
                    category: process_creation
                filter:
                    rules:
                        - %s
                    selection:
                        User|endswith: '\\eve'
                    condition: not selection
                """.formatted(ruleId("PowerShell started with an encoded command", adminA));
        var put = client.put("/api/v1/filters/eve-backup", bearer(adminA), "application/yaml", filter);
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        Thread.sleep(1200); // settings are re-read at most once a second
        client.post("/api/v1/ingest", bearer(token(a, Role.INGEST)), "application/x-ndjson", event);
        client.post("/api/v1/ingest", bearer(token(b, Role.INGEST)), "application/x-ndjson", event);
        assertThat(server.awaitIdle(Duration.ofSeconds(30))).isTrue();
        JsonNode alertsA =
                client.get("/api/v1/alerts", bearer(token(a, Role.READ))).json();
        JsonNode alertsB =
                client.get("/api/v1/alerts", bearer(token(b, Role.READ))).json();
        assertThat(titles(alertsA)).doesNotContain("PowerShell started with an encoded command");
        assertThat(titles(alertsB)).contains("PowerShell started with an encoded command");
        // B cannot fetch A's alert by id, nor A B's.
        String idB = alertsB.get("alerts").get(0).get("id").asText();
        assertThat(client.get("/api/v1/alerts/" + idB, bearer(token(a, Role.READ)))
                        .status())
                .isEqualTo(404);
        // A's filters are invisible to B.
        assertThat(client.get("/api/v1/filters", bearer(token(b, Role.READ)))
                        .json()
                        .get("filters")
                        .size())
                .isZero();
    }

    @Test
    void correlationWindowsAreKeptPerTenant() throws Exception {
        // The built-in brute-force correlation needs several failed logons for one account from one address; split
        // the attempts between two tenants and neither may alert.
        Instant t0 = Instant.now().minusSeconds(120);
        StringBuilder forA = new StringBuilder();
        StringBuilder forB = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            String e = "{\"Channel\":\"Security\",\"EventID\":4625,\"TargetUserName\":\"Administrator\","
                    + "\"TargetDomainName\":\"CORP\",\"LogonType\":3,\"IpAddress\":\"45.141.84.120\","
                    + "\"Computer\":\"dc1\",\"@timestamp\":\"" + t0.plusSeconds(10L * i) + "\"}\n";
            (i % 2 == 0 ? forA : forB).append(e);
        }
        client.post("/api/v1/ingest", bearer(token(a, Role.INGEST)), "application/x-ndjson", forA.toString());
        client.post("/api/v1/ingest", bearer(token(b, Role.INGEST)), "application/x-ndjson", forB.toString());
        assertThat(server.awaitIdle(Duration.ofSeconds(30))).isTrue();
        for (Tenant t : new Tenant[] {a, b}) {
            JsonNode alerts =
                    client.get("/api/v1/alerts", bearer(token(t, Role.READ))).json();
            assertThat(titles(alerts)).noneMatch(title -> title.toLowerCase().contains("failed logon"));
        }
        // Six attempts in one tenant do alert, so the test above can fail.
        StringBuilder six = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            six.append("{\"Channel\":\"Security\",\"EventID\":4625,\"TargetUserName\":\"Administrator\","
                    + "\"TargetDomainName\":\"CORP\",\"LogonType\":3,\"IpAddress\":\"45.141.84.120\","
                    + "\"Computer\":\"dc1\",\"@timestamp\":\"" + t0.plusSeconds(60 + 5L * i) + "\"}\n");
        }
        client.post("/api/v1/ingest", bearer(token(b, Role.INGEST)), "application/x-ndjson", six.toString());
        assertThat(server.awaitIdle(Duration.ofSeconds(30))).isTrue();
        JsonNode alerts =
                client.get("/api/v1/alerts", bearer(token(b, Role.READ))).json();
        assertThat(titles(alerts)).anyMatch(title -> title.toLowerCase().contains("failed logon"));
    }

    @Test
    void administrationStaysInsideTheTenant() {
        String adminA = token(a, Role.ADMIN);
        String global = server.metadata()
                .createToken(MetadataStore.SYSTEM_TENANT, Role.ADMIN, "root")
                .token();
        assertThat(client.get("/api/v1/tenants", bearer(adminA)).status()).isEqualTo(403);
        assertThat(client.post("/api/v1/tenants", bearer(adminA), "application/json", "{\"name\":\"x\"}")
                        .status())
                .isEqualTo(403);
        assertThat(client.get("/api/v1/tokens?tenant=tenant-b", bearer(adminA)).status())
                .isEqualTo(404);
        assertThat(client.post(
                                "/api/v1/tokens",
                                bearer(adminA),
                                "application/json",
                                "{\"role\":\"admin\",\"tenant\":\"tenant-b\"}")
                        .status())
                .isEqualTo(404);
        String tokenOfB =
                server.metadata().createToken(b.id(), Role.READ, "b").info().tokenId();
        assertThat(client.delete("/api/v1/tokens/" + tokenOfB, bearer(adminA)).status())
                .isEqualTo(404);
        // The global administrator may do all of it.
        var created = client.post("/api/v1/tenants", bearer(global), "application/json", "{\"name\":\"tenant-c\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        var token = client.post(
                "/api/v1/tokens", bearer(global), "application/json", "{\"role\":\"ingest\",\"tenant\":\"tenant-c\"}");
        assertThat(token.status()).as(token.text()).isEqualTo(201);
        assertThat(server.metadata()
                        .authenticate(token.json().get("token").asText())
                        .orElseThrow()
                        .tenant()
                        .value())
                .isEqualTo(
                        server.metadata().tenant("tenant-c").orElseThrow().id().value());
    }

    private String ruleId(String title, String adminToken) {
        for (JsonNode r : client.get("/api/v1/rules", bearer(adminToken)).json().get("rules")) {
            if (r.get("title").asText().equals(title)) {
                return r.get("id").asText();
            }
        }
        throw new AssertionError("no rule titled " + title);
    }

    private static java.util.List<String> titles(JsonNode alerts) {
        java.util.List<String> out = new java.util.ArrayList<>();
        alerts.get("alerts").forEach(x -> out.add(x.get("title").asText()));
        return out;
    }
}
