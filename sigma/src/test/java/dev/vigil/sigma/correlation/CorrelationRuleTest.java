package dev.vigil.sigma.correlation;

import static dev.vigil.sigma.correlation.Fixtures.correlation;
import static dev.vigil.sigma.correlation.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.sigma.SigmaException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CorrelationRuleTest {
    private static final String EVENT_COUNT = """
            title: Many failed logins
            id: 0e95725d-7320-415d-80f7-004da920fc11
            name: many_failed
            level: high
            tags: [attack.t1110]
            correlation:
                type: event_count
                rules:
                    - 5638f7c0-ac70-491d-8465-2a65075e0d86
                group-by:
                    - ComputerName
                timespan: 1h
                condition:
                    gte: 100
            """;

    private static SigmaException parseError(String text) {
        try {
            CorrelationRule.parse(yaml(text), "bad.yml");
        } catch (SigmaException e) {
            return e;
        }
        throw new AssertionError("parsed: " + text);
    }

    /** The event_count example with {@code correlation.<key>} replaced (or removed when {@code value} is null). */
    private static String eventCountWith(String key, String value) {
        StringBuilder sb = new StringBuilder("title: t\ncorrelation:\n");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("type", "event_count");
        fields.put("rules", "[a]");
        fields.put("group-by", "[User]");
        fields.put("timespan", "5m");
        fields.put("condition", "{gte: 2}");
        fields.put(key, value);
        fields.forEach((k, v) -> {
            if (v != null) {
                sb.append("    ").append(k).append(": ").append(v).append('\n');
            }
        });
        return sb.toString();
    }

    @Test
    void parsesTheSpecificationsEventCountExample() {
        CorrelationRule r = correlation(EVENT_COUNT);
        assertThat(r.type()).isEqualTo(CorrelationRule.Type.EVENT_COUNT);
        assertThat(r.ruleReferences()).containsExactly("5638f7c0-ac70-491d-8465-2a65075e0d86");
        assertThat(r.timespan()).isEqualTo(Duration.ofHours(1));
        assertThat(r.generate()).isFalse();
        assertThat(r.groupBy()).containsExactly("ComputerName");
        assertThat(r.threshold().test(99)).isFalse();
        assertThat(r.threshold().test(100)).isTrue();
        assertThat(r.ref().id()).isEqualTo("0e95725d-7320-415d-80f7-004da920fc11");
        assertThat(r.ref().name()).isEqualTo("many_failed");
        assertThat(r.ref().title()).isEqualTo("Many failed logins");
        assertThat(r.ref().level()).isEqualTo("high");
        assertThat(r.ref().tags()).containsExactly("attack.t1110");
        assertThat(r.ref().file()).isEqualTo("test.yml");
    }

    @Test
    void parsesEveryTypeOfTheSpecificationsSchemaTests() {
        String[] docs = {"""
            title: Failed login
            correlation:
                type: value_count
                rules: [5638f7c0-ac70-491d-8465-2a65075e0d86]
                group-by: [ComputerName, WorkstationName]
                timespan: 1d
                condition:
                    field: User
                    gte: 100
            """, """
            title: Recon
            correlation:
                type: temporal
                rules: [recon_cmd_a, recon_cmd_b, recon_cmd_c]
                group-by: [ComputerName, User]
                timespan: 5m
            """, """
            title: Recon ordered
            correlation:
                type: temporal_ordered
                rules: [recon_cmd_a, recon_cmd_b, recon_cmd_c]
                group-by: [ComputerName, User]
                timespan: 5m
            """, """
            title: Possible Exfiltration to Website
            correlation:
                type: value_sum
                rules: [website_access]
                group-by: [SourceIP, User]
                timespan: 1h
                condition:
                    field: bytes_sent
                    gt: 1000000
            """, """
            title: Suspicious average network traffic
            correlation:
                type: value_avg
                rules: [rule_a_id]
                group-by: [SourceIP, User]
                timespan: 24h
                condition:
                    field: BytesOut
                    gt: 500
            """, """
            title: rare process
            correlation:
                type: value_percentile
                rules: [process_creation]
                group-by: [ComputerName]
                timespan: 24h
                condition:
                    field: Image
                    lte: 1
            """, """
            title: median
            correlation:
                type: value_median
                rules: [process_creation]
                group-by: [ComputerName]
                timespan: 24h
                condition:
                    field: Size
                    gt: 1.5
            """};
        List<CorrelationRule.Type> types = new ArrayList<>();
        for (String d : docs) {
            types.add(correlation(d).type());
        }
        assertThat(types)
                .containsExactly(
                        CorrelationRule.Type.VALUE_COUNT,
                        CorrelationRule.Type.TEMPORAL,
                        CorrelationRule.Type.TEMPORAL_ORDERED,
                        CorrelationRule.Type.VALUE_SUM,
                        CorrelationRule.Type.VALUE_AVG,
                        CorrelationRule.Type.VALUE_PERCENTILE,
                        CorrelationRule.Type.VALUE_MEDIAN);
        CorrelationRule temporal = correlation(docs[1]);
        assertThat(temporal.threshold().test(2)).isFalse();
        assertThat(temporal.threshold().test(3)).as("default: all rules").isTrue();
        assertThat(correlation(docs[5]).percentile()).isEqualTo(50);
        assertThat(correlation(docs[6]).percentile()).isEqualTo(50);
    }

    @ParameterizedTest
    @CsvSource({
        "30s, PT30S",
        "5m, PT5M",
        "90m, PT1H30M",
        "2h, PT2H",
        "1d, PT24H",
        "1w, PT168H",
        "1M, PT730H29M6S",
        "1y, PT8765H49M12S"
    })
    void timespanUnits(String timespan, String expected) {
        assertThat(correlation(eventCountWith("timespan", timespan)).timespan()).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5x", "0m", "-1m", "1H", "1.5h", "m", "5", "'5 m'", "1ms", "99999999999s"})
    void badTimespansAreNamed(String timespan) {
        assertThat(parseError(eventCountWith("timespan", timespan)))
                .hasMessageStartingWith("correlation.timespan: '")
                .hasMessageContaining("is not a duration");
    }

    @Test
    void badDurationMessageQuotesTheValue() {
        assertThat(parseError(eventCountWith("timespan", "5x")))
                .hasMessageStartingWith("correlation.timespan: '5x' is not a duration");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "type|correlation.type: missing",
                "rules|correlation.rules: missing",
                "group-by|correlation.group-by: missing",
                "timespan|correlation.timespan: missing",
                "condition|correlation.condition: missing (required for event_count)"
            })
    void everyRequiredCorrelationFieldIsNamedWhenMissing(String field, String message) {
        assertThat(parseError(eventCountWith(field, null))).hasMessage(message);
    }

    @Test
    void titleAndCorrelationSectionAreRequired() {
        assertThat(parseError("correlation: {type: temporal, rules: [a], group-by: [x], timespan: 1m}"))
                .hasMessage("title: missing");
        assertThat(parseError("title: t")).hasMessage("correlation: missing");
        assertThat(parseError("title: t\ncorrelation: [a]")).hasMessage("correlation: must be a map, not a list");
    }

    @Test
    void valueTypesNeedAField() {
        for (String type : List.of("value_count", "value_sum", "value_avg", "value_percentile", "value_median")) {
            assertThat(parseError(eventCountWith("type", type)))
                    .hasMessage("correlation.condition.field: missing (required for " + type + ")");
        }
    }

    @Test
    void unknownTypeIsNamed() {
        assertThat(parseError(eventCountWith("type", "event_counter")))
                .hasMessageStartingWith(
                        "correlation.type: 'event_counter' is not a correlation type (one of [event_count,");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{gte: many}|correlation.condition.gte: 'many' is not a number",
                "{gte: .nan}|correlation.condition.gte: 'NaN' is not a number",
                "{above: 3}|correlation.condition: 'above' is not a condition operator",
                "{GTE: 3}|correlation.condition: operator 'GTE' must be lowercase",
                "{}|correlation.condition: needs an operator",
                "{field: User, gte: 3}|correlation.condition.field: not allowed for a event_count correlation",
                "{percentile: 90, gte: 3}|correlation.condition.percentile: only allowed for a value_percentile",
                "[gte, 3]|correlation.condition: must be a map",
                "a and b|correlation.condition: a boolean expression is only allowed for temporal"
            })
    void badConditionsAreNamed(String condition, String message) {
        assertThat(parseError(eventCountWith("condition", condition))).hasMessageStartingWith(message);
    }

    @Test
    void rangeConditionJoinsOperatorsWithAnd() {
        CorrelationRule r = correlation(eventCountWith("condition", "{gt: 100, lte: 200}"));
        assertThat(r.threshold().test(100)).isFalse();
        assertThat(r.threshold().test(101)).isTrue();
        assertThat(r.threshold().test(200)).isTrue();
        assertThat(r.threshold().test(201)).isFalse();
    }

    @Test
    void percentileMustBeBetweenZeroAndHundred() {
        String text = """
                title: p
                correlation:
                    type: value_percentile
                    rules: [a]
                    group-by: [h]
                    timespan: 1h
                    condition: {field: Size, percentile: %s, gt: 5}
                """;
        assertThat(correlation(text.formatted("95")).percentile()).isEqualTo(95);
        assertThat(parseError(text.formatted("101")))
                .hasMessage("correlation.condition.percentile: '101' is not a number from 0 to 100");
        assertThat(parseError(text.formatted("high")))
                .hasMessage("correlation.condition.percentile: 'high' is not a number from 0 to 100");
    }

    @Test
    void severalFieldsOnlyForValueCount() {
        String text = """
                title: p
                correlation:
                    type: %s
                    rules: [a]
                    group-by: [h]
                    timespan: 1h
                    condition: {field: [User, Domain], gt: 5}
                """;
        assertThat(correlation(text.formatted("value_count")).fields()).containsExactly("User", "Domain");
        assertThat(parseError(text.formatted("value_sum")))
                .hasMessage("correlation.condition.field: a value_sum correlation takes one field, not [User, Domain]");
    }

    @Test
    void otherFieldsAreChecked() {
        assertThat(parseError(eventCountWith("rules", "[]")))
                .hasMessage("correlation.rules: must name at least one rule");
        assertThat(parseError(eventCountWith("rules", "[a, a]")))
                .hasMessage("correlation.rules: duplicate reference in [a, a]");
        assertThat(parseError(eventCountWith("rules", "{a: 1}")))
                .hasMessage("correlation.rules: must be a list of strings, not a map");
        assertThat(parseError(eventCountWith("group-by", "[User, User]")))
                .hasMessage("correlation.group-by: duplicate field in [User, User]");
        assertThat(parseError(eventCountWith("generate", "yes please")))
                .hasMessage("generate: must be true or false, not 'yes please'");
        assertThat(parseError(eventCountWith("aliases", "{ip: {b: source.ip}}")))
                .hasMessage("correlation.aliases.ip: 'b' is not in correlation.rules [a]");
        assertThat(parseError(eventCountWith("aliases", "{ip: [a]}")))
                .hasMessage("correlation.aliases.ip: must be a non-empty map of rule name to field name");
        assertThat(correlation(eventCountWith("group-by", "[]")).groupBy()).isEmpty();
    }

    @Test
    void generateIsReadAtTheTopLevelAsInTheSpecification() {
        assertThat(correlation(EVENT_COUNT + "generate: true\n").generate()).isTrue();
        assertThat(correlation(eventCountWith("generate", "true")).generate())
                .as("inside correlation:, as pySigma reads it")
                .isTrue();
    }

    @Test
    void temporalBooleanConditions() {
        String text = """
                title: t
                correlation:
                    type: temporal
                    rules: [rule_a, rule_b, rule_c]
                    group-by: [User]
                    timespan: 5m
                    condition: %s
                """;
        CorrelationRule r = correlation(text.formatted("rule_a and not rule_b or rule_c"));
        TemporalExpression e = r.expression();
        assertThat(r.threshold()).isNull();
        assertThat(e.references()).containsExactly("rule_a", "rule_b", "rule_c");
        // not > and > or: (rule_a and (not rule_b)) or rule_c
        assertThat(e.test(Set.of("rule_a")::contains)).isTrue();
        assertThat(e.test(Set.of("rule_a", "rule_b")::contains)).isFalse();
        assertThat(e.test(Set.of("rule_b", "rule_c")::contains)).isTrue();
        TemporalExpression grouped =
                correlation(text.formatted("rule_a and not (rule_b or rule_c)")).expression();
        assertThat(grouped.test(Set.of("rule_a", "rule_c")::contains)).isFalse();
        assertThat(grouped.test(Set.of("rule_a")::contains)).isTrue();
        TemporalExpression upper =
                correlation(text.formatted("rule_a AND rule_b AND rule_c")).expression();
        assertThat(upper.test(Set.of("rule_a", "rule_b", "rule_c")::contains)).isTrue();
        assertThat(upper.test(Set.of("rule_a", "rule_b")::contains)).isFalse();
    }

    @Test
    void temporalBooleanConditionNamesTheRulesWhenRulesAreOmitted() {
        CorrelationRule r = correlation("""
                title: t
                correlation:
                    type: temporal_ordered
                    group-by: [User]
                    timespan: 5m
                    condition: login-attempt and not password-change
                """);
        assertThat(r.ruleReferences()).containsExactly("login-attempt", "password-change");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "rule_a and rule_b|rules [rule_c] are in correlation.rules but not in the condition",
                "rule_a and rule_b and rule_c and rule_d|[rule_d] in 'rule_a and rule_b and rule_c and rule_d' are not",
                "rule_a and (rule_b or rule_c|is not a valid boolean condition: missing ')'",
                "rule_a and or rule_b rule_c|is not a valid boolean condition: unexpected 'or'",
                "rule_a rule_b rule_c|is not a valid boolean condition: unexpected 'rule_b'",
                "rule_a and rule_b and|is not a valid boolean condition: ends where a rule name",
                "\"  \"|is not a valid boolean condition: empty"
            })
    void badTemporalBooleanConditions(String condition, String message) {
        assertThat(parseError("""
                        title: t
                        correlation:
                            type: temporal
                            rules: [rule_a, rule_b, rule_c]
                            group-by: [User]
                            timespan: 5m
                            condition: %s
                        """.formatted(condition)))
                .hasMessageStartingWith("correlation.condition: ")
                .hasMessageContaining(message);
    }

    @Test
    void parseDoesNotAcceptNull() {
        assertThatThrownBy(() -> CorrelationRule.parse(null, "x")).isInstanceOf(NullPointerException.class);
    }
}
