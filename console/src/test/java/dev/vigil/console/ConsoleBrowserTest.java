package dev.vigil.console;

import static dev.vigil.console.testing.ConsoleFixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.vigil.console.testing.ConsoleFixture;
import dev.vigil.core.alert.Alert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real browser: Playwright drives Debian's Chromium ({@code /usr/bin/chromium}) against a console on
 * a loopback port. Without Chromium the tests are skipped with a message, unless {@code VIGIL_REQUIRE_BROWSER=1}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

    ConsoleFixture console;
    Playwright playwright;
    Browser browser;
    BrowserContext context;
    Page page;
    final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    final AtomicBoolean dialogOpened = new AtomicBoolean();

    @BeforeAll
    void start(@TempDir Path dir) {
        requireBrowser();
        console = ConsoleFixture.start(dir, 3_000);
        playwright = Playwright.create();
        browser = playwright.chromium().launch(launchOptions());
    }

    /** Skips (or, with VIGIL_REQUIRE_BROWSER=1, fails) when Debian's Chromium is not installed. */
    static void requireBrowser() {
        if (!Files.isExecutable(CHROMIUM)) {
            String message = CHROMIUM + " is missing: install Debian's chromium package to run the browser tests";
            if ("1".equals(System.getenv("VIGIL_REQUIRE_BROWSER"))) {
                throw new AssertionError(message + " (VIGIL_REQUIRE_BROWSER=1)");
            }
            Assumptions.abort(message);
        }
    }

    static BrowserType.LaunchOptions launchOptions() {
        return new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--no-first-run",
                        "--disable-sync"));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (console != null) {
            console.close();
        }
    }

    @BeforeEach
    void newContext() {
        consoleErrors.clear();
        dialogOpened.set(false);
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        page = context.newPage();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
                consoleErrors.add(m.text());
            }
        });
        page.onDialog(d -> {
            dialogOpened.set(true);
            d.dismiss();
        });
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    private void signIn(String user) {
        page.navigate(console.url("/login"));
        page.fill("#username", user);
        page.fill("#password", PASSWORD);
        page.click("#login");
        page.waitForLoadState();
        assertThat(page.url()).doesNotContain("/login");
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
