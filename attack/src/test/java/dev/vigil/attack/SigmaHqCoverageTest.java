package dev.vigil.attack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.testing.Corpus;
import dev.vigil.sigma.SigmaRuleSet;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The coverage layer of the SigmaHQ rules over the real Enterprise bundle is a valid Navigator 4.5 layer. */
class SigmaHqCoverageTest {
    @Test
    void theSigmaHqRulesGiveAValidLayer() throws Exception {
        Path bundle = Corpus.require(EnterpriseAttackTest.BUNDLE);
        Path rulesDir = Corpus.require("sigma/rules");
        AttackKnowledgeBase kb;
        try (InputStream in = Files.newInputStream(bundle)) {
            kb = AttackKnowledgeBase.load(in, bundle.toString(), p -> {});
        }
        SigmaRuleSet set = SigmaRuleSet.builder().add(rulesDir).build();
        List<RuleTags> rules = set.rules().stream()
                .map(r -> new RuleTags(r.id(), r.title(), r.tags(), r.level()))
                .toList();

        Coverage c = Coverage.compute(kb, rules);
        String text = NavigatorLayer.toJson(c, NavigatorLayer.Options.named("SigmaHQ rules"));

        assertThat(NavigatorLayerSchema.violations(text)).isEmpty();
        assertThat(c.ruleCount()).isGreaterThan(3000);
        // Most SigmaHQ rules carry a technique tag; a few hundred techniques are covered, not all 691.
        assertThat(c.rulesWithTechniques()).isGreaterThan(c.ruleCount() / 2);
        assertThat(c.techniquesCovered()).isBetween(200, 691);
        assertThat(c.technique("T1059.001").orElseThrow().rules().size()).isGreaterThan(50);
        JsonNode layer = new ObjectMapper().readTree(text);
        int entries = 0;
        for (TechniqueCoverage tc : c.techniques()) {
            entries += tc.rulesByTactic().size();
        }
        assertThat(layer.get("techniques")).hasSize(entries);
        for (JsonNode t : layer.get("techniques")) {
            assertThat(kb.technique(t.get("techniqueID").asText())).isPresent();
            assertThat(t.get("score").asInt()).isPositive();
        }
    }
}
