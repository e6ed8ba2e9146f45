package dev.vigil.benchmarks;

import dev.vigil.core.Event;
import dev.vigil.search.Query;
import dev.vigil.search.QueryMatcher;
import dev.vigil.search.QueryParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The search language: parsing an analyst's query, and the in-memory matcher (live tails, alert filters) over 1,024
 * synthetic authentication events with a query that mixes a term, a field group, a wildcard, a CIDR block and a
 * numeric range. No corpus needed. One operation is one parse, or one event matched ({@code matchMixedQuery} prepares
 * the query for each event, as {@code QueryMatcher.matches} does; {@code matchMixedQueryCompiled} once).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx512m", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SearchBenchmark {
    static final String QUERY = "event.code:(4624 OR 4625) AND user.name:adm* AND source.ip:10.0.0.0/8"
            + " AND NOT host.name:\"backup server\" AND bytes:[100 TO 5000}";

    private final QueryMatcher matcher = new QueryMatcher();
    private Query query;
    private Query bareTerm;
    private Predicate<Event> compiled;
    private List<Event> events;

    @Setup
    public void setUp() {
        query = QueryParser.parse(QUERY);
        bareTerm = QueryParser.parse("\"failed password\"");
        compiled = matcher.compile(query);
        Random random = new Random(42);
        List<String> users = List.of("admin", "administrator", "alice", "bob", "svc_backup");
        events = new ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            events.add(Event.builder()
                    .timestamp(Instant.ofEpochSecond(1_700_000_000L + i))
                    .field("event.code", random.nextBoolean() ? 4625L : 4624L)
                    .field("user.name", users.get(random.nextInt(users.size())))
                    .field("source.ip", (random.nextBoolean() ? "10." : "192.") + random.nextInt(256) + ".0.1")
                    .field("host.name", random.nextInt(8) == 0 ? "backup server" : "web-" + random.nextInt(10))
                    .field("bytes", (long) random.nextInt(10_000))
                    .field(
                            "message",
                            (random.nextBoolean() ? "Failed password" : "Accepted password") + " for user"
                                    + " from 10.1.2.3 port 22 ssh2")
                    .build());
        }
    }

    @Benchmark
    public Query parse() {
        return QueryParser.parse(QUERY);
    }

    @Benchmark
    @OperationsPerInvocation(1024)
    public void matchMixedQuery(Blackhole sink) {
        for (Event event : events) {
            sink.consume(matcher.matches(query, event));
        }
    }

    /** The same query compiled once, as a live tail or an alert filter holds it. */
    @Benchmark
    @OperationsPerInvocation(1024)
    public void matchMixedQueryCompiled(Blackhole sink) {
        for (Event event : events) {
            sink.consume(compiled.test(event));
        }
    }

    @Benchmark
    @OperationsPerInvocation(1024)
    public void matchBarePhrase(Blackhole sink) {
        for (Event event : events) {
            sink.consume(matcher.matches(bareTerm, event));
        }
    }
}
