package dev.vigil.benchmarks;

import dev.vigil.core.Event;
import dev.vigil.formats.EventReaders;
import dev.vigil.formats.ReadOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Text-log read throughput on one core, through {@link EventReaders#read}: format detection, line splitting, parsing
 * and building {@link Event}s. One operation reads a whole generated file; the {@code megabytes} counter is the rate
 * that matters: MB (10^6 bytes) of input per second.
 *
 * <ul>
 *   <li>{@code accessLog}: a ~64 MB Apache combined access log (seeded random IPv4/IPv6 clients, paths, queries,
 *       statuses, referrers and user agents, some with escaped quotes);
 *   <li>{@code csv}: a ~64 MB CSV file with a header, a timestamp column and quoted fields with commas and quotes.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx512m", "-XX:+UseParallelGC"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class WebReaderBenchmark {
    private static final long TARGET_BYTES = 64L << 20;

    private Path dir;
    private Path access;
    private Path csv;

    /** Per-iteration counters; JMH reports them as rates (per second). */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        public double megabytes;
        public long events;

        @Setup(Level.Iteration)
        public void clear() {
            megabytes = 0;
            events = 0;
        }
    }

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("vigil-web-bench");
        access = dir.resolve("access.log");
        csv = dir.resolve("events.csv");
        Random r = new Random(42);
        DateTimeFormatter clf = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
                .withZone(ZoneOffset.ofHours(1));
        String[] methods = {"GET", "GET", "GET", "POST", "HEAD"};
        String[] agents = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
            "curl/8.4.0",
            "sqlmap/1.7.2#stable (https://sqlmap.org)",
            "Bot \\\"quoted\\\" agent/1.0",
            "-"
        };
        long t = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();
        try (BufferedWriter w = Files.newBufferedWriter(access, StandardCharsets.UTF_8)) {
            long written = 0;
            while (written < TARGET_BYTES) {
                String ip = r.nextInt(10) == 0
                        ? "2001:db8::" + Integer.toHexString(r.nextInt(65536))
                        : "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
                String target = "/app/" + word(r) + "/" + word(r)
                        + (r.nextBoolean() ? ".php?id=" + r.nextInt(100000) + "&q=" + word(r) : ".html");
                String line = ip + " - " + (r.nextInt(5) == 0 ? "user" + r.nextInt(100) : "-") + " ["
                        + clf.format(Instant.ofEpochSecond(t + written / 200)) + "] \"" + methods[r.nextInt(5)] + " "
                        + target + " HTTP/1.1\" " + (200 + 100 * r.nextInt(4)) + " " + r.nextInt(100000) + " \""
                        + (r.nextBoolean() ? "-" : "https://www.example.org/" + word(r)) + "\" \""
                        + agents[r.nextInt(agents.length)] + "\"\n";
                w.write(line);
                written += line.length();
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("timestamp,host,user,action,CommandLine,status,bytes\n");
            long written = 0;
            while (written < TARGET_BYTES) {
                String line = Instant.ofEpochSecond(t + written / 200) + ",host" + r.nextInt(500) + ",user"
                        + r.nextInt(100) + "," + word(r) + ",\"cmd.exe /c \"\"" + word(r) + "\"\", " + word(r)
                        + "\"," + (r.nextBoolean() ? "ok" : "failed") + "," + r.nextInt(1000000) + "\n";
                w.write(line);
                written += line.length();
            }
        }
        System.out.printf(
                "%nWebReaderBenchmark: access log %.1f MB, CSV %.1f MB%n",
                Files.size(access) / 1e6, Files.size(csv) / 1e6);
    }

    private static String word(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = 3 + r.nextInt(8); i > 0; i--) {
            b.append((char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }

    @TearDown
    public void tearDown() throws IOException {
        Files.deleteIfExists(access);
        Files.deleteIfExists(csv);
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public long accessLog(Counters c, Blackhole bh) throws IOException {
        return read(access, c, bh);
    }

    @Benchmark
    public long csv(Counters c, Blackhole bh) throws IOException {
        return read(csv, c, bh);
    }

    private static long read(Path file, Counters c, Blackhole bh) throws IOException {
        long[] n = {0};
        Consumer<Event> sink = e -> {
            n[0]++;
            bh.consume(e);
        };
        EventReaders.read(file, ReadOptions.DEFAULT, sink, p -> {
            throw new IllegalStateException(p.toString());
        });
        c.megabytes += Files.size(file) / 1e6;
        c.events += n[0];
        return n[0];
    }
}
