package dev.vigil.benchmarks;

import dev.vigil.sigma.SigmaRuleSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The time to load and compile the rules of {@code ruleDirs} (by default all 3,780 SigmaHQ rules): list and read the
 * files, parse the YAML, compile conditions and values, build the rule index and its automata. Single shot per
 * iteration, in a fresh fork; the first warm-up iteration is the cold start a {@code vigil hunt} pays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx512m", "-XX:+UseParallelGC"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class RuleLoadBenchmark {
    /** Rule directories under {@code sigma/}, comma-separated, or {@code all}. */
    @Param({"all"})
    public String ruleDirs;

    @Benchmark
    public SigmaRuleSet loadAllRules() {
        return Corpus.loadRules(ruleDirs);
    }
}
