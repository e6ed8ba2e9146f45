package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.testing.Corpus;
import dev.vigil.meta.MetadataConfig;
import dev.vigil.meta.MetadataStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil intel import} on the corpus's real feeds: per-file counts, merges on a second import, bad files. */
class IntelCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private Run vigil(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    @Test
    void theFeodoListImportsOnceAndMergesTheSecondTime() {
        String feodo = Corpus.require("intel/abusech/feodotracker-ipblocklist-2024-04-04.csv")
                .toString();
        Run first = vigil("intel", "import", "--data", data(), feodo);
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("(csv): 28 indicators imported (28 new, 0 merged with known ones)");
        Run second = vigil("intel", "import", "--data", data(), feodo);
        assertThat(second.out()).contains("28 indicators imported (0 new, 28 merged with known ones)");
        try (MetadataStore meta = MetadataStore.open(MetadataConfig.inDataDirectory(dir.resolve("data")))) {
            assertThat(meta.indicatorCount()).isEqualTo(28);
        }
    }

    @Test
    void aStixPlaybookAndABrokenMispFileAreReportedPerFile() throws Exception {
        vigil("admin", "tenant", "create", "acme", "--data", data());
        String pikabot = Corpus.require("intel/stix/unit42-playbooks/playbook_json/2024-02-08-Pikabot.json")
                .toString();
        String broken = Corpus.require("intel/eset-malware-ioc/pypi_backdoor/malicious_pypi_packages.misp-event.json")
                .toString();
        Run run = vigil("intel", "import", "--data", data(), "--tenant", "acme", "--format", "json", pikabot, broken);
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode files = new ObjectMapper().readTree(run.out()).get("files");
        assertThat(files).hasSize(2);
        assertThat(files.get(0).get("format").asText()).isEqualTo("stix");
        assertThat(files.get(0).get("indicators").asInt()).isEqualTo(10);
        assertThat(files.get(1).get("format").asText()).isEqualTo("misp");
        assertThat(files.get(1).get("indicators").asInt()).isZero();
        assertThat(files.get(1).get("problems").toString()).contains("37374");
    }

    @Test
    void mistakesAreNamed() {
        String feodo = Corpus.require("intel/abusech/feodotracker-ipblocklist-2024-04-04.csv")
                .toString();
        Run unknownTenant = vigil("intel", "import", "--data", data(), "--tenant", "nobody", feodo);
        assertThat(unknownTenant.exit()).isEqualTo(2);
        assertThat(unknownTenant.err()).contains("no tenant named 'nobody'");
        Run badMapping = vigil("intel", "import", "--data", data(), "--csv", "plain:colour", feodo);
        assertThat(badMapping.exit()).isEqualTo(2);
        assertThat(badMapping.err()).contains("--csv");
        Run missing = vigil(
                "intel", "import", "--data", data(), dir.resolve("nope.json").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.json: no such file");
    }
}
