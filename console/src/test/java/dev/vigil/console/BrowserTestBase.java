package dev.vigil.console;

import static dev.vigil.console.testing.ConsoleFixture.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.vigil.console.testing.ConsoleFixture;
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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every browser test of the console shares: Playwright driving Debian's Chromium ({@code /usr/bin/chromium})
 * against a console on a loopback port, a fresh browser context per test that records console errors, failed
 * responses and dialogs, and signing in. Without Chromium the tests are skipped with a message, unless {@code
 * VIGIL_REQUIRE_BROWSER=1}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserTestBase {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

    ConsoleFixture console;
    Playwright playwright;
    Browser browser;
    BrowserContext context;
    Page page;
    final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    final AtomicBoolean dialogOpened = new AtomicBoolean();
    final List<String> failedRequests = new CopyOnWriteArrayList<>();

    /** Demo events per tenant in the console under test. */
    abstract int eventsPerTenant();

    @BeforeAll
    void start(@TempDir Path dir) {
        requireBrowser();
        console = ConsoleFixture.start(dir, eventsPerTenant());
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
        failedRequests.clear();
        dialogOpened.set(false);
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        page = context.newPage();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) {
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

    void signIn(String user) {
        page.navigate(console.url("/login"));
        page.fill("#username", user);
        page.fill("#password", PASSWORD);
        page.click("#login");
        page.waitForLoadState();
        assertThat(page.url()).doesNotContain("/login");
    }
}
