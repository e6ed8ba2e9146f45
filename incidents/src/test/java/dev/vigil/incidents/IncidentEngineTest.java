package dev.vigil.incidents;

import static dev.vigil.incidents.Alerts.ACME;
import static dev.vigil.incidents.Alerts.T0;
import static dev.vigil.incidents.Alerts.alert;
import static dev.vigil.incidents.Alerts.host;
import static dev.vigil.incidents.Alerts.ip;
import static dev.vigil.incidents.Alerts.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AttackTactic;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.EntityType;
import dev.vigil.core.alert.Severity;
import dev.vigil.incidents.IncidentEngine.Disposition;
import dev.vigil.incidents.IncidentEngine.Outcome;
import dev.vigil.incidents.IncidentUpdate.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IncidentEngineTest {
    private final IncidentEngine engine = new IncidentEngine(IncidentConfig.defaults());

    /** A phishing document starts PowerShell on ws01, LSASS is dumped, then alice's account moves to srv02. */
    static List<Alert> phishingToLateralMovement() {
        EntityRef ws01 = host("ws01");
        EntityRef srv02 = host("srv02");
        EntityRef alice = user("corp\\alice");
        EntityRef winword = new EntityRef(EntityType.PROCESS, "c:\\program files\\microsoft office\\winword.exe");
        EntityRef powershell = new EntityRef(EntityType.PROCESS, "c:\\windows\\powershell.exe");
        return List.of(
                Alert.builder()
                        .id("a-office")
                        .tenant(ACME)
                        .time(T0)
                        .detector("r-office-ps", "Office application starting PowerShell")
                        .sigmaLevel("high", "test")
                        .sigmaTags(List.of("attack.initial_access", "attack.execution", "attack.t1566.001"))
                        .entities(List.of(ws01, alice, winword, powershell))
                        .evidence(101L)
                        .build(),
                Alert.builder()
                        .id("a-cradle")
                        .tenant(ACME)
                        .time(T0.plusSeconds(120))
                        .detector("r-ps-cradle", "PowerShell download cradle")
                        .sigmaLevel("medium", "experimental")
                        .sigmaTags(List.of("attack.execution", "attack.t1059.001"))
                        .entities(List.of(ws01, alice, powershell))
                        .evidence(102L)
                        .build(),
                Alert.builder()
                        .id("a-lsass")
                        .tenant(ACME)
                        .time(T0.plusSeconds(300))
                        .detector("r-lsass", "LSASS memory access by PowerShell")
                        .sigmaLevel("high", "stable")
                        .sigmaTags(List.of("attack.credential_access", "attack.t1003.001"))
                        .entities(List.of(ws01, alice, powershell))
                        .evidence(103L)
                        .build(),
                Alert.builder()
                        .id("a-psexec")
                        .tenant(ACME)
                        .time(T0.plusSeconds(600))
                        .detector("r-psexec", "PsExec service installed remotely")
                        .sigmaLevel("high", "test")
                        .sigmaTags(List.of("attack.lateral_movement", "attack.t1021.002"))
                        .entities(List.of(srv02, alice, ip("10.0.0.5")))
                        .evidence(104L)
                        .build());
    }

    private List<Outcome> feed(IncidentEngine e, List<Alert> alerts) {
        List<Outcome> out = new ArrayList<>();
        for (Alert a : alerts) {
            out.add(e.process(a));
        }
        return out;
    }

    @Test
    void theAttackScenarioBecomesOneIncidentWithItsStepsInOrder() {
        List<Outcome> outcomes = feed(engine, phishingToLateralMovement());
        assertThat(outcomes)
                .extracting(Outcome::disposition)
                .containsExactly(Disposition.PENDING, Disposition.PENDING, Disposition.GROUPED, Disposition.GROUPED);
        assertThat(outcomes.get(2).updates()).extracting(IncidentUpdate::kind).containsExactly(Kind.OPENED);
        assertThat(outcomes.get(3).updates()).extracting(IncidentUpdate::kind).containsExactly(Kind.ALERT_ADDED);

        List<Incident> open = engine.openIncidents(ACME);
        assertThat(open).hasSize(1);
        Incident incident = open.get(0);
        assertThat(incident.id()).isEqualTo(IncidentIds.of(ACME, "a-office"));
        assertThat(incident.steps())
                .extracting(IncidentStep::alertId)
                .containsExactly("a-office", "a-cradle", "a-lsass", "a-psexec");
        assertThat(incident.severity()).isEqualTo(Severity.HIGH);
        assertThat(incident.attackChain().covered())
                .containsExactly(
                        AttackTactic.INITIAL_ACCESS,
                        AttackTactic.EXECUTION,
                        AttackTactic.CREDENTIAL_ACCESS,
                        AttackTactic.LATERAL_MOVEMENT);
        assertThat(incident.attackChain().furthest()).contains(AttackTactic.LATERAL_MOVEMENT);
        assertThat(incident.entities()).contains(host("ws01"), host("srv02"), user("corp\\alice"), ip("10.0.0.5"));
        assertThat(incident.title())
                .isEqualTo("Office application starting PowerShell on ws01, srv02 and 3 more alerts");
        assertThat(incident.firstSeen()).isEqualTo(T0);
        assertThat(incident.lastSeen()).isEqualTo(T0.plusSeconds(600));
        assertThat(incident.risk()).isCloseTo(43.75 + 18.75 + 47.5 + 43.75, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void riskBelowTheThresholdStaysPendingAndACriticalAlertOpensAtOnce() {
        assertThat(engine.process(alert("l1", 0, "low-1", Severity.LOW, 100, host("h1")))
                        .disposition())
                .isEqualTo(Disposition.PENDING);
        assertThat(engine.process(alert("l2", 1, "low-2", Severity.LOW, 100, host("h1")))
                        .disposition())
                .isEqualTo(Disposition.PENDING);
        assertThat(engine.stats(ACME).pendingAlerts()).isEqualTo(2);
        Outcome critical = engine.process(alert("c1", 2, "crit", Severity.CRITICAL, 10, host("h1")));
        assertThat(critical.disposition()).isEqualTo(Disposition.GROUPED);
        Incident incident = critical.updates().get(0).incident();
        assertThat(incident.steps()).extracting(IncidentStep::alertId).containsExactly("l1", "l2", "c1");
        assertThat(incident.id()).isEqualTo(IncidentIds.of(ACME, "l1"));
        assertThat(engine.stats(ACME).pendingAlerts()).isZero();
    }

    @Test
    void withoutTheCriticalShortcutACriticalAlertWaitsForTheThreshold() {
        IncidentEngine strict = new IncidentEngine(
                IncidentConfig.defaults().toBuilder().criticalOpensAtOnce(false).build());
        assertThat(strict.process(alert("c1", 0, "crit", Severity.CRITICAL, 10, host("h1")))
                        .disposition())
                .isEqualTo(Disposition.PENDING);
        // 100 × (0.5 + 0.5 × 0.10) = 55 alone; with a high alert at full confidence (50) the host reaches 105.
        assertThat(strict.process(alert("h1", 1, "high", Severity.HIGH, 100, host("h1")))
                        .disposition())
                .isEqualTo(Disposition.GROUPED);
    }

    @Test
    void anAlertWithNothingToGroupByIsCountedAsUngrouped() {
        Outcome o = engine.process(
                alert("p1", 0, "r", Severity.HIGH, 100, new EntityRef(EntityType.PROCESS, "c:\\windows\\cmd.exe")));
        assertThat(o.disposition()).isEqualTo(Disposition.UNGROUPED);
        assertThat(engine.stats(ACME).ungrouped()).isEqualTo(1);
    }

    @Test
    void repeatsAreCountedOnTheirStepAndAddNoRisk() {
        engine.process(alert("c1", 0, "crit", Severity.CRITICAL, 100, host("h1")));
        for (int i = 0; i < 4; i++) {
            Outcome o = engine.process(alert("rep" + i, 1 + i, "noisy", Severity.HIGH, 100, host("h1"), user("bob")));
            assertThat(o.disposition()).isEqualTo(i == 0 ? Disposition.GROUPED : Disposition.REPEATED);
        }
        Incident incident = engine.openIncidents(ACME).get(0);
        assertThat(incident.steps()).extracting(IncidentStep::count).containsExactly(1L, 4L);
        assertThat(incident.alertCount()).isEqualTo(5);
        assertThat(incident.steps().get(1).evidence()).hasSize(4);
        assertThat(incident.steps().get(1).lastSeen()).isEqualTo(T0.plusSeconds(240));
        assertThat(incident.risk()).isEqualTo(150.0);

        // A noisy low rule repeating on its own never reaches the threshold.
        for (int i = 0; i < 50; i++) {
            engine.process(alert("low" + i, i, "low-noise", Severity.LOW, 100, host("quiet")));
        }
        assertThat(engine.openIncidents(ACME)).hasSize(1);
        assertThat(engine.stats(ACME).repeats()).isEqualTo(3 + 49);
    }

    @Test
    void anAlertSharingEntitiesWithTwoIncidentsMergesThemIntoTheOlder() {
        String first = engine.process(alert("c1", 0, "crit-a", Severity.CRITICAL, 100, host("h1")))
                .incidentId()
                .orElseThrow();
        String second = engine.process(alert("c2", 5, "crit-b", Severity.CRITICAL, 100, host("h2")))
                .incidentId()
                .orElseThrow();
        assertThat(first).isNotEqualTo(second);
        Outcome bridge = engine.process(alert("b1", 10, "bridge", Severity.LOW, 100, host("h2"), host("h1")));
        assertThat(bridge.incidentId()).contains(first);
        assertThat(bridge.updates()).singleElement().satisfies(u -> {
            assertThat(u.kind()).isEqualTo(Kind.MERGED);
            assertThat(u.mergedIds()).containsExactly(second);
            assertThat(u.incident().mergedFrom()).containsExactly(second);
            assertThat(u.incident().steps()).extracting(IncidentStep::alertId).containsExactly("c1", "c2", "b1");
        });
        assertThat(engine.openIncidents(ACME)).extracting(Incident::id).containsExactly(first);
        // Later alerts on either host land in the merged incident.
        assertThat(engine.process(alert("x", 11, "x", Severity.LOW, 100, host("h2")))
                        .incidentId())
                .contains(first);
    }

    @Test
    void severityRisesAreReported() {
        engine.process(alert("h1", 0, "high-1", Severity.HIGH, 100, host("h")));
        engine.process(alert("h2", 1, "high-2", Severity.HIGH, 100, host("h")));
        Outcome o = engine.process(alert("c", 2, "crit", Severity.CRITICAL, 100, host("h")));
        assertThat(o.updates())
                .extracting(IncidentUpdate::kind)
                .containsExactly(Kind.ALERT_ADDED, Kind.SEVERITY_RAISED);
        assertThat(o.updates().get(1).incident().severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void theWindowClosesIncidentsAndForgetsPendingRisk() {
        String first = engine.process(alert("c1", 0, "crit", Severity.CRITICAL, 100, host("h1")))
                .incidentId()
                .orElseThrow();
        // Still inside the 24 h window of the incident's latest alert: joins.
        assertThat(engine.process(alert("j", 60 * 23, "j", Severity.LOW, 100, host("h1")))
                        .incidentId())
                .contains(first);
        // More than 24 h after the latest alert: the incident closes and a new one opens.
        Outcome late = engine.process(alert("c2", 60 * 48, "crit-2", Severity.CRITICAL, 100, host("h1")));
        assertThat(late.updates()).extracting(IncidentUpdate::kind).containsExactly(Kind.CLOSED, Kind.OPENED);
        assertThat(late.updates().get(0).incident().id()).isEqualTo(first);
        assertThat(late.incidentId()).isPresent().isNotEqualTo(Optional.of(first));

        // Two high alerts 25 h apart never add up.
        engine.process(alert("p1", 0, "high-a", Severity.HIGH, 100, host("h9")));
        assertThat(engine.process(alert("p2", 60 * 73, "high-b", Severity.HIGH, 100, host("h9")))
                        .disposition())
                .isEqualTo(Disposition.PENDING);
        assertThat(engine.stats(ACME).pendingAlerts()).isEqualTo(1);
    }

    @Test
    void anEntitySeenWithTooManyHostsStopsGrouping() {
        IncidentEngine e = new IncidentEngine(
                IncidentConfig.defaults().toBuilder().maxHostsPerEntity(5).build());
        EntityRef dns = ip("10.0.0.53");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(e.process(alert("c" + i, i, "crit", Severity.CRITICAL, 100, host("h" + i), dns))
                    .incidentId()
                    .orElseThrow());
        }
        // The first five hosts share the DNS server's address before it is known to be common; from the sixth on,
        // each host has its own incident.
        assertThat(ids.subList(0, 5)).containsOnly(ids.get(0));
        assertThat(ids.subList(5, 10)).doesNotHaveDuplicates().doesNotContain(ids.get(0));
        assertThat(e.stats(ACME).commonEntities()).isEqualTo(1);
        assertThat(e.openIncidents(ACME).get(1).entities()).contains(dns);
    }

    @Test
    void neverGroupEntitiesNeverTieAlertsTogether() {
        EntityRef dns = ip("10.0.0.53");
        IncidentEngine e = new IncidentEngine(IncidentConfig.defaults().toBuilder()
                .neverGroup(java.util.Set.of(dns))
                .build());
        String a = e.process(alert("c1", 0, "crit", Severity.CRITICAL, 100, host("h1"), dns))
                .incidentId()
                .orElseThrow();
        String b = e.process(alert("c2", 1, "crit", Severity.CRITICAL, 100, host("h2"), dns))
                .incidentId()
                .orElseThrow();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void suppressionsDropMatchingAlertsUntilTheyExpireAndEveryChangeIsAudited() {
        Suppression byRule = new Suppression(
                "s-rule",
                ACME,
                Optional.of("noisy"),
                Optional.empty(),
                "known scanner rule",
                "ann",
                T0,
                Optional.of(T0.plus(Duration.ofHours(1))));
        Suppression byEntity = new Suppression(
                "s-host", ACME, Optional.empty(), Optional.of(host("lab")), "lab machine", "ann", T0, Optional.empty());
        Suppression byBoth = new Suppression(
                "s-both",
                ACME,
                Optional.of("crit"),
                Optional.of(host("build")),
                "build server",
                "ann",
                T0,
                Optional.empty());
        assertThat(engine.addSuppression(byRule).kind()).isEqualTo(SuppressionEvent.Kind.CREATED);
        engine.addSuppression(byEntity);
        engine.addSuppression(byBoth);

        assertThat(engine.process(alert("n1", 1, "noisy", Severity.CRITICAL, 100, host("h1")))
                        .disposition())
                .isEqualTo(Disposition.SUPPRESSED);
        assertThat(engine.process(alert("n2", 2, "other", Severity.CRITICAL, 100, host("lab")))
                        .disposition())
                .isEqualTo(Disposition.SUPPRESSED);
        assertThat(engine.process(alert("n3", 3, "crit", Severity.CRITICAL, 100, host("build")))
                        .disposition())
                .isEqualTo(Disposition.SUPPRESSED);
        assertThat(engine.process(alert("n4", 4, "crit", Severity.CRITICAL, 100, host("web")))
                        .disposition())
                .isEqualTo(Disposition.GROUPED);

        Outcome afterExpiry = engine.process(alert("n5", 61, "noisy", Severity.CRITICAL, 100, host("h1")));
        assertThat(afterExpiry.disposition()).isEqualTo(Disposition.GROUPED);
        assertThat(afterExpiry.suppressionEvents()).singleElement().satisfies(ev -> {
            assertThat(ev.kind()).isEqualTo(SuppressionEvent.Kind.EXPIRED);
            assertThat(ev.suppression().id()).isEqualTo("s-rule");
            assertThat(ev.actor()).isEqualTo(SuppressionEvent.SYSTEM);
            assertThat(ev.at()).isEqualTo(T0.plus(Duration.ofHours(1)));
        });

        assertThat(engine.deleteSuppression(ACME, "s-host", "bob", T0.plusSeconds(7200)))
                .hasValueSatisfying(ev -> {
                    assertThat(ev.kind()).isEqualTo(SuppressionEvent.Kind.DELETED);
                    assertThat(ev.actor()).isEqualTo("bob");
                });
        assertThat(engine.deleteSuppression(ACME, "s-host", "bob", T0)).isEmpty();
        assertThat(engine.process(alert("n6", 62, "other", Severity.CRITICAL, 100, host("lab")))
                        .disposition())
                .isEqualTo(Disposition.GROUPED);
        assertThat(engine.suppressions(ACME)).extracting(Suppression::id).containsExactly("s-both");
        assertThat(engine.stats(ACME).suppressed()).isEqualTo(3);
        assertThat(engine.stats(ACME).suppressionHits())
                .containsEntry("s-rule", 1L)
                .containsEntry("s-host", 1L);
    }

    @Test
    void tenantsAreGroupedApart() {
        Alert a = alert("c1", 0, "crit", Severity.CRITICAL, 100, host("h1"));
        Alert b = Alert.builder()
                .id("c1")
                .tenant(dev.vigil.core.TenantId.of("other"))
                .time(T0)
                .detector("crit", "crit")
                .severity(Severity.CRITICAL)
                .entity(host("h1"))
                .build();
        String idA = engine.process(a).incidentId().orElseThrow();
        String idB = engine.process(b).incidentId().orElseThrow();
        assertThat(idA).isNotEqualTo(idB);
        assertThat(engine.openIncidents(ACME)).hasSize(1);
    }

    @Test
    void aReplayOfTheSameAlertsGivesTheSameIncidents() {
        List<Alert> alerts = new ArrayList<>(phishingToLateralMovement());
        alerts.add(alert("z1", 30, "crit", Severity.CRITICAL, 90, host("other")));
        alerts.add(alert("z2", 31, "bridge", Severity.LOW, 90, host("other"), host("srv02")));
        List<Outcome> first = feed(new IncidentEngine(IncidentConfig.defaults()), alerts);
        List<Outcome> second = feed(new IncidentEngine(IncidentConfig.defaults()), alerts);
        assertThat(second).isEqualTo(first);
        assertThat(first.get(first.size() - 1).updates().get(0).kind()).isEqualTo(Kind.MERGED);
    }
}
