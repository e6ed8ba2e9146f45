package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.Problem;
import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A correlation that conflicts with others is reported and left out; the rest of the rule set's correlations stay. */
class CorrelationCheckTest {
    private static final String DETECTION = """
            title: failed logon
            name: failed_logon
            logsource: {product: windows, service: security}
            detection:
                selection: {EventID: 4625}
                condition: selection
            """;

    private static String correlation(String header, String rules) {
        return header + """

                correlation:
                    type: event_count
                    rules: [%s]
                    group-by: [IpAddress]
                    timespan: 1m
                    condition: {gte: 2}
                """.formatted(rules);
    }

    private static List<String> firedTitles(SigmaRuleSet rules) {
        SigmaDetector detector = new SigmaDetector(rules);
        List<String> titles = new ArrayList<>();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 2; i++) {
            Event e = Event.builder()
                    .tenant(TenantId.DEFAULT)
                    .field("EventID", 4625L)
                    .field("IpAddress", "10.0.0.1")
                    .logSource(new LogSource("windows", Set.of(), Set.of("security")))
                    .timestamp(t.plusSeconds(i))
                    .build();
            detector.process(e, d -> titles.add(d.rule().title()));
        }
        return titles;
    }

    @Test
    void aSecondCorrelationWithTheSameKeyIsLeftOutAlone() {
        SigmaRuleSet rules = SigmaRuleSet.builder()
                .addYaml("rule.yml", DETECTION)
                .addYaml("first.yml", correlation("title: brute force", "failed_logon"))
                .addYaml("second.yml", correlation("title: brute force", "failed_logon"))
                .addYaml("other.yml", correlation("title: other brute force\nname: other", "failed_logon"))
                .build();

        assertThat(rules.report().errors()).extracting(Problem::source).containsExactly("second.yml");
        assertThat(rules.report().errors().get(0).message()).contains("same id or name 'brute force'");
        assertThat(firedTitles(rules)).containsExactly("brute force", "other brute force");
    }

    @Test
    void aCycleCostsOnlyTheCorrelationsInIt() {
        SigmaRuleSet rules = SigmaRuleSet.builder()
                .addYaml("rule.yml", DETECTION)
                .addYaml("a.yml", correlation("title: a\nname: a", "b"))
                .addYaml("b.yml", correlation("title: b\nname: b", "a"))
                .addYaml("good.yml", correlation("title: good\nname: good", "failed_logon"))
                .build();

        assertThat(rules.report().errors()).extracting(Problem::source).containsExactlyInAnyOrder("a.yml", "b.yml");
        assertThat(rules.report().errors())
                .anySatisfy(p -> assertThat(p.message()).contains("cycle"))
                .anySatisfy(p -> assertThat(p.message()).contains("refers to 'b'"));
        assertThat(firedTitles(rules)).containsExactly("good");
    }

    @Test
    void aDecimalThresholdIsANumber() {
        String avg = """
                title: slow logons
                correlation:
                    type: value_avg
                    rules: [failed_logon]
                    group-by: [IpAddress]
                    timespan: 1m
                    condition: {field: EventID, gt: 4624.5}
                """;
        SigmaRuleSet rules = SigmaRuleSet.builder()
                .addYaml("rule.yml", DETECTION)
                .addYaml("avg.yml", avg)
                .build();

        assertThat(rules.report().errors()).isEmpty();
        assertThat(firedTitles(rules)).containsExactly("slow logons", "slow logons");
    }

    @Test
    void correlationFieldsAreMappedAsTheReferencedRulesFieldsAre() throws SigmaException {
        // An ECS pipeline whose mapping applies to Windows rules only; the correlation itself has no log source.
        FieldMapping ecs = FieldMapping.fromPipelineYaml("""
                name: ecs
                transformations:
                  - type: field_name_mapping
                    mapping:
                      EventID: winlog.event_id
                      IpAddress: [source.ip, winlog.event_data.IpAddress]
                    rule_conditions:
                      - type: logsource
                        product: windows
                """, "ecs.yml");
        SigmaRuleSet rules = SigmaRuleSet.builder()
                .fieldMapping(ecs)
                .addYaml("rule.yml", DETECTION)
                .addYaml("burst.yml", correlation("title: brute force", "failed_logon"))
                .build();
        SigmaDetector detector = new SigmaDetector(rules);
        List<Detection> detections = new ArrayList<>();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 2; i++) {
            // The second name of the IpAddress mapping is the one these events have.
            detector.process(
                    Event.builder()
                            .tenant(TenantId.DEFAULT)
                            .field("winlog.event_id", 4625L)
                            .field("winlog.event_data.IpAddress", "10.0.0.1")
                            .logSource(new LogSource("windows", Set.of(), Set.of("security")))
                            .timestamp(t.plusSeconds(i))
                            .build(),
                    detections::add);
        }

        assertThat(detections).singleElement().satisfies(d -> {
            assertThat(d.rule().title()).isEqualTo("brute force");
            assertThat(d.groupBy()).isEqualTo(Map.of("IpAddress", "10.0.0.1"));
        });
    }
}
