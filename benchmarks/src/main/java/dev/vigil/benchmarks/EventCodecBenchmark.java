package dev.vigil.benchmarks;

import dev.vigil.core.Event;
import dev.vigil.core.TenantId;
import dev.vigil.inputs.NdjsonDecoder;
import dev.vigil.store.EventJson;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The event codec the server's write-ahead log uses ({@link EventJson}), over the SigmaHQ regression events as the
 * NDJSON input decodes them: every event an input accepts is encoded once, and decoded once by the pipeline. One
 * operation is one event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx1g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class EventCodecBenchmark {
    private final EventJson codec = new EventJson();
    private List<Event> events;
    private List<byte[]> encoded;

    @Setup
    public void setUp() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<byte[][]> records = HuntBenchmark.readRecords();
        HuntBenchmark.writeCopies(records, records.size(), body);
        events = new NdjsonDecoder()
                .decode(TenantId.of("bench"), body.toByteArray(), "bench")
                .events();
        encoded = new ArrayList<>(events.size());
        for (Event e : events) {
            encoded.add(codec.toBytes(e));
        }
        long bytes = encoded.stream().mapToLong(b -> b.length).sum();
        System.out.printf(
                "%nEventCodecBenchmark: %d events, %d bytes of JSON on average%n",
                events.size(), bytes / events.size());
    }

    @Benchmark
    @OperationsPerInvocation(238)
    public void encode(Blackhole bh) {
        for (int i = 0; i < 238; i++) {
            bh.consume(codec.toBytes(events.get(i % events.size())));
        }
    }

    @Benchmark
    @OperationsPerInvocation(238)
    public void decode(Blackhole bh) {
        for (int i = 0; i < 238; i++) {
            bh.consume(codec.fromBytes(encoded.get(i % encoded.size())));
        }
    }
}
