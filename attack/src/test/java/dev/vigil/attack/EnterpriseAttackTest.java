package dev.vigil.attack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Problem;
import dev.vigil.core.testing.Corpus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real Enterprise ATT&CK 18.1 bundle. The expected numbers were counted independently of Vigil with jq and Python
 * over the same file (objects neither {@code revoked} nor {@code x_mitre_deprecated}; relationships whose both ends are
 * such objects).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnterpriseAttackTest {
    static final String BUNDLE = "attack/enterprise-attack-18.1.json";

    private AttackKnowledgeBase kb;
    private final List<Problem> problems = new ArrayList<>();

    @BeforeAll
    void load() throws IOException {
        Path file = Corpus.require(BUNDLE);
        try (InputStream in = Files.newInputStream(file)) {
            kb = AttackKnowledgeBase.load(in, file.getFileName().toString(), problems::add);
        }
    }

    @Test
    void aCleanBundleLoadsWithoutProblems() {
        assertThat(problems).isEmpty();
        assertThat(kb.problems()).isEmpty();
        assertThat(kb.version()).isEqualTo("18.1");
    }

    @Test
    void all691ActiveTechniquesAndSubTechniquesLoad() {
        assertThat(kb.techniques()).hasSize(691);
        assertThat(kb.techniques().stream().filter(Technique::subtechnique)).hasSize(475);
        assertThat(kb.techniques()).allSatisfy(t -> assertThat(t.tactics()).isNotEmpty());
        assertThat(kb.techniques().stream().filter(Technique::subtechnique))
                .allSatisfy(t -> assertThat(kb.technique(t.parentId())).isPresent());
        assertThat(kb.technique("T1086")).as("revoked").isEmpty();
    }

    @Test
    void fourteenTacticsInMatrixOrder() {
        assertThat(kb.tactics())
                .extracting(Tactic::shortname)
                .containsExactly(
                        "reconnaissance",
                        "resource-development",
                        "initial-access",
                        "execution",
                        "persistence",
                        "privilege-escalation",
                        "defense-evasion",
                        "credential-access",
                        "discovery",
                        "lateral-movement",
                        "collection",
                        "command-and-control",
                        "exfiltration",
                        "impact");
        assertThat(kb.tactics())
                .extracting(Tactic::order)
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
        assertThat(kb.tactic("TA0006").orElseThrow().name()).isEqualTo("Credential Access");
        assertThat(kb.techniques().stream()
                        .filter(t -> t.tactics().contains(kb.tactic("execution").orElseThrow())))
                .hasSize(46);
    }

    @Test
    void groupsSoftwareMitigationsAndTheRestAsTheFileHoldsThem() {
        assertThat(kb.groups()).hasSize(172);
        assertThat(kb.software()).hasSize(784);
        assertThat(kb.objects(AttackObject.Kind.MALWARE)).hasSize(693);
        assertThat(kb.objects(AttackObject.Kind.TOOL)).hasSize(91);
        assertThat(kb.mitigations()).hasSize(44);
        assertThat(kb.objects(AttackObject.Kind.DATA_COMPONENT)).hasSize(106);
        assertThat(kb.objects(AttackObject.Kind.CAMPAIGN)).hasSize(52);
        assertThat(kb.objects(AttackObject.Kind.DETECTION_STRATEGY)).hasSize(691);
    }

    @Test
    void relationshipsBetweenActiveObjects() {
        Map<String, Long> byType =
                kb.relationships().stream().collect(Collectors.groupingBy(Relationship::type, Collectors.counting()));
        assertThat(byType)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "uses", 17270L,
                        "mitigates", 1445L,
                        "detects", 691L,
                        "subtechnique-of", 475L,
                        "attributed-to", 25L));
        AttackObject apt29 = kb.object("G0016").orElseThrow();
        assertThat(apt29.name()).isEqualTo("APT29");
        assertThat(apt29.aliases()).contains("Cozy Bear");
        List<String> used = kb.relationshipsFrom(apt29.stixId(), "uses").stream()
                .map(r -> kb.byStixId(r.targetRef()).orElseThrow())
                .filter(Technique.class::isInstance)
                .map(o -> ((Technique) o).attackId())
                .toList();
        assertThat(used).contains("T1059.001");
        Technique powershell = kb.technique("T1059.001").orElseThrow();
        assertThat(kb.relationshipsTo(powershell.stixId(), "mitigates")).isNotEmpty();
        assertThat(kb.subtechniques("T1059")).extracting(Technique::attackId).contains("T1059.001", "T1059.003");
    }

    @Test
    void sigmaTagsResolveToNamesTacticsAndUrls() {
        ResolvedTag ps = kb.resolve("attack.t1059.001").orElseThrow();
        assertThat(ps.kind()).isEqualTo(ResolvedTag.Kind.SUBTECHNIQUE);
        assertThat(ps.attackId()).isEqualTo("T1059.001");
        assertThat(ps.name()).isEqualTo("Command and Scripting Interpreter: PowerShell");
        assertThat(ps.tactics()).extracting(Tactic::name).containsExactly("Execution");
        assertThat(ps.url()).isEqualTo("https://attack.mitre.org/techniques/T1059/001");

        ResolvedTag valid = kb.resolve("attack.T1078").orElseThrow();
        assertThat(valid.kind()).isEqualTo(ResolvedTag.Kind.TECHNIQUE);
        assertThat(valid.tactics())
                .extracting(Tactic::shortname)
                .containsExactly("initial-access", "persistence", "privilege-escalation", "defense-evasion");

        Function<String, String> id = tag -> kb.resolve(tag).orElseThrow().attackId();
        assertThat(id.apply("attack.execution")).isEqualTo("TA0002");
        assertThat(id.apply("attack.credential-access")).isEqualTo("TA0006");
        assertThat(id.apply("attack.credential_access")).isEqualTo("TA0006");
        assertThat(id.apply("attack.ta0040")).isEqualTo("TA0040");
        assertThat(kb.resolve("attack.g0016").orElseThrow().name()).isEqualTo("APT29");
        assertThat(kb.resolve("attack.g0016").orElseThrow().kind()).isEqualTo(ResolvedTag.Kind.GROUP);
        assertThat(kb.resolve("attack.s0002").orElseThrow().name()).isEqualTo("Mimikatz");
        assertThat(kb.resolve("attack.s0002").orElseThrow().kind()).isEqualTo(ResolvedTag.Kind.SOFTWARE);
        assertThat(kb.resolve("attack.m1042").orElseThrow().kind()).isEqualTo(ResolvedTag.Kind.MITIGATION);
        assertThat(kb.resolve("attack.c0022").orElseThrow().name()).isEqualTo("Operation Dream Job");
    }

    @Test
    void aRevokedTechniqueResolvesToItsReplacement() {
        ResolvedTag old = kb.resolve("attack.t1086").orElseThrow();
        assertThat(old.attackId()).isEqualTo("T1059.001");
        assertThat(old.revokedId()).isEqualTo("T1086");
        assertThat(kb.resolve("attack.t1193").orElseThrow().attackId()).isEqualTo("T1566.001");
    }

    @Test
    void tagsThatNameNothingAreReportedNotThrown() {
        TagResolution r = kb.resolveAll(List.of(
                "attack.t1059.001",
                "attack.t9999",
                "attack.no-such-tactic",
                "attack.ds0009",
                "cve.2021-44228",
                "detection.threat-hunting"));
        assertThat(r.resolved()).extracting(ResolvedTag::attackId).containsExactly("T1059.001");
        assertThat(r.unresolved())
                .extracting(TagResolution.UnresolvedTag::tag, TagResolution.UnresolvedTag::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("attack.t9999", "no technique T9999 in ATT&CK 18.1"),
                        org.assertj.core.groups.Tuple.tuple(
                                "attack.no-such-tactic", "no tactic named 'no-such-tactic' in ATT&CK 18.1"),
                        org.assertj.core.groups.Tuple.tuple("attack.ds0009", "DS0009 is deprecated in ATT&CK 18.1"));
    }
}
