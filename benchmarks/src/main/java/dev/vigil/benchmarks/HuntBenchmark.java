package dev.vigil.benchmarks;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.cli.OrderedMatcher;
import dev.vigil.core.Event;
import dev.vigil.formats.EventReader;
import dev.vigil.formats.ReadOptions;
import dev.vigil.sigma.SigmaDetector;
import dev.vigil.sigma.SigmaRuleSet;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hunting throughput on one thread: the regression cases' evtx_dump-style {@code .json} records (all 202 files, read
 * once) replicated to exactly {@value #EVENTS} events in a temporary compact JSON-lines file, each copy with its own
 * {@code EventRecordID}. Scores are events per second ({@code @OperationsPerInvocation} is the event count).
 *
 * <ul>
 *   <li>{@code parseOnly}: read the file + parse JSON + normalise to {@link Event}s (what every hunt pays);
 *   <li>{@code huntAllRules}: the same plus a {@link SigmaDetector} with the rules of {@code ruleDirs} on every event;
 *   <li>{@code huntAllRulesThreads}: as {@code vigil hunt} runs it, the rules matched on {@code threads} threads by its
 *       {@link OrderedMatcher} while this thread reads, and the detections emitted in input order (wall clock, so with
 *       more than one thread not a per-core figure);
 *   <li>{@code detectOnly}: only the detector, over pre-parsed events held in memory ({@value #IN_MEMORY_COPIES} copies
 *       of the corpus, cycled to {@value #EVENTS} events: a million parsed events do not fit the 512 MB heap).
 * </ul>
 *
 * <p>The fork runs with {@code -Xmx512m}, so the heap target is enforced by the run itself.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx512m", "-XX:+UseParallelGC"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
public class HuntBenchmark {
    /** Events per benchmark invocation. */
    static final int EVENTS = 1_000_000;

    static final int IN_MEMORY_COPIES = 10;

    /** Rule directories under {@code sigma/}, comma-separated, or {@code all} (the 3,780 SigmaHQ rules). */
    @Param({"all"})
    public String ruleDirs;

    /** Matching threads of {@code huntAllRulesThreads}. */
    @Param({"2"})
    public int threads;

    private Path file;
    private SigmaRuleSet rules;
    private SigmaDetector detector;
    private Event[] events;
    private long detections;
    private long problems;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        List<byte[][]> records = readRecords();
        file = Files.createTempFile("vigil-hunt-", ".jsonl");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            writeCopies(records, EVENTS, out);
        }
        rules = Corpus.loadRules(ruleDirs);
        detector = new SigmaDetector(rules);
        // The in-memory events for detectOnly: parsed by the same reader, from a small file of a few copies.
        Path small = Files.createTempFile("vigil-hunt-small-", ".jsonl");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(small), 1 << 20)) {
                writeCopies(records, records.size() * IN_MEMORY_COPIES, out);
            }
            List<Event> list = new ArrayList<>();
            new EventReader(ReadOptions.DEFAULT).read(small, list::add, p -> {
                throw new IllegalStateException("problem in generated input: " + p);
            });
            events = list.toArray(new Event[0]);
        } finally {
            Files.deleteIfExists(small);
        }
        System.out.printf(
                "%nHuntBenchmark: %d rules (%s), %d distinct records, %d events in %s (%d MB), %d in memory%n",
                rules.detectionRuleCount(),
                ruleDirs,
                records.size(),
                EVENTS,
                file,
                Files.size(file) >> 20,
                events.length);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
        // After the trial only: in its 512 MB heap the probe's 64 MiB and compilations would change what it measures.
        System.out.printf("%nHuntBenchmark: after, %s%n", HostSpeed.measure().describe());
    }

    @TearDown(Level.Iteration)
    public void report() {
        if (problems > 0) {
            throw new IllegalStateException(problems + " problems reading the generated input");
        }
        if (detections > 0) {
            System.out.printf(" [detections in the iteration: %d]", detections);
        }
        detections = 0;
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long parseOnly() throws IOException {
        long[] count = {0};
        EventReader reader = new EventReader(ReadOptions.DEFAULT);
        reader.read(file, e -> count[0]++, p -> problems++);
        return check(count[0]);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long huntAllRules() throws IOException {
        long[] count = {0};
        EventReader reader = new EventReader(ReadOptions.DEFAULT);
        reader.read(
                file,
                e -> {
                    count[0]++;
                    detector.process(e, d -> detections++);
                },
                p -> problems++);
        return check(count[0]);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long huntAllRulesThreads() throws IOException {
        long[] count = {0};
        EventReader reader = new EventReader(ReadOptions.DEFAULT);
        try (OrderedMatcher matcher =
                new OrderedMatcher(rules, threads, (e, matches) -> detector.emit(e, matches, d -> detections++))) {
            reader.read(
                    file,
                    e -> {
                        count[0]++;
                        matcher.accept(e);
                    },
                    p -> problems++);
            matcher.finish();
        }
        return check(count[0]);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long detectOnly() {
        Event[] in = events;
        int n = in.length;
        int j = 0;
        for (int i = 0; i < EVENTS; i++) {
            detector.process(in[j], d -> detections++);
            if (++j == n) {
                j = 0;
            }
        }
        return detections;
    }

    private static long check(long count) {
        if (count != EVENTS) {
            throw new IllegalStateException("read " + count + " events, expected " + EVENTS);
        }
        return count;
    }

    /** A sentinel record id, replaced by each copy's own id when writing. */
    private static final long SENTINEL = 918_273_645_546_372_819L;

    /**
     * Every record of the regression {@code .json} files, compact, split around its {@code EventRecordID}: {@code
     * {prefix, suffix}}, or {@code {whole}} for a record without one.
     */
    @SuppressWarnings("unchecked")
    static List<byte[][]> readRecords() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        byte[] sentinel = Long.toString(SENTINEL).getBytes(StandardCharsets.US_ASCII);
        List<byte[][]> records = new ArrayList<>();
        for (Path json : Corpus.regressionFiles(".json")) {
            try (JsonParser p = mapper.createParser(json.toFile());
                    MappingIterator<Map<String, Object>> it =
                            mapper.readValues(p, new TypeReference<Map<String, Object>>() {})) {
                while (it.hasNext()) {
                    Map<String, Object> record = it.next();
                    boolean hasId = false;
                    if (record.get("Event") instanceof Map<?, ?> ev
                            && ev.get("System") instanceof Map<?, ?> sys
                            && sys.containsKey("EventRecordID")) {
                        ((Map<String, Object>) sys).put("EventRecordID", SENTINEL);
                        hasId = true;
                    }
                    byte[] bytes = mapper.writeValueAsBytes(record);
                    int at = hasId ? indexOf(bytes, sentinel) : -1;
                    records.add(
                            at < 0
                                    ? new byte[][] {bytes}
                                    : new byte[][] {
                                        Arrays.copyOfRange(bytes, 0, at),
                                        Arrays.copyOfRange(bytes, at + sentinel.length, bytes.length)
                                    });
                }
            }
        }
        return records;
    }

    /** Writes {@code count} lines: the records over and over, copy {@code c} of record {@code r} with id {@code c*n+r+1}. */
    static void writeCopies(List<byte[][]> records, int count, OutputStream out) throws IOException {
        int n = records.size();
        for (int i = 0; i < count; i++) {
            byte[][] r = records.get(i % n);
            out.write(r[0]);
            if (r.length == 2) {
                out.write(Long.toString(i + 1L).getBytes(StandardCharsets.US_ASCII));
                out.write(r[1]);
            }
            out.write('\n');
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
