package dev.vigil.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared test corpus ({@code ../shared/data}): {@code VIGIL_CORPUS} when set, else {@code ../shared/data}
 * beside the project root. Tests that need a part of it call {@link #require(String)}: it skips the test with a clear
 * message when the corpus is absent, and fails it instead when {@code VIGIL_REQUIRE_CORPUS=1} (as CI sets).
 */
public final class Corpus {
    private Corpus() {}

    public static Path root() {
        String env = System.getenv("VIGIL_CORPUS");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        String projectRoot = System.getenv("VIGIL_PROJECT_ROOT");
        Path base = projectRoot != null ? Path.of(projectRoot) : Path.of("").toAbsolutePath();
        // Surefire runs in the module folder; walk up to the folder that holds the shared data.
        for (Path p = base.toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared").resolve("data");
            if (Files.isDirectory(candidate)) {
                return candidate.normalize();
            }
        }
        return base.resolve("../shared/data").toAbsolutePath().normalize();
    }

    /** The corpus path {@code relative}; skips (or, with VIGIL_REQUIRE_CORPUS=1, fails) when it is missing. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            String message = "test corpus not found at " + p + " (set VIGIL_CORPUS to the shared data folder)";
            if ("1".equals(System.getenv("VIGIL_REQUIRE_CORPUS"))) {
                throw new AssertionError(message + "; VIGIL_REQUIRE_CORPUS=1 makes this a failure");
            }
            assumeTrue(false, message);
        }
        return p;
    }
}
