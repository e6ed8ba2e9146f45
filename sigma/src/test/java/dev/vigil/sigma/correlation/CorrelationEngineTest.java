package dev.vigil.sigma.correlation;

import static dev.vigil.sigma.correlation.Fixtures.T0;
import static dev.vigil.sigma.correlation.Fixtures.correlation;
import static dev.vigil.sigma.correlation.Fixtures.event;
import static dev.vigil.sigma.correlation.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemCollector;
import dev.vigil.core.SourceRef;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.RuleRef;
import dev.vigil.sigma.SigmaException;
import dev.vigil.sigma.correlation.Fixtures.Harness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CorrelationEngineTest {
    private static final RuleRef FAILED = rule("failed");
    private static final RuleRef A = rule("rule_a");
    private static final RuleRef B = rule("rule_b");
    private static final RuleRef C = rule("rule_c");

    private static String eventCount(String condition, String timespan) {
        return """
                title: Many failed logins
                name: many_failed
                correlation:
                    type: event_count
                    rules: [failed]
                    group-by: [User]
                    timespan: %s
                    condition: %s
                """.formatted(timespan, condition);
    }

    private static String valueType(String type, String condition) {
        return """
                title: Values
                name: values
                correlation:
                    type: %s
                    rules: [failed]
                    group-by: [User]
                    timespan: 1m
                    condition: %s
                """.formatted(type, condition);
    }

    private static String temporal(String type, String extra) {
        return """
                title: Recon
                name: recon
                correlation:
                    type: %s
                    rules: [rule_a, rule_b, rule_c]
                    group-by: [User]
                    timespan: 1m
                %s
                """.formatted(type, extra);
    }

    private static Event user(long millis, long record, String user) {
        return event(millis, record, "User", user);
    }

    @Nested
    class EventCount {
        @Test
        void firesWithGroupSourcesAndTriggeringEvent() {
            Harness h = new Harness(eventCount("{gte: 3}", "10s"));
            assertThat(h.feed(user(0, 1, "alice"), FAILED)).isEmpty();
            assertThat(h.feed(user(1000, 2, "bob"), FAILED)).isEmpty();
            assertThat(h.feed(user(2000, 3, "alice"), FAILED)).isEmpty();
            Event third = user(3000, 4, "alice");
            List<Detection> ds = h.feed(third, FAILED);
            assertThat(ds).hasSize(1);
            Detection d = ds.get(0);
            assertThat(d.rule().name()).isEqualTo("many_failed");
            assertThat(d.rule().title()).isEqualTo("Many failed logins");
            assertThat(d.timestamp()).isEqualTo(T0.plusSeconds(3));
            assertThat(d.event()).isSameAs(third);
            assertThat(d.groupBy()).containsExactly(Map.entry("User", "alice"));
            assertThat(d.sources())
                    .containsExactly(new SourceRef("f", 1), new SourceRef("f", 3), new SourceRef("f", 4));
            assertThat(d.correlation()).isTrue();
        }

        @Test
        void resetsTheGroupAfterFiring() {
            Harness h = new Harness(eventCount("{gte: 2}", "1m"));
            Event[] events = new Event[6];
            for (int i = 0; i < events.length; i++) {
                events[i] = user(i * 1000L, i, "alice");
            }
            assertThat(h.firingPositions(FAILED, events)).containsExactly(2, 4, 6);
            assertThat(h.store.size()).as("fired groups are forgotten").isZero();
        }

        @Test
        void ignoresEventsThatMatchNoReferencedRule() {
            Harness h = new Harness(eventCount("{gte: 1}", "1m"));
            assertThat(h.feed(user(0, 1, "alice"))).isEmpty();
            assertThat(h.feed(user(0, 2, "alice"), A)).isEmpty();
            assertThat(h.feed(user(0, 3, "alice"), FAILED)).hasSize(1);
        }

        @Test
        void referencesMatchRuleIdOrName() {
            Harness h = new Harness(eventCount("{gte: 1}", "1m").replace("[failed]", "[id-failed]"));
            assertThat(h.feed(user(0, 1, "alice"), FAILED)).hasSize(1);
        }

        @ParameterizedTest(name = "{0} fires at event {1}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "{gt: 3}|4",
                    "{gte: 3}|3",
                    "{lt: 3}|1",
                    "{lte: 3}|1",
                    "{eq: 3}|3",
                    "{neq: 1}|2",
                    "{gt: 1, lte: 3}|2",
                    "{gt: 2, lt: 4}|3"
                })
        void everyOperator(String condition, int firesAt) {
            Harness h = new Harness(eventCount(condition, "1h"));
            Event[] events = new Event[5];
            for (int i = 0; i < events.length; i++) {
                events[i] = user(i * 1000L, i, "alice");
            }
            assertThat(h.firingPositions(FAILED, events)).first().isEqualTo(firesAt);
        }

        @ParameterizedTest(name = "second event after {0} ms: fires={1}")
        @CsvSource({"9999, true", "10000, true", "10001, false"})
        void windowEdgeIncludesExactlyTimespan(long secondAt, boolean fires) {
            Harness h = new Harness(eventCount("{gte: 2}", "10s"));
            h.feed(user(0, 1, "alice"), FAILED);
            assertThat(h.feed(user(secondAt, 2, "alice"), FAILED)).hasSize(fires ? 1 : 0);
        }

        @Test
        void windowSlidesRatherThanTumbling() {
            // 59:30 and 60:30 straddle an hour boundary: a tumbling hourly bucket would miss them.
            Harness h = new Harness(eventCount("{gte: 2}", "1h"));
            h.feed(user(Duration.ofMinutes(59).plusSeconds(30).toMillis(), 1, "alice"), FAILED);
            assertThat(h.feed(user(Duration.ofMinutes(60).plusSeconds(30).toMillis(), 2, "alice"), FAILED))
                    .hasSize(1);
        }

        @Test
        void oldEventsLeaveTheWindow() {
            Harness h = new Harness(eventCount("{gte: 3}", "10s"));
            assertThat(h.firingPositions(
                            FAILED,
                            user(0, 1, "alice"),
                            user(5_000, 2, "alice"),
                            user(12_000, 3, "alice"), // window [2s, 12s]: 5s, 12s
                            user(14_000, 4, "alice"))) // window [4s, 14s]: 5s, 12s, 14s
                    .containsExactly(4);
        }

        @Test
        void lateEventCountsInTheWindowItBelongsTo() {
            Harness h = new Harness(eventCount("{gte: 3}", "10s"));
            assertThat(h.feed(user(20_000, 1, "alice"), FAILED)).isEmpty();
            assertThat(h.feed(user(5_000, 2, "alice"), FAILED)).isEmpty();
            assertThat(h.feed(user(12_000, 3, "alice"), FAILED)).isEmpty();
            // 11s arrives last: the window of the 12s event, [2s, 12s], now holds 5s, 11s and 12s
            List<Detection> ds = h.feed(user(11_000, 4, "alice"), FAILED);
            assertThat(ds).hasSize(1);
            assertThat(ds.get(0).sources())
                    .containsExactly(new SourceRef("f", 2), new SourceRef("f", 4), new SourceRef("f", 3));
            assertThat(ds.get(0).timestamp()).isEqualTo(T0.plusSeconds(11));
        }

        @Test
        void aFireDropsItsWindowButNotTheEventsAfterIt() {
            // 20s arrived first; the window that fires, [2s, 12s], does not hold it, so it counts with 21s and 22s.
            Harness h = new Harness(eventCount("{gte: 3}", "10s"));
            assertThat(h.firingPositions(
                            FAILED,
                            user(20_000, 1, "alice"),
                            user(5_000, 2, "alice"),
                            user(12_000, 3, "alice"),
                            user(11_000, 4, "alice"), // fires: 5s, 11s, 12s
                            user(21_000, 5, "alice"),
                            user(22_000, 6, "alice"))) // fires: 20s, 21s, 22s
                    .containsExactly(4, 6);
        }

        @Test
        void eventsLaterThanTheAllowedLatenessAreReportedAndSkipped() {
            Harness h = new Harness(Duration.ofMinutes(1), 100, Function.identity(), eventCount("{gte: 2}", "1h"));
            h.feed(user(Duration.ofMinutes(10).toMillis(), 1, "alice"), FAILED);
            assertThat(h.feed(user(Duration.ofMinutes(8).toMillis(), 2, "alice"), FAILED))
                    .isEmpty();
            assertThat(h.feed(user(Duration.ofMinutes(9).toMillis(), 3, "alice"), FAILED))
                    .as("exactly at the watermark is still accepted")
                    .hasSize(1);
            assertThat(h.problems.problems())
                    .singleElement()
                    .extracting(Problem::message)
                    .asString()
                    .contains("many_failed")
                    .contains("before the watermark");
        }

        @Test
        void missingGroupByValueIsExcludedAndReportedOnce() {
            Harness h = new Harness(eventCount("{gte: 2}", "1m"));
            assertThat(h.feed(event(0, 1, "Other", "x"), FAILED)).isEmpty();
            assertThat(h.feed(event(1, 2, "User", null), FAILED)).isEmpty();
            assertThat(h.feed(event(2, 3), FAILED)).isEmpty();
            assertThat(h.store.size()).isZero();
            assertThat(h.problems.problems())
                    .singleElement()
                    .extracting(Problem::message)
                    .asString()
                    .contains("no value for group-by field 'User'");
            h.engine.reportSummary();
            assertThat(h.problems.problems().get(1).message()).contains("3 events skipped");
            assertThat(h.engine.skipped(CorrelationEngine.SkipReason.NO_GROUP_BY_VALUE))
                    .isEqualTo(3);
            assertThat(h.engine.skipped(CorrelationEngine.SkipReason.NO_TIMESTAMP))
                    .isZero();
        }

        @Test
        void eventsWithoutTimestampAreCountedAndReportedOncePerCorrelation() {
            Harness h = new Harness(eventCount("{gte: 1}", "1m"), valueType("value_count", "{field: Target, gte: 1}"));
            Event noTime = Event.builder()
                    .field("User", "alice")
                    .field("Target", "t")
                    .source(new SourceRef("f", 7))
                    .build();
            assertThat(h.feed(noTime, FAILED)).isEmpty();
            assertThat(h.feed(noTime, FAILED)).isEmpty();
            assertThat(h.feed(noTime)).as("matches nothing: irrelevant").isEmpty();
            assertThat(h.engine.eventsWithoutTimestamp()).isEqualTo(2);
            assertThat(h.problems.problems()).hasSize(2).allSatisfy(p -> {
                assertThat(p.message()).contains("no timestamp");
                assertThat(p.source()).isEqualTo("f");
                assertThat(p.location()).isEqualTo(7);
            });
            h.engine.reportSummary();
            assertThat(h.problems.problems().subList(2, 4))
                    .extracting(Problem::message)
                    .allSatisfy(m -> assertThat(m).contains("2 events skipped: no timestamp"));
            assertThat(h.engine.skipped(CorrelationEngine.SkipReason.NO_TIMESTAMP))
                    .as("two events, each left out by two correlations")
                    .isEqualTo(4);
        }

        @Test
        void emptyGroupByIsOneGroup() {
            Harness h = new Harness(eventCount("{gte: 2}", "1m").replace("[User]", "[]"));
            h.feed(user(0, 1, "alice"), FAILED);
            List<Detection> ds = h.feed(user(1, 2, "bob"), FAILED);
            assertThat(ds)
                    .singleElement()
                    .satisfies(d -> assertThat(d.groupBy()).isEmpty());
        }

        @Test
        void severalGroupByFieldsAndMultiValuedFields() {
            String rule = eventCount("{gte: 2}", "1m").replace("[User]", "[User, Host]");
            Harness h = new Harness(rule);
            h.feed(event(0, 1, "User", "alice", "Host", "h1"), FAILED);
            assertThat(h.feed(event(1, 2, "User", "alice", "Host", "h2"), FAILED))
                    .isEmpty();
            assertThat(h.feed(event(2, 3, "User", "alice", "Host", "h1"), FAILED))
                    .singleElement()
                    .satisfies(d -> assertThat(d.groupBy())
                            .containsExactly(Map.entry("User", "alice"), Map.entry("Host", "h1")));
            h.feed(event(3, 4, "User", List.of("a", "b"), "Host", "h1"), FAILED);
            assertThat(h.feed(event(4, 5, "User", List.of("a", "b"), "Host", "h1"), FAILED))
                    .hasSize(1);
        }

        @Test
        void fieldMappingTranslatesRuleFieldsToEventFields() {
            Harness h = new Harness(
                    Duration.ofMinutes(5), 100, f -> f.equals("User") ? "user.name" : f, eventCount("{gte: 2}", "1m"));
            h.feed(event(0, 1, "user.name", "alice"), FAILED);
            assertThat(h.feed(event(1, 2, "user.name", "alice"), FAILED))
                    .singleElement()
                    .satisfies(d -> assertThat(d.groupBy()).containsEntry("User", "alice"));
        }

        @Test
        void anEventMatchingTwoReferencedRulesCountsOnce() {
            Harness h = new Harness(eventCount("{gte: 2}", "1m").replace("[failed]", "[failed, rule_a]"));
            assertThat(h.feed(user(0, 1, "alice"), FAILED, A)).isEmpty();
            assertThat(h.feed(user(1, 2, "alice"), A)).hasSize(1);
        }
    }

    @Test
    void aNumberAndItsTextAreOneGroup() {
        // A user id read from JSON (a number) and from XML (text) is one group; the detection shows the value as the
        // event that completed the window has it.
        Harness h = new Harness(eventCount("{gte: 3}", "1m"));
        h.feed(event(0, 1, "User", 1001L), FAILED);
        h.feed(event(1, 2, "User", "1001"), FAILED);
        assertThat(h.feed(event(2, 3, "User", 1001.0), FAILED))
                .singleElement()
                .satisfies(d -> assertThat(d.groupBy()).isEqualTo(Map.of("User", 1001.0)));
    }

    @Nested
    class Values {
        @Test
        void valueCountCountsDistinctValues() {
            Harness h = new Harness(valueType("value_count", "{field: Target, gte: 3}"));
            assertThat(h.firingPositions(
                            FAILED,
                            event(0, 1, "User", "u", "Target", "a"),
                            event(1, 2, "User", "u", "Target", "a"),
                            event(2, 3, "User", "u", "Target", "b"),
                            event(3, 4, "User", "u"), // no value: not counted
                            event(4, 5, "User", "u", "Target", "b"),
                            event(5, 6, "User", "u", "Target", "c")))
                    .containsExactly(6);
        }

        @Test
        void aNumberAndItsTextAreOneDistinctValue() {
            // Port 445 read from JSON (a number) and from XML (text) is the same port.
            Harness h = new Harness(valueType("value_count", "{field: Port, gte: 2}"));
            assertThat(h.firingPositions(
                            FAILED,
                            event(0, 1, "User", "u", "Port", 445L),
                            event(1, 2, "User", "u", "Port", "445"),
                            event(2, 3, "User", "u", "Port", 445.0),
                            event(3, 4, "User", "u", "Port", 139)))
                    .containsExactly(4);
        }

        @Test
        void valueCountOverSeveralFieldsCountsCombinations() {
            Harness h = new Harness(valueType("value_count", "{field: [Target, Domain], gte: 2}"));
            h.feed(event(0, 1, "User", "u", "Target", "a", "Domain", "d1"), FAILED);
            assertThat(h.feed(event(1, 2, "User", "u", "Target", "a", "Domain", "d1"), FAILED))
                    .isEmpty();
            assertThat(h.feed(event(2, 3, "User", "u", "Target", "a", "Domain", "d2"), FAILED))
                    .hasSize(1);
        }

        @Test
        void valueSumAddsNumbersAndNumericStrings() {
            Harness h = new Harness(valueType("value_sum", "{field: Bytes, gt: 100}"));
            assertThat(h.firingPositions(
                            FAILED,
                            event(0, 1, "User", "u", "Bytes", 50L),
                            event(1, 2, "User", "u", "Bytes", "40"),
                            event(2, 3, "User", "u", "Bytes", 10.0),
                            event(3, 4, "User", "u", "Bytes", 0.5)))
                    .containsExactly(4);
        }

        @Test
        void nonNumericValuesAreReportedOnceAndIgnored() {
            Harness h = new Harness(valueType("value_sum", "{field: Bytes, gte: 10}"));
            assertThat(h.feed(event(0, 1, "User", "u", "Bytes", "lots"), FAILED))
                    .isEmpty();
            assertThat(h.feed(event(1, 2, "User", "u", "Bytes", true), FAILED)).isEmpty();
            assertThat(h.feed(event(2, 3, "User", "u"), FAILED)).isEmpty();
            assertThat(h.store.size()).isZero();
            assertThat(h.feed(event(3, 4, "User", "u", "Bytes", 10), FAILED)).hasSize(1);
            assertThat(h.problems.problems())
                    .singleElement()
                    .extracting(Problem::message)
                    .asString()
                    .contains("value 'lots' of field 'Bytes' is not a number");
            h.engine.reportSummary();
            assertThat(h.problems.problems().get(1).message()).contains("2 events skipped: non-numeric value");
        }

        @Test
        void valueAvg() {
            Harness h = new Harness(valueType("value_avg", "{field: Bytes, gte: 10}"));
            assertThat(h.firingPositions(
                            FAILED,
                            event(0, 1, "User", "u", "Bytes", 5),
                            event(1, 2, "User", "u", "Bytes", 14),
                            event(2, 3, "User", "u", "Bytes", 11)))
                    .containsExactly(3);
        }

        @Test
        void valuePercentileInterpolatesLinearly() {
            Harness h = new Harness(valueType("value_percentile", "{field: Bytes, percentile: 90, gt: 70}"));
            // p90 of 10,20,30,40 = 37; of 10,20,30,40,100 = 40 + 0.6 * 60 = 76
            assertThat(h.firingPositions(
                            FAILED,
                            event(0, 1, "User", "u", "Bytes", 10),
                            event(1, 2, "User", "u", "Bytes", 20),
                            event(2, 3, "User", "u", "Bytes", 30),
                            event(3, 4, "User", "u", "Bytes", 40),
                            event(4, 5, "User", "u", "Bytes", 100)))
                    .containsExactly(5);
        }

        @Test
        void percentileEdges() {
            List<WindowState.Entry> w = new ArrayList<>();
            for (double v : new double[] {30, 10, 20}) {
                w.add(new WindowState.Entry(0, 0, v, null));
            }
            assertThat(CorrelationEngine.percentile(w, 0)).isEqualTo(10);
            assertThat(CorrelationEngine.percentile(w, 50)).isEqualTo(20);
            assertThat(CorrelationEngine.percentile(w, 75)).isEqualTo(25);
            assertThat(CorrelationEngine.percentile(w, 100)).isEqualTo(30);
            assertThat(CorrelationEngine.percentile(w.subList(0, 1), 90)).isEqualTo(30);
        }

        @Test
        void valueMedian() {
            Harness h = new Harness(valueType("value_median", "{field: Bytes, gte: 20}"));
            assertThat(h.firingPositions(
                            FAILED, event(0, 1, "User", "u", "Bytes", 10), event(1, 2, "User", "u", "Bytes", 30)))
                    .containsExactly(2);
        }
    }

    @Nested
    class Temporal {
        @Test
        void allRulesInAnyOrderWithinTimespan() {
            Harness h = new Harness(temporal("temporal", ""));
            assertThat(h.feed(user(0, 1, "u"), C)).isEmpty();
            assertThat(h.feed(user(10_000, 2, "u"), A)).isEmpty();
            assertThat(h.feed(user(10_000, 3, "other"), B)).isEmpty();
            List<Detection> ds = h.feed(user(20_000, 4, "u"), B);
            assertThat(ds).singleElement().satisfies(d -> {
                assertThat(d.rule().name()).isEqualTo("recon");
                assertThat(d.sources())
                        .containsExactly(new SourceRef("f", 1), new SourceRef("f", 2), new SourceRef("f", 4));
            });
        }

        @Test
        void ruleOutsideTheTimespanDoesNotCount() {
            Harness h = new Harness(temporal("temporal", ""));
            h.feed(user(0, 1, "u"), A);
            h.feed(user(10_000, 2, "u"), B);
            assertThat(h.feed(user(61_000, 3, "u"), C)).isEmpty();
            assertThat(h.feed(user(62_000, 4, "u"), A))
                    .as("b, c, a within [2s, 62s]")
                    .hasSize(1);
        }

        @Test
        void oneEventMatchingSeveralRules() {
            Harness h = new Harness(temporal("temporal", ""));
            h.feed(user(0, 1, "u"), A, B);
            assertThat(h.feed(user(1, 2, "u"), C))
                    .singleElement()
                    .satisfies(d -> assertThat(d.sources()).hasSize(2));
        }

        @Test
        void countCondition() {
            Harness h = new Harness(temporal("temporal", "    condition: {gte: 2}"));
            h.feed(user(0, 1, "u"), A);
            assertThat(h.feed(user(1, 2, "u"), A)).as("same rule twice").isEmpty();
            assertThat(h.feed(user(2, 3, "u"), C)).hasSize(1);
        }

        @Test
        void orderedRequiresRulesOrderByEventTime() {
            Harness h = new Harness(temporal("temporal_ordered", ""));
            h.feed(user(0, 1, "u"), B);
            h.feed(user(1_000, 2, "u"), A);
            assertThat(h.feed(user(2_000, 3, "u"), C)).as("b before a").isEmpty();
            h.feed(user(3_000, 4, "u"), B);
            assertThat(h.feed(user(4_000, 5, "u"), C)).as("a(1s) b(3s) c(4s)").hasSize(1);
        }

        @Test
        void orderedUsesEventTimeNotArrivalOrder() {
            Harness h = new Harness(temporal("temporal_ordered", ""));
            h.feed(user(30_000, 1, "u"), C);
            h.feed(user(20_000, 2, "u"), B);
            List<Detection> ds = h.feed(user(10_000, 3, "u"), A);
            assertThat(ds).singleElement().satisfies(d -> {
                assertThat(d.timestamp()).isEqualTo(T0.plusSeconds(10));
                assertThat(d.sources())
                        .as("in event-time order")
                        .containsExactly(new SourceRef("f", 3), new SourceRef("f", 2), new SourceRef("f", 1));
            });
        }

        @Test
        void orderedArrivalInOrderButTimesOutOfOrderDoesNotFire() {
            Harness h = new Harness(temporal("temporal_ordered", ""));
            h.feed(user(30_000, 1, "u"), A);
            h.feed(user(20_000, 2, "u"), B);
            assertThat(h.feed(user(40_000, 3, "u"), C)).isEmpty();
        }

        @Test
        void orderedAcceptsEqualTimestamps() {
            Harness h = new Harness(temporal("temporal_ordered", ""));
            h.feed(user(0, 1, "u"), C);
            h.feed(user(0, 2, "u"), B);
            assertThat(h.feed(user(0, 3, "u"), A)).hasSize(1);
        }

        @Test
        void aliasesMapOneGroupByNameToDifferentFieldsPerRule() {
            String rule = """
                    title: Internal error then connection
                    correlation:
                        type: temporal
                        rules: [internal_error, new_network_connection]
                        group-by: [internal_ip, remote_ip]
                        timespan: 10s
                        aliases:
                            internal_ip:
                                internal_error: destination.ip
                                new_network_connection: source.ip
                            remote_ip:
                                internal_error: source.ip
                                new_network_connection: destination.ip
                    """;
            RuleRef error = rule("internal_error");
            RuleRef connection = rule("new_network_connection");
            Harness h = new Harness(rule);
            h.feed(event(0, 1, "destination.ip", "10.0.0.1", "source.ip", "1.2.3.4"), error);
            assertThat(h.feed(event(1_000, 2, "source.ip", "1.2.3.4", "destination.ip", "10.0.0.1"), connection))
                    .as("same fields, not the aliased ones")
                    .isEmpty();
            List<Detection> ds =
                    h.feed(event(2_000, 3, "source.ip", "10.0.0.1", "destination.ip", "1.2.3.4"), connection);
            assertThat(ds)
                    .singleElement()
                    .satisfies(d -> assertThat(d.groupBy())
                            .containsExactly(Map.entry("internal_ip", "10.0.0.1"), Map.entry("remote_ip", "1.2.3.4")));
        }
    }

    @Nested
    class BooleanConditions {
        @Test
        void andNot() {
            String rule = temporal("temporal", "").replace("[rule_a, rule_b, rule_c]", "[rule_a, rule_b]")
                    + "    condition: rule_a and not rule_b\n";
            Harness h = new Harness(rule);
            assertThat(h.feed(user(0, 1, "u"), B)).isEmpty();
            assertThat(h.feed(user(1_000, 2, "u"), A))
                    .as("rule_b seen in the window")
                    .isEmpty();
            assertThat(h.feed(user(0, 3, "v"), A)).as("no rule_b for v").hasSize(1);
            assertThat(h.feed(user(70_000, 4, "u"), A))
                    .as("rule_b left the window")
                    .hasSize(1);
        }

        @Test
        void or() {
            String rule = temporal("temporal", "").replace("[rule_a, rule_b, rule_c]", "[rule_a, rule_b]")
                    + "    condition: rule_a or rule_b\n";
            Harness h = new Harness(rule);
            assertThat(h.feed(user(0, 1, "u"), B)).hasSize(1);
            assertThat(h.feed(user(0, 2, "v"), A)).hasSize(1);
            assertThat(h.feed(user(0, 3, "w"), C)).isEmpty();
        }

        @Test
        void parenthesesAndPrecedence() {
            Harness h = new Harness(temporal("temporal", "    condition: (rule_a or rule_b) and rule_c"));
            assertThat(h.feed(user(0, 1, "u"), A)).isEmpty();
            assertThat(h.feed(user(1, 2, "u"), C)).hasSize(1);
            assertThat(h.feed(user(0, 3, "v"), C)).isEmpty();
            assertThat(h.feed(user(1, 4, "v"), B)).hasSize(1);
        }

        @Test
        void specificationSchemaExampleWithUppercaseAnd() {
            Harness h = new Harness(temporal("temporal_ordered", "    condition: rule_a AND rule_b AND rule_c"));
            h.feed(user(0, 1, "u"), A);
            h.feed(user(1, 2, "u"), B);
            assertThat(h.feed(user(2, 3, "u"), C)).hasSize(1);
        }

        @Test
        void orderedBooleanConditionNeedsTheSeenRulesInOrder() {
            Harness h = new Harness(temporal("temporal_ordered", "    condition: rule_a and rule_c and not rule_b"));
            h.feed(user(1_000, 1, "u"), C);
            assertThat(h.feed(user(2_000, 2, "u"), A)).as("c before a").isEmpty();
            assertThat(h.feed(user(3_000, 3, "u"), C)).as("a(2s) c(3s)").hasSize(1);
        }
    }

    @Nested
    class Chains {
        private static final String OUTER = """
                title: Correlation - Multiple Failed Logins Followed by Successful Login
                id: b180ead8-d58f-40b2-ae54-c8940995b9b6
                level: high
                correlation:
                    type: temporal_ordered
                    rules:
                        - multiple_failed_login
                        - successful_login
                    group-by:
                        - User
                    timespan: 10m
                """;
        private static final String INNER = """
                title: Multiple failed logons
                id: a8418a5a-5fc4-46b5-b23b-6c73beb19d41
                name: multiple_failed_login
                correlation:
                    type: event_count
                    rules:
                        - failed_login
                    group-by:
                        - User
                    timespan: 10m
                    condition:
                        gte: 3
                """;
        private static final RuleRef FAILED_LOGIN = rule("failed_login");
        private static final RuleRef SUCCESS = rule("successful_login");

        @Test
        void specificationExample() {
            Harness h = new Harness(OUTER, INNER);
            for (int i = 0; i < 3; i++) {
                assertThat(h.feed(user(i * 1000L, i, "alice"), FAILED_LOGIN))
                        .as("the inner correlation is not output: only the outermost is")
                        .isEmpty();
            }
            List<Detection> ds = h.feed(user(5_000, 9, "alice"), SUCCESS);
            assertThat(ds).singleElement().satisfies(d -> {
                assertThat(d.rule().id()).isEqualTo("b180ead8-d58f-40b2-ae54-c8940995b9b6");
                assertThat(d.groupBy()).containsExactly(Map.entry("User", "alice"));
                assertThat(d.sources()).extracting(SourceRef::record).containsExactly(0L, 1L, 2L, 9L);
            });
            assertThat(h.engine.detectionRuleReferences()).containsExactly("successful_login", "failed_login");
            assertThat(h.engine.suppressesStandalone(FAILED_LOGIN)).isTrue();
            assertThat(h.engine.suppressesStandalone(correlation(INNER).ref())).isTrue();
            assertThat(h.engine.suppressesStandalone(correlation(OUTER).ref())).isFalse();
        }

        @Test
        void chainedDetectionsOfOneEventComeInDependencyOrder() {
            Harness h = new Harness(OUTER + "generate: true\n", INNER);
            h.feed(user(0, 1, "alice"), SUCCESS); // success before the failures: wrong order
            h.feed(user(1_000, 2, "alice"), FAILED_LOGIN);
            h.feed(user(2_000, 3, "alice"), FAILED_LOGIN);
            h.feed(user(3_000, 4, "alice"), SUCCESS);
            List<Detection> ds = h.feed(user(4_000, 5, "alice"), FAILED_LOGIN, SUCCESS);
            assertThat(ds)
                    .extracting(d -> d.rule().title())
                    .containsExactly(
                            "Multiple failed logons",
                            "Correlation - Multiple Failed Logins Followed by Successful Login");
        }

        @Test
        void referenceByIdAndCountingCorrelationFirings() {
            String outer = eventCount("{gte: 2}", "1h").replace("[failed]", "[a8418a5a-5fc4-46b5-b23b-6c73beb19d41]");
            Harness h = new Harness(outer, INNER.replace("gte: 3", "gte: 1"));
            assertThat(h.feed(user(0, 1, "alice"), FAILED_LOGIN)).isEmpty();
            assertThat(h.feed(user(1, 2, "alice"), FAILED_LOGIN)).hasSize(1);
        }

        @Test
        void cyclesAreRejected() {
            String a = eventCount("{gte: 1}", "1m")
                    .replace("name: many_failed", "name: a")
                    .replace("[failed]", "[b]");
            String b = eventCount("{gte: 1}", "1m")
                    .replace("name: many_failed", "name: b")
                    .replace("[failed]", "[a]");
            assertThatThrownBy(() -> new CorrelationEngine(
                            List.of(correlation(a), correlation(b)),
                            new InMemoryCorrelationStateStore(new ProblemCollector(1)),
                            new ProblemCollector(1)))
                    .isInstanceOf(SigmaException.class)
                    .hasMessageContaining("cycle: a -> b -> a");
            String self = eventCount("{gte: 1}", "1m").replace("[failed]", "[many_failed]");
            assertThatThrownBy(() -> new CorrelationEngine(
                            List.of(correlation(self)),
                            new InMemoryCorrelationStateStore(new ProblemCollector(1)),
                            new ProblemCollector(1)))
                    .isInstanceOf(SigmaException.class)
                    .hasMessage("correlation 'many_failed': correlations refer to each other in a cycle:"
                            + " many_failed -> many_failed");
        }

        @Test
        void duplicateNamesAreRejected() {
            assertThatThrownBy(() -> new CorrelationEngine(
                            List.of(correlation(INNER), correlation(INNER)),
                            new InMemoryCorrelationStateStore(new ProblemCollector(1)),
                            new ProblemCollector(1)))
                    .isInstanceOf(SigmaException.class)
                    .hasMessageContaining("another correlation has the same id or name");
        }
    }

    @Nested
    class Generate {
        @Test
        void suppressesStandaloneOnlyWhenEveryReferencingCorrelationHasGenerateFalse() {
            String quiet = eventCount("{gte: 1}", "1m").replace("[failed]", "[failed, rule_a]");
            String loud = temporal("temporal", "").replace("name: recon", "name: loud") + "generate: true\n";
            Harness h = new Harness(quiet, loud);
            assertThat(h.engine.suppressesStandalone(FAILED)).isTrue();
            assertThat(h.engine.suppressesStandalone(A)).as("loud generates it").isFalse();
            assertThat(h.engine.suppressesStandalone(B)).isFalse();
            assertThat(h.engine.suppressesStandalone(rule("unreferenced"))).isFalse();
        }

        @Test
        void aCorrelationIsOutputLikeADetectionRuleWhenAnyReferrerGeneratesIt() {
            // inner is referenced by a correlation that asks for it (generate: true) and by one that does not.
            String inner = eventCount("{gte: 1}", "1m").replace("name: many_failed", "name: inner");
            String asks = eventCount("{gte: 5}", "1m")
                            .replace("name: many_failed", "name: asks")
                            .replace("[failed]", "[inner]")
                    + "generate: true\n";
            String quiet = eventCount("{gte: 5}", "1m")
                    .replace("name: many_failed", "name: quiet")
                    .replace("[failed]", "[inner]");
            Harness h = new Harness(inner, asks, quiet);

            assertThat(h.feed(user(0, 1, "u"), FAILED))
                    .extracting(d -> d.rule().name())
                    .containsExactly("inner");
            assertThat(h.engine.suppressesStandalone(correlation(inner).ref())).isFalse();
        }
    }

    @Test
    void severalCorrelationsFireInTheirGivenOrder() {
        String first = eventCount("{gte: 1}", "1m").replace("name: many_failed", "name: first");
        String second = eventCount("{gte: 1}", "1m").replace("name: many_failed", "name: second");
        Harness h = new Harness(second, first);
        assertThat(h.feed(user(0, 1, "u"), FAILED))
                .extracting(d -> d.rule().name())
                .containsExactly("second", "first");
    }
}
