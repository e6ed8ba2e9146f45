package dev.vigil.cli;

import static dev.vigil.cli.HuntCommandTest.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.attack.NavigatorLayerSchema;
import dev.vigil.core.testing.Corpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil attack coverage} end to end with the real ATT&CK bundle and the SigmaHQ rules. */
class AttackCommandTest {
    @TempDir
    Path tmp;

    @Test
    void coverageOfTheSigmaHqRulesPrintsASummaryAndWritesAValidLayer() throws Exception {
        Path bundle = Corpus.require("attack/enterprise-attack-18.1.json");
        Path rules = Corpus.require("sigma/rules");
        Path emerging = Corpus.require("sigma/rules-emerging-threats");
        Path layer = tmp.resolve("out/layer.json");

        HuntCommandTest.Run run = vigil(
                "attack",
                "coverage",
                "--attack",
                bundle.toString(),
                "-r",
                rules.toString(),
                "--rules",
                emerging.toString(),
                "--output",
                layer.toString(),
                "--name",
                "SigmaHQ");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("ATT&CK 18\\.1: \\d{3} of 691 techniques and sub-techniques covered");
        assertThat(run.out()).containsPattern("(?m)^Initial Access\\s+\\d+\\s+\\d+\\s+\\d+$");
        assertThat(run.out()).containsPattern("(?m)^Impact\\s+\\d+\\s+\\d+\\s+\\d+$");
        assertThat(run.out()).contains("layer written to " + layer);
        // This SigmaHQ copy already uses tags of a later ATT&CK release; they are reported, grouped by tag.
        assertThat(run.out()).containsPattern("\\d+ ATT&CK tags of the rules name nothing in this bundle");
        String text = Files.readString(layer, StandardCharsets.UTF_8);
        assertThat(NavigatorLayerSchema.violations(text)).isEmpty();
        JsonNode json = new ObjectMapper().readTree(text);
        assertThat(json.get("name").asText()).isEqualTo("SigmaHQ");
        assertThat(json.get("techniques").size()).isGreaterThan(200);
    }

    @Test
    void theBuiltInPackIsUsedWithoutRules() {
        Path bundle = Corpus.require("attack/enterprise-attack-18.1.json");

        HuntCommandTest.Run run = vigil("attack", "coverage", "--attack", bundle.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("covered \\([0-9.]+%\\) by \\d+ rules");
        assertThat(run.out()).doesNotContain("layer written");
    }

    @Test
    void withoutABundleTheCommandNamesTheOption() {
        HuntCommandTest.Run missing = vigil("attack", "coverage");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("--attack");

        HuntCommandTest.Run absent =
                vigil("attack", "coverage", "--attack", tmp.resolve("none.json").toString());
        assertThat(absent.exit()).isEqualTo(2);
        assertThat(absent.err()).contains("--attack: no such file: ");
    }

    @Test
    void aFileThatIsNoBundleIsRefusedWithItsName() throws Exception {
        Path notBundle = Files.writeString(tmp.resolve("rules.json"), "[1,2]", StandardCharsets.UTF_8);

        HuntCommandTest.Run run = vigil("attack", "coverage", "--attack", notBundle.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--attack: " + notBundle + ": not a STIX bundle");
    }
}
