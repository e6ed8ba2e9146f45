package dev.vigil.sigma;

import static dev.vigil.sigma.RuleTesting.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Global filters (meta-filters): applied to the rules they name, for their log source. */
class FilterTest {
    private static final String RULE = """
            title: Whoami
            id: 11111111-2222-4333-8444-555555555555
            name: whoami_rule
            logsource:
              product: windows
              category: process_creation
            detection:
              selection:
                CommandLine|contains: whoami
              condition: selection
            """;
    private static final String OTHER = """
            title: Net
            id: 99999999-2222-4333-8444-555555555555
            logsource:
              product: windows
              category: process_creation
            detection:
              selection:
                CommandLine|contains: whoami
              condition: selection
            """;

    private static String filter(String rules, String logsourceCategory) {
        return """
                title: Ignore the backup account
                id: 0e95725d-7320-415d-80f7-004da920fc11
                logsource:
                  product: windows
                  category: %s
                filter:
                  rules:
                %s
                  selection:
                    User|startswith: 'svc_backup'
                  condition: not selection
                """.formatted(logsourceCategory, rules);
    }

    private static Event run(String user) {
        return Event.builder()
                .logSource(new LogSource("windows", Set.of("process_creation"), Set.of()))
                .field("CommandLine", "whoami /all")
                .field("User", user)
                .build();
    }

    private static java.util.List<String> fired(String filterYaml, String user) {
        SigmaRuleSet set = SigmaRuleSet.builder()
                .addYaml("rule.yml", RULE)
                .addYaml("other.yml", OTHER)
                .addYaml("filter.yml", filterYaml)
                .build();
        assertThat(set.report().errors()).isEmpty();
        return new SigmaDetector(set)
                .process(run(user)).stream().map(d -> d.rule().title()).toList();
    }

    @Test
    void appliesToTheRulesItNamesById() {
        String f = filter("    - 11111111-2222-4333-8444-555555555555", "process_creation");
        assertThat(fired(f, "svc_backup01")).containsExactly("Net");
        assertThat(fired(f, "alice")).containsExactly("Whoami", "Net");
    }

    @Test
    void appliesByRuleName() {
        assertThat(fired(filter("    - whoami_rule", "process_creation"), "svc_backup01"))
                .containsExactly("Net");
    }

    @Test
    void anyAppliesToEveryRuleOfTheLogSource() {
        String f = filter("", "process_creation").replace("  rules:\n\n", "  rules: any\n");
        assertThat(fired(f, "svc_backup01")).isEmpty();
    }

    @Test
    void aFilterOfAnotherLogSourceDoesNotApply() {
        String f = filter("    - 11111111-2222-4333-8444-555555555555", "registry_set");
        assertThat(fired(f, "svc_backup01")).containsExactly("Whoami", "Net");
    }

    @Test
    void aBrokenFilterIsReportedAndTheRulesStillLoad() {
        SigmaRuleSet set = SigmaRuleSet.builder()
                .addYaml("rule.yml", RULE)
                .addYaml(
                        "bad-filter.yml",
                        filter("    - whoami_rule", "process_creation")
                                .replace("condition: not selection", "condition: not selektion"))
                .build();
        assertThat(set.report().failed()).isEqualTo(1);
        assertThat(set.report().errors().get(0).source()).isEqualTo("bad-filter.yml");
        assertThat(set.report().errors().get(0).message()).contains("selektion");
        assertThat(RuleTesting.matches(set, event("CommandLine", "whoami"))).isTrue();
    }
}
