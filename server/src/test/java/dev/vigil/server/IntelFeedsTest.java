package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.core.testing.Corpus;
import dev.vigil.meta.Role;
import dev.vigil.meta.Tenant;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled feeds against real HTTP peers on loopback: a CSV blocklist served with an ETag is imported once and then
 * answered 304, and a TAXII 2.1 collection (this server's own, read with another tenant's token) is pulled
 * incrementally.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntelFeedsTest {
    private HttpServer publisher;
    private final List<String> ifNoneMatch = new CopyOnWriteArrayList<>();
    private VigilServer server;
    private ServerConfig.IntelFeed feodo;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        byte[] csv = Files.readAllBytes(Corpus.require("intel/abusech/feodotracker-ipblocklist-2024-04-04.csv"));
        publisher = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        publisher.createContext("/downloads/ipblocklist.csv", exchange -> {
            String seen = exchange.getRequestHeaders().getFirst("If-None-Match");
            ifNoneMatch.add(String.valueOf(seen));
            exchange.getResponseHeaders().add("ETag", "\"feodo-2024-04-04\"");
            if ("\"feodo-2024-04-04\"".equals(seen)) {
                exchange.sendResponseHeaders(304, -1);
            } else {
                exchange.sendResponseHeaders(200, csv.length);
                exchange.getResponseBody().write(csv);
            }
            exchange.close();
        });
        publisher.start();
        feodo = new ServerConfig.IntelFeed(
                "feodo",
                "csv",
                "http://127.0.0.1:" + publisher.getAddress().getPort() + "/downloads/ipblocklist.csv",
                Duration.ofHours(6),
                null,
                null,
                null,
                null,
                "feodo");
        server = VigilServer.start(ServerConfig.defaults()
                .withData(dir.resolve("data"))
                .withPort(0)
                .withIntel(new ServerConfig.Intel(30, List.of(feodo))));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        publisher.stop(0);
    }

    @Test
    void anUnchangedFeedCostsA304() {
        IntelFeeds.Status first = server.intelFeeds().pull(feodo);
        IntelFeeds.Status second = server.intelFeeds().pull(feodo);
        // The schedule may have pulled once already (its first turn comes five seconds after the start).
        assertThat(List.of(first.outcome(), second.outcome())).contains("not-modified");
        assertThat(server.metadata()
                        .indicatorsUpdatedAfter(
                                server.metadata().createTenant("feodo-reader").id(), java.time.Instant.EPOCH, 0, 100))
                .as("the 28 global indicators of the list, stored once")
                .hasSize(28);
        assertThat(ifNoneMatch).contains("\"feodo-2024-04-04\"");
        assertThat(server.intelFeeds().status().get("feodo").error()).isNull();
    }

    @Test
    void aTaxiiCollectionIsPulledIncrementally() throws Exception {
        server.intelFeeds().pull(feodo);
        Tenant acme = server.metadata().createTenant("acme-taxii");
        Tenant globex = server.metadata().createTenant("globex-taxii");
        String acmeRead =
                server.metadata().createToken(acme.id(), Role.READ, "partner").token();
        server.intel()
                .importFile(
                        "acme-own",
                        IntelImports.Format.CSV,
                        "evil-partner.example\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        acme.id(),
                        IntelImports.csvMapping("plain:domain"));
        ServerConfig.IntelFeed partner = new ServerConfig.IntelFeed(
                "acme-partner",
                "taxii",
                "http://127.0.0.1:" + server.port() + "/taxii2/vigil/collections/"
                        + IndicatorTaxiiCollections.COLLECTION_ID + "/",
                Duration.ofMinutes(15),
                globex.name(),
                acmeRead,
                null,
                null,
                "feodo");
        IntelFeeds feeds = new IntelFeeds(List.of(partner), server.intel(), server.metadata(), Clock.systemUTC());
        IntelFeeds.Status first = feeds.pull(partner);
        assertThat(first.outcome()).as(String.valueOf(first.error())).isEqualTo("imported");
        assertThat(first.indicators())
                .as("acme's domain and the 28 global addresses")
                .isEqualTo(29);
        assertThat(server.intel()
                        .index()
                        .match(
                                dev.vigil.intel.IndicatorType.DOMAIN,
                                "www.evil-partner.example",
                                globex.id(),
                                java.time.Instant.now()))
                .isNotEmpty();
        IntelFeeds.Status second = feeds.pull(partner);
        assertThat(second.outcome()).as("nothing added since the last pull").isEqualTo("not-modified");
    }
}
