package dev.vigil.benchmarks;

import dev.vigil.console.testing.ConsoleFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The console's heaviest pages served over loopback HTTP by a real console (Javalin, DuckDB store, SQLite metadata)
 * holding {@code eventsPerTenant} demo events in each of two tenants, about one in fifty with an alert. Each call is
 * one page as a signed-in tenant administrator: the overview (counts, alert histogram, three count-bys, recent
 * alerts), the alert queue (a page of 50 with triage state) and a search over 24 hours (histogram, a page of 50 and
 * six sidebar count-bys), the incident list (a page of incidents with their entities), an incident page (timeline,
 * attack chain, the entity graph from its evidence events, evidence events and the case), the ATT&CK matrix and the
 * threat-intel page with a lookup. The target is under 300 ms per page at 10 million stored events:
 * {@code -p eventsPerTenant=5000000}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ConsolePageBenchmark {
    @Param("250000")
    int eventsPerTenant;

    private Path dir;
    private ConsoleFixture console;
    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private String cookie;

    @Setup(Level.Trial)
    public void start() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("vigil-console-bench");
        console = ConsoleFixture.start(dir, eventsPerTenant);
        cookie = signIn(http, console);
    }

    /** Signs in as the fixture's tenant administrator and returns the session cookie ({@code name=value}). */
    static String signIn(HttpClient http, ConsoleFixture console) throws IOException, InterruptedException {
        HttpResponse<String> login = http.send(
                HttpRequest.newBuilder(URI.create(console.url("/login")))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "username=ted&password=" + ConsoleFixture.PASSWORD.replace(' ', '+')))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String setCookie = login.headers()
                .firstValue("Set-Cookie")
                .orElseThrow(
                        () -> new IllegalStateException("login failed: " + login.statusCode() + " " + login.body()));
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        console.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private int page(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(console.url(path)))
                        .header("Cookie", cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().length();
    }

    @Benchmark
    public int overview() throws IOException, InterruptedException {
        return page("/t/acme/overview?range=24h");
    }

    @Benchmark
    public int alertQueue() throws IOException, InterruptedException {
        return page("/t/acme/alerts?range=24h");
    }

    @Benchmark
    public int search() throws IOException, InterruptedException {
        return page("/t/acme/search?range=24h&q=EventID:4625");
    }

    @Benchmark
    public int incidentList() throws IOException, InterruptedException {
        return page("/t/acme/incidents");
    }

    @Benchmark
    public int incident() throws IOException, InterruptedException {
        return page("/t/acme/incidents/" + console.acmeIncident);
    }

    /** The ATT&CK matrix: coverage of the enabled rules and the alerts' technique counts over 24 hours. */
    @Benchmark
    public int attackMatrix() throws IOException, InterruptedException {
        return page("/t/acme/attack?range=24h");
    }

    /** The threat-intel page with a value lookup (exact answer plus a text scan of the indicators). */
    @Benchmark
    public int intelLookup() throws IOException, InterruptedException {
        return page("/t/acme/intel?range=24h&q=203.0.113.7");
    }
}
