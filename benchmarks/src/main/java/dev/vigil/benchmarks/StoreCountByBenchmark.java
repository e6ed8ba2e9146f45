package dev.vigil.benchmarks;

import dev.vigil.core.TenantId;
import dev.vigil.search.Query;
import dev.vigil.store.EventStore;
import dev.vigil.store.FieldCounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Count-by-field over 24 hours of a store holding {@code events} synthetic Windows logon events of one tenant spread
 * over 3 days: on a promoted field ({@code Computer}, a column) and on a field that lives only in the JSON ({@code
 * WorkstationName}). The data set is generated once with SQL straight into the store's table (writing 10 million
 * events through the API would dominate the run) under {@code java.io.tmpdir}, and reused by later runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx2g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class StoreCountByBenchmark {
    static final TenantId TENANT = TenantId.of("bench");
    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    @Param({"10000000"})
    public long events;

    private EventStore store;
    private final Instant from = START.plus(Duration.ofHours(30));
    private final Instant to = from.plus(Duration.ofHours(24));

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "vigil-store-bench-" + events);
        if (!Files.exists(dir.resolve("complete"))) {
            generate(dir, events);
            Files.writeString(dir.resolve("complete"), "");
        }
        store = EventStore.open(dir);
    }

    /** Fills the events table with SQL, in the column layout the store writes (see EventRow). */
    static void generate(Path dir, long events) throws SQLException, java.io.IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        EventStore.open(dir).close();
        long spanMicros = Duration.ofDays(3).toNanos() / 1000;
        long startMicros = START.getEpochSecond() * 1_000_000L;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("events.duckdb"));
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO events (tenant, seq, ts, ts_nano, received, product, categories, services,"
                    + " source_name, source_record, fields, original, text, ip_keys, overflow, p_event_id, p_channel,"
                    + " p_computer, p_target_user_name, p_ip_address, p_ip_address_key)"
                    + " SELECT 'bench', i + 1, make_timestamp(" + startMicros + " + (i * " + spanMicros + " // "
                    + events + ")), 0, make_timestamp(" + startMicros + " + (i * " + spanMicros + " // " + events
                    + ")), 'windows', [], ['security'], 'Security.evtx', i, json_object('EventID', eid,"
                    + " 'Channel', 'Security', 'Computer', host, 'TargetUserName', usr, 'IpAddress', ip,"
                    + " 'LogonType', i % 12, 'WorkstationName', ws), NULL, lower(eid || chr(10) || host || chr(10)"
                    + " || usr || chr(10) || ip || chr(10) || ws), json_object('IpAddress', '4' || printf('%08x',"
                    + " 167772160 + (i % 65536))), FALSE, eid, 'Security', host, usr, ip, '4' || printf('%08x',"
                    + " 167772160 + (i % 65536)) FROM (SELECT range AS i, [4624, 4625, 4688, 4672][1 + range % 4]"
                    + " AS eid, 'host-' || (range % 500) AS host, 'user' || (hash(range) % 2000) AS usr, '10.0.'"
                    + " || ((range // 256) % 256) || '.' || (range % 256) AS ip, 'WS-' || (hash(range + 7) % 300)"
                    + " AS ws FROM range(" + events + "))");
            s.execute("CHECKPOINT");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
                rs.next();
                if (rs.getLong(1) != events) {
                    throw new IllegalStateException("generated " + rs.getLong(1) + " events, wanted " + events);
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    @Benchmark
    public FieldCounts countByPromotedField() {
        return store.countBy(TENANT, new Query.MatchAll(), from, to, "Computer", 10);
    }

    @Benchmark
    public FieldCounts countByJsonField() {
        return store.countBy(TENANT, new Query.MatchAll(), from, to, "WorkstationName", 10);
    }

    @Benchmark
    public FieldCounts countByPromotedFieldFiltered() {
        return store.countBy(TENANT, new Query.Term("EventID", "4625"), from, to, "TargetUserName", 10);
    }
}
