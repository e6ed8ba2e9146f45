package dev.vigil.benchmarks;

import dev.vigil.console.testing.ConsoleFixture;
import dev.vigil.core.TenantId;
import dev.vigil.search.Query;
import dev.vigil.search.QueryParser;
import dev.vigil.store.EventStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** The store calls behind the slower pages, timed one by one: where a page's time goes. */
    private static void storeCalls(ConsoleFixture console, int rounds) {
        EventStore store = console.events;
        TenantId acme = ConsoleFixture.ACME;
        Instant to = console.clock.instant();
        Instant from = to.minus(Duration.ofHours(24));
        Query failed = QueryParser.parse("EventID:4625");
        Duration bucket = EventStore.histogramBucket(from, to);
        Map<String, Runnable> calls = new LinkedHashMap<>();
        calls.put("count", () -> store.count(acme, new Query.MatchAll(), from, to));
        calls.put("countBy Computer", () -> store.countBy(acme, new Query.MatchAll(), from, to, "Computer", 5));
        calls.put(
                "fieldPresence 8 fields",
                () -> store.fieldPresence(
                        acme,
                        new Query.MatchAll(),
                        from,
                        to,
                        List.of(
                                "Computer",
                                "host.name",
                                "User",
                                "user.name",
                                "TargetUserName",
                                "source.ip",
                                "IpAddress",
                                "SourceIp")));
        calls.put("countBy User", () -> store.countBy(acme, new Query.MatchAll(), from, to, "User", 5));
        calls.put("countBy source.ip", () -> store.countBy(acme, new Query.MatchAll(), from, to, "source.ip", 5));
        calls.put("countBy IpAddress", () -> store.countBy(acme, new Query.MatchAll(), from, to, "IpAddress", 5));
        calls.put("alerts 10", () -> store.alerts(acme, from, to, dev.vigil.store.AlertFilter.ALL, 10, 0));
        calls.put("alertHistogram", () -> store.alertHistogram(acme, from, to, bucket));
        calls.put("topAlertRules", () -> store.topAlertRules(acme, from, to, 8));
        calls.put("alertAttackCounts", () -> store.alertAttackCounts(acme, from, to));
        calls.put("histogram EventID:4625", () -> store.histogram(acme, failed, from, to, bucket));
        calls.put("latest 500 EventID:4625", () -> store.latest(acme, failed, from, to, 500, 0));
        calls.put("latest 50 EventID:4625", () -> store.latest(acme, failed, from, to, 50, 0));
        calls.put("latest 500 all", () -> store.latest(acme, new Query.MatchAll(), from, to, 500, 0));
        for (Map.Entry<String, Runnable> call : calls.entrySet()) {
            double[] ms = new double[rounds];
            for (int i = -2; i < rounds; i++) {
                long t0 = System.nanoTime();
                call.getValue().run();
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            Arrays.sort(ms);
            System.out.printf("  store %-26s median %6.0f ms%n", call.getKey(), ms[rounds / 2]);
        }
    }

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
            storeCalls(console, rounds);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
