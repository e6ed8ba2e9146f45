package dev.vigil.benchmarks;

import dev.vigil.console.testing.ConsoleFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every page of {@link ConsolePageBenchmark} timed over one store: JMH builds a fresh store per benchmark method,
 * which at the 10 million events costs minutes of setup per page, so this harness builds it once and serves
 * each page {@code rounds} times after three warm-up requests, printing the median and the slowest wall time of the
 * whole request (server and loopback HTTP). Usage: {@code ConsolePageTimes [eventsPerTenant] [rounds]}.
 */
public final class ConsolePageTimes {
    private ConsolePageTimes() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        int eventsPerTenant = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Path dir = Files.createTempDirectory("vigil-console-times");
        long built = System.nanoTime();
        try (ConsoleFixture console = ConsoleFixture.start(dir, eventsPerTenant)) {
            System.out.printf(
                    "store of %,d events built in %.0f s%n", 2L * eventsPerTenant, (System.nanoTime() - built) / 1e9);
            HttpClient http = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            String cookie = ConsolePageBenchmark.signIn(http, console);
            Map<String, String> pages = new LinkedHashMap<>();
            pages.put("overview", "/t/acme/overview?range=24h");
            pages.put("alert queue", "/t/acme/alerts?range=24h");
            pages.put("search", "/t/acme/search?range=24h&q=EventID:4625");
            pages.put("search, match all", "/t/acme/search?range=24h");
            pages.put("incidents", "/t/acme/incidents");
            pages.put("incident", "/t/acme/incidents/" + console.acmeIncident);
            pages.put("ATT&CK matrix", "/t/acme/attack?range=24h");
            pages.put("threat intel lookup", "/t/acme/intel?range=24h&q=203.0.113.7");
            pages.put("roll-up", "/overview?range=24h");
            for (Map.Entry<String, String> page : pages.entrySet()) {
                double[] ms = new double[rounds];
                for (int i = -3; i < rounds; i++) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(
                            HttpRequest.newBuilder(URI.create(console.url(page.getValue())))
                                    .header("Cookie", cookie)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(page.getValue() + " answered " + r.statusCode());
                    }
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                Arrays.sort(ms);
                System.out.printf(
                        "%-20s median %6.0f ms, slowest %6.0f ms (%d requests)%n",
                        page.getKey(), ms[rounds / 2], ms[rounds - 1], rounds);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
