package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.console.testing.ConsoleFixture;
import dev.vigil.core.alert.Alert;
import dev.vigil.incidents.Case;
import dev.vigil.incidents.CaseAuditEntry;
import dev.vigil.incidents.CaseStatus;
import dev.vigil.meta.AuditEntry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The incident pages over real HTTP: what they show, who may change a case, and tenant isolation. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncidentPagesTest {
    ConsoleFixture console;

    @BeforeAll
    void start(@TempDir Path dir) {
        console = ConsoleFixture.start(dir, 500);
    }

    @AfterAll
    void stop() {
        console.close();
    }

    private HttpSession signedIn(String user) throws Exception {
        return HttpSession.signedIn(console, user);
    }

    private String acme(String path) {
        return "/t/acme" + path;
    }

    private Case caseOf(String incident) {
        return console.meta
                .incidents()
                .find(ConsoleFixture.ACME, incident)
                .orElseThrow()
                .kase();
    }

    private static Map<String, List<String>> form(String... pairs) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], List.of(pairs[i + 1]));
        }
        return out;
    }

    @Test
    void theOverviewAndRollupCountTheOpenIncidentsOfEachTenant() throws Exception {
        long acmeOpen = console.meta
                .incidents()
                .list(
                        ConsoleFixture.ACME,
                        dev.vigil.meta.IncidentQuery.all()
                                .withStatuses(java.util.Set.of(
                                        dev.vigil.incidents.CaseStatus.NEW,
                                        dev.vigil.incidents.CaseStatus.IN_PROGRESS)))
                .total();
        assertThat(acmeOpen).isPositive();

        String overview = signedIn("vera").get(acme("/overview")).body();

        assertThat(overview)
                .contains("id=\"open-incident-count\" href=\"/t/acme/incidents\">" + acmeOpen + "</a>")
                .contains("/t/acme/incidents/" + console.acmeIncident)
                .doesNotContain(console.globexIncident);
        String rollup = signedIn("olga").get("/overview").body();
        assertThat(rollup).contains("<a href=\"/t/acme/incidents\">" + acmeOpen + "</a>");
    }

    @Test
    void theListShowsTheTenantsIncidentsAndFiltersThem() throws Exception {
        HttpSession vera = signedIn("vera");
        String all = vera.get(acme("/incidents")).body();
        assertThat(all)
                .contains("data-incident=\"" + console.acmeIncident + "\"")
                .contains("data-incident=\"" + console.hostileIncident + "\"")
                .doesNotContain(console.globexIncident)
                .contains("ws-0142")
                .contains("corp\\alice");
        String critical = vera.get(acme("/incidents/table?severity=critical")).body();
        assertThat(critical).contains(console.acmeIncident);
        // Other tests work the attack's case; the hostile incident's case is never touched, so it stays new.
        assertThat(vera.get(acme("/incidents/table?status=new")).body()).contains(console.hostileIncident);
        assertThat(vera.get(acme("/incidents/table?status=resolved")).body()).doesNotContain(console.hostileIncident);
        assertThat(vera.get(acme("/incidents/table?status=open&severity=critical"))
                        .body())
                .contains(console.hostileIncident);
        assertThat(vera.get(acme("/incidents?status=bogus")).statusCode()).isEqualTo(400);
        assertThat(vera.get(acme("/incidents?severity=extreme")).statusCode()).isEqualTo(400);
    }

    @Test
    void theIncidentPageShowsTimelineAttackChainGraphAndEvidence() throws Exception {
        HttpSession vera = signedIn("vera");
        HttpResponse<String> r = vera.get(acme("/incidents/" + console.acmeIncident));
        assertThat(r.statusCode()).isEqualTo(200);
        String html = r.body();
        for (Alert a : console.acmeAttackAlerts) {
            assertThat(html).as("timeline step of " + a.id()).contains("data-alert=\"" + a.id() + "\"");
        }
        assertThat(html)
                .contains("LSASS memory dump")
                .contains("data-tactic=\"credential-access\"")
                .contains("T1003.001")
                .containsPattern("class=\"tactic reached furthest\\s*\" data-tactic=\"impact\"")
                .containsPattern("class=\"tactic\\s*\" data-tactic=\"reconnaissance\"")
                .contains("id=\"entity-graph\" data-chart=\"")
                .contains("&#34;kind&#34;:&#34;graph&#34;")
                .contains("logged_on_to")
                .contains("spawned")
                .contains("vssadmin.exe delete shadows /all /quiet")
                .doesNotContain("<script>")
                .contains("id=\"case-status\"");
        assertThat(html).as("a viewer gets no case forms").doesNotContain("id=\"case-start\"");
    }

    @Test
    void aViewerMayReadButNotChangeACase() throws Exception {
        HttpSession vera = signedIn("vera");
        String csrf = vera.csrf(acme("/incidents"));
        HttpResponse<String> r = vera.post(
                acme("/incidents/" + console.hostileIncident + "/case"), form("action", "start"), "X-CSRF-Token", csrf);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(caseOf(console.hostileIncident).status()).isEqualTo(CaseStatus.NEW);
    }

    @Test
    void aCaseChangeNeedsTheCsrfToken() throws Exception {
        HttpSession alice = signedIn("alice");
        HttpResponse<String> r =
                alice.post(acme("/incidents/" + console.hostileIncident + "/case"), form("action", "start"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(caseOf(console.hostileIncident).status()).isEqualTo(CaseStatus.NEW);
    }

    @Test
    void anAnalystWorksACaseThroughItsStateMachineAndEveryStepIsAudited() throws Exception {
        HttpSession alice = signedIn("alice");
        String csrf = alice.csrf(acme("/incidents"));
        String path = acme("/incidents/" + console.acmeIncident + "/case");

        HttpResponse<String> refused =
                alice.post(path, form("action", "status", "status", "resolved_benign"), "X-CSRF-Token", csrf);
        assertThat(refused.statusCode()).as("new cannot jump to resolved").isEqualTo(400);
        assertThat(refused.body()).contains("allowed: [in_progress]");

        HttpResponse<String> started =
                alice.post(path, form("action", "start"), "X-CSRF-Token", csrf, "HX-Request", "true");
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(started.body()).startsWith("<div id=\"case\"").contains("id=\"case-notice\"");
        assertThat(alice.post(path, form("action", "assign", "assignee", "alice"), "X-CSRF-Token", csrf)
                        .statusCode())
                .as("a plain form post is redirected back to the page")
                .isEqualTo(303);
        alice.post(path, form("action", "comment", "comment", "<b>dumped</b> creds"), "X-CSRF-Token", csrf);
        alice.post(path, form("action", "tag", "tag", "ransomware"), "X-CSRF-Token", csrf);
        assertThat(alice.post(path, form("action", "tag", "tag", "<x>"), "X-CSRF-Token", csrf)
                        .statusCode())
                .isEqualTo(400);
        alice.post(path, form("action", "status", "status", "resolved_true_positive"), "X-CSRF-Token", csrf);

        Case kase = caseOf(console.acmeIncident);
        assertThat(kase.status()).isEqualTo(CaseStatus.RESOLVED_TRUE_POSITIVE);
        assertThat(kase.assignee()).contains("alice");
        assertThat(kase.tags()).containsExactly("ransomware");
        assertThat(kase.comments())
                .singleElement()
                .satisfies(c -> assertThat(c.text()).isEqualTo("<b>dumped</b> creds"));
        assertThat(kase.audit().stream().filter(e -> e.actor().equals("alice")).map(CaseAuditEntry::field))
                .containsExactly("status", "assignee", "comment", "tag", "status");
        List<AuditEntry> log =
                new dev.vigil.meta.ConsoleAccounts(console.meta).auditLog(Set.of(ConsoleFixture.ACME), 100);
        assertThat(log.stream().filter(e -> e.action().equals("incident.case")).map(AuditEntry::details))
                .contains(
                        "status: new -> in_progress",
                        "assignee: alice",
                        "comment: <b>dumped</b> creds",
                        "tag added: ransomware",
                        "status: in_progress -> resolved_true_positive");

        String page = alice.get(acme("/incidents/" + console.acmeIncident)).body();
        assertThat(page).contains("&lt;b&gt;dumped&lt;/b&gt; creds").doesNotContain("<b>dumped</b>");
    }

    @Test
    void anAlertLeadsToItsIncident() throws Exception {
        HttpSession vera = signedIn("vera");
        for (Alert a : console.acmeAttackAlerts) {
            HttpResponse<String> r = vera.get(acme("/alerts/" + a.id() + "/incident"));
            assertThat(r.statusCode()).as(a.id()).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).contains(acme("/incidents/" + console.acmeIncident));
        }
        assertThat(vera.get(acme("/alerts")).body()).contains(acme("/alerts/acme-hostile/incident"));
        assertThat(vera.get(acme("/alerts/acme-hostile/incident")).headers().firstValue("Location"))
                .contains(acme("/incidents/" + console.hostileIncident));
        assertThat(vera.get(acme("/alerts/no-such-alert/incident")).statusCode())
                .isEqualTo(404);
    }

    @Test
    void anotherTenantsIncidentIsNotFoundUnderEitherPrefix() throws Exception {
        HttpSession alice = signedIn("alice");
        String csrf = alice.csrf(acme("/incidents"));
        String theirs = console.globexIncident;
        String theirAlert = console.globexAttackAlerts.get(0).id();
        for (String path : List.of(
                "/t/globex/incidents",
                "/t/globex/incidents/table",
                "/t/globex/incidents/" + theirs,
                "/t/globex/incidents/" + theirs + "/case",
                acme("/incidents/" + theirs),
                acme("/incidents/" + theirs + "/case"),
                acme("/alerts/" + theirAlert + "/incident"))) {
            assertThat(alice.get(path).statusCode()).as("GET " + path).isEqualTo(404);
            HttpResponse<String> fragment = alice.get(path, "HX-Request", "true");
            assertThat(fragment.statusCode()).as("htmx GET " + path).isEqualTo(404);
            assertThat(fragment.body()).doesNotContain("globex");
        }
        for (String path : List.of("/t/globex/incidents/" + theirs + "/case", acme("/incidents/" + theirs + "/case"))) {
            HttpResponse<String> r = alice.post(path, form("action", "start"), "X-CSRF-Token", csrf);
            assertThat(r.statusCode()).as("POST " + path).isEqualTo(404);
        }
        assertThat(console.meta
                        .incidents()
                        .find(ConsoleFixture.GLOBEX, theirs)
                        .orElseThrow()
                        .kase()
                        .status())
                .isEqualTo(CaseStatus.NEW);
        HttpSession bob = signedIn("bob");
        assertThat(bob.get("/t/globex/incidents/" + theirs).statusCode()).isEqualTo(200);
        assertThat(bob.get("/t/globex/incidents/" + console.acmeIncident).statusCode())
                .isEqualTo(404);
    }
}
