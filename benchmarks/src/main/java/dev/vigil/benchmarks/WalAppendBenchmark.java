package dev.vigil.benchmarks;

import dev.vigil.wal.FsyncPolicy;
import dev.vigil.wal.WalConfig;
import dev.vigil.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable appends per second to the write-ahead log, one operation being one {@code append} of a {@code recordBytes}
 * record that has returned (so is durable per the policy), from 1 and from 8 threads. MB/s is the score times the
 * record size. The log lives in {@code dir} (default: the temporary directory), which should be on the disk to be
 * measured: fsync on tmpfs costs nothing. Segments are truncated after each iteration to bound the disk used.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx512m", "-XX:+UseParallelGC"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class WalAppendBenchmark {
    /** {@code always}, {@code interval} (every {@code intervalMillis}) or {@code never}. */
    @Param({"always", "interval", "never"})
    public String policy;

    @Param({"512"})
    public int recordBytes;

    @Param({"5"})
    public int intervalMillis;

    /** The parent directory of the log; empty for {@code java.io.tmpdir}. */
    @Param({""})
    public String dir;

    private Path logDir;
    private WriteAheadLog log;
    private byte[] record;

    @Setup(Level.Trial)
    public void open() throws IOException {
        FsyncPolicy fsync = switch (policy) {
            case "always" -> FsyncPolicy.always();
            case "interval" -> FsyncPolicy.interval(Duration.ofMillis(intervalMillis));
            case "never" -> FsyncPolicy.never();
            default -> throw new IllegalArgumentException("unknown policy " + policy);
        };
        Path parent = dir.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(dir);
        logDir = Files.createTempDirectory(parent, "vigil-wal-bench");
        log = WriteAheadLog.open(logDir, WalConfig.defaults().withFsyncPolicy(fsync));
        record = new byte[recordBytes];
        new SplittableRandom(42).nextBytes(record);
    }

    @TearDown(Level.Iteration)
    public void truncate() throws IOException {
        log.truncateBefore(log.durableSequence() + 1);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        System.out.println();
        System.out.println("wal metrics: " + log.metrics());
        log.close();
        try (Stream<Path> files = Files.walk(logDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public long append1Thread() throws IOException {
        return log.append(record);
    }

    @Benchmark
    @Threads(8)
    public long append8Threads() throws IOException {
        return log.append(record);
    }
}
