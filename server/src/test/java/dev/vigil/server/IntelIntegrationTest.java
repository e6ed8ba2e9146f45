package dev.vigil.server;

import static dev.vigil.server.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.testing.Corpus;
import dev.vigil.meta.MetadataStore;
import dev.vigil.meta.Role;
import dev.vigil.meta.Tenant;
import dev.vigil.taxii.TaxiiClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threat intelligence through the server: imports over the API (tenant and global scope), a retro-hunt that finds a
 * newly imported indicator in events stored before, live matching of new events, the alerts' indicator context, tenant
 * scope at every door, and Vigil's indicators read back over TAXII 2.1 with the TAXII client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntelIntegrationTest {
    private VigilServer server;
    private HttpTestClient client;
    private String acmeIngest;
    private String acmeRead;
    private String acmeAdmin;
    private String globexIngest;
    private String globexRead;
    private String root;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = VigilServer.start(
                ServerConfig.defaults().withData(dir.resolve("data")).withPort(0));
        client = new HttpTestClient(server.port());
        Tenant acme = server.metadata().createTenant("acme");
        Tenant globex = server.metadata().createTenant("globex");
        acmeIngest = server.metadata().createToken(acme.id(), Role.INGEST, "t").token();
        acmeRead = server.metadata().createToken(acme.id(), Role.READ, "t").token();
        acmeAdmin = server.metadata().createToken(acme.id(), Role.ADMIN, "t").token();
        globexIngest =
                server.metadata().createToken(globex.id(), Role.INGEST, "t").token();
        globexRead = server.metadata().createToken(globex.id(), Role.READ, "t").token();
        root = server.metadata()
                .createToken(MetadataStore.SYSTEM_TENANT, Role.ADMIN, "root")
                .token();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void ingest(String token, String ndjson) throws InterruptedException {
        var r = client.post("/api/v1/ingest", bearer(token), "application/x-ndjson", ndjson);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(server.awaitIdle(Duration.ofSeconds(30))).isTrue();
    }

    private static String connection(String host, String ip, Instant at) {
        return "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":3,\"Computer\":\"" + host
                + "\",\"Image\":\"C:\\\\Users\\\\Public\\\\svc.exe\",\"DestinationIp\":\"" + ip
                + "\",\"DestinationPort\":443,\"@timestamp\":\"" + at + "\"}\n";
    }

    private JsonNode intelAlerts(String token) {
        return client.get("/api/v1/alerts?kind=intel&from=now-2d&limit=100", bearer(token))
                .json();
    }

    private static final String PARTNER_IP_RULE = "intel:ipv4:198.51.100.23";

    private JsonNode partnerIpAlerts(String token) {
        return client.get("/api/v1/alerts?kind=intel&rule=" + PARTNER_IP_RULE + "&from=now-2d&limit=100", bearer(token))
                .json();
    }

    @Test
    void anImportRetroHuntsStoredEventsAndLaterEventsMatchLive() throws Exception {
        Instant now = Instant.now();
        ingest(acmeIngest, connection("ws-1", "198.51.100.23", now.minusSeconds(3600)));
        ingest(globexIngest, connection("gx-1", "198.51.100.23", now.minusSeconds(3600)));

        var imported = client.post(
                "/api/v1/intel/import?format=csv&csv=plain:ipv4&source=partner-list",
                bearer(acmeAdmin),
                "text/csv",
                "# partner blocklist\n198.51.100.23\nnot-an-address\n");
        assertThat(imported.status()).as(imported.text()).isEqualTo(200);
        JsonNode report = imported.json();
        assertThat(report.get("indicators").asInt()).isEqualTo(1);
        assertThat(report.get("rejected").asInt()).isEqualTo(1);
        assertThat(report.get("problems").get(0).asText()).contains("3");
        assertThat(report.get("retro_hunt").get("alerts").asInt()).isEqualTo(1);

        JsonNode acme = partnerIpAlerts(acmeRead);
        assertThat(acme.get("total").asInt()).isEqualTo(1);
        JsonNode alert = acme.get("alerts").get(0);
        assertThat(alert.get("detector").get("kind").asText()).isEqualTo("intel");
        assertThat(alert.get("details").get("retro_hunt").asBoolean()).isTrue();
        assertThat(alert.get("details").get("field").asText()).isEqualTo("DestinationIp");
        assertThat(alert.get("details")
                        .get("indicator")
                        .get("sources")
                        .get(0)
                        .get("feed")
                        .asText())
                .isEqualTo("partner-list");
        assertThat(partnerIpAlerts(globexRead).get("total").asInt())
                .as("acme's indicator never matches globex's events")
                .isZero();

        ingest(acmeIngest, connection("ws-2", "198.51.100.23", Instant.now()));
        JsonNode live = partnerIpAlerts(acmeRead);
        assertThat(live.get("total").asInt()).isEqualTo(2);
        assertThat(live.get("alerts").get(0).get("details").has("retro_hunt")).isFalse();
        ingest(globexIngest, connection("gx-2", "198.51.100.23", Instant.now()));
        assertThat(partnerIpAlerts(globexRead).get("total").asInt()).isZero();

        // The same indicator from a second feed is one indicator with both sources.
        var again = client.post(
                "/api/v1/intel/import?format=csv&csv=plain:ipv4&source=second-feed",
                bearer(acmeAdmin),
                "text/csv",
                "198.51.100.23\n");
        assertThat(again.json().get("merged_with_known").asInt()).isEqualTo(1);
        JsonNode lookup = client.get("/api/v1/intel/lookup?value=198.51.100.23", bearer(acmeRead))
                .json();
        assertThat(lookup.get("indicators")).hasSize(1);
        assertThat(lookup.get("indicators").get(0).get("sources")).hasSize(2);
        assertThat(client.get("/api/v1/intel/lookup?value=198.51.100.23", bearer(globexRead))
                        .json()
                        .get("indicators"))
                .isEmpty();
    }

    @Test
    void aStixDomainMatchesItsSubdomainsAndOnlyTheSystemTenantImportsGlobally() throws Exception {
        String bundle = """
                {"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
                 {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                  "created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","confidence":90,
                  "pattern":"[domain-name:value = 'c2-relay.example']","pattern_type":"stix",
                  "valid_from":"2026-01-01T00:00:00Z"},
                 {"type":"indicator","spec_version":"2.1","id":"indicator--0c4e8f4e-0000-4000-8000-000000000001",
                  "created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z",
                  "pattern":"[domain-name:value = ","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}]}
                """;
        var denied = client.post(
                "/api/v1/intel/import?format=stix&scope=global", bearer(acmeAdmin), "application/json", bundle);
        assertThat(denied.status()).isEqualTo(403);
        var r = client.post(
                "/api/v1/intel/import?format=stix&scope=global&source=cti", bearer(root), "application/json", bundle);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("indicators").asInt()).isEqualTo(1);
        assertThat(r.json().get("problems").toString()).contains("indicator--0c4e8f4e-0000-4000-8000-000000000001");

        String dns = "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":22,\"Computer\":\"gx-3\","
                + "\"QueryName\":\"eu.c2-relay.example\",\"@timestamp\":\"" + Instant.now() + "\"}\n"
                + "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":22,\"Computer\":\"gx-3\","
                + "\"QueryName\":\"notc2-relay.example\",\"@timestamp\":\"" + Instant.now() + "\"}\n";
        ingest(globexIngest, dns);
        JsonNode found = intelAlerts(globexRead);
        List<String> values = new ArrayList<>();
        found.get("alerts")
                .forEach(a -> values.add(a.get("details").get("value").asText()));
        assertThat(values).as("a global indicator reaches every tenant").contains("eu.c2-relay.example");
        assertThat(values).doesNotContain("notc2-relay.example");
        JsonNode high = found.get("alerts").get(0);
        assertThat(high.get("severity").asText()).isEqualTo("high");
    }

    @Test
    void theFeodoBlocklistImportsAsGlobalIndicatorsAndIsSharedOverTaxii() throws Exception {
        Path feodo = Corpus.require("intel/abusech/feodotracker-ipblocklist-2024-04-04.csv");
        var r = client.post(
                "/api/v1/intel/import?format=csv&csv=feodo&scope=global&source=feodo",
                bearer(root),
                "text/csv",
                Files.readAllBytes(feodo));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("indicators").asInt()).isEqualTo(28);

        TaxiiClient taxii = TaxiiClient.builder().bearerToken(globexRead).build();
        URI apiRoot = URI.create("http://127.0.0.1:" + server.port() + "/taxii2/vigil/");
        List<ObjectNode> objects = new ArrayList<>();
        TaxiiClient.PollResult poll = taxii.poll(
                apiRoot, IndicatorTaxiiCollections.COLLECTION_ID, null, 10, page -> objects.addAll(page.objects()));
        assertThat(poll.pages()).as("28 or more objects in pages of 10").isGreaterThanOrEqualTo(3);
        List<String> patterns = new ArrayList<>();
        objects.forEach(o -> patterns.add(o.get("pattern").asText()));
        assertThat(patterns).hasSizeGreaterThanOrEqualTo(28).allMatch(p -> p.startsWith("[ipv4-addr:value = '"));
        assertThat(patterns).doesNotContain("[ipv4-addr:value = '198.51.100.23']"); // acme's own, not globex's
        TaxiiClient.PollResult nothingNew =
                taxii.poll(apiRoot, IndicatorTaxiiCollections.COLLECTION_ID, poll.lastAdded(), 10, page -> {});
        assertThat(nothingNew.objects()).isZero();
        TaxiiClient stranger =
                TaxiiClient.builder().bearerToken("vgl_0000000000000000_nope").build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> stranger.collections(apiRoot))
                .isInstanceOfSatisfying(
                        dev.vigil.taxii.TaxiiException.class,
                        e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void indicatorsStoredByAnotherProcessArePickedUpAndRetroHunted() throws Exception {
        ingest(acmeIngest, connection("ws-9", "192.0.2.200", Instant.now().minusSeconds(600)));
        // What `vigil intel import` does on the same data directory while the server runs.
        var result = IntelImports.parse(
                "cli-file",
                IntelImports.Format.CSV,
                "192.0.2.200\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                server.metadata().tenant("acme").orElseThrow().id(),
                dev.vigil.intel.csv.CsvMapping.plainList(dev.vigil.intel.IndicatorType.IPV4));
        IntelImports.store(server.metadata(), IntelImports.load(server.metadata(), w -> {}), result);
        JsonNode found = null;
        for (int i = 0; i < 100; i++) {
            found = client.get("/api/v1/alerts?kind=intel&rule=intel:ipv4:192.0.2.200&from=now-1d", bearer(acmeRead))
                    .json();
            if (found.get("total").asInt() > 0) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(found.get("total").asInt()).as("retro-hunted within 10 s").isEqualTo(1);
        assertThat(found.get("alerts").get(0).get("details").get("retro_hunt").asBoolean())
                .isTrue();
    }
}
