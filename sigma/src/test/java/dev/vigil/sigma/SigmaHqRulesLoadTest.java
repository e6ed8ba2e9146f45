package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Problem;
import dev.vigil.core.testing.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Conformance: every active SigmaHQ rule loads; every unsupported one loads or is reported with a reason. */
class SigmaHqRulesLoadTest {
    static final List<String> ACTIVE =
            List.of("rules", "rules-emerging-threats", "rules-threat-hunting", "rules-compliance", "rules-placeholder");

    static long countYaml(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
                    .count();
        }
    }

    @Test
    void everyActiveRuleLoads() throws IOException {
        Path sigma = Corpus.require("sigma");
        SigmaRuleSet.Builder b = SigmaRuleSet.builder();
        long files = 0;
        for (String dir : ACTIVE) {
            b.add(sigma.resolve(dir));
            files += countYaml(sigma.resolve(dir));
        }
        SigmaRuleSet set = b.build();
        LoadReport r = set.report();
        String errors = r.errors().stream().map(Problem::toString).collect(Collectors.joining("\n"));
        System.out.println("SigmaHQ active rules: files=" + files + " loaded=" + r.loaded() + " failed=" + r.failed()
                + " warnings=" + r.warnings().size());
        assertThat(r.failed()).as("rules that failed to load:\n%s", errors).isZero();
        assertThat((long) r.loaded()).isEqualTo(files);
    }

    @Test
    void everyUnsupportedRuleLoadsOrIsReportedWithAReason() throws IOException {
        Path dir = Corpus.require("sigma/unsupported");
        SigmaRuleSet set = SigmaRuleSet.builder().add(dir).build();
        LoadReport r = set.report();
        System.out.println("SigmaHQ unsupported: loaded=" + r.loaded() + " failed=" + r.failed());
        r.errors().forEach(e -> System.out.println("  " + e));
        // Every file either gave loaded rules or is named by an error with its reason.
        java.util.Set<String> accounted = new java.util.HashSet<>();
        set.rules().forEach(rule -> accounted.add(rule.file()));
        r.errors().forEach(e -> accounted.add(e.source()));
        try (Stream<Path> s = Files.walk(dir)) {
            List<String> files = s.filter(p -> p.toString().endsWith(".yml"))
                    .map(Path::toString)
                    .toList();
            assertThat(accounted).containsAll(files);
        }
        assertThat(r.errors()).allSatisfy(e -> assertThat(e.message()).isNotBlank());
    }
}
