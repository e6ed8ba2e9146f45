package dev.vigil.console;

import static dev.vigil.console.testing.ConsoleFixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.vigil.core.alert.Alert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console in a real browser (see {@link BrowserTestBase}): sign-in, isolation, triage, search, language, XSS. */
class ConsoleBrowserTest extends BrowserTestBase {
    @Override
    int eventsPerTenant() {
        return 3000;
    }

    @Test
    void signingInWithAWrongPasswordFailsAndSigningOutEndsTheSession() {
        page.navigate(console.url("/t/acme/overview"));
        assertThat(page.url()).endsWith("/login");
        page.fill("#username", "alice");
        page.fill("#password", "not the password");
        page.click("#login");
        assertThat(page.textContent("#login-error")).contains("Wrong user name or password");

        page.fill("#username", "alice");
        page.fill("#password", PASSWORD);
        page.click("#login");
        page.waitForURL("**/t/acme/overview");
        assertThat(page.locator("#current-tenant").textContent()).isEqualTo("acme");
        assertThat(context.cookies()).singleElement().satisfies(c -> {
            assertThat(c.httpOnly).isTrue();
            assertThat(c.secure).isTrue();
            assertThat(c.sameSite.name()).isEqualTo("STRICT");
        });

        page.click("#logout");
        page.waitForURL("**/login");
        page.navigate(console.url("/t/acme/alerts"));
        assertThat(page.url()).endsWith("/login");
    }

    @Test
    void aUserCannotReachAnotherTenantByEditingTheUrl() {
        signIn("alice");
        assertThat(page.locator("nav.tenants a").allTextContents()).containsExactly("acme");
        for (String path : List.of(
                "/t/globex/overview",
                "/t/globex/alerts",
                "/t/globex/search?q=*",
                "/t/globex/alerts/table",
                "/t/globex/rules")) {
            Response r = page.navigate(console.url(path));
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(page.textContent("#error-status")).isEqualTo("404");
            assertThat(page.content()).doesNotContain("globex-");
        }
    }

    @Test
    void anAnalystTriagesAnAlertAndTheAuditLogShowsIt() {
        signIn("alice");
        page.navigate(console.url("/t/acme/alerts?level=high"));
        var firstRow = page.locator("tr[data-alert]").first();
        String alertId = firstRow.getAttribute("data-alert");
        firstRow.locator("input[name=alert]").check();
        page.fill("#triage-comment", "benign: scheduled admin task");
        page.click("#ack");
        page.waitForSelector("#triage-notice");
        var row = page.locator("tr[data-alert='" + alertId + "']");
        assertThat(row.locator("td.status").textContent())
                .contains("acknowledged")
                .contains("benign: scheduled admin task");
        assertThat(consoleErrors).isEmpty();

        page.click("#logout");
        signIn("ted");
        page.navigate(console.url("/t/acme/audit"));
        String audit = page.locator("#audit").textContent();
        assertThat(audit).contains("alert.triage").contains(alertId).contains("benign: scheduled admin task");
    }

    @Test
    void anAnalystOpensTheIncidentOfAnAlertAndWorksItsCase() {
        signIn("alice");
        Alert lsass = console.acmeAttackAlerts.stream()
                .filter(a -> a.detectorId().equals("r-lsass"))
                .findFirst()
                .orElseThrow();
        page.navigate(console.url("/t/acme/alerts?level=critical"));
        var row = page.locator("tr[data-alert='" + lsass.id() + "']");
        assertThat(row.locator("td.rule-title").textContent()).isEqualTo("LSASS memory dump");
        row.locator("a.incident-of").click();
        page.waitForURL("**/t/acme/incidents/" + console.acmeIncident);
        assertThat(page.locator("#timeline tr.step").count()).isEqualTo(console.acmeAttackAlerts.size());
        assertThat(page.locator("#attack-chain .tactic.reached h3").allTextContents())
                .containsExactly(
                        "Execution",
                        "Credential access",
                        "Discovery",
                        "Lateral movement",
                        "Command and control",
                        "Impact");
        page.waitForSelector("#entity-graph canvas");
        page.locator("#evidence summary").first().click();
        assertThat(page.locator("#evidence pre.raw").first().isVisible()).isTrue();

        page.click("#case-start");
        PlaywrightAssertions.assertThat(page.locator("#case-status")).hasText("in progress");
        page.fill("#case-assignee-input", "alice");
        page.click("#case-assign");
        PlaywrightAssertions.assertThat(page.locator("#case-assignee")).hasText("alice");
        page.fill("#case-comment", "LSASS dumped with comsvcs; resetting alice's password");
        page.click("#case-add-comment");
        PlaywrightAssertions.assertThat(page.locator("#case-comments"))
                .containsText("LSASS dumped with comsvcs; resetting alice's password");
        page.selectOption("#case-next-status", "resolved_true_positive");
        page.click("#case-set-status");
        PlaywrightAssertions.assertThat(page.locator("#case-status")).hasText("resolved: true positive");
        String history = page.locator("#case-audit").textContent();
        assertThat(history)
                .contains("alice")
                .contains("new → in_progress")
                .contains("→ alice")
                .contains("in_progress → resolved_true_positive");
        page.reload();
        assertThat(page.locator("#incident-status").textContent()).isEqualTo("resolved: true positive");
        assertThat(consoleErrors).isEmpty();

        page.click("#logout");
        signIn("ted");
        page.navigate(console.url("/t/acme/audit"));
        assertThat(page.locator("#audit").textContent())
                .contains("incident.case")
                .contains(console.acmeIncident)
                .contains("status: in_progress -> resolved_true_positive");
    }

    @Test
    void aSearchShowsAHistogramAndTheFieldSidebarRefinesTheQuery() {
        signIn("alice");
        page.navigate(console.url("/t/acme/search?range=24h&q=" + Html.q("EventID:4625")));
        page.waitForSelector("#histogram canvas");
        long before = count(page.textContent("#hit-count"));
        assertThat(before).isPositive();
        var refine = page.locator("#field-sidebar a.refine").first();
        String value = refine.textContent();
        refine.click();
        page.waitForLoadState();
        assertThat(page.inputValue("#q")).startsWith("EventID:4625 AND ").contains(value);
        long after = count(page.textContent("#hit-count"));
        assertThat(after).isPositive().isLessThanOrEqualTo(before);
        page.locator("tr.hit summary").first().click();
        assertThat(page.locator("tr.hit pre.raw").first().isVisible()).isTrue();

        page.fill("#q", "EventID:(4625");
        page.click("#search");
        page.waitForSelector("#query-error");
        assertThat(page.textContent("#query-error mark")).isEqualTo("▶");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void theLanguageSwitchIsStoredAndShownInHtmlLang() {
        signIn("olga");
        page.navigate(console.url("/account"));
        page.selectOption("#language", "zh-CN");
        page.click("#save-language");
        page.waitForLoadState();
        assertThat(page.getAttribute("html", "lang")).isEqualTo("zh-CN");
        page.navigate(console.url("/t/acme/overview"));
        assertThat(page.locator("nav.side").textContent())
                .contains("概览")
                .contains("告警")
                .contains("搜索");
        page.navigate(console.url("/account"));
        page.selectOption("#language", "en");
        page.click("#save-language");
        page.waitForLoadState();
        assertThat(page.getAttribute("html", "lang")).isEqualTo("en");
    }

    @Test
    void hostileLogValuesAreRenderedInertAndTheCspBlocksInlineScript() {
        signIn("ted");
        for (String path : List.of(
                "/t/acme/search?range=24h&q=EventID:4688",
                "/t/acme/alerts",
                "/t/acme/overview",
                "/t/acme/rules",
                "/t/acme/audit",
                "/t/acme/incidents",
                "/t/acme/incidents/" + console.hostileIncident)) {
            page.navigate(console.url(path));
            page.waitForLoadState();
            page.locator("summary").all().forEach(s -> s.click());
            assertThat(page.locator("img[src='x']").count()).as(path).isZero();
            assertThat(page.locator("svg[onload]").count()).as(path).isZero();
            assertThat(page.locator("script").count())
                    .as(path + ": only our three scripts")
                    .isEqualTo(3);
            Object badLinks = page.evaluate(
                    "() => [...document.querySelectorAll('a[href]')].filter(a => !/^(https?:|\\/|#)/.test(a.getAttribute('href'))).length");
            assertThat(((Number) badLinks).intValue()).as(path).isZero();
        }
        page.navigate(console.url("/t/acme/search?range=24h&q=EventID:4688"));
        assertThat(page.getByText("<script>alert('xss-script')</script>").count())
                .as("the payload is shown as text")
                .isPositive();
        page.navigate(console.url("/t/acme/alerts"));
        assertThat(page.locator("td.rule-title").allTextContents())
                .contains("<img src=x onerror=alert('xss-rule')> rule");
        page.navigate(console.url("/t/acme/incidents/" + console.hostileIncident));
        page.waitForSelector("#entity-graph canvas");
        assertThat(page.locator("#timeline td.entities").allTextContents())
                .anySatisfy(t -> assertThat(t).contains("<svg onload=alert('xss-host')>"));
        assertThat(page.locator("#evidence pre.raw").allTextContents())
                .anySatisfy(t -> assertThat(t).contains("<script>alert('xss-script')</script>"));
        assertThat(dialogOpened).as("no alert() ran").isFalse();
        assertThat(consoleErrors).as("nothing on our pages tripped the policy").isEmpty();

        Object ran = page.evaluate(
                "() => { const s = document.createElement('script');"
                        + " s.textContent = 'window.__pwned = true'; document.body.appendChild(s); return window.__pwned === true; }");
        assertThat(ran).as("an injected inline script does not run").isEqualTo(false);
        page.waitForCondition(() -> !consoleErrors.isEmpty());
        assertThat(consoleErrors).anySatisfy(e -> assertThat(e).contains("Content Security Policy"));
    }

    @Test
    void screenshotsOfTheMainPages() throws Exception {
        String target = System.getProperty("vigil.screenshots");
        Path dir = target == null ? Paths.get("target/screenshots") : Paths.get(target);
        Files.createDirectories(dir);
        signIn("admin");
        shoot("/overview", dir.resolve("rollup.png"));
        shoot("/t/acme/overview", dir.resolve("overview.png"));
        shoot("/t/acme/alerts", dir.resolve("alerts.png"));
        shoot("/t/acme/search?range=24h&q=" + Html.q("EventID:4625"), dir.resolve("search.png"));
        shoot("/t/acme/rules", dir.resolve("rules.png"));
        shoot("/t/acme/incidents", dir.resolve("incidents.png"));
        page.navigate(console.url("/t/acme/incidents/" + console.acmeIncident));
        page.waitForSelector("#entity-graph canvas");
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(dir.resolve("incident.png"))
                .setFullPage(true));
        shoot("/t/acme/intel?q=203.0.113", dir.resolve("intel.png"));
        shoot("/t/acme/attack", dir.resolve("attack.png"));
        shoot("/t/acme/settings", dir.resolve("settings.png"));
        assertThat(dir.resolve("overview.png")).isNotEmptyFile();
        assertThat(dir.resolve("incident.png")).isNotEmptyFile();
    }

    private void shoot(String path, Path file) {
        page.navigate(console.url(path));
        page.waitForLoadState();
        if (page.locator("[data-chart]").count() > 0) {
            page.waitForSelector("[data-chart] canvas");
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(file));
    }

    private static long count(String text) {
        return Long.parseLong(text.replaceAll("[^0-9]", ""));
    }
}
