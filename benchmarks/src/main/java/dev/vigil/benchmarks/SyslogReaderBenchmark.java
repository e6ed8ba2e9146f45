package dev.vigil.benchmarks;

import dev.vigil.formats.EventReaders;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Text-log read throughput on one thread (one core) through {@link EventReaders#read} with format detection: a generated
 * ~64 MB syslog file (RFC 3164 sshd lines, half of them auth messages that get ECS fields, mixed with RFC 5424 lines
 * with structured data) and a ~64 MB CEF file. One operation reads the whole file; the {@code bytes} counter is the
 * rate that matters (bytes per second: divide by 2^20 for MB/s), {@code events} is events per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx1g", "-XX:+UseParallelGC"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class SyslogReaderBenchmark {
    private static final long TARGET = 64L << 20;

    private Path dir;
    private Path syslog;
    private Path cef;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("vigil-syslog-bench");
        syslog = dir.resolve("syslog.log");
        cef = dir.resolve("cef.log");
        Random r = new Random(42);
        try (BufferedWriter w = Files.newBufferedWriter(syslog, StandardCharsets.UTF_8)) {
            long n = 0;
            for (long i = 0; n < TARGET; i++) {
                String line = syslogLine(r, i);
                w.write(line);
                w.write('\n');
                n += line.length() + 1;
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(cef, StandardCharsets.UTF_8)) {
            long n = 0;
            for (long i = 0; n < TARGET; i++) {
                String line = cefLine(r, i);
                w.write(line);
                w.write('\n');
                n += line.length() + 1;
            }
        }
        System.out.printf(
                "%nSyslogReaderBenchmark: syslog %d MB, cef %d MB%n", Files.size(syslog) >> 20, Files.size(cef) >> 20);
    }

    @TearDown
    public void tearDown() throws IOException {
        Files.deleteIfExists(syslog);
        Files.deleteIfExists(cef);
        Files.deleteIfExists(dir);
    }

    private static String ip(Random r) {
        return (1 + r.nextInt(223)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
    }

    static String syslogLine(Random r, long i) {
        int sec = (int) (i % 86_400);
        String time = String.format("%02d:%02d:%02d", sec / 3600, sec / 60 % 60, sec % 60);
        return switch ((int) (i % 4)) {
            case 0 ->
                "Dec 10 " + time + " LabSZ sshd[" + (20000 + r.nextInt(9999)) + "]: Failed password for invalid"
                        + " user admin" + r.nextInt(100) + " from " + ip(r) + " port " + r.nextInt(65536) + " ssh2";
            case 1 ->
                "Dec 10 " + time + " LabSZ sshd[" + (20000 + r.nextInt(9999)) + "]: Accepted publickey for"
                        + " fztu from " + ip(r) + " port " + r.nextInt(65536) + " ssh2";
            case 2 ->
                "Dec 10 " + time + " LabSZ sshd[" + (20000 + r.nextInt(9999))
                        + "]: pam_unix(sshd:session): session closed for user root by (uid=0)";
            default ->
                "<165>1 2003-10-11T" + time + ".003Z mymachine.example.com evntslog " + r.nextInt(9999)
                        + " ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"" + r.nextInt(2000)
                        + "\"] An application event log entry number " + i;
        };
    }

    private static String cefLine(Random r, long i) {
        return "CEF:0|Security|threatmanager|1.0|" + (100 + r.nextInt(50)) + "|worm successfully stopped|"
                + r.nextInt(11) + "|src=" + ip(r) + " dst=" + ip(r) + " spt=" + r.nextInt(65536) + " dpt="
                + r.nextInt(1024) + " suser=user" + r.nextInt(1000) + " act=blocked rt=" + (1700000000000L + i)
                + " msg=Detected a threat\\=worm in file C:\\\\temp\\\\x" + i + ".exe cs1Label=Rule cs1=r"
                + r.nextInt(99);
    }

    @Benchmark
    public long syslog(ReaderCounters c) throws IOException {
        return ReaderCounters.read(syslog, c);
    }

    @Benchmark
    public long cef(ReaderCounters c) throws IOException {
        return ReaderCounters.read(cef, c);
    }
}
