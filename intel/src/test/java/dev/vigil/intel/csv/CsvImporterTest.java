package dev.vigil.intel.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.testing.Corpus;
import dev.vigil.intel.ImportOptions;
import dev.vigil.intel.ImportResult;
import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CsvImporterTest {
    private final CsvImporter importer = new CsvImporter();

    private ImportResult importText(String text, CsvMapping mapping) {
        return importer.importCsv("feed.csv", text.getBytes(StandardCharsets.UTF_8), mapping, ImportOptions.DEFAULTS);
    }

    @Test
    void theFeodoTrackerBlocklistImportsAll28Entries() throws IOException {
        Path file = Corpus.require("intel/abusech/feodotracker-ipblocklist-2024-04-04.csv");
        ImportResult r = importer.importCsv(
                "feodo", Files.readAllBytes(file), CsvMapping.feodoTracker(), ImportOptions.DEFAULTS);
        // The file ends "# END 28 entries"; python's csv module reads 28 rows under the header, 28 distinct addresses.
        assertThat(r.read()).isEqualTo(28);
        assertThat(r.imported()).isEqualTo(28);
        assertThat(r.problems()).isEmpty();
        assertThat(r.indicators()).hasSize(28).allMatch(i -> i.type() == IndicatorType.IPV4);
        Indicator first = r.indicators().get(0);
        assertThat(first.value()).isEqualTo("192.9.135.73");
        assertThat(first.references().malware()).containsExactly("Pikabot");
        assertThat(first.sources().get(0).firstSeen()).isEqualTo(Instant.parse("2023-05-23T17:51:44Z"));
        assertThat(first.sources().get(0).lastSeen()).isEqualTo(Instant.parse("2024-04-01T00:00:00Z"));
    }

    @Test
    void aCommentedHeaderQuotedValuesTypeColumnAndExpiry() {
        String csv = """
                ################
                # abuse.ch ThreatFox IOCs
                # "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","tags"
                "2024-04-01 10:00:00","1","185.1.2.3:8080","ip:port","botnet_cc","Cobalt Strike","","cs,beacon"
                "2024-04-01 11:00:00","2","evil.example","domain","botnet_cc","Emotet","",""
                "2024-04-01 12:00:00","3","http://evil.example/a?b=\"\"c\"\"","url","payload","Emotet","","x"
                "2024-04-01 13:00:00","4","D41D8CD98F00B204E9800998ECF8427E","md5_hash","payload","None","",""
                """;
        CsvMapping mapping = CsvMapping.of("ioc_value")
                .withType("ioc_type")
                .withId("ioc_id")
                .withSeen("first_seen_utc", null)
                .withTags("tags")
                .withMalware("fk_malware")
                .withValidFor(Duration.ofDays(30));
        ImportResult r = importText(csv, mapping);
        assertThat(r.problems()).isEmpty();
        assertThat(r.indicators())
                .extracting(i -> i.type() + " " + i.value())
                .containsExactly(
                        "IPV4 185.1.2.3",
                        "DOMAIN evil.example",
                        "URL http://evil.example/a?b=%22c%22",
                        "MD5 d41d8cd98f00b204e9800998ecf8427e");
        Indicator cs = r.indicators().get(0);
        assertThat(cs.tags()).containsExactly("beacon", "cs");
        assertThat(cs.references().malware()).containsExactly("Cobalt Strike");
        assertThat(cs.sources().get(0).externalId()).isEqualTo("1");
        assertThat(cs.validUntil()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(r.indicators().get(3).references().malware()).isEmpty();
    }

    @Test
    void brokenLinesAreReportedWithTheirNumberAndTheRestImported() {
        String csv = """
                # comment
                "first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"
                "2024-02-08 19:20:49","85.239.243.155","5000","offline","2024-03-11","Pikabot"
                "2024-02-08 19:50:53","37.60.242.85
                "2024-02-09 06:56:00","999.18.246.136","2078","offline","2024-03-11","Pikabot"
                "2024-02-09 16:29:51","23.226.138.143"
                "yesterday","23.226.138.144","1","offline","2024-03-09","Pikabot"

                "2024-02-09 16:29:53","23.226.138.161","5242","offline","2024-03-09","Pikabot"
                """;
        ImportResult r = importText(csv, CsvMapping.feodoTracker());
        assertThat(r.read()).isEqualTo(6);
        assertThat(r.imported()).isEqualTo(2);
        assertThat(r.rejected()).isEqualTo(4);
        assertThat(r.indicators()).extracting(Indicator::value).containsExactly("85.239.243.155", "23.226.138.161");
        assertThat(r.problems()).extracting(p -> p.location()).containsExactly(4L, 5L, 6L, 7L);
        assertThat(r.problems().get(0).message()).contains("unterminated");
        assertThat(r.problems().get(1).message()).contains("999.18.246.136");
        assertThat(r.problems().get(2).message()).contains("fields");
        assertThat(r.problems().get(3).message()).contains("yesterday");
    }

    @Test
    void aMissingHeaderColumnIsReportedOnce() {
        ImportResult r = importText("\"a\",\"b\"\n\"1\",\"2\"\n", CsvMapping.feodoTracker());
        assertThat(r.indicators()).isEmpty();
        assertThat(r.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("dst_ip"));
    }

    @Test
    void plainListsGuessOrFixTheType() {
        ImportResult guessed = importText(
                "# list\n1.2.3.4\nevil.example\n2001:db8::1\n10.0.0.0/8\nhttp://x.example/\n???\n",
                CsvMapping.plainList(null));
        assertThat(guessed.indicators())
                .extracting(i -> i.type() + " " + i.value())
                .containsExactly(
                        "IPV4 1.2.3.4",
                        "DOMAIN evil.example",
                        "IPV6 2001:db8::1",
                        "CIDR 10.0.0.0/8",
                        "URL http://x.example/");
        assertThat(guessed.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.location()).isEqualTo(7));
        ImportResult fixed = importText("Mimikatz.exe\npsexec.exe\n", CsvMapping.plainList(IndicatorType.FILE_NAME));
        assertThat(fixed.indicators()).extracting(Indicator::value).containsExactly("mimikatz.exe", "psexec.exe");
    }
}
