package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Problem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rule files are parsed in parallel, yet a rule set must come out the same for the same input: its rules, and the
 * errors of the files that fail, in the order the files were added.
 */
class RuleSetOrderTest {
    @Test
    void rulesAndErrorsKeepTheOrderOfTheirFiles() {
        SigmaRuleSet.Builder b = SigmaRuleSet.builder();
        List<String> expectedRules = new ArrayList<>();
        List<String> expectedErrors = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String file = "r" + i + ".yml";
            if (i % 7 == 3) {
                b.addYaml(file, "title: [unclosed\n");
                expectedErrors.add(file);
            } else {
                b.addYaml(file, """
                        title: rule %d
                        logsource:
                          product: windows
                        detection:
                          selection:
                            Image|endswith: '\\\\r%d.exe'
                          condition: selection
                        """.formatted(i, i));
                expectedRules.add("rule " + i);
            }
        }
        SigmaRuleSet rules = b.build();
        assertThat(rules.rules().stream().map(RuleRef::title).toList()).isEqualTo(expectedRules);
        assertThat(rules.report().errors().stream().map(Problem::source).toList())
                .isEqualTo(expectedErrors);
        assertThat(rules.report().failed()).isEqualTo(expectedErrors.size());
        assertThat(rules.report().errors())
                .allSatisfy(p -> assertThat(p.message()).startsWith("invalid YAML"));
    }
}
