package dev.vigil.benchmarks;

import dev.vigil.core.TenantId;
import dev.vigil.intel.ImportOptions;
import dev.vigil.intel.ImportResult;
import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorIndex;
import dev.vigil.intel.ScopedLookup;
import dev.vigil.intel.stix.StixImporter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The indicator knowledge base with 1 million indicators ({@link IntelData}): lookups per second on one thread, over
 * 65,536 distinct raw values cycled (as logs write them: upper-case hashes, subdomains, addresses inside ranges; half
 * of them stored values, many of which are expired or not yet valid at the lookup time), and, as single shots, the
 * import of a generated STIX 2.1 bundle of 1 million indicators (with 1 million relationships to malware) and the
 * index build. Heap per indicator is measured by {@link IntelFootprint} (GC-settled used heap), which also reports the
 * lookup rate in thread CPU time.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx6g", "-XX:+UseParallelGC"})
public class IntelBenchmark {
    static final int INDICATORS = 1_000_000;
    /** Distinct raw values cycled: enough that the index's tables are not all in cache, as in a real stream. */
    static final int QUERIES = 65_536;
    /** Lookups per event in {@link #lookupScoped}: one scope resolved for the observables of an event. */
    static final int PER_EVENT = 4;

    private IndicatorIndex index;
    private IntelData.Query[] queries;
    private final TenantId tenant = TenantId.of("acme");
    private final Instant at = Instant.parse("2025-06-01T00:00:00Z");

    @Setup(Level.Trial)
    public void setUp() {
        List<Indicator> all = IntelData.indicators(INDICATORS, 7);
        IndicatorIndex.Builder b = IndicatorIndex.builder();
        all.forEach(b::add);
        index = b.build();
        queries = IntelData.queries(all, QUERIES, 11);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    @OperationsPerInvocation(QUERIES)
    public void lookup(Blackhole bh) {
        for (IntelData.Query q : queries) {
            bh.consume(index.match(q.type(), q.value(), tenant, at));
        }
    }

    /** As {@link #lookup}, through {@link ScopedLookup}: tenant and time resolved once per four lookups (an event). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    @OperationsPerInvocation(QUERIES)
    public void lookupScoped(Blackhole bh) {
        for (int i = 0; i < QUERIES; i += PER_EVENT) {
            ScopedLookup scoped = index.scoped(tenant, at);
            for (int k = i; k < i + PER_EVENT; k++) {
                IntelData.Query q = queries[k];
                bh.consume(scoped.match(q.type(), q.value()));
            }
        }
    }

    /** The generated bundle, kept out of the measured import. */
    @State(Scope.Benchmark)
    public static class Bundle {
        byte[] bytes;

        @Setup(Level.Trial)
        public void setUp() {
            bytes = IntelData.stixBundle(INDICATORS, 3);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public IndicatorIndex importStixAndBuild(Bundle bundle) {
        ImportResult r =
                new StixImporter().importBundle("bench", bundle.bytes, ImportOptions.DEFAULTS.withMaxBytes(1L << 30));
        if (r.indicators().size() < INDICATORS * 9 / 10) {
            throw new IllegalStateException("import lost indicators: " + r);
        }
        IndicatorIndex.Builder b = IndicatorIndex.builder();
        r.indicators().forEach(b::add);
        return b.build();
    }
}
