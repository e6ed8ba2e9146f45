package dev.vigil.benchmarks;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import dev.vigil.store.EventStore;
import dev.vigil.store.StoreBatch;
import dev.vigil.store.StoredEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second through {@link EventStore#write} in batches of 1,000 Windows security events shaped like the
 * normaliser's output (a dozen flat fields, the nested original record), into a fresh store per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx1g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class StoreWriteBenchmark {
    static final int BATCH = 1_000;

    private Path dir;
    private EventStore store;
    private List<Event> events;
    private long seq;
    private long wal;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("vigil-store-write");
        store = EventStore.open(dir);
        Random random = new Random(42);
        events = new ArrayList<>();
        Instant t = Instant.parse("2026-11-20T00:00:00Z");
        for (int i = 0; i < BATCH; i++) {
            events.add(logon(random, t.plusMillis(i * 37L)));
        }
    }

    static Event logon(Random r, Instant time) {
        String host = "WS" + r.nextInt(500) + ".corp.example";
        String user = "user" + r.nextInt(2000);
        String ip = "10.0." + r.nextInt(256) + "." + r.nextInt(256);
        long eventId = r.nextBoolean() ? 4624 : 4625;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("SubjectUserSid", "S-1-5-18");
        data.put("SubjectUserName", host.substring(0, host.indexOf('.')) + "$");
        data.put("TargetUserName", user);
        data.put("TargetDomainName", "CORP");
        data.put("LogonType", (long) (2 + r.nextInt(9)));
        data.put("LogonProcessName", "NtLmSsp");
        data.put("AuthenticationPackageName", "NTLM");
        data.put("WorkstationName", "WS" + r.nextInt(300));
        data.put("IpAddress", ip);
        data.put("IpPort", (long) r.nextInt(65536));
        Map<String, Object> system = new LinkedHashMap<>();
        system.put("EventID", eventId);
        system.put("Channel", "Security");
        system.put("Computer", host);
        system.put("EventRecordID", (long) r.nextInt(1_000_000));
        system.put("TimeCreated", Map.of("SystemTime", time.toString()));
        Map<String, Object> fields = new LinkedHashMap<>(data);
        fields.put("EventID", eventId);
        fields.put("Channel", "Security");
        fields.put("Computer", host);
        return Event.builder()
                .tenant(TenantId.of("bench"))
                .timestamp(time)
                .fields(fields)
                .original(Map.of("Event", Map.of("System", system, "EventData", data)))
                .logSource(LogSource.of("windows", null, "security"))
                .source(new SourceRef("Security.evtx", (Long) system.get("EventRecordID")))
                .build();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void writeBatchOf1000() {
        List<StoredEvent> batch = new ArrayList<>(BATCH);
        Instant received = Instant.now();
        for (Event e : events) {
            batch.add(new StoredEvent(++seq, received, e));
        }
        store.write(new StoreBatch(batch, List.of(), ++wal));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
