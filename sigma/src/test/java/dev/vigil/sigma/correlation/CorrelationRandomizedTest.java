package dev.vigil.sigma.correlation;

import static dev.vigil.sigma.correlation.Fixtures.event;
import static dev.vigil.sigma.correlation.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.SourceRef;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.RuleRef;
import dev.vigil.sigma.correlation.Fixtures.Harness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.IntPredicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares the engine with a brute-force reference on random streams (fixed seeds, so a failure reproduces): events
 * of a few users, timestamps shuffled within the allowed lateness, random conditions. The reference keeps every event
 * of a group but those up to the end of the window that last fired, and recomputes each window from scratch.
 */
class CorrelationRandomizedTest {
    private static final RuleRef R = rule("r");
    private static final String[] OPS = {"gt", "gte", "lt", "lte", "eq", "neq"};

    private record Ev(long time, String user, String value, long record) {}

    private record Fire(int eventIndex, String user, List<Long> records) {}

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181, 6765, 10946})
    void eventCountAndValueCountMatchBruteForce(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 6; round++) {
            boolean valueCount = round % 2 == 1;
            long timespan = 1_000L * (1 + random.nextInt(20));
            long jitter = random.nextInt(3) == 0 ? 0 : random.nextInt(30_000);
            // mostly the thresholds real rules use; lt, lte and neq fire on (nearly) every event, so they are rarer
            int pick = random.nextInt(20);
            String op = pick < 7 ? "gte" : pick < 12 ? "gt" : pick < 15 ? "eq" : OPS[random.nextInt(OPS.length)];
            int bound = 1 + random.nextInt(6);
            String op2 = null;
            int bound2 = 0;
            if (random.nextInt(5) == 0) { // a range
                op = "gt";
                bound = random.nextInt(4);
                op2 = random.nextBoolean() ? "lt" : "lte";
                bound2 = bound + 1 + random.nextInt(4);
            }
            String condition = "{" + (valueCount ? "field: V, " : "") + op + ": " + bound
                    + (op2 == null ? "" : ", " + op2 + ": " + bound2) + "}";
            String yaml = """
                    title: random
                    correlation:
                        type: %s
                        rules: [r]
                        group-by: [User]
                        timespan: %ds
                        condition: %s
                    """.formatted(valueCount ? "value_count" : "event_count", timespan / 1000, condition);
            IntPredicate test = predicate(op, bound, op2, bound2);

            int users = 1 + random.nextInt(3);
            int values = 2 + random.nextInt(7);
            long step = 1L + random.nextInt(2_000);
            List<Ev> events = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                long time = i * step + (jitter == 0 ? 0 : (long) random.nextInt((int) jitter + 1));
                // coarse times make equal timestamps common
                time = time / 250 * 250;
                events.add(new Ev(time, "u" + random.nextInt(users), "v" + random.nextInt(values), i));
            }
            String context = "seed " + seed + " " + yaml;
            Harness h = new Harness(Duration.ofMillis(jitter + 1_000), 1000, Function.identity(), yaml);
            List<Fire> actual = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                Ev e = events.get(i);
                Event event = event(e.time(), e.record(), "User", e.user(), "V", e.value());
                for (Detection d : h.feed(event, R)) {
                    actual.add(new Fire(
                            i,
                            (String) d.groupBy().get("User"),
                            d.sources().stream().map(SourceRef::record).sorted().toList()));
                }
            }
            List<Fire> expected = reference(events, timespan, valueCount, test);
            assertThat(actual).as(context).isEqualTo(expected);
            assertThat(h.problems.count()).as(context).isZero();
        }
    }

    private static IntPredicate predicate(String op, int bound, String op2, int bound2) {
        IntPredicate first = single(op, bound);
        return op2 == null ? first : first.and(single(op2, bound2));
    }

    private static IntPredicate single(String op, int bound) {
        return switch (op) {
            case "gt" -> n -> n > bound;
            case "gte" -> n -> n >= bound;
            case "lt" -> n -> n < bound;
            case "lte" -> n -> n <= bound;
            case "eq" -> n -> n == bound;
            case "neq" -> n -> n != bound;
            default -> throw new IllegalArgumentException(op);
        };
    }

    /**
     * The definition, computed naively: on each event, for every event x of its group (but those up to the end of the
     * window that last fired) whose window [x.time - timespan, x.time] contains the new event, earliest first, count
     * the events (or distinct values) in that window; the first window satisfying the condition fires, and the group
     * loses the events up to its end.
     */
    private static List<Fire> reference(List<Ev> events, long timespan, boolean valueCount, IntPredicate test) {
        Map<String, List<Ev>> groups = new HashMap<>();
        List<Fire> fires = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Ev e = events.get(i);
            List<Ev> group = groups.computeIfAbsent(e.user(), k -> new ArrayList<>());
            group.add(e);
            TreeSet<Long> ends = new TreeSet<>();
            for (Ev x : group) {
                if (x.time() >= e.time() && x.time() - timespan <= e.time()) {
                    ends.add(x.time());
                }
            }
            for (long end : ends) {
                List<Ev> window = new ArrayList<>();
                Set<String> distinct = new HashSet<>();
                for (Ev y : group) {
                    if (y.time() >= end - timespan && y.time() <= end) {
                        window.add(y);
                        distinct.add(y.value());
                    }
                }
                if (test.test(valueCount ? distinct.size() : window.size())) {
                    window.sort(Comparator.comparingLong(Ev::record));
                    fires.add(new Fire(
                            i, e.user(), window.stream().map(Ev::record).toList()));
                    group.removeIf(y -> y.time() <= end);
                    break;
                }
            }
        }
        return fires;
    }
}
