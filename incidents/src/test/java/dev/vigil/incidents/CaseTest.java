package dev.vigil.incidents;

import static dev.vigil.incidents.Alerts.ACME;
import static dev.vigil.incidents.Alerts.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.alert.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CaseTest {
    private final Case fresh = Case.open("inc-1", ACME, Severity.HIGH, T0);

    @Test
    void aCaseMovesNewInProgressResolvedAndReopens() {
        Case c = fresh.transition(CaseStatus.IN_PROGRESS, "ann", T0.plusSeconds(60))
                .transition(CaseStatus.RESOLVED_TRUE_POSITIVE, "ann", T0.plusSeconds(600));
        assertThat(c.status()).isEqualTo(CaseStatus.RESOLVED_TRUE_POSITIVE);
        assertThat(c.acknowledgedAt()).contains(T0.plusSeconds(60));
        assertThat(c.resolvedAt()).contains(T0.plusSeconds(600));
        Case reopened = c.transition(CaseStatus.IN_PROGRESS, "bob", T0.plusSeconds(900));
        assertThat(reopened.resolvedAt()).isEmpty();
        assertThat(reopened.acknowledgedAt()).contains(T0.plusSeconds(60));
        assertThat(reopened.audit())
                .extracting(
                        CaseAuditEntry::actor,
                        CaseAuditEntry::field,
                        CaseAuditEntry::oldValue,
                        CaseAuditEntry::newValue)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("system", "status", "", "new"),
                        org.assertj.core.groups.Tuple.tuple("ann", "status", "new", "in_progress"),
                        org.assertj.core.groups.Tuple.tuple("ann", "status", "in_progress", "resolved_true_positive"),
                        org.assertj.core.groups.Tuple.tuple("bob", "status", "resolved_true_positive", "in_progress"));
    }

    @Test
    void forbiddenMovesAreRefusedWithTheAllowedOnes() {
        assertThatThrownBy(() -> fresh.transition(CaseStatus.RESOLVED_BENIGN, "ann", T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("incident inc-1")
                .hasMessageContaining("from new to resolved_benign")
                .hasMessageContaining("[in_progress]");
        Case working = fresh.transition(CaseStatus.IN_PROGRESS, "ann", T0);
        assertThatThrownBy(() -> working.transition(CaseStatus.NEW, "ann", T0))
                .hasMessageContaining("in_progress to new");
        assertThatThrownBy(() -> working.transition(CaseStatus.IN_PROGRESS, "ann", T0))
                .hasMessageContaining("in_progress to in_progress");
        assertThat(CaseStatus.parse("Resolved_False_Positive")).isEqualTo(CaseStatus.RESOLVED_FALSE_POSITIVE);
        assertThatThrownBy(() -> CaseStatus.parse("closed")).hasMessageContaining("'closed'");
    }

    @Test
    void assigneeTagsCommentsAndSeverityAreAudited() {
        Case c = fresh.assign("bob", "ann", T0.plusSeconds(1))
                .addTag("ransomware", "bob", T0.plusSeconds(2))
                .addTag("ransomware", "bob", T0.plusSeconds(3))
                .comment("LSASS dump confirmed <script>", "bob", T0.plusSeconds(4))
                .removeTag("ransomware", "bob", T0.plusSeconds(5))
                .severity(Severity.CRITICAL, "system", T0.plusSeconds(6))
                .assign(null, "ann", T0.plusSeconds(7));
        assertThat(c.assignee()).isEmpty();
        assertThat(c.tags()).isEmpty();
        assertThat(c.comments()).singleElement().satisfies(cm -> {
            assertThat(cm.number()).isEqualTo(1);
            assertThat(cm.text()).isEqualTo("LSASS dump confirmed <script>");
        });
        assertThat(c.audit())
                .extracting(CaseAuditEntry::field)
                .containsExactly("status", "assignee", "tag", "comment", "tag", "severity", "assignee");
        assertThat(c.audit().get(1).newValue()).isEqualTo("bob");
        assertThat(c.audit().get(5).oldValue()).isEqualTo("high");
        assertThatThrownBy(() -> c.addTag("bad tag", "ann", T0)).hasMessageContaining("invalid tag 'bad tag'");
        assertThatThrownBy(() -> c.comment(" ", "ann", T0)).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> c.comment("x".repeat(Case.MAX_COMMENT_CHARS + 1), "ann", T0))
                .hasMessageContaining("limited to");
        assertThatThrownBy(() -> c.assign("bob\nmallory", "ann", T0)).hasMessageContaining("control character");
    }

    @Test
    void slaTimersBreachByTheClockPassedIn() {
        SlaPolicy policy = SlaPolicy.defaults();
        Clock early = Clock.fixed(T0.plus(Duration.ofMinutes(30)), ZoneOffset.UTC);
        Clock late = Clock.fixed(T0.plus(Duration.ofHours(2)), ZoneOffset.UTC);
        SlaStatus atStart = fresh.sla(policy, early.instant());
        assertThat(atStart.acknowledgeDue()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(atStart.resolveDue()).isEqualTo(T0.plus(Duration.ofHours(24)));
        assertThat(atStart.acknowledgeBreached()).isFalse();
        assertThat(fresh.sla(policy, late.instant()).acknowledgeBreached()).isTrue();

        Case ackedInTime = fresh.transition(CaseStatus.IN_PROGRESS, "ann", T0.plus(Duration.ofMinutes(50)));
        assertThat(ackedInTime.sla(policy, late.instant()).acknowledgeBreached())
                .isFalse();
        // A raise to critical shortens the deadlines: 15 minutes to acknowledge, 4 hours to resolve.
        Case critical = ackedInTime.severity(Severity.CRITICAL, "system", T0.plus(Duration.ofMinutes(55)));
        SlaStatus s = critical.sla(policy, T0.plus(Duration.ofHours(5)));
        assertThat(s.acknowledgeBreached()).isTrue();
        assertThat(s.resolveBreached()).isTrue();
        Case resolvedInTime =
                ackedInTime.transition(CaseStatus.RESOLVED_FALSE_POSITIVE, "ann", T0.plus(Duration.ofHours(3)));
        assertThat(resolvedInTime.sla(policy, T0.plus(Duration.ofDays(30))).resolveBreached())
                .isFalse();
    }
}
