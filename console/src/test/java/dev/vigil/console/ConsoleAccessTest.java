package dev.vigil.console;

import static dev.vigil.console.testing.ConsoleFixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.console.testing.ConsoleFixture;
import dev.vigil.meta.AuditEntry;
import dev.vigil.meta.ConsoleAccounts;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Sessions, CSRF, roles and tenant scope over real HTTP against a real console. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleAccessTest {
    /** Every GET route under a tenant, pages and htmx fragments alike. */
    static final List<String> TENANT_GETS = List.of(
            "/overview",
            "/alerts",
            "/alerts/table",
            "/search?q=EventID:4625",
            "/rules",
            "/settings/tokens",
            "/audit",
            "/intel",
            "/intel?q=203.0.113.7",
            "/attack",
            "/attack?technique=T1003",
            "/settings");

    ConsoleFixture console;

    @BeforeAll
    void start(@TempDir Path dir) {
        console = ConsoleFixture.start(dir, 2_000);
    }

    @AfterAll
    void stop() {
        console.close();
    }

    private HttpSession signedIn(String user) throws Exception {
        return HttpSession.signedIn(console, user);
    }

    @Test
    void pagesNeedASessionAndTheCookieIsLockedDown() throws Exception {
        HttpSession s = new HttpSession(console.url(""));
        HttpResponse<String> page = s.get("/t/acme/overview");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).contains("/login");
        HttpResponse<String> fragment = s.get("/t/acme/alerts/table", "HX-Request", "true");
        assertThat(fragment.statusCode()).isEqualTo(401);
        assertThat(fragment.headers().firstValue("HX-Redirect")).contains("/login");

        assertThat(s.login("alice", "wrong password!").statusCode()).isEqualTo(401);
        assertThat(s.cookie).isNull();
        assertThat(s.login("alice", PASSWORD).statusCode()).isEqualTo(303);
        assertThat(s.lastSetCookie)
                .contains("; Path=/")
                .contains("; Secure")
                .contains("; HttpOnly")
                .contains("; SameSite=Strict");
        assertThat(s.cookie).hasSize(43);
        assertThat(s.get("/t/acme/overview").statusCode()).isEqualTo(200);
    }

    @Test
    void everyPageCarriesTheSecurityHeaders() throws Exception {
        HttpSession s = signedIn("ted");
        for (String path : TENANT_GETS) {
            HttpResponse<String> r = s.get("/t/acme" + path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Security-Policy"))
                    .as(path)
                    .contains("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                            + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
            assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(r.body()).as(path).doesNotContain("??").doesNotContain("<script>");
        }
        HttpResponse<String> js = s.get("/static/htmx.min.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Cache-Control")).contains("public, max-age=86400");
        assertThat(s.get("/static/echarts.min.js").body()).contains("echarts");
        assertThat(s.get("/static/../pom.xml").statusCode()).isEqualTo(404);
    }

    @Test
    void aUserOfOneTenantGets404ForEveryPageAndFragmentOfAnother() throws Exception {
        HttpSession alice = signedIn("alice");
        String csrf = alice.csrf("/t/acme/alerts");
        for (String path : TENANT_GETS) {
            assertThat(alice.get("/t/globex" + path).statusCode())
                    .as("GET globex" + path)
                    .isEqualTo(404);
            assertThat(alice.get("/t/globex" + path, "HX-Request", "true").statusCode())
                    .as("htmx GET globex" + path)
                    .isEqualTo(404);
            assertThat(alice.get("/t/nonexistent" + path).statusCode())
                    .as("same for a tenant that does not exist")
                    .isEqualTo(404);
        }
        for (String post : List.of(
                "/alerts/triage",
                "/rules/state",
                "/rules/test",
                "/settings/tokens/create",
                "/settings/tokens/revoke")) {
            HttpResponse<String> r = alice.post(
                    "/t/globex" + post,
                    Map.of("alert", List.of("globex-1"), "status", List.of("acknowledged")),
                    "X-CSRF-Token",
                    csrf,
                    "HX-Request",
                    "true");
            assertThat(r.statusCode()).as("POST globex" + post).isEqualTo(404);
        }
        assertThat(alice.get("/t/acme/search?q=Computer:WS-0142").body()).doesNotContain("globex");
        assertThat(alice.get("/overview").body())
                .as("the roll-up lists only her tenant")
                .contains("/t/acme/overview")
                .doesNotContain("/t/globex/");

        HttpSession olga = signedIn("olga");
        assertThat(olga.get("/overview").body()).contains("/t/acme/overview").contains("/t/globex/overview");
        assertThat(olga.get("/t/globex/alerts").statusCode()).isEqualTo(200);
    }

    @Test
    void postsWithoutTheSessionsCsrfTokenAreRefused() throws Exception {
        HttpSession alice = signedIn("alice");
        String csrf = alice.csrf("/t/acme/alerts");
        Map<String, List<String>> triage = Map.of("alert", List.of("acme-hostile"), "status", List.of("acknowledged"));
        assertThat(alice.post("/t/acme/alerts/triage", triage).statusCode()).isEqualTo(403);
        assertThat(alice.post("/t/acme/alerts/triage", triage, "X-CSRF-Token", "0".repeat(32))
                        .statusCode())
                .isEqualTo(403);
        HttpSession bob = signedIn("bob");
        String bobs = bob.csrf("/t/globex/alerts");
        assertThat(alice.post("/t/acme/alerts/triage", triage, "X-CSRF-Token", bobs)
                        .statusCode())
                .as("another session's token")
                .isEqualTo(403);
        HttpResponse<String> ok =
                alice.post("/t/acme/alerts/triage", triage, "X-CSRF-Token", csrf, "HX-Request", "true");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("id=\"alert-table\"");
        Map<String, List<String>> withField =
                Map.of("alert", List.of("acme-hostile"), "status", List.of("false-positive"), "_csrf", List.of(csrf));
        assertThat(alice.post("/t/acme/alerts/triage", withField).statusCode())
                .as("form field, plain post → 303")
                .isEqualTo(303);
        assertThat(alice.post("/logout", Map.of()).statusCode())
                .as("logout needs the token too")
                .isEqualTo(403);
    }

    @Test
    void rolesLimitWhatUsersMayDo() throws Exception {
        HttpSession vera = signedIn("vera");
        String csrf = vera.csrf("/t/acme/alerts");
        assertThat(vera.post(
                                "/t/acme/alerts/triage",
                                Map.of("alert", List.of("acme-hostile"), "status", List.of("acknowledged")),
                                "X-CSRF-Token",
                                csrf)
                        .statusCode())
                .as("a viewer may not triage")
                .isEqualTo(403);
        assertThat(vera.get("/t/acme/alerts").body()).doesNotContain("id=\"ack\"");
        HttpSession alice = signedIn("alice");
        assertThat(alice.get("/t/acme/settings/tokens").statusCode()).isEqualTo(403);
        assertThat(alice.get("/t/acme/audit").statusCode()).isEqualTo(403);
        assertThat(alice.get("/settings/users").statusCode()).isEqualTo(403);
        HttpSession ted = signedIn("ted");
        assertThat(ted.get("/t/acme/settings/tokens").statusCode()).isEqualTo(200);
        assertThat(ted.get("/settings/users").statusCode())
                .as("tenant admins do not manage users")
                .isEqualTo(403);
        assertThat(signedIn("admin").get("/settings/users").body())
                .contains("olga")
                .contains("alice");
    }

    @Test
    void repeatedFailuresThrottleTheUserAndAreAudited() throws Exception {
        HttpSession s = new HttpSession(console.url(""));
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertThat(s.login("vera", "not her password " + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> throttled = s.login("vera", PASSWORD);
        assertThat(throttled.statusCode())
                .as("even the right password waits out the lock")
                .isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        console.clock.advance(Duration.ofSeconds(2));
        assertThat(s.login("vera", PASSWORD).statusCode()).isEqualTo(303);
        List<AuditEntry> log = new ConsoleAccounts(console.meta).auditLog(null, 1000);
        assertThat(log)
                .filteredOn(e -> e.target().equals("vera"))
                .extracting(AuditEntry::action)
                .contains("login.failure", "login.throttled", "login.success");
    }

    @Test
    void sessionsEndOnLogoutAndWhenIdle() throws Exception {
        HttpSession s = signedIn("alice");
        String cookie = s.cookie;
        String csrf = s.csrf("/t/acme/overview");
        assertThat(s.post("/logout", Map.of("_csrf", List.of(csrf))).statusCode())
                .isEqualTo(303);
        s.cookie = cookie;
        assertThat(s.get("/t/acme/overview").statusCode())
                .as("the old cookie is dead")
                .isEqualTo(303);

        HttpSession idle = signedIn("alice");
        console.clock.advance(ConsoleAuth.IDLE_TIMEOUT.plusMinutes(1));
        assertThat(idle.get("/t/acme/overview").statusCode()).isEqualTo(303);
    }

    @Test
    void triageRefusesAlertsOfOtherTenantsAndIsAudited() throws Exception {
        HttpSession alice = signedIn("alice");
        String csrf = alice.csrf("/t/acme/alerts");
        HttpResponse<String> foreign = alice.post(
                "/t/acme/alerts/triage",
                Map.of("alert", List.of("globex-hostile"), "status", List.of("acknowledged")),
                "X-CSRF-Token",
                csrf);
        assertThat(foreign.statusCode()).isEqualTo(404);
        alice.post(
                "/t/acme/alerts/triage",
                Map.of(
                        "alert",
                        List.of("acme-hostile"),
                        "status",
                        List.of("acknowledged"),
                        "comment",
                        List.of("checked with the host owner")),
                "X-CSRF-Token",
                csrf);
        HttpSession ted = signedIn("ted");
        assertThat(ted.get("/t/acme/audit").body()).contains("alert.triage").contains("checked with the host owner");
        assertThat(signedIn("bob").get("/t/globex/alerts").body()).doesNotContain("checked with the host owner");
    }
}
