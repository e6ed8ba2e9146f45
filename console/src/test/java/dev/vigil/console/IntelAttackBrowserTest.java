package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.console.testing.ConsoleFixture;
import dev.vigil.console.testing.IntelData;
import dev.vigil.core.testing.Corpus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The threat-intel and ATT&CK pages in Debian's Chromium (skipped like {@link BrowserTestBase} without it). */
class IntelAttackBrowserTest extends BrowserTestBase {
    @Override
    int eventsPerTenant() {
        return 1000;
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
