package dev.vigil.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertTest {
    @Test
    void sigmaTagsGiveTacticsInKillChainOrderAndTechniqueIds() {
        AttackTags tags = AttackTags.parse(List.of(
                "attack.lateral_movement",
                "attack.t1059.001",
                "attack.execution",
                "attack.TA0006",
                "attack.g0007",
                "attack.s0002",
                "cve.2021-44228",
                "attack.T1003"));
        assertThat(tags.tactics())
                .containsExactly(AttackTactic.EXECUTION, AttackTactic.CREDENTIAL_ACCESS, AttackTactic.LATERAL_MOVEMENT);
        assertThat(tags.techniques()).containsExactly("T1059.001", "T1003");
    }

    @Test
    void tacticOrderRunsFromReconnaissanceToImpact() {
        assertThat(AttackTactic.values()[0]).isEqualTo(AttackTactic.RECONNAISSANCE);
        assertThat(AttackTactic.INITIAL_ACCESS).isLessThan(AttackTactic.EXECUTION);
        assertThat(AttackTactic.COMMAND_AND_CONTROL).isLessThan(AttackTactic.EXFILTRATION);
        assertThat(AttackTactic.parse("command_and_control")).contains(AttackTactic.COMMAND_AND_CONTROL);
        assertThat(AttackTactic.parse("ta0040")).contains(AttackTactic.IMPACT);
        assertThat(AttackTactic.parse("t1059")).isEmpty();
    }

    @Test
    void sigmaConfidenceFollowsStatusAndLevel() {
        assertThat(AlertConfidence.sigma("stable", "critical")).isEqualTo(95);
        assertThat(AlertConfidence.sigma("test", "high")).isEqualTo(75);
        assertThat(AlertConfidence.sigma(null, "medium")).isEqualTo(50);
        assertThat(AlertConfidence.sigma("deprecated", "informational")).isEqualTo(10);
        assertThat(AlertConfidence.clamp(250)).isEqualTo(100);
    }

    @Test
    void severityComesFromSigmaLevels() {
        assertThat(Severity.fromSigmaLevel("High")).isEqualTo(Severity.HIGH);
        assertThat(Severity.CRITICAL.sigmaLevel()).isEqualTo("critical");
        assertThatThrownBy(() -> Severity.fromSigmaLevel("severe")).hasMessageContaining("'severe'");
    }

    @Test
    void theBuilderMakesAnAlertOfASigmaDetection() {
        Alert alert = Alert.builder()
                .id("a1")
                .tenant(TenantId.of("acme"))
                .time(Instant.parse("2026-03-01T10:00:00Z"))
                .detector("rule-1", "Office spawning PowerShell")
                .sigmaLevel("high", "test")
                .sigmaTags(List.of("attack.execution", "attack.t1059.001", "attack.initial_access"))
                .entity(EntityType.HOST, "WS01")
                .entity(EntityType.HOST, "ws01.corp")
                .entity(EntityType.USER, "-")
                .evidence(42L)
                .build();
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.confidence()).isEqualTo(75);
        assertThat(alert.tactics()).containsExactly(AttackTactic.INITIAL_ACCESS, AttackTactic.EXECUTION);
        assertThat(alert.entities()).containsExactly(new EntityRef(EntityType.HOST, "ws01"));
        assertThat(alert.evidence()).containsExactly(42L);
        assertThatThrownBy(() -> Alert.builder()
                        .id("a2")
                        .tenant(TenantId.of("acme"))
                        .time(Instant.EPOCH)
                        .detector("r", "t")
                        .confidence(101)
                        .build())
                .hasMessageContaining("alert a2");
    }
}
