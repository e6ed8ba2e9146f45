package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.console.testing.ConsoleFixture;
import dev.vigil.console.testing.IntelData;
import dev.vigil.core.testing.Corpus;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The threat-intel, ATT&CK coverage and settings pages over real HTTP: what each role and tenant sees, and not. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntelAttackSettingsPagesTest {
    ConsoleFixture console;

    @BeforeAll
    void start(@TempDir Path dir) {
        console = ConsoleFixture.start(dir, 1_000);
    }

    @AfterAll
    void stop() {
        console.close();
    }

    private HttpSession signedIn(String user) throws Exception {
        return HttpSession.signedIn(console, user);
    }

    private static String ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(200);
        return r.body();
    }

    @Test
    void theIntelPageShowsGlobalAndOwnIndicatorsAndFeedsButNeverAnotherTenants() throws Exception {
        HttpSession alice = signedIn("alice");
        String page = ok(alice.get("/t/acme/intel"));
        assertThat(page)
                .contains("203.0.113.7")
                .contains("198.51.100.0/24")
                .contains("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .contains("TLP:RED")
                .contains("TLP:AMBER+STRICT")
                .contains("abuse-feodo")
                .contains("acme-partner")
                .contains("This tenant sees 5 indicators")
                .doesNotContain(IntelData.GLOBEX_DOMAIN)
                .doesNotContain(IntelData.GLOBEX_FEED)
                .doesNotContain(IntelData.SECRET);
        assertThat(page).as("the feed's URL without credentials and key").contains("https://…@feeds.example/feodo");

        HttpSession bob = signedIn("bob");
        String globex = ok(bob.get("/t/globex/intel"));
        assertThat(globex)
                .contains(IntelData.GLOBEX_DOMAIN)
                .contains(IntelData.GLOBEX_FEED)
                .contains("203.0.113.7")
                .doesNotContain("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .doesNotContain("acme-partner");
        assertThat(ok(bob.get("/t/globex/intel?q=9f86d081"))).contains("0 indicators found");
        assertThat(ok(alice.get("/t/acme/intel?q=globex-secret"))).contains("0 indicators found");
    }

    @Test
    void aLookupAnswersAsTheMatcherWouldAndPagesTheRest() throws Exception {
        HttpSession alice = signedIn("alice");
        String inRange = ok(alice.get("/t/acme/intel?q=198.51.100.23"));
        assertThat(inRange)
                .as("an address finds the CIDR range holding it")
                .contains("1 indicators found")
                .contains("1 of them match the value as an event would")
                .contains("198.51.100.0/24");
        String byType = ok(alice.get("/t/acme/intel?type=domain"));
        assertThat(byType)
                .contains("data-value=\"evil.example\"")
                .contains("expired")
                .doesNotContain("data-value=\"203.0.113.7\"");
        String bySource = ok(alice.get("/t/acme/intel?source=partner"));
        assertThat(bySource).contains("2 indicators found").doesNotContain("data-value=\"198.51.100.0/24\"");
        assertThat(alice.get("/t/acme/intel?type=bogus").statusCode()).isEqualTo(400);
        assertThat(alice.get("/t/acme/intel?q=" + "x".repeat(3000)).statusCode())
                .isEqualTo(400);
    }

    @Test
    void recentMatchesAreTheTenantsIntelAlertsLinkingToASearchForTheValue() throws Exception {
        HttpSession alice = signedIn("alice");
        String page = ok(alice.get("/t/acme/intel?range=1h"));
        assertThat(page)
                .contains("Known Emotet C2 address 203.0.113.7")
                .contains("/t/acme/search?range=1h&amp;q="
                        + Html.q("IpAddress:\"203.0.113.7\"").replace("&", "&amp;"))
                .doesNotContain("Known domain");
    }

    @Test
    void theSettingsPageShowsTheTenantsInputsAndRoutesWithSecretsMaskedToAdministratorsOnly() throws Exception {
        HttpSession ted = signedIn("ted");
        String page = ok(ted.get("/t/acme/settings"));
        assertThat(page)
                .contains("syslog-tls")
                .contains("6514")
                .contains("/services/collector")
                .contains("high-to-soc")
                .contains("https://hooks.example/…")
                .contains("/t/acme/settings/tokens")
                .doesNotContain(IntelData.SECRET)
                .doesNotContain("5514")
                .doesNotContain(IntelData.GLOBEX_LOG)
                .doesNotContain("globex-robot");
        assertThat(signedIn("alice").get("/t/acme/settings").statusCode())
                .as("analysts do not see the configuration")
                .isEqualTo(403);
        assertThat(signedIn("vera").get("/t/acme/settings").statusCode()).isEqualTo(403);
        String globex = ok(signedIn("admin").get("/t/globex/settings"));
        assertThat(globex)
                .contains(IntelData.GLOBEX_LOG)
                .contains("globex-robot")
                .contains("https://oapi.dingtalk.com/…")
                .doesNotContain(IntelData.SECRET)
                .doesNotContain("6514");
        assertThat(ted.get("/t/globex/settings").statusCode()).isEqualTo(404);
    }

    @Test
    void theAttackMatrixColoursCoveredTechniquesAndMarksTheOnesAlertsHit() throws Exception {
        Corpus.require(ConsoleFixture.ATTACK_BUNDLE);
        HttpSession alice = signedIn("alice");
        String page = ok(alice.get("/t/acme/attack?range=24h"));
        assertThat(page)
                .contains("id=\"attack-matrix\"")
                .contains("Credential Access")
                .contains("ATT&amp;CK 18.1");
        assertThat(page)
                .as("T1003 is covered by r-lsass (on T1003.001) and was hit by the demo alerts")
                .containsPattern("class=\"cell heat-1 hit\" data-technique=\"T1003\"");
        assertThat(page)
                .as("a technique no rule names")
                .containsPattern("class=\"cell heat-0 \" data-technique=\"T1595\"");

        String detail = ok(alice.get("/t/acme/attack?range=24h&technique=t1003"));
        assertThat(detail)
                .contains("id=\"technique-detail\"")
                .contains("OS Credential Dumping")
                .contains("LSASS memory dump")
                .contains("T1003.001");
        assertThat(alice.get("/t/acme/attack?technique=T9999").statusCode()).isEqualTo(404);
        assertThat(alice.get("/t/acme/attack?technique=%3Cscript%3E").statusCode())
                .isEqualTo(400);

        HttpResponse<String> layer = alice.get("/t/acme/attack/layer");
        assertThat(layer.statusCode()).isEqualTo(200);
        assertThat(layer.headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"vigil-acme-layer.json\"");
        JsonNode json = new ObjectMapper().readTree(layer.body());
        assertThat(json.path("domain").asText()).isEqualTo("enterprise-attack");
        assertThat(json.path("techniques").findValuesAsText("techniqueID")).contains("T1003.001", "T1110");
    }

    @Test
    void disablingARuleUncoversItsTechnique() throws Exception {
        Corpus.require(ConsoleFixture.ATTACK_BUNDLE);
        HttpSession ted = signedIn("ted");
        String csrf = ted.csrf("/t/acme/rules");
        assertThat(ok(ted.get("/t/acme/attack")))
                .containsPattern("class=\"cell heat-1 [a-z]*\" data-technique=\"T1490\"");
        assertThat(ted.post(
                                "/t/acme/rules/state",
                                Map.of(
                                        "rule",
                                        List.of("r-shadow"),
                                        "enabled",
                                        List.of("false"),
                                        "_csrf",
                                        List.of(csrf)))
                        .statusCode())
                .isEqualTo(303);
        try {
            assertThat(ok(ted.get("/t/acme/attack")))
                    .containsPattern("class=\"cell heat-0 [a-z]*\" data-technique=\"T1490\"");
            assertThat(ok(signedIn("bob").get("/t/globex/attack")))
                    .as("another tenant's coverage is its own")
                    .containsPattern("class=\"cell heat-1 [a-z]*\" data-technique=\"T1490\"");
        } finally {
            ted.post(
                    "/t/acme/rules/state",
                    Map.of("rule", List.of("r-shadow"), "enabled", List.of("true"), "_csrf", List.of(csrf)));
        }
    }

    @Test
    void theOverviewAndTheRollUpShowTheTacticsAndTechniquesAlertsNamed() throws Exception {
        String overview = ok(signedIn("alice").get("/t/acme/overview"));
        assertThat(overview)
                .contains("id=\"attack-heat\"")
                .contains("T1003.001")
                .contains("/t/acme/attack?range=24h&technique=T1110");
        String rollup = ok(signedIn("olga").get("/overview"));
        assertThat(rollup).contains("id=\"attack-heat\"").contains("T1110");
    }
}
