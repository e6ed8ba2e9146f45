package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The candidate index files a rule under up to two independent literal sets and evaluates it only when both occur. */
class TriggerGroupsTest {
    private static final String TWO_PARTS = """
            selection_img:
              Image|endswith: '\\\\rundll32.exe'
            selection_cli:
              CommandLine|contains:
                - 'javascript:'
                - 'vbscript:'
            filter:
              User: 'SYSTEM'
            condition: selection_img and selection_cli and not filter
            """;

    @Test
    void anAndOfTwoPartsWithLiteralsGivesTwoGroups() {
        CompiledRule rule = RuleTesting.compile(TWO_PARTS).index().rule(0);
        assertThat(rule.triggerGroups()).hasSize(2);
        assertThat(rule.triggerGroups())
                .extracting(g -> g.get(0).field())
                .containsExactlyInAnyOrder("Image", "CommandLine");
        assertThat(rule.triggerGroups().stream()
                        .filter(g -> g.get(0).field().equals("CommandLine"))
                        .findFirst()
                        .orElseThrow())
                .extracting(CompiledRule.Trigger::literal)
                .containsExactly("javascript:", "vbscript:");
    }

    @Test
    void theRuleIsEvaluatedOnlyWhenEveryGroupSawALiteral() {
        SigmaDetector detector = new SigmaDetector(RuleTesting.compile(TWO_PARTS));
        String rundll = "C:\\Windows\\System32\\rundll32.exe";

        assertThat(detector.process(RuleTesting.event("Image", rundll, "CommandLine", "rundll32.exe shell32.dll")))
                .isEmpty();
        assertThat(detector.rulesEvaluated())
                .as("only the Image group saw its literal")
                .isZero();

        assertThat(detector.process(RuleTesting.event("Image", "C:\\x\\cmd.exe", "CommandLine", "javascript:alert")))
                .isEmpty();
        assertThat(detector.rulesEvaluated())
                .as("only the CommandLine group saw its literal")
                .isZero();

        assertThat(detector.process(RuleTesting.event(
                        "Image", rundll, "CommandLine", "rundll32.exe VBScript:Close(Execute(\"x\"))")))
                .hasSize(1);
        assertThat(detector.rulesEvaluated()).isEqualTo(1);

        // Both literals, but the Image one not at the end and the filter holding: evaluated, and no match.
        assertThat(detector.process(
                        RuleTesting.event("Image", rundll + ".bak", "CommandLine", "javascript:x", "User", "SYSTEM")))
                .isEmpty();
        assertThat(detector.rulesEvaluated()).isEqualTo(2);

        // Literals in a list-valued field count as in a single value.
        assertThat(detector.process(RuleTesting.event("Image", List.of("x", rundll), "CommandLine", "javascript:x")))
                .hasSize(1);
        assertThat(detector.rulesEvaluated()).isEqualTo(3);
    }

    @Test
    void anOrNeedsOneLiteralOfEitherSideAndANegationNone() {
        CompiledRule or = RuleTesting.compile("""
                        a:
                          Image|endswith: '\\\\a.exe'
                          CommandLine|contains: 'alpha'
                        b:
                          Image|endswith: '\\\\b.exe'
                        condition: a or b
                        """).index().rule(0);
        assertThat(or.triggerGroups()).hasSize(1);
        assertThat(or.triggerGroups().get(0))
                .extracting(CompiledRule.Trigger::literal)
                .contains("\\b.exe");

        CompiledRule negated = RuleTesting.compile("""
                        a:
                          Image|endswith: '\\\\a.exe'
                        condition: not a
                        """).index().rule(0);
        assertThat(negated.triggerGroups()).isNull();
    }
}
