package dev.vigil.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.EntityType;
import dev.vigil.core.alert.Severity;
import dev.vigil.incidents.Case;
import dev.vigil.incidents.CaseStatus;
import dev.vigil.incidents.Incident;
import dev.vigil.incidents.IncidentConfig;
import dev.vigil.incidents.IncidentEngine;
import dev.vigil.incidents.Suppression;
import dev.vigil.incidents.SuppressionEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@link IncidentRepository} must do on every backend; subclasses give SQLite and PostgreSQL databases. */
abstract class IncidentRepositoryContract {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final TenantId A = TenantId.of("alpha");
    private static final TenantId B = TenantId.of("beta");

    abstract MetadataConfig newDatabase() throws Exception;

    private MetadataStore open() throws Exception {
        MetadataStore store = MetadataStore.open(newDatabase(), Clock.fixed(T0, ZoneOffset.UTC));
        store.createTenant("alpha");
        store.createTenant("beta");
        return store;
    }

    /** Real incidents from the engine: one per host, severity as given, starting {@code minutes} after T0. */
    private static Incident incident(TenantId tenant, String host, Severity severity, int minutes) {
        IncidentEngine engine = new IncidentEngine(IncidentConfig.defaults());
        engine.process(Alert.builder()
                .id("a-" + host)
                .tenant(tenant)
                .time(T0.plus(Duration.ofMinutes(minutes)))
                .detector("r-" + host, "Rule on " + host)
                .severity(Severity.CRITICAL)
                .entity(new EntityRef(EntityType.HOST, host))
                .build());
        Incident i = engine.openIncidents(tenant).get(0);
        return new Incident(
                i.id(),
                i.tenant(),
                i.title(),
                severity,
                i.risk(),
                i.firstSeen(),
                i.lastSeen(),
                i.entities(),
                i.steps(),
                i.alertCount(),
                i.droppedSteps(),
                i.mergedFrom());
    }

    @Test
    void anIncidentIsSavedWithANewCaseAndUpdatesKeepTheCase() throws Exception {
        try (MetadataStore store = open()) {
            IncidentRepository repo = store.incidents();
            Incident first = incident(A, "ws01", Severity.HIGH, 0);
            StoredIncident saved = repo.save(first, T0);
            assertThat(saved.kase().status()).isEqualTo(CaseStatus.NEW);
            assertThat(repo.find(A, first.id())).hasValueSatisfying(s -> {
                assertThat(s.incident()).isEqualTo(first);
                assertThat(s.kase().createdAt()).isEqualTo(T0);
                assertThat(s.mergedInto()).isEmpty();
            });
            repo.updateCase(
                    A,
                    first.id(),
                    c -> c.transition(CaseStatus.IN_PROGRESS, "ann", T0.plusSeconds(60))
                            .assign("bob", "ann", T0.plusSeconds(61))
                            .addTag("phishing", "ann", T0.plusSeconds(62))
                            .comment("Looking at <b>ws01</b>", "bob", T0.plusSeconds(63)));

            Incident raised = incident(A, "ws01", Severity.CRITICAL, 0);
            StoredIncident after = repo.save(raised, T0.plusSeconds(120));
            assertThat(after.kase().severity()).isEqualTo(Severity.CRITICAL);
            StoredIncident reread = repo.find(A, first.id()).orElseThrow();
            assertThat(reread.kase()).isEqualTo(after.kase());
            assertThat(reread.kase().status()).isEqualTo(CaseStatus.IN_PROGRESS);
            assertThat(reread.kase().assignee()).contains("bob");
            assertThat(reread.kase().tags()).containsExactly("phishing");
            assertThat(reread.kase().comments())
                    .singleElement()
                    .satisfies(c -> assertThat(c.text()).isEqualTo("Looking at <b>ws01</b>"));
            assertThat(reread.kase().audit())
                    .extracting(e -> e.field() + ":" + e.oldValue() + "->" + e.newValue())
                    .containsExactly(
                            "status:->new",
                            "status:new->in_progress",
                            "assignee:->bob",
                            "tag:->phishing",
                            "comment:->#1",
                            "severity:high->critical");
            assertThat(reread.kase().acknowledgedAt()).contains(T0.plusSeconds(60));
        }
    }

    @Test
    void invalidCaseChangesAreRefusedAndChangeNothing() throws Exception {
        try (MetadataStore store = open()) {
            IncidentRepository repo = store.incidents();
            Incident i = incident(A, "ws01", Severity.HIGH, 0);
            repo.save(i, T0);
            assertThatThrownBy(() -> repo.updateCase(
                            A,
                            i.id(),
                            c -> c.comment("first", "ann", T0).transition(CaseStatus.RESOLVED_BENIGN, "ann", T0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("from new to resolved_benign");
            Case unchanged = repo.find(A, i.id()).orElseThrow().kase();
            assertThat(unchanged.comments()).isEmpty();
            assertThat(unchanged.audit()).hasSize(1);
        }
    }

    @Test
    void aTenantCannotReadOrChangeAnotherTenantsIncident() throws Exception {
        try (MetadataStore store = open()) {
            IncidentRepository repo = store.incidents();
            Incident ofB = incident(B, "secret-host", Severity.HIGH, 0);
            repo.save(ofB, T0);
            assertThat(repo.find(A, ofB.id())).isEmpty();
            assertThat(repo.list(A, IncidentQuery.all()).items()).isEmpty();
            assertThatThrownBy(() -> repo.updateCase(A, ofB.id(), c -> c.assign("mallory", "mallory", T0)))
                    .hasMessageContaining("tenant 'alpha' has no incident " + ofB.id());
            assertThatThrownBy(() -> repo.markMerged(A, ofB.id(), "x", T0)).hasMessageContaining("has no incident");
            assertThat(repo.find(B, ofB.id()).orElseThrow().kase().assignee()).isEmpty();
            assertThat(repo.list(B, IncidentQuery.all()).total()).isEqualTo(1);
        }
    }

    @Test
    void listsFilterByStatusSeverityAssigneeAndTimeAndPage() throws Exception {
        try (MetadataStore store = open()) {
            IncidentRepository repo = store.incidents();
            Severity[] severities = {Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL};
            String[] ids = new String[8];
            for (int n = 0; n < 8; n++) {
                Incident i = incident(A, "h" + n, severities[n % 4], n * 60);
                ids[n] = i.id();
                repo.save(i, T0);
            }
            repo.updateCase(
                    A,
                    ids[1],
                    c -> c.transition(CaseStatus.IN_PROGRESS, "ann", T0).assign("ann", "ann", T0));
            repo.updateCase(
                    A,
                    ids[6],
                    c -> c.transition(CaseStatus.IN_PROGRESS, "bob", T0).assign("bob", "bob", T0));
            repo.markMerged(A, ids[7], ids[6], T0);

            IncidentSummary.Page all = repo.list(A, IncidentQuery.all());
            assertThat(all.total()).isEqualTo(7);
            assertThat(all.items()).extracting(IncidentSummary::id).startsWith(ids[6], ids[5]);
            assertThat(repo.list(A, IncidentQuery.all().withPage(2, 2)).items())
                    .extracting(IncidentSummary::id)
                    .containsExactly(ids[4], ids[3]);
            assertThat(repo.list(A, IncidentQuery.all().withStatuses(Set.of(CaseStatus.IN_PROGRESS)))
                            .items())
                    .extracting(IncidentSummary::id)
                    .containsExactly(ids[6], ids[1]);
            assertThat(repo.list(A, IncidentQuery.all().withMinSeverity(Severity.HIGH))
                            .items())
                    .extracting(IncidentSummary::severity)
                    .containsOnly(Severity.HIGH, Severity.CRITICAL)
                    .hasSize(3);
            assertThat(repo.list(A, IncidentQuery.all().withAssignee("bob")).items())
                    .extracting(IncidentSummary::id)
                    .containsExactly(ids[6]);
            assertThat(repo.list(
                                    A,
                                    IncidentQuery.all()
                                            .withTimeRange(T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(4))))
                            .items())
                    .extracting(IncidentSummary::id)
                    .containsExactly(ids[3], ids[2]);
            IncidentQuery withMerged = new IncidentQuery(
                    Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true, 50, 0);
            assertThat(repo.list(A, withMerged).items())
                    .filteredOn(s -> s.id().equals(ids[7]))
                    .singleElement()
                    .satisfies(s -> assertThat(s.mergedInto()).contains(ids[6]));
        }
    }

    @Test
    void suppressionsAreStoredEndedAndAudited() throws Exception {
        try (MetadataStore store = open()) {
            IncidentRepository repo = store.incidents();
            Suppression rule = new Suppression(
                    "s1",
                    A,
                    Optional.of("noisy"),
                    Optional.empty(),
                    "scanner",
                    "ann",
                    T0,
                    Optional.of(T0.plusSeconds(3600)));
            Suppression host = new Suppression(
                    "s2",
                    A,
                    Optional.empty(),
                    Optional.of(new EntityRef(EntityType.HOST, "lab")),
                    "lab",
                    "ann",
                    T0,
                    Optional.empty());
            Suppression ofB =
                    new Suppression("s3", B, Optional.of("x"), Optional.empty(), "b's", "bea", T0, Optional.empty());
            repo.saveSuppression(rule);
            repo.saveSuppression(host);
            repo.saveSuppression(ofB);
            assertThat(repo.activeSuppressions(A, T0.plusSeconds(10))).containsExactly(rule, host);
            assertThat(repo.activeSuppressions(A, T0.plusSeconds(3600))).containsExactly(host);

            repo.recordExpiry(new SuppressionEvent(
                    SuppressionEvent.Kind.EXPIRED, rule, SuppressionEvent.SYSTEM, T0.plusSeconds(3600)));
            assertThat(repo.deleteSuppression(A, "s2", "bob", T0.plusSeconds(4000)))
                    .isTrue();
            assertThat(repo.deleteSuppression(A, "s2", "bob", T0.plusSeconds(4001)))
                    .isFalse();
            assertThat(repo.deleteSuppression(A, "s3", "mallory", T0.plusSeconds(4001)))
                    .isFalse();
            assertThat(repo.activeSuppressions(A, T0)).isEmpty();
            assertThat(repo.activeSuppressions(B, T0)).containsExactly(ofB);
            assertThat(repo.suppressionAudit(A))
                    .extracting(r -> r.suppressionId() + " " + r.kind() + " " + r.actor())
                    .containsExactly("s1 CREATED ann", "s2 CREATED ann", "s1 EXPIRED system", "s2 DELETED bob");
        }
    }
}
