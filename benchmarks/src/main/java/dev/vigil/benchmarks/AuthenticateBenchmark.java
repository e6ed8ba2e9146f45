package dev.vigil.benchmarks;

import dev.vigil.core.TenantId;
import dev.vigil.meta.MetadataConfig;
import dev.vigil.meta.MetadataStore;
import dev.vigil.meta.Principal;
import dev.vigil.meta.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one API call pays to check its token against the SQLite metadata store: parse, SHA-256, one indexed lookup and a
 * constant-time comparison. {@code unknownToken} checks that an unknown id costs about what a known one does (the
 * store compares against a dummy hash so that timing does not reveal which ids exist).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx512m", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AuthenticateBenchmark {
    private static final int TOKENS = 1_000;

    private Path dir;
    private MetadataStore store;
    private final List<String> tokens = new ArrayList<>();
    private String unknown;
    private int next;

    @Setup(Level.Trial)
    public void createStore() throws IOException {
        dir = Files.createTempDirectory("vigil-auth-bench");
        store = MetadataStore.open(MetadataConfig.inDataDirectory(dir));
        TenantId tenant = store.createTenant("acme").id();
        for (int i = 0; i < TOKENS; i++) {
            tokens.add(store.createToken(tenant, Role.INGEST, "bench " + i).token());
        }
        // Same shape as a real token, with an id no token has.
        String any = tokens.get(0);
        unknown = "vgl_0000000000000000" + any.substring("vgl_0000000000000000".length());
    }

    @TearDown(Level.Trial)
    public void deleteStore() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public Optional<Principal> validToken() {
        next = (next + 1) % TOKENS;
        return store.authenticate(tokens.get(next));
    }

    @Benchmark
    public Optional<Principal> unknownToken() {
        return store.authenticate(unknown);
    }
}
