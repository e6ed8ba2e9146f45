package dev.vigil.benchmarks;

import dev.vigil.sigma.LoadReport;
import dev.vigil.sigma.SigmaRuleSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the benchmark corpus: {@code $VIGIL_CORPUS}, else {@code ../shared/data} relative to the working directory.
 * It must hold {@code sigma/rules*} (SigmaHQ rules) and {@code sigma/regression_data} (the regression cases).
 */
final class Corpus {
    /** The SigmaHQ rule directories loaded as "all rules" (3,780 rules). */
    static final List<String> ALL_RULE_DIRS =
            List.of("rules", "rules-emerging-threats", "rules-threat-hunting", "rules-compliance", "rules-placeholder");

    private Corpus() {}

    static Path root() {
        String env = System.getenv("VIGIL_CORPUS");
        Path root = env != null && !env.isBlank() ? Path.of(env) : Path.of("..", "shared", "data");
        Path regression = root.resolve("sigma").resolve("regression_data");
        if (!Files.isDirectory(regression)) {
            throw new IllegalStateException(
                    "benchmark corpus not found: " + regression.toAbsolutePath().normalize()
                            + " is not a directory. Set VIGIL_CORPUS to the directory holding sigma/rules and"
                            + " sigma/regression_data (default: ../shared/data relative to the working directory "
                            + Path.of("").toAbsolutePath() + ")");
        }
        return root;
    }

    static Path sigma() {
        return root().resolve("sigma");
    }

    static Path regressionData() {
        return sigma().resolve("regression_data");
    }

    /** The regression files whose name ends with {@code suffix}, sorted by path. */
    static List<Path> regressionFiles(String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(regressionData())) {
            List<Path> files = s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
            if (files.isEmpty()) {
                throw new IllegalStateException("no " + suffix + " files under " + regressionData());
            }
            return files;
        }
    }

    /**
     * Loads and compiles the rules of {@code dirs} (comma-separated directories under {@code sigma/}, or {@code all}),
     * failing when a rule does not load.
     */
    static SigmaRuleSet loadRules(String dirs) {
        List<String> names = "all".equals(dirs) ? ALL_RULE_DIRS : List.of(dirs.split(","));
        SigmaRuleSet.Builder b = SigmaRuleSet.builder();
        Path sigma = sigma();
        for (String d : names) {
            Path dir = sigma.resolve(d.trim());
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("no rule directory " + dir.toAbsolutePath());
            }
            b.add(dir);
        }
        SigmaRuleSet set = b.build();
        LoadReport r = set.report();
        if (r.failed() > 0) {
            throw new IllegalStateException(r.failed() + " rules failed to load: " + r.errors());
        }
        return set;
    }
}
