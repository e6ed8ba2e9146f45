package dev.vigil.server;

import static dev.vigil.server.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.testing.Corpus;
import dev.vigil.meta.Role;
import dev.vigil.meta.Tenant;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The server with the real Enterprise ATT&amp;CK bundle: coverage of the enabled rules, layers, named techniques. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttackApiTest {
    private VigilServer server;
    private HttpTestClient client;
    private String read;
    private String admin;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path bundle = Corpus.require("attack/enterprise-attack-18.1.json");
        server = VigilServer.start(ServerConfig.defaults()
                .withData(dir.resolve("data"))
                .withPort(0)
                .withAttack(new ServerConfig.Attack(bundle)));
        client = new HttpTestClient(server.port());
        Tenant acme = server.metadata().createTenant("acme");
        read = server.metadata().createToken(acme.id(), Role.READ, "t").token();
        admin = server.metadata().createToken(acme.id(), Role.ADMIN, "t").token();
        String ingest =
                server.metadata().createToken(acme.id(), Role.INGEST, "t").token();
        try (InputStream in = AttackApiTest.class.getResourceAsStream("incident-scenario.ndjson")) {
            var r = client.post("/api/v1/ingest", bearer(ingest), "application/x-ndjson", in.readAllBytes());
            assertThat(r.status()).as(r.text()).isEqualTo(200);
        }
        assertThat(server.awaitIdle(Duration.ofSeconds(30))).isTrue();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void alertsNameTheirTechniques() {
        JsonNode alerts = client.get(
                        "/api/v1/alerts?from=2026-03-01&to=2026-03-03&rule=4b41caa2-90e3-45ce-92b6-c459bd8cd8bc",
                        bearer(read))
                .json();
        JsonNode lsass = alerts.get("alerts").get(0);
        assertThat(lsass.get("attack").get(0).get("id").asText()).isEqualTo("T1003.001");
        assertThat(lsass.get("attack").get(0).get("name").asText()).isEqualTo("OS Credential Dumping: LSASS Memory");
        assertThat(lsass.get("attack").get(0).get("tactics").get(0).asText()).isEqualTo("Credential Access");
    }

    @Test
    void coverageFollowsTheTenantsEnabledRules() {
        JsonNode all = client.get("/api/v1/attack/coverage", bearer(read)).json();
        assertThat(all.get("techniques_total").asInt()).isEqualTo(691);
        assertThat(all.get("tactics")).hasSize(14);
        int covered = all.get("techniques_covered").asInt();
        assertThat(covered).isPositive();

        var off = client.put(
                "/api/v1/rules/4b41caa2-90e3-45ce-92b6-c459bd8cd8bc",
                bearer(admin),
                "application/json",
                "{\"enabled\":false}");
        assertThat(off.status()).as(off.text()).isEqualTo(200);
        JsonNode fewer = client.get("/api/v1/attack/coverage", bearer(read)).json();
        assertThat(fewer.get("rules").asInt()).isEqualTo(all.get("rules").asInt() - 1);

        JsonNode layer = client.get("/api/v1/attack/layer", bearer(read)).json();
        assertThat(layer.get("versions").get("layer").asText()).isEqualTo("4.5");
        assertThat(layer.get("domain").asText()).isEqualTo("enterprise-attack");
        assertThat(layer.get("techniques").size()).isPositive();
        JsonNode technique =
                client.get("/api/v1/attack/techniques/t1059.001", bearer(read)).json();
        assertThat(technique.get("name").asText()).isEqualTo("Command and Scripting Interpreter: PowerShell");
        assertThat(client.get("/api/v1/attack/techniques/T9999", bearer(read)).status())
                .isEqualTo(404);
    }
}
