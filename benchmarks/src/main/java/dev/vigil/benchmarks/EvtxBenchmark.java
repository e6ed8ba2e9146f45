package dev.vigil.benchmarks;

import dev.vigil.core.Event;
import dev.vigil.evtx.EvtxReader;
import dev.vigil.formats.EventReader;
import dev.vigil.formats.ReadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * EVTX read throughput over the regression cases' {@code .evtx} files (one pass over all of them per operation). The
 * {@code records} counter is the rate that matters: records per second.
 *
 * <ul>
 *   <li>{@code evtxRecords}: {@link EvtxReader} only (chunk checks, BinXML, templates, the evtx_dump-shaped map);
 *   <li>{@code evtxEvents}: through {@link EventReader} (format detection + Windows normalisation to {@link Event}).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx512m", "-XX:+UseParallelGC"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class EvtxBenchmark {
    private List<Path> files;
    private long bytes;

    /** Per-iteration counters; JMH reports them as rates (per second). */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        public long records;

        @Setup(Level.Iteration)
        public void clear() {
            records = 0;
        }
    }

    @Setup
    public void setUp() throws IOException {
        files = Corpus.regressionFiles(".evtx");
        for (Path f : files) {
            bytes += Files.size(f);
        }
        System.out.printf("%nEvtxBenchmark: %d .evtx files, %d KB%n", files.size(), bytes >> 10);
    }

    @Benchmark
    public long evtxRecords(Counters c) throws IOException {
        long n = 0;
        long[] count = {0};
        for (Path f : files) {
            try (EvtxReader r = EvtxReader.open(f)) {
                r.forEach(rec -> count[0]++, p -> {
                    throw new IllegalStateException(p.toString());
                });
            }
        }
        n += count[0];
        c.records += n;
        return n;
    }

    @Benchmark
    public long evtxEvents(Counters c) throws IOException {
        long[] count = {0};
        Consumer<Event> sink = e -> count[0]++;
        EventReader reader = new EventReader(ReadOptions.DEFAULT);
        for (Path f : files) {
            reader.read(f, sink, p -> {
                throw new IllegalStateException(p.toString());
            });
        }
        c.records += count[0];
        return count[0];
    }
}
