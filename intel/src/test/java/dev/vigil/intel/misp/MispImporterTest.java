package dev.vigil.intel.misp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.testing.Corpus;
import dev.vigil.intel.ImportOptions;
import dev.vigil.intel.ImportResult;
import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorType;
import dev.vigil.intel.Tlp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MispImporterTest {
    private final MispImporter importer = new MispImporter();

    private ImportResult importFile(Path file, ImportOptions options) {
        try {
            return importer.importEvents(file.getFileName().toString(), Files.readAllBytes(file), options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyEsetJsonFileImportsOrIsReportedAsNotAnEvent() throws IOException {
        Path dir = Corpus.require("intel/eset-malware-ioc");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSize(59);
        int events = 0;
        int read = 0;
        for (Path f : files) {
            ImportResult r = importFile(f, ImportOptions.DEFAULTS);
            assertThat(r.read())
                    .as(f.toString())
                    .isEqualTo(r.imported() + r.rejected() + r.unsupported() + r.skipped());
            String name = f.getFileName().toString();
            if (name.equals("rqz-dnsduvel_blocklist.json")) {
                assertThat(r.problems())
                        .singleElement()
                        .satisfies(p -> assertThat(p.message()).contains("not a MISP event"));
            } else if (name.equals("malicious_pypi_packages.misp-event.json")) {
                // The published file has a trailing comma (line 37374): strict JSON, reported with its line.
                assertThat(r.problems()).singleElement().satisfies(p -> {
                    assertThat(p.message()).contains("invalid JSON");
                    assertThat(p.location()).isEqualTo(37374);
                });
            } else {
                assertThat(r.problems()).as(f.toString()).isEmpty();
                assertThat(r.read()).as(f.toString()).isPositive();
                events++;
            }
            read += r.read();
        }
        assertThat(events).isEqualTo(57);
        assertThat(read).isPositive();
    }

    @Test
    void countsOfChosenEventsMatchTheirAttributes() {
        Path dir = Corpus.require("intel/eset-malware-ioc");
        // Counted with python from the files: attributes (also in objects), to_ids, types Vigil indexes.
        ImportResult gelsemium = importFile(
                dir.resolve("gelsemium/misp.event_2021-06-09_gelsemium-when-threat-actors-go-gardening.json"),
                ImportOptions.DEFAULTS);
        assertThat(gelsemium.read()).isEqualTo(154);
        assertThat(gelsemium.imported()).isEqualTo(153);
        assertThat(gelsemium.unsupported()).isEqualTo(1);
        assertThat(gelsemium.indicators()).hasSize(153);

        ImportResult telebots = importFile(dir.resolve("telebots/misp-telebots.json"), ImportOptions.DEFAULTS);
        assertThat(telebots.read()).isEqualTo(95);
        assertThat(telebots.imported()).isEqualTo(69);
        assertThat(telebots.unsupported()).isEqualTo(17);
        assertThat(telebots.skipped()).isEqualTo(9);
        assertThat(telebots.indicators()).hasSize(69);

        ImportResult lazarus = importFile(dir.resolve("nukesped_lazarus/lazarus_3cx.json"), ImportOptions.DEFAULTS);
        assertThat(lazarus.read()).isEqualTo(50);
        assertThat(lazarus.imported()).isEqualTo(15);
        assertThat(lazarus.unsupported()).isEqualTo(25);
        assertThat(lazarus.skipped()).isEqualTo(10);
        assertThat(lazarus.indicators()).hasSize(15);

        // domain|ip attributes give two indicators each: 320 attributes, 322 distinct values.
        ImportResult glupteba = importFile(dir.resolve("glupteba/glupteba.misp-event.json"), ImportOptions.DEFAULTS);
        assertThat(glupteba.imported()).isEqualTo(320);
        assertThat(glupteba.indicators()).hasSize(322);
    }

    @Test
    void toIdsFalseIsSkippedUnlessAskedFor() {
        Path file = Corpus.require("intel/eset-malware-ioc/turla/misp-turla-outlook-event.json");
        ImportResult strict = importFile(file, ImportOptions.DEFAULTS);
        assertThat(strict.read()).isEqualTo(12);
        assertThat(strict.skipped()).isEqualTo(9);
        assertThat(strict.unsupported()).isEqualTo(3);
        assertThat(strict.indicators()).isEmpty();
        ImportResult all = importFile(file, ImportOptions.DEFAULTS.withNonDetection(true));
        assertThat(all.imported()).isEqualTo(9);
        assertThat(all.skipped()).isZero();
    }

    private static final String EVENT = """
            {"Event": {"uuid": "5c5d8e7a-0000-4000-8000-000000000001", "info": "Test campaign",
              "Tag": [{"name": "tlp:amber"}, {"name": "misp-galaxy:mitre-attack-pattern=\\"Spearphishing Attachment - T1566.001\\""},
                      {"name": "misp-galaxy:threat-actor=\\"Sednit\\""}, {"name": "misp-galaxy:malpedia=\\"Zebrocy\\""},
                      {"name": "ESET"}],
              "Attribute": [
                {"uuid": "a-1", "type": "ip-dst|port", "value": "203.0.113.5|443", "to_ids": true, "comment": "C2"},
                {"uuid": "a-2", "type": "domain|ip", "value": "Evil.Example|203.0.113.6", "to_ids": true},
                {"uuid": "a-3", "type": "filename|sha256", "value": "x.exe|E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", "to_ids": true},
                {"uuid": "a-4", "type": "md5", "value": "not-a-hash", "to_ids": true},
                {"uuid": "a-5", "type": "mutex", "value": "Global\\\\x", "to_ids": true},
                {"uuid": "a-6", "type": "url", "value": "http://evil.example/a", "to_ids": "1", "deleted": true},
                {"uuid": "a-7", "type": "email-src", "value": "Boss@Evil.Example", "to_ids": 1,
                 "Tag": [{"name": "tlp:red"}], "first_seen": "2020-01-02T03:04:05.000000+00:00"}],
              "Object": [{"name": "file", "Attribute": [
                {"uuid": "o-1", "type": "sha1", "value": "da39a3ee5e6b4b0d3255bfef95601890afd80709", "to_ids": true}]}]}}
            """;

    @Test
    void attributesTagsAndObjectsMapToIndicators() {
        ImportResult r =
                importer.importEvents("event.json", EVENT.getBytes(StandardCharsets.UTF_8), ImportOptions.DEFAULTS);
        assertThat(r.read()).isEqualTo(8);
        assertThat(r.imported()).isEqualTo(5);
        assertThat(r.rejected()).isEqualTo(1);
        assertThat(r.unsupported()).isEqualTo(1);
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.indicators())
                .extracting(i -> i.type() + " " + i.value())
                .containsExactly(
                        "IPV4 203.0.113.5",
                        "DOMAIN evil.example",
                        "IPV4 203.0.113.6",
                        "SHA256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                        "EMAIL Boss@evil.example",
                        "SHA1 da39a3ee5e6b4b0d3255bfef95601890afd80709");
        Indicator c2 = r.indicators().get(0);
        assertThat(c2.tlp()).isEqualTo(Tlp.AMBER);
        assertThat(c2.references().attackTechniques()).containsExactly("T1566.001");
        assertThat(c2.references().threatActors()).containsExactly("Sednit");
        assertThat(c2.references().malware()).containsExactly("Zebrocy");
        assertThat(c2.tags()).containsExactly("ESET");
        assertThat(c2.description()).isEqualTo("C2");
        assertThat(c2.sources().get(0).externalId()).isEqualTo("a-1");
        assertThat(r.indicators().get(1).description()).isEqualTo("Test campaign");
        Indicator mail = r.indicators().get(4);
        assertThat(mail.tlp()).isEqualTo(Tlp.RED);
        assertThat(mail.sources().get(0).firstSeen()).hasToString("2020-01-02T03:04:05Z");
        assertThat(r.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("a-4"));
        assertThat(r.objectTypes()).containsEntry("mutex", 1);
    }

    @Test
    void aFeedWithABrokenEventImportsTheOthersAndNamesTheBrokenOne() {
        String manifest = """
                {"uuid-good": {"info": "good"}, "uuid-broken": {"info": "broken"}, "uuid-missing": {"info": "gone"},
                 "uuid-other": {"info": "not an event"}}
                """;
        Map<String, byte[]> files = new HashMap<>();
        files.put("uuid-good", EVENT.getBytes(StandardCharsets.UTF_8));
        files.put("uuid-broken", "{\"Event\": {\"Attribute\": [".getBytes(StandardCharsets.UTF_8));
        files.put("uuid-other", "{\"hello\": 1}".getBytes(StandardCharsets.UTF_8));
        ImportResult r = importer.importFeed(
                "feed", manifest.getBytes(StandardCharsets.UTF_8), files::get, ImportOptions.DEFAULTS);
        assertThat(r.indicators()).hasSize(6);
        assertThat(r.problems())
                .extracting(p -> p.message().substring(0, p.message().indexOf(':')))
                .contains("event uuid-broken", "event uuid-missing", "event uuid-other");
        assertThat(r.problems())
                .anyMatch(
                        p -> p.message().contains("uuid-broken") && p.message().contains("invalid JSON"));
        assertThat(r.indicators()).anyMatch(i -> i.type() == IndicatorType.SHA1);

        ImportResult throwing = importer.importFeed(
                "feed",
                "{\"u1\": {}}".getBytes(StandardCharsets.UTF_8),
                uuid -> {
                    throw new IllegalStateException("disk on fire");
                },
                ImportOptions.DEFAULTS);
        assertThat(throwing.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("u1").contains("disk on fire"));
    }
}
