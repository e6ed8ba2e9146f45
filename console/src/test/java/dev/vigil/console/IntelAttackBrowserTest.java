package dev.vigil.console;

import static dev.vigil.console.testing.ConsoleFixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.vigil.console.testing.ConsoleFixture;
import dev.vigil.console.testing.IntelData;
import dev.vigil.core.testing.Corpus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The threat-intel and ATT&CK pages in Debian's Chromium (skipped like {@link ConsoleBrowserTest} without it). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntelAttackBrowserTest {
    ConsoleFixture console;
    Playwright playwright;
    Browser browser;
    BrowserContext context;
    Page page;
    final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    final AtomicBoolean dialogOpened = new AtomicBoolean();
    final List<String> failedRequests = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start(@TempDir Path dir) {
        ConsoleBrowserTest.requireBrowser();
        console = ConsoleFixture.start(dir, 1_000);
        playwright = Playwright.create();
        browser = playwright.chromium().launch(ConsoleBrowserTest.launchOptions());
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
        failedRequests.clear();
        dialogOpened.set(false);
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        page = context.newPage();
        page.onConsoleMessage(m -> {
            // Chromium asks for /favicon.ico by itself (the console has none); that 404 is not the page's doing.
            if (m.type().equals("error") && !m.location().contains("/favicon.ico")) {
                consoleErrors.add(m.text() + " (" + m.location() + ")");
            }
        });
        page.onResponse(r -> {
            if (r.status() >= 400) {
                failedRequests.add(r.status() + " " + r.url());
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
    void anAnalystLooksUpAnIndicatorAndSeesItsMarkingAndSources() {
        signIn("alice");
        page.click("#nav-intel");
        page.waitForURL("**/t/acme/intel");
        page.fill("#indicator-q", "198.51.100.23");
        page.click("#indicator-lookup");
        page.waitForURL("**/intel?**q=198.51.100.23**");
        var rows = page.locator("#indicators tr.indicator");
        assertThat(rows.count()).isEqualTo(1);
        assertThat(rows.first().getAttribute("data-value")).isEqualTo("198.51.100.0/24");
        assertThat(rows.first().locator(".tlp").textContent()).isEqualTo("TLP:AMBER");
        assertThat(rows.first().textContent()).contains("abuse-feodo").contains("confidence 80");

        page.fill("#indicator-q", "203.0.113.7");
        page.click("#indicator-lookup");
        page.waitForURL("**/intel?**q=203.0.113.7**");
        var hit = page.locator("#indicators tr.indicator").first();
        assertThat(hit.textContent()).contains("Emotet").contains("botnet");
        hit.locator("a[href*='technique=T1071.001']").click();
        page.waitForURL("**/attack?technique=T1071.001");
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void theAttackPageShowsACoveredTechniqueAndItsRules() {
        Corpus.require(ConsoleFixture.ATTACK_BUNDLE);
        signIn("alice");
        page.click("#nav-attack");
        page.waitForURL("**/t/acme/attack");
        var cell = page.locator("#attack-matrix a.cell[data-technique='T1003']").first();
        assertThat(cell.getAttribute("class")).contains("heat-1").contains("hit");
        assertThat(page.locator("#attack-matrix .tactic h3").first().textContent())
                .contains("Reconnaissance");
        cell.click();
        page.waitForSelector("#technique-detail");
        assertThat(page.textContent("#technique-detail h2")).contains("T1003").contains("OS Credential Dumping");
        assertThat(page.textContent("#technique-rules")).contains("LSASS memory dump");
        assertThat(page.locator("#technique-alerts tr").count()).isPositive();
        assertThat(consoleErrors).isEmpty();
    }

    @Test
    void hostileIndicatorValuesTagsAndDescriptionsAreInert() {
        signIn("ted");
        for (String path : List.of("/t/acme/intel", "/t/acme/intel?type=file_name", "/t/acme/intel?q=9f86d0")) {
            page.navigate(console.url(path));
            page.waitForLoadState();
            assertThat(page.locator("img[src='x']").count()).as(path).isZero();
            assertThat(page.locator("svg[onload]").count()).as(path).isZero();
            assertThat(page.locator("script").count())
                    .as(path + ": only our three scripts")
                    .isEqualTo(3);
        }
        page.navigate(console.url("/t/acme/intel?type=file_name"));
        assertThat(page.locator("#indicators tr.indicator").first().getAttribute("data-value"))
                .contains("<svg onload=alert('xss-indicator-value')>");
        page.navigate(console.url("/t/acme/intel?q=9f86d0"));
        assertThat(page.locator("td.tags").first().textContent()).contains(IntelData.HOSTILE_TAG);
        assertThat(page.getByText(IntelData.HOSTILE_DESCRIPTION).count()).isPositive();
        assertThat(dialogOpened).as("no alert() ran").isFalse();
        assertThat(failedRequests)
                .as("no request a payload made (an <img src=x> would ask for /t/acme/x)")
                .isEmpty();
        assertThat(consoleErrors).isEmpty();
    }
}
