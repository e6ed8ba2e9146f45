package dev.vigil.intel.stix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.intel.stix.StixPattern.ComparisonGroup;
import dev.vigil.intel.stix.StixPattern.ObservationExpression;
import dev.vigil.intel.stix.StixPattern.ObservationGroup;
import dev.vigil.intel.stix.StixPattern.Test;
import java.util.List;

class StixPatternTest {
    @org.junit.jupiter.api.Test
    void aSimpleComparison() throws Exception {
        ObservationExpression o = (ObservationExpression) StixPattern.parse("[file:hashes.'SHA-256' = 'ab\\'c']");
        Test t = (Test) o.comparison();
        assertThat(t.objectType()).isEqualTo("file");
        assertThat(t.path()).containsExactly("hashes", "SHA-256");
        assertThat(t.operator()).isEqualTo("=");
        assertThat(t.values()).extracting(StixPattern.Literal::text).containsExactly("ab'c");
    }

    @org.junit.jupiter.api.Test
    void andBindsTighterThanOrInsideAnObservation() throws Exception {
        ObservationExpression o = (ObservationExpression) StixPattern.parse(
                "[domain-name:value = 'a.com' OR ipv4-addr:value = '1.2.3.4' AND ipv4-addr:value != '5.6.7.8']");
        ComparisonGroup or = (ComparisonGroup) o.comparison();
        assertThat(or.and()).isFalse();
        assertThat(or.children()).hasSize(2);
        assertThat(((ComparisonGroup) or.children().get(1)).and()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void everyOperatorAndLiteralKindParses() throws Exception {
        String pattern = "[file:size > 10 AND file:size <= 2048 AND file:name NOT LIKE 'a%'"
                + " AND file:name MATCHES '^x' AND ipv4-addr:value ISSUBSET '10.0.0.0/8'"
                + " AND network-traffic:dst_port IN (80, 443) AND file:x_flag = true AND file:ctime = t'2020-01-01T00:00:00Z'"
                + " AND file:magic = h'ffd8' AND file:data = b'AAAA' AND file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.5"
                + " AND EXISTS file:name AND (file:name = 'a' OR file:name = 'b')]";
        ObservationExpression o = (ObservationExpression) StixPattern.parse(pattern);
        ComparisonGroup and = (ComparisonGroup) o.comparison();
        assertThat(and.children()).hasSize(13);
        Test notLike = (Test) and.children().get(2);
        assertThat(notLike.negated()).isTrue();
        assertThat(notLike.operator()).isEqualTo("LIKE");
        Test in = (Test) and.children().get(5);
        assertThat(in.values()).extracting(StixPattern.Literal::kind).containsExactly("int", "int");
        Test sections = (Test) and.children().get(10);
        assertThat(sections.pathText()).isEqualTo("extensions.windows-pebinary-ext.sections[*].entropy");
    }

    @org.junit.jupiter.api.Test
    void observationOperatorsAndQualifiers() throws Exception {
        ObservationGroup g = (ObservationGroup)
                StixPattern.parse("([ipv4-addr:value = '1.1.1.1'] AND [domain-name:value = 'a.com']) WITHIN 300 SECONDS"
                        + " FOLLOWEDBY [url:value = 'http://a.com/'] REPEATS 5 TIMES"
                        + " OR [file:name = 'x'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'");
        assertThat(g.operator()).isEqualTo("FOLLOWEDBY");
        ObservationGroup within = (ObservationGroup) g.children().get(0);
        assertThat(within.qualifiers()).containsExactly("WITHIN 300 SECONDS");
        ObservationGroup or = (ObservationGroup) g.children().get(1);
        assertThat(or.operator()).isEqualTo("OR");
        assertThat(((ObservationExpression) or.children().get(0)).qualifiers()).containsExactly("REPEATS 5 TIMES");
        assertThat(((ObservationExpression) or.children().get(1)).qualifiers())
                .containsExactly("START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'");
    }

    @org.junit.jupiter.api.Test
    void malformedPatternsAreRejectedWithThePosition() {
        for (String bad : List.of(
                "[ipv4-addr:value = '1.2.3.4'",
                "ipv4-addr:value = '1.2.3.4'",
                "[ipv4-addr:value '1.2.3.4']",
                "[ipv4-addr:value = '1.2.3.4]",
                "[ipv4-addr = '1.2.3.4']",
                "[ipv4-addr:value = '1.2.3.4'] AND",
                "[a:b = 'x'] WITHIN x SECONDS",
                "[a:b = 'x'] ]",
                "[a:b = 'x' AND]",
                "[a:b IN ('x',]",
                "[a:b = 'x' # ]",
                "")) {
            assertThatThrownBy(() -> StixPattern.parse(bad))
                    .as(bad)
                    .isInstanceOf(StixPatternException.class)
                    .hasMessageContaining("position");
        }
    }

    @org.junit.jupiter.api.Test
    void deepNestingIsRefused() {
        String deep = "(".repeat(500) + "[a:b = 'x']" + ")".repeat(500);
        assertThatThrownBy(() -> StixPattern.parse(deep)).hasMessageContaining("nested too deeply");
    }
}
