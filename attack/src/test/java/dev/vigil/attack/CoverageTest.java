package dev.vigil.attack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Coverage scoring and the layer written from it, over a small hand-made knowledge base. */
class CoverageTest {
    private final AttackKnowledgeBase kb = AttackKnowledgeBase.load(
            TestBundles.withThreeTactics()
                    .technique("T1059", "Command and Scripting Interpreter", "execution")
                    .technique("T1059.001", "PowerShell", "execution")
                    .technique("T1053", "Scheduled Task/Job", "execution", "persistence", "privilege-escalation")
                    .technique("T1547", "Boot or Logon Autostart Execution", "persistence", "privilege-escalation")
                    .bytes(),
            "test.json",
            p -> {
                throw new AssertionError(p.toString());
            });

    private static RuleTags rule(String title, String... tags) {
        return new RuleTags("id-" + title, title, List.of(tags), "high");
    }

    @Test
    void aSubTechniqueRuleScoresTheSubTechniqueOnlyAndTacticTagsPickTheColumn() {
        RuleTags ps = rule("PowerShell download", "attack.execution", "attack.t1059.001");
        RuleTags schtasks = rule("Schtasks persistence", "attack.persistence", "attack.t1053");
        RuleTags schtasksAnywhere = rule("Schtasks anywhere", "attack.t1053");
        RuleTags tacticOnly = rule("Something persistent", "attack.persistence");
        RuleTags unknown = rule("Bad tag", "attack.t9999", "cve.2024-1");

        Coverage c = Coverage.compute(kb, List.of(ps, schtasks, schtasksAnywhere, tacticOnly, unknown));

        assertThat(c.techniques()).extracting(t -> t.technique().attackId()).containsExactly("T1053", "T1059.001");
        assertThat(c.technique("T1059")).isEmpty();
        assertThat(c.technique("T1059.001").orElseThrow().rules()).containsExactly(ps);
        TechniqueCoverage t1053 = c.technique("T1053").orElseThrow();
        assertThat(t1053.rules()).containsExactly(schtasks, schtasksAnywhere);
        assertThat(t1053.rulesByTactic().keySet())
                .extracting(Tactic::shortname)
                .containsExactly("execution", "persistence", "privilege-escalation");
        assertThat(t1053.rulesByTactic().get(kb.tactic("persistence").orElseThrow()))
                .containsExactly(schtasks, schtasksAnywhere);
        assertThat(t1053.rulesByTactic().get(kb.tactic("execution").orElseThrow()))
                .containsExactly(schtasksAnywhere);

        assertThat(c.techniquesCovered()).isEqualTo(2);
        assertThat(c.techniquesTotal()).isEqualTo(4);
        assertThat(c.rulesWithTechniques()).isEqualTo(3);
        assertThat(c.tactics())
                .extracting(
                        t -> t.tactic().shortname(),
                        TacticCoverage::techniquesCovered,
                        TacticCoverage::techniquesTotal,
                        TacticCoverage::rules)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("execution", 2, 3, 2),
                        org.assertj.core.groups.Tuple.tuple("persistence", 1, 2, 3),
                        org.assertj.core.groups.Tuple.tuple("privilege-escalation", 1, 2, 1));
        assertThat(c.unresolved()).singleElement().satisfies(u -> {
            assertThat(u.rule()).isEqualTo(unknown);
            assertThat(u.tag()).isEqualTo("attack.t9999");
        });
    }

    @Test
    void theLayerHasOneScoredEntryPerTechniqueAndTacticAndIsValid() throws Exception {
        List<RuleTags> rules = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rules.add(rule(String.format("Rule %02d <script>\"quoted\"</script>", i), "attack.t1059.001"));
        }
        rules.add(rule("Schtasks", "attack.t1053", "attack.persistence"));
        Coverage c = Coverage.compute(kb, rules);

        String text = NavigatorLayer.toJson(c, NavigatorLayer.Options.named("Test rules"));

        assertThat(NavigatorLayerSchema.violations(text)).isEmpty();
        JsonNode layer = new ObjectMapper().readTree(text);
        assertThat(layer.at("/versions/layer").asText()).isEqualTo("4.5");
        assertThat(layer.at("/versions/attack").asText()).isEqualTo("18");
        assertThat(layer.at("/domain").asText()).isEqualTo("enterprise-attack");
        assertThat(layer.at("/techniques")).hasSize(2);
        JsonNode ps = layer.at("/techniques/0");
        assertThat(ps.get("techniqueID").asText()).isEqualTo("T1053");
        assertThat(ps.get("tactic").asText()).isEqualTo("persistence");
        assertThat(ps.get("score").asInt()).isEqualTo(1);
        JsonNode many = layer.at("/techniques/1");
        assertThat(many.get("techniqueID").asText()).isEqualTo("T1059.001");
        assertThat(many.get("score").asInt()).isEqualTo(30);
        assertThat(many.get("comment").asText())
                .startsWith("30 rules: Rule 00 <script>\"quoted\"</script>; Rule 01")
                .endsWith("Rule 19 <script>\"quoted\"</script>; … and 10 more");
        assertThat(layer.at("/gradient/maxValue").asInt())
                .isGreaterThan(layer.at("/gradient/minValue").asInt());
        assertThat(layer.at("/metadata").findValuesAsText("value")).contains("2 of 4");
    }

    @Test
    void theSchemaRejectsWhatTheFormatForbids() {
        assertThat(NavigatorLayerSchema.violations("{\"name\":\"x\",\"domain\":\"enterprise-attack\"}"))
                .isEmpty();
        assertThat(NavigatorLayerSchema.violations("{\"name\":\"x\"}")).isNotEmpty();
        assertThat(
                        NavigatorLayerSchema.violations(
                                "{\"name\":\"x\",\"domain\":\"enterprise-attack\",\"versions\":{\"layer\":\"4.4\",\"navigator\":\"5.2.0\"}}"))
                .isNotEmpty();
        assertThat(NavigatorLayerSchema.violations(
                        "{\"name\":\"x\",\"domain\":\"enterprise-attack\",\"techniques\":[{\"techniqueID\":\"T1\"}]}"))
                .isNotEmpty();
        assertThat(NavigatorLayerSchema.violations(
                        "{\"name\":\"x\",\"domain\":\"enterprise-attack\",\"gradient\":{\"colors\":[\"#fff\"],"
                                + "\"minValue\":0,\"maxValue\":1}}"))
                .isNotEmpty();
    }

    @Test
    void randomRuleSetsScoreAsASimpleCountWould() {
        // Reference: a technique's score is the number of rules with a tag naming it, whatever the case.
        List<String> ids = List.of("T1059", "T1059.001", "T1053", "T1547");
        List<String> extra = List.of("attack.execution", "attack.persistence", "attack.t9999", "sigma.x");
        java.util.Random random = new java.util.Random(20260514L);
        for (int round = 0; round < 200; round++) {
            List<RuleTags> rules = new ArrayList<>();
            Map<String, Integer> expected = new java.util.HashMap<>();
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) {
                List<String> tags = new ArrayList<>();
                java.util.Set<String> named = new java.util.HashSet<>();
                for (int k = random.nextInt(4); k > 0; k--) {
                    String id = ids.get(random.nextInt(ids.size()));
                    tags.add("attack." + (random.nextBoolean() ? id.toLowerCase(java.util.Locale.ROOT) : id));
                    named.add(id);
                }
                if (random.nextBoolean()) {
                    tags.add(extra.get(random.nextInt(extra.size())));
                }
                named.forEach(id -> expected.merge(id, 1, Integer::sum));
                rules.add(new RuleTags("r" + i, "Rule " + i, tags, "low"));
            }
            Coverage c = Coverage.compute(kb, rules);
            for (String id : ids) {
                int actual = c.technique(id).map(t -> t.rules().size()).orElse(0);
                assertThat(actual).as("round %d, %s", round, id).isEqualTo(expected.getOrDefault(id, 0));
            }
        }
    }
}
