package dev.vigil.benchmarks;

import dev.vigil.core.Event;
import dev.vigil.formats.EventReaders;
import dev.vigil.formats.ReadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-iteration counters of the reader benchmarks; JMH reports them as rates: {@code bytes} (file bytes per second,
 * divide by 2^20 for MB/s) and {@code events} (events per second).
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class ReaderCounters {
    public long bytes;
    public long events;

    @Setup(Level.Iteration)
    public void clear() {
        bytes = 0;
        events = 0;
    }

    /** Reads {@code file} with format detection, counting its events and bytes; any problem fails the benchmark. */
    static long read(Path file, ReaderCounters c) throws IOException {
        long[] count = {0};
        Consumer<Event> sink = e -> count[0]++;
        EventReaders.read(file, ReadOptions.DEFAULT, sink, p -> {
            throw new IllegalStateException(p.toString());
        });
        c.events += count[0];
        c.bytes += Files.size(file);
        return count[0];
    }
}
