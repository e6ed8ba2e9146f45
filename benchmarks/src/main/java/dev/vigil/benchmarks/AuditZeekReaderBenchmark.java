package dev.vigil.benchmarks;

import dev.vigil.formats.EventReaders;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Read throughput of the auditd, Zeek TSV and Suricata EVE readers through {@link EventReaders#read}, single-threaded
 * (so the {@code bytes} rate is MB/s per core) over generated files of about {@code -Dvigil.bench.mb} MB each
 * (default 32): auditd events of SYSCALL+EXECVE+CWD+PATH+PATH+PROCTITLE+EOE lines with hex-encoded values, a Zeek
 * {@code conn}-style TSV log, and Suricata EVE lines mixing alert, dns, http, tls and flow events. The {@code bytes}
 * counter is file bytes per second, {@code events} events per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx512m", "-XX:+UseParallelGC"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class AuditZeekReaderBenchmark {
    private Path dir;
    private Path auditd;
    private Path zeek;
    private Path eve;

    @Setup
    public void setUp() throws IOException {
        long target = Long.getLong("vigil.bench.mb", 32) << 20;
        dir = Files.createTempDirectory("vigil-bench-net");
        auditd = dir.resolve("audit.log");
        zeek = dir.resolve("conn.log");
        eve = dir.resolve("eve.json");
        writeAuditd(auditd, target);
        writeZeek(zeek, target);
        writeEve(eve, target);
        System.out.printf(
                "%nAuditZeekReaderBenchmark: auditd %d KB, zeek %d KB, eve %d KB%n",
                Files.size(auditd) >> 10, Files.size(zeek) >> 10, Files.size(eve) >> 10);
    }

    @TearDown
    public void tearDown() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public long auditd(ReaderCounters c) throws IOException {
        return ReaderCounters.read(auditd, c);
    }

    @Benchmark
    public long zeekTsv(ReaderCounters c) throws IOException {
        return ReaderCounters.read(zeek, c);
    }

    @Benchmark
    public long suricataEve(ReaderCounters c) throws IOException {
        return ReaderCounters.read(eve, c);
    }

    private static void writeAuditd(Path file, long target) throws IOException {
        Random rnd = new Random(1);
        HexFormat hex = HexFormat.of().withUpperCase();
        String[] cmds = {"/usr/bin/cat", "/usr/bin/curl", "/bin/bash", "/usr/sbin/useradd", "/usr/bin/python3"};
        long serial = 1000;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            long written = 0;
            while (written < target) {
                String exe = cmds[rnd.nextInt(cmds.length)];
                String arg = "/tmp/some file " + rnd.nextInt(100_000);
                String head = "type=%s msg=audit(" + (1_700_000_000 + serial / 10) + "." + (serial % 1000) + ":"
                        + serial + "): ";
                StringBuilder sb = new StringBuilder(1024);
                sb.append(String.format(head, "SYSCALL"))
                        .append(
                                "arch=c000003e syscall=59 success=yes exit=0 a0=55d1 a1=55d2 a2=55d3 a3=0 items=2 ppid=")
                        .append(rnd.nextInt(30_000))
                        .append(" pid=")
                        .append(rnd.nextInt(30_000))
                        .append(" auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3")
                        .append(" comm=\"")
                        .append(exe.substring(exe.lastIndexOf('/') + 1))
                        .append("\" exe=\"")
                        .append(exe)
                        .append("\" key=\"exec\"\n");
                sb.append(String.format(head, "EXECVE"))
                        .append("argc=2 a0=\"")
                        .append(exe)
                        .append("\" a1=")
                        .append(hex.formatHex(arg.getBytes(StandardCharsets.UTF_8)))
                        .append('\n');
                sb.append(String.format(head, "CWD")).append("cwd=\"/home/user\"\n");
                sb.append(String.format(head, "PATH"))
                        .append("item=0 name=\"")
                        .append(exe)
                        .append("\" inode=1234 dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL\n");
                sb.append(String.format(head, "PATH"))
                        .append("item=1 name=\"/lib64/ld-linux-x86-64.so.2\" inode=99 dev=08:01 mode=0100755 ouid=0")
                        .append(" ogid=0 rdev=00:00 nametype=NORMAL\n");
                sb.append(String.format(head, "PROCTITLE"))
                        .append("proctitle=")
                        .append(hex.formatHex((exe + "\0" + arg).getBytes(StandardCharsets.UTF_8)))
                        .append('\n');
                sb.append(String.format(head, "EOE")).append('\n');
                w.append(sb);
                written += sb.length();
                serial++;
            }
        }
    }

    private static void writeZeek(Path file, long target) throws IOException {
        Random rnd = new Random(2);
        String[] services = {"dns", "http", "ssl", "-", "smb"};
        String[] states = {"SF", "S0", "REJ", "RSTO", "OTH"};
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
                    + "#open\t2024-04-12-19-29-12\n");
            w.write("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
                    + "orig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\t"
                    + "orig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n");
            w.write("#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\t"
                    + "bool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n");
            long written = 0;
            long t = 1_521_911_720_000_000L;
            while (written < target) {
                t += rnd.nextInt(5000);
                String line = (t / 1_000_000) + "." + String.format("%06d", t % 1_000_000) + "\tC"
                        + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36) + "\t10.47." + rnd.nextInt(255) + "."
                        + rnd.nextInt(255) + "\t" + (1024 + rnd.nextInt(60000)) + "\t10.0.0." + rnd.nextInt(255)
                        + "\t" + (rnd.nextBoolean() ? 443 : 53) + "\t" + (rnd.nextBoolean() ? "tcp" : "udp") + "\t"
                        + services[rnd.nextInt(services.length)] + "\t0." + rnd.nextInt(999_999) + "\t"
                        + rnd.nextInt(100_000) + "\t" + rnd.nextInt(1_000_000) + "\t"
                        + states[rnd.nextInt(states.length)] + "\tT\tF\t0\tShADadFf\t" + rnd.nextInt(100) + "\t"
                        + rnd.nextInt(100_000) + "\t" + rnd.nextInt(100) + "\t" + rnd.nextInt(1_000_000) + "\t"
                        + (rnd.nextInt(10) == 0 ? "CabcDEF,Cxyz" : "(empty)") + "\n";
                w.write(line);
                written += line.length();
            }
        }
    }

    private static void writeEve(Path file, long target) throws IOException {
        Random rnd = new Random(3);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            long written = 0;
            long flow = 1_000_000_000_000L;
            while (written < target) {
                flow += rnd.nextInt(1000);
                String common = "{\"timestamp\":\"2018-03-24T15:12:" + String.format("%02d", rnd.nextInt(60)) + "."
                        + String.format("%06d", rnd.nextInt(1_000_000)) + "+0000\",\"flow_id\":" + flow
                        + ",\"in_iface\":\"eth0\",\"src_ip\":\"10.47." + rnd.nextInt(255) + "." + rnd.nextInt(255)
                        + "\",\"src_port\":" + (1024 + rnd.nextInt(60000)) + ",\"dest_ip\":\"10.0.0."
                        + rnd.nextInt(255) + "\",\"dest_port\":";
                String line = switch (rnd.nextInt(5)) {
                    case 0 ->
                        common + "22,\"proto\":\"TCP\",\"event_type\":\"alert\",\"alert\":{\"action\":"
                                + "\"allowed\",\"gid\":1,\"signature_id\":" + (2_000_000 + rnd.nextInt(10_000))
                                + ",\"rev\":3,\"signature\":\"ET SCAN Potential SSH Scan\",\"category\":"
                                + "\"Attempted Information Leak\",\"severity\":2},\"app_proto\":\"ssh\"}";
                    case 1 ->
                        common + "53,\"proto\":\"UDP\",\"event_type\":\"dns\",\"dns\":{\"type\":"
                                + "\"query\",\"id\":" + rnd.nextInt(65536) + ",\"rrname\":\"host" + rnd.nextInt(1000)
                                + ".example.org\",\"rrtype\":\"A\",\"tx_id\":0}}";
                    case 2 ->
                        common + "80,\"proto\":\"TCP\",\"event_type\":\"http\",\"tx_id\":0,\"http\":{"
                                + "\"hostname\":\"www.example.com\",\"url\":\"/index.php?id=" + rnd.nextInt(10_000)
                                + "\",\"http_user_agent\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\","
                                + "\"http_content_type\":\"text/html\",\"http_method\":\"GET\",\"protocol\":"
                                + "\"HTTP/1.1\",\"status\":200,\"length\":" + rnd.nextInt(100_000) + "}}";
                    case 3 ->
                        common + "443,\"proto\":\"TCP\",\"event_type\":\"tls\",\"tls\":{\"subject\":"
                                + "\"CN=www.example.com\",\"issuerdn\":\"CN=Example CA\",\"serial\":\"01:02:03\","
                                + "\"fingerprint\":\"aa:bb:cc\",\"sni\":\"www.example.com\",\"version\":\"TLS 1.2\","
                                + "\"notbefore\":\"2018-01-01T00:00:00\",\"notafter\":\"2019-01-01T00:00:00\"}}";
                    default ->
                        common + "443,\"proto\":\"TCP\",\"event_type\":\"flow\",\"flow\":{"
                                + "\"pkts_toserver\":" + rnd.nextInt(100) + ",\"pkts_toclient\":" + rnd.nextInt(100)
                                + ",\"bytes_toserver\":" + rnd.nextInt(100_000) + ",\"bytes_toclient\":"
                                + rnd.nextInt(1_000_000) + ",\"start\":\"2018-03-24T15:12:17.012345+0000\","
                                + "\"end\":\"2018-03-24T15:12:18.012345+0000\",\"age\":1,\"state\":\"closed\","
                                + "\"reason\":\"timeout\",\"alerted\":false},\"tcp\":{\"tcp_flags\":\"1b\"}}";
                };
                w.write(line);
                w.write('\n');
                written += line.length() + 1;
            }
        }
    }
}
