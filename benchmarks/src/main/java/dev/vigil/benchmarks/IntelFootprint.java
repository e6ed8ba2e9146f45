package dev.vigil.benchmarks;

import dev.vigil.core.TenantId;
import dev.vigil.intel.ImportOptions;
import dev.vigil.intel.ImportResult;
import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorIndex;
import dev.vigil.intel.stix.StixImporter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Heap per indicator and intel speeds in thread CPU time (see {@link DetectorCpuTime} for why on a shared machine).
 *
 * <p>Heap: the GC-settled used heap (several {@code System.gc()} until it stops shrinking) before and after building
 * an index of {@code n} indicators, with the indicator list and builder dropped, divided by {@code n}.
 *
 * <p>Usage: {@code java -Xmx6g -XX:+UseParallelGC -cp benchmarks.jar dev.vigil.benchmarks.IntelFootprint [n]}.
 */
public final class IntelFootprint {
    private IntelFootprint() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        long before = settledUsedHeap();
        IndicatorIndex index = buildIndex(n);
        long after = settledUsedHeap();
        System.out.printf(
                "heap: %d indicators, %.1f MiB, %.1f bytes per indicator (array estimate %.1f)%n",
                index.size(),
                (after - before) / 1048576.0,
                (after - before) / (double) index.size(),
                index.heapBytesEstimate() / (double) index.size());

        IntelData.Query[] queries = IntelData.queries(IntelData.indicators(Math.min(n, 200_000), 7), 65_536, 11);
        TenantId tenant = TenantId.of("acme");
        Instant at = Instant.parse("2025-06-01T00:00:00Z");
        double[] rates = new double[10];
        for (int round = 0; round < rates.length; round++) {
            long hits = 0;
            long t0 = threads.getCurrentThreadCpuTime();
            int lookups = 2_000_000;
            for (int i = 0; i < lookups; i++) {
                IntelData.Query q = queries[i & (queries.length - 1)];
                hits += index.match(q.type(), q.value(), tenant, at).size();
            }
            rates[round] = lookups / ((threads.getCurrentThreadCpuTime() - t0) / 1e9);
            System.out.printf(
                    "lookups round %d: %.0f per thread-CPU-second (%d hits)%n", round + 1, rates[round], hits);
        }
        double[] warm = Arrays.copyOfRange(rates, 3, rates.length);
        Arrays.sort(warm);
        System.out.printf(
                "lookups after warm-up: median %.0f, best %.0f per thread-CPU-second%n",
                warm[warm.length / 2], warm[warm.length - 1]);

        // Per type, to see where the time goes (hits decode an Indicator; URLs, e-mails and file names normalise).
        for (dev.vigil.intel.IndicatorType type : dev.vigil.intel.IndicatorType.values()) {
            IntelData.Query[] ofType =
                    Arrays.stream(queries).filter(q -> q.type() == type).toArray(IntelData.Query[]::new);
            if (ofType.length == 0) {
                continue;
            }
            long hits = 0;
            int lookups = 300_000;
            long t0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < lookups; i++) {
                IntelData.Query q = ofType[i % ofType.length];
                hits += index.match(q.type(), q.value(), tenant, at).size();
            }
            System.out.printf(
                    "  %s: %.0f lookups per thread-CPU-second (%.0f%% hits)%n",
                    type, lookups / ((threads.getCurrentThreadCpuTime() - t0) / 1e9), 100.0 * hits / lookups);
        }

        index = null;
        byte[] bundle = IntelData.stixBundle(n, 3);
        for (int round = 0; round < 2; round++) {
            long t0 = threads.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            ImportResult r =
                    new StixImporter().importBundle("bench", bundle, ImportOptions.DEFAULTS.withMaxBytes(1L << 30));
            long t1 = threads.getCurrentThreadCpuTime();
            IndicatorIndex.Builder b = IndicatorIndex.builder();
            r.indicators().forEach(b::add);
            IndicatorIndex built = b.build();
            System.out.printf(
                    "STIX import %d: %.1f MiB bundle, %d indicators, import %.1f s thread CPU, with index build %.1f s"
                            + " thread CPU, %.1f s wall (%d problems)%n",
                    round + 1,
                    bundle.length / 1048576.0,
                    built.size(),
                    (t1 - t0) / 1e9,
                    (threads.getCurrentThreadCpuTime() - t0) / 1e9,
                    (System.nanoTime() - w0) / 1e9,
                    r.problems().size());
        }
    }

    private static IndicatorIndex buildIndex(int n) {
        List<Indicator> all = IntelData.indicators(n, 7);
        IndicatorIndex.Builder b = IndicatorIndex.builder();
        all.forEach(b::add);
        return b.build();
    }

    static long settledUsedHeap() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = rt.totalMemory() - rt.freeMemory();
            if (now >= used - 1024) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }
}
