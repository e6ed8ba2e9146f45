package dev.vigil.benchmarks;

import dev.vigil.core.Event;
import dev.vigil.formats.EventReader;
import dev.vigil.formats.ReadOptions;
import dev.vigil.sigma.SigmaDetector;
import dev.vigil.sigma.SigmaRuleSet;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rule load and detector speed measured in CPU time of the measuring thread ({@link ThreadMXBean}) rather than wall
 * time: on a shared 2-core machine the wall clock mostly measures the neighbours, while thread CPU time stays close to
 * what one idle core would give (it still includes cache and memory-bandwidth interference). Complements the JMH
 * benchmarks; a profiler can be attached to this process as to any other.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.vigil.benchmarks.DetectorCpuTime [rounds] [eventsPerRound]}. Prints,
 * per round, events per thread-CPU-second of {@link SigmaDetector#process(Event, java.util.function.Consumer)} over
 * the pre-parsed regression events, and the detection count (identical in every round and every engine version).
 */
public final class DetectorCpuTime {
    private DetectorCpuTime() {}

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        SigmaRuleSet rules = null;
        for (int i = 0; i < 3; i++) {
            long t0 = threads.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            rules = Corpus.loadRules("all");
            System.out.printf(
                    "load %d: %d rules, %.0f ms thread CPU, %.0f ms wall%n",
                    i + 1,
                    rules.detectionRuleCount(),
                    (threads.getCurrentThreadCpuTime() - t0) / 1e6,
                    (System.nanoTime() - w0) / 1e6);
        }
        Event[] events = regressionEvents();
        SigmaDetector detector = new SigmaDetector(rules);
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long[] detections = {0};
            long evaluated = detector.rulesEvaluated();
            long t0 = threads.getCurrentThreadCpuTime();
            int j = 0;
            for (int i = 0; i < perRound; i++) {
                detector.process(events[j], d -> detections[0]++);
                if (++j == events.length) {
                    j = 0;
                }
            }
            double cpu = (threads.getCurrentThreadCpuTime() - t0) / 1e9;
            rates[r] = perRound / cpu;
            System.out.printf(
                    "round %d: %.0f events per thread-CPU-second (%d events, %d detections, %.2f rules evaluated"
                            + " per event)%n",
                    r + 1,
                    rates[r],
                    perRound,
                    detections[0],
                    (detector.rulesEvaluated() - evaluated) / (double) perRound);
        }
        // The first rounds include JIT compilation; the best round is the one the load disturbed least.
        double[] warm = java.util.Arrays.copyOfRange(rates, rounds / 3, rounds);
        java.util.Arrays.sort(warm);
        System.out.printf(
                "after warm-up: median %.0f, best %.0f events per thread-CPU-second%n",
                warm[warm.length / 2], warm[warm.length - 1]);
        // Last, so that it changes nothing the rule loads and rounds above measured.
        System.out.println(HostSpeed.measure().describe());
    }

    /** The regression records parsed by the same reader a hunt uses. */
    static Event[] regressionEvents() throws IOException {
        List<byte[][]> records = HuntBenchmark.readRecords();
        Path file = Files.createTempFile("vigil-cpu-", ".jsonl");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                HuntBenchmark.writeCopies(records, records.size(), out);
            }
            List<Event> list = new ArrayList<>();
            new EventReader(ReadOptions.DEFAULT).read(file, list::add, p -> {
                throw new IllegalStateException("problem in the regression input: " + p);
            });
            return list.toArray(new Event[0]);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
