package dev.vigil.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bundles with bad parts: each bad object is reported with its position and id, and the rest loads. */
class BadBundleTest {
    private final List<Problem> problems = new ArrayList<>();

    @Test
    void badObjectsAreReportedWithTheirIdsAndTheRestLoads() {
        byte[] bundle = TestBundles.withThreeTactics()
                .technique("T1059", "Command and Scripting Interpreter", "execution")
                .raw("{\"type\":\"x-acme-widget\",\"id\":\"x-acme-widget--7\",\"name\":\"gadget\"}")
                .raw("{\"id\":\"attack-pattern--no-type\",\"name\":\"typeless\"}")
                .raw("{\"type\":\"attack-pattern\",\"id\":\"attack-pattern--nameless\"}")
                .raw("[1, 2, 3]")
                .raw("{\"type\":\"relationship\",\"id\":\"relationship--dangling\",\"relationship_type\":\"uses\","
                        + "\"source_ref\":\"intrusion-set--G0001\"}")
                .technique("T1053", "Scheduled Task/Job", "execution", "persistence", "no-such-tactic")
                .object("intrusion-set", "G0001", "Some Group")
                .relationship("uses", "intrusion-set--G0001", "attack-pattern--T1059")
                .bytes();

        AttackKnowledgeBase kb = AttackKnowledgeBase.load(bundle, "bad.json", problems::add);

        assertThat(problems)
                .extracting(Problem::toString)
                .containsExactly(
                        "bad.json:7: object x-acme-widget--7: unknown object type 'x-acme-widget', skipped",
                        "bad.json:8: object attack-pattern--no-type has no 'type' or 'id', skipped",
                        "bad.json:9: object attack-pattern--nameless (attack-pattern) has no name, skipped",
                        "bad.json:10: bundle entry is not a JSON object, skipped",
                        "bad.json:11: relationship relationship--dangling lacks relationship_type, source_ref or target_ref,"
                                + " skipped",
                        "bad.json:12: technique T1053 (attack-pattern--T1053) names unknown tactic 'no-such-tactic'");
        assertThat(kb.problems()).isEqualTo(problems);
        assertThat(kb.techniques()).extracting(Technique::attackId).containsExactly("T1053", "T1059");
        assertThat(kb.technique("T1053").orElseThrow().tactics())
                .extracting(Tactic::shortname)
                .containsExactly("execution", "persistence");
        assertThat(kb.groups()).extracting(AttackObject::name).containsExactly("Some Group");
        assertThat(kb.relationships())
                .containsExactly(new Relationship("uses", "intrusion-set--G0001", "attack-pattern--T1059"));
    }

    @Test
    void aTruncatedBundleKeepsWhatCameBeforeTheBreakAndSaysWhere() {
        byte[] whole = TestBundles.withThreeTactics()
                .technique("T1059", "Command and Scripting Interpreter", "execution")
                .technique("T1053", "Scheduled Task/Job", "execution")
                .bytes();
        String text = new String(whole, StandardCharsets.UTF_8);
        byte[] cut = Arrays.copyOf(whole, text.indexOf("attack-pattern--T1053") + 5);

        AttackKnowledgeBase kb = AttackKnowledgeBase.load(cut, "cut.json", problems::add);

        assertThat(kb.techniques()).extracting(Technique::attackId).containsExactly("T1059");
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("cut.json");
            assertThat(p.message())
                    .startsWith("invalid JSON in bundle entry 7; it and the rest of the bundle are not read");
        });
    }

    @Test
    void aDocumentThatIsNoBundleIsRefused() {
        assertThatThrownBy(() -> AttackKnowledgeBase.load("[]".getBytes(StandardCharsets.UTF_8), "x.json", p -> {}))
                .isInstanceOf(AttackBundleException.class)
                .hasMessage("x.json: not a STIX bundle: the document is not a JSON object");
        assertThatThrownBy(() -> AttackKnowledgeBase.load(
                        "{\"type\":\"bundle\"}".getBytes(StandardCharsets.UTF_8), "y.json", p -> {}))
                .isInstanceOf(AttackBundleException.class)
                .hasMessage("y.json: not a STIX bundle: no 'objects' array");
    }

    @Test
    void revocationChainsEndAtTheActiveReplacementAndObjectOrderDoesNotMatter() {
        // The sub-technique and the revocations come before the objects they point to.
        byte[] bundle = new TestBundles()
                .revokedTechnique("T1086", "T1064")
                .revokedTechnique("T1064", "T1059.001")
                .technique("T1059.001", "PowerShell", "execution")
                .technique("T1059", "Command and Scripting Interpreter", "execution")
                .tactic("TA0002", "Execution", "execution")
                .bytes();

        AttackKnowledgeBase kb = AttackKnowledgeBase.load(bundle, "order.json", problems::add);

        assertThat(problems).isEmpty();
        ResolvedTag t = kb.resolve("attack.t1086").orElseThrow();
        assertThat(t.attackId()).isEqualTo("T1059.001");
        assertThat(t.revokedId()).isEqualTo("T1086");
        assertThat(t.name()).isEqualTo("Command and Scripting Interpreter: PowerShell");
        assertThat(kb.technique("T1059.001").orElseThrow().parentId()).isEqualTo("T1059");
        assertThat(kb.technique("T1059.001").orElseThrow().tactics())
                .extracting(Tactic::name)
                .containsExactly("Execution");
    }
}
