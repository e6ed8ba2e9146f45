package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.meta.Role;
import dev.vigil.meta.Tenant;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline lets a batch fill for {@code pipeline.linger_ms} from its oldest event's arrival: requests arriving
 * within it are stored as one batch (one file, one transaction), where without it each would be one.
 */
class PipelineLingerTest {
    @TempDir
    Path dir;

    @Test
    void requestsWithinTheLingerAreStoredAsOneBatch() throws Exception {
        assertThat(batchesFor(Duration.ofSeconds(5))).isEqualTo(1);
    }

    @Test
    void withoutLingerEachRequestThatFindsThePipelineIdleIsABatch() throws Exception {
        assertThat(batchesFor(Duration.ZERO)).isEqualTo(10);
    }

    /**
     * When the inputs are held back (as many events wait as may), the batch cannot fill, so the pipeline takes it
     * rather than let it linger: with a linger of a minute, the events are still stored well within it.
     */
    @Test
    void aBatchTheInputsCannotFillIsTakenAtOnce() throws Exception {
        ServerConfig cfg = ServerConfig.defaults()
                .withData(dir.resolve("data-held"))
                .withPort(0)
                .withPipeline(new ServerConfig.Pipeline(
                        10_000,
                        20,
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(10),
                        1,
                        Duration.ZERO,
                        Duration.ofMinutes(1)));
        try (VigilServer server = VigilServer.start(cfg)) {
            Sender sender = new Sender(server);
            sender.post(0, 20);
            assertThat(server.awaitIdle(Duration.ofSeconds(30)))
                    .as("stored without waiting out the minute's linger")
                    .isTrue();
        }
    }

    @Test
    void aNegativeLingerIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServerConfig.Pipeline(
                        100,
                        1000,
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(10),
                        1,
                        Duration.ZERO,
                        Duration.ofMillis(-1)))
                .hasMessageContaining("linger");
    }

    /**
     * Posts ten requests of five events and returns how many batches stored them. Without linger each request waits
     * until it is stored before the next is sent, so each is its own batch; with a linger longer than the ten
     * requests take, they are sent without waiting and all join the first one's batch.
     */
    private long batchesFor(Duration linger) throws Exception {
        ServerConfig cfg = ServerConfig.defaults()
                .withData(dir.resolve("data-" + linger.toMillis()))
                .withPort(0)
                .withPipeline(new ServerConfig.Pipeline(
                        1000, 100_000, Duration.ofSeconds(1), Duration.ofMinutes(10), 1, Duration.ZERO, linger));
        try (VigilServer server = VigilServer.start(cfg)) {
            Sender sender = new Sender(server);
            for (int r = 0; r < 10; r++) {
                sender.post(r, 5);
                if (linger.isZero()) {
                    assertThat(server.awaitIdle(Duration.ofSeconds(30))).isTrue();
                }
            }
            assertThat(server.awaitIdle(Duration.ofSeconds(30))).isTrue();
            assertThat(sender.client.metric("vigil_events_stored_total")).isEqualTo(50.0);
            return (long) sender.client.metric("vigil_store_commit_time_seconds_count");
        }
    }

    /** Posts NDJSON events to a server as an ingest token of a new tenant. */
    private static final class Sender {
        final HttpTestClient client;
        private final String token;

        Sender(VigilServer server) {
            client = new HttpTestClient(server.port());
            Tenant acme = server.metadata().createTenant("acme");
            token = server.metadata()
                    .createToken(acme.id(), Role.INGEST, "test")
                    .token();
        }

        /** Posts {@code events} events of request {@code request}; fails unless accepted. */
        void post(int request, int events) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < events; i++) {
                body.append("{\"request\":")
                        .append(request)
                        .append(",\"n\":")
                        .append(i)
                        .append("}\n");
            }
            var posted = client.post("/api/v1/ingest", "Bearer " + token, "application/x-ndjson", body.toString());
            assertThat(posted.status()).as(posted.text()).isEqualTo(200);
        }
    }
}
