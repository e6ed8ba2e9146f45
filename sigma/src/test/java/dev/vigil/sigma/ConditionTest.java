package dev.vigil.sigma;

import static dev.vigil.sigma.RuleTesting.error;
import static dev.vigil.sigma.RuleTesting.matches;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every condition form: boolean operators with precedence, parentheses, quantifiers and condition lists. */
class ConditionTest {
    private static final String SELECTIONS =
            "selection_a:\n  A: 1\nselection_b:\n  B: 1\nfilter_c:\n  C: 1\n_private:\n  D: 1\n";

    private static boolean eval(String condition, int a, int b, int c, int d) {
        return matches(
                SELECTIONS + "condition: " + condition, "A", (long) a, "B", (long) b, "C", (long) c, "D", (long) d);
    }

    @Test
    void andOrNotWithPrecedence() {
        // not binds tighter than and, and tighter than or
        assertThat(eval("selection_a or selection_b and filter_c", 1, 0, 0, 0)).isTrue();
        assertThat(eval("selection_a or selection_b and filter_c", 0, 1, 0, 0)).isFalse();
        assertThat(eval("not selection_a and selection_b", 0, 1, 0, 0)).isTrue();
        assertThat(eval("not selection_a and selection_b", 1, 1, 0, 0)).isFalse();
        assertThat(eval("not not selection_a", 1, 0, 0, 0)).isTrue();
    }

    @Test
    void parentheses() {
        assertThat(eval("(selection_a or selection_b) and filter_c", 0, 1, 0, 0))
                .isFalse();
        assertThat(eval("(selection_a or selection_b) and filter_c", 0, 1, 1, 0))
                .isTrue();
        assertThat(eval("not (selection_a or selection_b)", 0, 0, 0, 0)).isTrue();
        assertThat(eval("not (selection_a or selection_b)", 0, 1, 0, 0)).isFalse();
    }

    @Test
    void quantifiersOverPatterns() {
        assertThat(eval("1 of selection_*", 0, 1, 0, 0)).isTrue();
        assertThat(eval("any of selection_*", 0, 0, 0, 0)).isFalse();
        assertThat(eval("all of selection_*", 1, 0, 0, 0)).isFalse();
        assertThat(eval("all of selection_*", 1, 1, 0, 0)).isTrue();
        assertThat(eval("all of selection_* and not 1 of filter_*", 1, 1, 0, 0)).isTrue();
        assertThat(eval("all of selection_* and not 1 of filter_*", 1, 1, 1, 0)).isFalse();
        assertThat(eval("1 of *_b", 0, 1, 0, 0)).isTrue();
    }

    @Test
    void themExcludesUnderscoreIdentifiers() {
        assertThat(eval("1 of them", 0, 0, 0, 1)).isFalse();
        assertThat(eval("1 of them", 0, 0, 1, 0)).isTrue();
        assertThat(eval("all of them", 1, 1, 1, 0)).isTrue();
        assertThat(eval("all of them", 1, 1, 0, 1)).isFalse();
        assertThat(eval("1 of _priv*", 0, 0, 0, 1)).isTrue();
    }

    @Test
    void conditionListsAreAlternatives() {
        String d = SELECTIONS + "condition:\n  - selection_a\n  - selection_b";
        assertThat(matches(d, "A", 0L, "B", 1L)).isTrue();
        assertThat(matches(d, "A", 0L, "B", 0L)).isFalse();
    }

    @Test
    void keywordsAreCaseInsensitive() {
        assertThat(eval("selection_a AND NOT selection_b", 1, 0, 0, 0)).isTrue();
    }

    @Test
    void errorsNameTheProblem() {
        assertThat(error(SELECTIONS + "condition: selection_a and").message()).contains("ends too early");
        assertThat(error(SELECTIONS + "condition: (selection_a").message()).contains("closing ')'");
        assertThat(error(SELECTIONS + "condition: selection_z").message()).contains("'selection_z'");
        assertThat(error(SELECTIONS + "condition: 1 of nothing_*").message()).contains("matches no search identifier");
        assertThat(error(SELECTIONS + "condition: 2 of selection_*").message()).contains("'2 of'");
        assertThat(error(SELECTIONS + "condition: selection_a | count() > 5").message())
                .contains("aggregation");
        assertThat(error(SELECTIONS).message()).contains("condition is missing");
    }
}
