package dev.vigil.sigma.correlation;

import static dev.vigil.sigma.correlation.Fixtures.T0;
import static dev.vigil.sigma.correlation.Fixtures.event;
import static dev.vigil.sigma.correlation.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemCollector;
import dev.vigil.sigma.RuleRef;
import dev.vigil.sigma.correlation.Fixtures.Harness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class InMemoryCorrelationStateStoreTest {
    private static final RuleRef FAILED = rule("failed");
    private static final String COUNT_3 = """
            title: Many failed logins
            name: many_failed
            correlation:
                type: event_count
                rules: [failed]
                group-by: [User]
                timespan: 10m
                condition: {gte: 3}
            """;

    @Test
    void groupCapEvictsTheLeastRecentlyUpdatedGroupAndWarnsOncePerCorrelation() {
        Harness h = new Harness(Duration.ofMinutes(5), 2, Function.identity(), COUNT_3);
        h.feed(event(0, 1, "User", "u1"), FAILED);
        h.feed(event(1, 2, "User", "u2"), FAILED);
        h.feed(event(2, 3, "User", "u1"), FAILED); // u1 is now the most recently updated
        assertThat(h.problems.count()).isZero();
        h.feed(event(3, 4, "User", "u3"), FAILED); // evicts u2
        for (int i = 0; i < 5; i++) {
            h.feed(event(10 + i, 10 + i, "User", "x" + i), FAILED);
        }
        assertThat(h.store.size()).isEqualTo(2);
        assertThat(h.store.evictedGroups()).isEqualTo(6);
        assertThat(h.problems.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("many_failed");
            assertThat(p.message())
                    .contains("holds 2 groups, the most allowed")
                    .contains("evicting the least recently updated group [u2]");
        });
        // u1 was evicted later too: its count restarted
        assertThat(h.feed(event(20, 20, "User", "u1"), FAILED)).isEmpty();
    }

    @Test
    void evictedGroupLosesItsCount() {
        Harness h = new Harness(Duration.ofMinutes(5), 1, Function.identity(), COUNT_3);
        h.feed(event(0, 1, "User", "u1"), FAILED);
        h.feed(event(1, 2, "User", "u1"), FAILED);
        h.feed(event(2, 3, "User", "u2"), FAILED);
        assertThat(h.feed(event(3, 4, "User", "u1"), FAILED)).isEmpty();
        assertThat(h.store.evictedGroups()).isEqualTo(2);
        assertThat(h.problems.problems()).hasSize(1);
    }

    @Test
    void groupsExpireOnceTheWatermarkPassesThem() {
        Harness h = new Harness(Duration.ofMinutes(1), 100, Function.identity(), COUNT_3);
        for (int i = 0; i < 50; i++) {
            h.feed(event(i * 1000L, i, "User", "u" + (i % 10)), FAILED);
        }
        assertThat(h.store.size()).isEqualTo(10);
        // the latest entry of u9 is at 49s: it expires once the watermark (latest event time - 1m lateness) is past
        // 49s + 10m timespan; the unrelated events below only move event time forward
        h.feed(event(Duration.ofMinutes(11).plusSeconds(49).toMillis(), 100, "User", "z"));
        assertThat(h.store.size()).as("u0..u8 expired, u9 exactly at the edge").isEqualTo(1);
        h.feed(event(Duration.ofMinutes(11).plusSeconds(49).toMillis() + 1, 101, "User", "z"));
        assertThat(h.store.size()).isZero();
        assertThat(h.store.expiredGroups()).isEqualTo(10);
        assertThat(h.problems.count()).isZero();
    }

    @Test
    void expiryIsByEventTimeOfEachGroup() {
        InMemoryCorrelationStateStore store =
                new InMemoryCorrelationStateStore(Duration.ZERO, 10, 10, new ProblemCollector(1));
        assertThat(store.watermark()).isNull();
        assertThat(store.observe(T0)).isNull();
        WindowState old = store.window("c", List.of("old"), Duration.ofSeconds(10));
        old.add(new WindowState.Entry(CorrelationEngine.nanos(T0), 0, null, null));
        WindowState recent = store.window("c", List.of("recent"), Duration.ofSeconds(10));
        recent.add(new WindowState.Entry(CorrelationEngine.nanos(T0.plusSeconds(5)), 0, null, null));
        assertThat(store.observe(T0.plusSeconds(10))).isEqualTo(T0);
        assertThat(store.size()).isEqualTo(2);
        store.observe(T0.plusSeconds(11));
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.window("c", List.of("recent"), Duration.ofSeconds(10))).isSameAs(recent);
        store.observe(T0.plusSeconds(16));
        assertThat(store.size()).isZero();
        assertThat(store.watermark()).isEqualTo(T0.plusSeconds(16));
    }

    @Test
    void windowEntryCapDropsTheOldestAndIsReported() {
        ProblemCollector problems = new ProblemCollector(10);
        InMemoryCorrelationStateStore store = new InMemoryCorrelationStateStore(Duration.ofMinutes(5), 10, 3, problems);
        WindowState w = store.window("c", List.of("g"), Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertThat(w.add(new WindowState.Entry(i, 0, null, null))).isFalse();
        }
        assertThat(w.add(new WindowState.Entry(10, 0, null, null))).isTrue();
        assertThat(w.entries()).extracting(WindowState.Entry::time).containsExactly(1L, 2L, 10L);
    }

    @Test
    void engineReportsTheEntryCapOncePerCorrelation() throws Exception {
        ProblemCollector problems = new ProblemCollector(10);
        InMemoryCorrelationStateStore store = new InMemoryCorrelationStateStore(Duration.ofMinutes(5), 10, 2, problems);
        CorrelationEngine engine = new CorrelationEngine(List.of(Fixtures.correlation(COUNT_3)), store, problems);
        for (int i = 0; i < 5; i++) {
            assertThat(engine.process(event(i, i, "User", "u"), List.of(FAILED)))
                    .isEmpty();
        }
        assertThat(problems.problems())
                .singleElement()
                .extracting(Problem::message)
                .asString()
                .contains("entry cap");
    }

    @Test
    void rejectsBadBounds() {
        ProblemCollector p = new ProblemCollector(1);
        assertThatThrownBy(() -> new InMemoryCorrelationStateStore(Duration.ofSeconds(-1), 1, 1, p))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InMemoryCorrelationStateStore(Duration.ZERO, 0, 1, p))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InMemoryCorrelationStateStore(Duration.ZERO, 1, 0, p))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    /** Three failed logins of u1 within a second, after an event of u2 stamped a hundred years ahead. */
    private static List<Integer> firingAfterAnEventFromTheFuture(Harness h) {
        List<Integer> fired = new ArrayList<>();
        h.feed(event(0, 1, "User", "u1"), FAILED);
        h.feed(Fixtures.eventAt(T0.plus(Duration.ofDays(36_500)), 2, "User", "u2"), FAILED);
        for (int i = 1; i <= 2; i++) {
            if (!h.feed(event(i * 1000L, 2 + i, "User", "u1"), FAILED).isEmpty()) {
                fired.add(2 + i);
            }
        }
        return fired;
    }

    @Test
    void anEventTimeFarAheadOfTheClockMovesTheWatermarkOnlyAsFarAsTheClockAllows() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Harness h = new Harness(
                p -> new InMemoryCorrelationStateStore(FIVE_MINUTES, 100, 100, clock, FIVE_MINUTES, p),
                Function.identity(),
                COUNT_3);

        assertThat(firingAfterAnEventFromTheFuture(h)).containsExactly(4);
        assertThat(h.store.eventsAheadOfClock()).isEqualTo(1);
        assertThat(h.store.watermark()).isEqualTo(clock.instant().minus(FIVE_MINUTES));
        assertThat(h.problems.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message())
                        .contains("more than PT5M ahead of the clock")
                        .contains("moves the correlation watermark no further than the clock"));
    }

    @Test
    void aSenderWithAFastClockDoesNotMakeTheOthersEventsLate() {
        // Events are always a little older than the clock when they are processed; a sender ahead of it, reported or
        // not, must not make them too late.
        Instant now = T0.plusSeconds(60);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Harness h = new Harness(
                p -> new InMemoryCorrelationStateStore(FIVE_MINUTES, 100, 100, clock, FIVE_MINUTES, p),
                Function.identity(),
                COUNT_3);
        List<Integer> fired = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Duration ahead = i == 0 ? Duration.ofMinutes(4) : Duration.ofHours(2);
            h.feed(Fixtures.eventAt(now.plus(ahead), 10 + i, "User", "fast-clock"), FAILED);
            Event late = Fixtures.eventAt(now.minusSeconds(3 - i), 1 + i, "User", "u1");
            if (!h.feed(late, FAILED).isEmpty()) {
                fired.add(1 + i);
            }
        }
        assertThat(fired).containsExactly(3);
        assertThat(h.store.eventsAheadOfClock())
                .as("only those past the allowance")
                .isEqualTo(2);
        assertThat(h.problems.problems())
                .noneSatisfy(p -> assertThat(p.message()).contains("before the watermark"));
    }

    @Test
    void unboundedLatenessKeepsNoWatermarkSoAnEventFromTheFarFutureMakesNoneLate() {
        Harness h = new Harness(InMemoryCorrelationStateStore.UNBOUNDED_LATENESS, 100, Function.identity(), COUNT_3);

        assertThat(firingAfterAnEventFromTheFuture(h)).containsExactly(4);
        assertThat(h.store.watermark()).isNull();
        h.feed(Fixtures.eventAt(Instant.parse("9999-12-31T23:59:59Z"), 9, "User", "u3"), FAILED);
        List<Event> earlier = List.of(
                event(-10_000, 10, "User", "u4"), event(-9_000, 11, "User", "u4"), event(-8_000, 12, "User", "u4"));
        assertThat(h.firingPositions(FAILED, earlier.toArray(Event[]::new)))
                .as("three failures of u4, before all of the above, still correlate")
                .containsExactly(3);
        assertThat(h.problems.problems()).isEmpty();
    }

    @Test
    void withoutAClockAnEventFromTheFutureMakesLaterEventsTooLate() {
        // What the clock is for: with event times alone, the far-future event leaves every real one behind.
        Harness h = new Harness(COUNT_3);

        assertThat(firingAfterAnEventFromTheFuture(h)).isEmpty();
        assertThat(h.problems.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message())
                        .contains("event time 2026-03-01T12:00:01Z is before the watermark 2126-"));
    }

    @Test
    void unboundedLatenessCorrelatesFilesReadOneAfterTheOther() {
        // A later file first (an hour after), then the earlier file: its events still count.
        Event[] events = {
            event(3_600_000, 1, "User", "u1"),
            event(0, 1, "User", "u1"),
            event(1, 2, "User", "u1"),
            event(2, 3, "User", "u1")
        };
        Harness unbounded =
                new Harness(InMemoryCorrelationStateStore.UNBOUNDED_LATENESS, 100, Function.identity(), COUNT_3);
        Harness bounded = new Harness(COUNT_3);

        assertThat(unbounded.firingPositions(FAILED, events)).containsExactly(4);
        assertThat(bounded.firingPositions(FAILED, events)).isEmpty();
    }

    @Test
    void theEntriesOfAllWindowsStayWithinTheTotalBoundLeastRecentlyUpdatedGroupsGoingFirst() {
        ProblemCollector problems = new ProblemCollector(10);
        InMemoryCorrelationStateStore store = new InMemoryCorrelationStateStore(
                InMemoryCorrelationStateStore.UNBOUNDED_LATENESS, 1_000, 1_000, 100, null, Duration.ZERO, problems);
        Duration hour = Duration.ofHours(1);
        // A group that keeps being updated, among many that are updated once.
        WindowState busy = store.window("a", List.of("busy"), hour);
        busy.add(new WindowState.Entry(0, 0, null, null));
        for (int i = 0; i < 300; i++) {
            String correlation = List.of("a", "b", "c").get(i % 3);
            WindowState w = store.window(correlation, List.of("g" + i), hour);
            w.add(new WindowState.Entry(i, 0, null, null));
            w.add(new WindowState.Entry(i, 0, null, null));
            assertThat(store.window("a", List.of("busy"), hour)).isSameAs(busy);
            assertThat(store.entries())
                    .as("at most the bound plus what one call adds")
                    .isLessThanOrEqualTo(100 + 2)
                    .isEqualTo(store.entriesByWalking());
        }
        assertThat(store.evictedGroups()).isGreaterThan(100);
        assertThat(store.size())
                .as("groups of two entries within a bound of 100, and the busy one")
                .isLessThanOrEqualTo(52);
        assertThat(problems.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("the most allowed over all correlations"));
    }

    /**
     * Whatever the engine does to its windows (adds past the cap, prunes, fires, removes) and whatever the store does
     * to its groups (expires, evicts), the running count of entries equals the entries counted window by window.
     */
    @Test
    void theRunningEntryCountMatchesTheWindowsUnderRandomOperations() {
        long seed = 0xC0_2026_1129L;
        java.util.Random random = new java.util.Random(seed);
        for (int round = 0; round < 20; round++) {
            InMemoryCorrelationStateStore store = new InMemoryCorrelationStateStore(
                    Duration.ofSeconds(random.nextInt(1, 30)),
                    random.nextInt(1, 8),
                    random.nextInt(1, 6),
                    random.nextInt(1, 40),
                    null,
                    Duration.ZERO,
                    p -> {});
            long time = 0;
            for (int op = 0; op < 500; op++) {
                String correlation = "c" + random.nextInt(3);
                List<Object> group = List.of("g" + random.nextInt(10));
                Duration span = Duration.ofSeconds(random.nextInt(1, 20));
                time += random.nextInt(-2, 5) * 1_000_000_000L;
                store.observe(CorrelationEngine.instant(time));
                WindowState w = store.window(correlation, group, span);
                switch (random.nextInt(5)) {
                    case 0, 1 ->
                        w.add(new WindowState.Entry(time + random.nextInt(-3, 3) * 1_000_000_000L, 0, null, null));
                    case 2 -> w.pruneBefore(time - random.nextInt(0, 10) * 1_000_000_000L);
                    case 3 -> w.pruneThrough(random.nextBoolean() ? Long.MAX_VALUE : time);
                    default -> store.remove(correlation, group);
                }
                assertThat(store.entries())
                        .as("seed %d, round %d, operation %d", seed, round, op)
                        .isEqualTo(store.entriesByWalking());
            }
        }
    }
}
