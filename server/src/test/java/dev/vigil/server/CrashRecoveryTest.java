package dev.vigil.server;

import static dev.vigil.server.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.meta.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill the server with SIGKILL in the middle of ingestion, several times, then start it again: every acknowledged
 * event is stored exactly once and no alert is duplicated or lost.
 *
 * <p>The server runs in a child JVM ({@link CrashTestServer}) so that it can really be killed. A sender thread posts
 * batches of events with unique ids and notes which batches were acknowledged; some events fire a built-in rule. The
 * kill comes at a random moment (seeded), so it lands in appends, fsyncs, pipeline batches and store commits.
 */
class CrashRecoveryTest {
    private static final long SEED = Long.getLong("vigil.test.seed", 20261125L);
    private static final int BATCH = 40;

    @TempDir
    Path dir;

    @Test
    void acknowledgedEventsSurviveSigkillExactlyOnce() throws Exception {
        Random random = new Random(SEED);
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Set<Long> acknowledged = new TreeSet<>();
        long nextId = 0;
        for (int cycle = 0; cycle < 3; cycle++) {
            Files.deleteIfExists(data.resolve("crash-test-port"));
            Process child = startChild(data, dir.resolve("child-" + cycle + ".log"));
            try {
                int port = readPort(child, data.resolve("crash-test-port"));
                String token = Files.readString(data.resolve("crash-test-token"), StandardCharsets.UTF_8);
                HttpTestClient client = new HttpTestClient(port);
                AtomicBoolean stop = new AtomicBoolean();
                long firstId = nextId;
                List<long[]> acked = java.util.Collections.synchronizedList(new ArrayList<>());
                Thread sender = Thread.ofPlatform().start(() -> {
                    long id = firstId;
                    while (!stop.get()) {
                        long from = id;
                        String body = batch(from);
                        id += BATCH;
                        try {
                            var r = client.post("/api/v1/ingest", bearer(token), "application/x-ndjson", body);
                            if (r.status() == 200) {
                                acked.add(new long[] {from, from + BATCH});
                            }
                        } catch (RuntimeException e) {
                            return; // the server died under us: this batch was not acknowledged
                        }
                    }
                });
                // The kill comes at a random moment after the first acknowledgement, not after a fixed time: on a
                // loaded machine a fresh child may need seconds before it acknowledges anything.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (acked.isEmpty() && sender.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                Thread.sleep(200 + random.nextInt(1200));
                child.destroyForcibly(); // SIGKILL on Linux
                child.waitFor(30, TimeUnit.SECONDS);
                stop.set(true);
                sender.join(30_000);
                synchronized (acked) {
                    for (long[] range : acked) {
                        for (long i = range[0]; i < range[1]; i++) {
                            acknowledged.add(i);
                        }
                    }
                }
                nextId = firstId + 1_000_000L; // ids of one cycle never collide with the next
            } finally {
                child.destroyForcibly();
            }
        }
        assertThat(acknowledged)
                .as("the test must acknowledge something before each kill")
                .hasSizeGreaterThan(BATCH);

        try (VigilServer server =
                VigilServer.start(ServerConfig.defaults().withData(data).withPort(0))) {
            assertThat(server.awaitIdle(Duration.ofSeconds(60))).isTrue();
            HttpTestClient client = new HttpTestClient(server.port());
            var tenant = server.metadata().tenant("crash").orElseThrow();
            String read = server.metadata()
                    .createToken(tenant.id(), Role.READ, "verify")
                    .token();

            Map<Long, Integer> stored = new HashMap<>();
            Map<Long, Long> seqById = new HashMap<>();
            int offset = 0;
            while (true) {
                JsonNode page = client.get(
                                "/api/v1/events?from=now-1d&q=crash_id:*&limit=5000&offset=" + offset, bearer(read))
                        .json();
                for (JsonNode e : page.get("events")) {
                    long id = e.get("fields").get("crash_id").asLong();
                    stored.merge(id, 1, Integer::sum);
                    seqById.put(id, e.get("seq").asLong());
                }
                offset += page.get("events").size();
                if (page.get("events").isEmpty() || offset >= page.get("total").asLong()) {
                    break;
                }
            }
            assertThat(stored.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey))
                    .as("events stored twice")
                    .isEmpty();
            Set<Long> missing = new TreeSet<>(acknowledged);
            missing.removeAll(stored.keySet());
            assertThat(missing).as("acknowledged events missing from the store").isEmpty();

            // Every stored trigger event has exactly one alert per rule that fires on it, and all have the same set.
            JsonNode alerts = client.get("/api/v1/alerts?from=now-1d&limit=10000", bearer(read))
                    .json();
            Map<Long, List<String>> rulesBySeq = new HashMap<>();
            Set<String> ids = new HashSet<>();
            for (JsonNode a : alerts.get("alerts")) {
                assertThat(ids.add(a.get("id").asText()))
                        .as("duplicate alert id")
                        .isTrue();
                rulesBySeq
                        .computeIfAbsent(a.get("events").get(0).asLong(), k -> new ArrayList<>())
                        .add(a.get("title").asText());
            }
            Set<Long> triggerSeqs = new HashSet<>();
            seqById.forEach((id, seq) -> {
                if (id % 10 == 0) {
                    triggerSeqs.add(seq);
                }
            });
            assertThat(rulesBySeq.keySet()).isEqualTo(triggerSeqs);
            List<String> expected =
                    new ArrayList<>(rulesBySeq.values().iterator().next());
            java.util.Collections.sort(expected);
            assertThat(expected).doesNotHaveDuplicates().isNotEmpty();
            for (List<String> titles : rulesBySeq.values()) {
                List<String> sorted = new ArrayList<>(titles);
                java.util.Collections.sort(sorted);
                assertThat(sorted).isEqualTo(expected);
            }
        }
    }

    /** {@code BATCH} events with ids from {@code from}; every tenth runs encoded PowerShell, which a rule alerts on. */
    private static String batch(long from) {
        StringBuilder b = new StringBuilder();
        String now = Instant.now().toString();
        for (long id = from; id < from + BATCH; id++) {
            if (id % 10 == 0) {
                b.append("{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,\"crash_id\":")
                        .append(id)
                        .append(
                                ",\"Image\":\"C:\\\\Windows\\\\System32\\\\WindowsPowerShell\\\\v1.0\\\\powershell.exe\","
                                        + "\"CommandLine\":\"powershell -enc SQBFAFgA\",\"@timestamp\":\"")
                        .append(now)
                        .append("\"}\n");
            } else {
                b.append("{\"crash_id\":").append(id).append(",\"message\":\"ordinary event\"}\n");
            }
        }
        return b.toString();
    }

    private static Process startChild(Path data, Path log) throws Exception {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ProcessBuilder(
                        java,
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashTestServer.class.getName(),
                        data.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static int readPort(Process child, Path portFile) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(portFile)) {
                return Integer.parseInt(
                        Files.readString(portFile, StandardCharsets.UTF_8).strip());
            }
            if (!child.isAlive()) {
                throw new AssertionError("the child server exited with " + child.exitValue());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the child server did not start within a minute");
    }
}
