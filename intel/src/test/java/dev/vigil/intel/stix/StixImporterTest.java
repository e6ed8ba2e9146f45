package dev.vigil.intel.stix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.TenantId;
import dev.vigil.core.testing.Corpus;
import dev.vigil.intel.ImportOptions;
import dev.vigil.intel.ImportResult;
import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorType;
import dev.vigil.intel.Tlp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StixImporterTest {
    private final StixImporter importer = new StixImporter();

    private ImportResult importFile(Path file) throws IOException {
        return importer.importBundle(file.getFileName().toString(), Files.readAllBytes(file), ImportOptions.DEFAULTS);
    }

    private ImportResult importText(String json) {
        return importer.importBundle("test.json", json.getBytes(StandardCharsets.UTF_8), ImportOptions.DEFAULTS);
    }

    private static List<Path> jsonFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void theUnit42PlaybooksHold9275Indicators() throws IOException {
        Path dir = Corpus.require("intel/stix/unit42-playbooks/playbook_json");
        List<Path> files = jsonFiles(dir);
        assertThat(files).hasSize(85);
        int read = 0;
        int imported = 0;
        int unsupported = 0;
        int rejected = 0;
        for (Path f : files) {
            ImportResult r = importFile(f);
            assertThat(r.read()).isEqualTo(r.imported() + r.rejected() + r.unsupported() + r.skipped());
            read += r.read();
            imported += r.imported();
            unsupported += r.unsupported();
            rejected += r.rejected();
        }
        assertThat(read).isEqualTo(9275);
        // Indicators whose pattern has no indexed comparison (command lines, registry keys, x509 ...).
        assertThat(unsupported).isGreaterThan(400);
        assertThat(imported + unsupported + rejected).isEqualTo(9275);
        assertThat(imported).isGreaterThan(8700);
    }

    @Test
    void perPlaybookCountsMatchWhatTheFilesHold() throws IOException {
        Path dir = Corpus.require("intel/stix/unit42-playbooks/playbook_json");
        // Counted with python from the files: indicator objects, and distinct values after lower-casing hashes.
        ImportResult pikabot = importFile(dir.resolve("2024-02-08-Pikabot.json"));
        assertThat(pikabot.read()).isEqualTo(10);
        assertThat(pikabot.imported()).isEqualTo(10);
        assertThat(pikabot.indicators()).hasSize(10);
        assertThat(pikabot.indicators())
                .filteredOn(i -> i.type() == IndicatorType.URL)
                .hasSize(7);
        assertThat(pikabot.indicators()).extracting(Indicator::value).contains("https://158.220.80.167:2967/");

        ImportResult libra = importFile(dir.resolve("returnedlibra.json"));
        assertThat(libra.read()).isEqualTo(56);
        assertThat(libra.imported()).isEqualTo(56);
        assertThat(libra.indicators()).hasSize(33);
        Indicator hash = libra.indicators().stream()
                .filter(i -> i.value().equals("d646f450ec5b2e1e04c962350fa430b9651fbcb33a8c39571126e49d6edb5cf1"))
                .findFirst()
                .orElseThrow();
        assertThat(hash.sources().size()).isGreaterThan(1);
        assertThat(hash.references().campaigns()).contains("Campaign 2 - Docker Usage");

        ImportResult agentTesla = importFile(dir.resolve("agent-tesla.json"));
        assertThat(agentTesla.read()).isEqualTo(12);
        assertThat(agentTesla.indicators()).hasSize(12);
        assertThat(importFile(dir.resolve("IcedID_Unit42_Intel.json")).indicators())
                .hasSize(46);
    }

    @Test
    void attackPatternsBecomeTechniqueIds() throws IOException {
        Path dir = Corpus.require("intel/stix/unit42-playbooks/playbook_json");
        ImportResult libra = importFile(dir.resolve("returnedlibra.json"));
        assertThat(libra.indicators().stream().flatMap(i -> i.references().attackTechniques().stream()))
                .isNotEmpty()
                .allMatch(t -> t.matches("T\\d{4}(\\.\\d{3})?"));
    }

    @Test
    void theOasisExamplesImport() throws IOException {
        Path examples = Corpus.require("intel/stix/oasis-cti-documentation-examples/examples/example_json");
        Path schemas = Corpus.require("intel/stix/oasis-stix2-json-schemas/examples");
        for (Path f : jsonFiles(examples)) {
            ImportResult r = importFile(f);
            assertThat(r.read())
                    .as(f.toString())
                    .isEqualTo(r.imported() + r.rejected() + r.unsupported() + r.skipped());
            assertThat(r.rejected()).as(f.toString()).isZero();
        }
        for (Path f : jsonFiles(schemas)) {
            ImportResult r = importFile(f);
            assertThat(r.rejected()).as(f.toString()).isZero();
        }
        // 25 indicators, 43 distinct domains and addresses (OR patterns: every value counts) and a file name.
        ImportResult poisonIvy = importFile(examples.resolve("poisonivy.json"));
        assertThat(poisonIvy.read()).isEqualTo(25);
        assertThat(poisonIvy.imported()).isEqualTo(25);
        // Plus one file name (CPiShellPutDoc) from a file:name pattern.
        assertThat(poisonIvy.indicators()).hasSize(44);
        Indicator dynssl = poisonIvy.indicators().stream()
                .filter(i -> i.value().equals("www.webserver.dynssl.com"))
                .findFirst()
                .orElseThrow();
        assertThat(dynssl.references().campaigns()).containsExactly("admin@338");
        assertThat(dynssl.references().malware()).containsExactly("PIVY Variant (8010cae3e8431bb11ed6dc9acabb93b7,)");
        assertThat(dynssl.tags()).contains("malicious-activity", "attribution");

        // 12 indicators: 4 CIDR ranges, 3 domains, 3 MD5 hashes; 2 x509 certificate patterns are not indexed.
        ImportResult apt1 = importFile(examples.resolve("apt1.json"));
        assertThat(apt1.read()).isEqualTo(12);
        assertThat(apt1.imported()).isEqualTo(10);
        assertThat(apt1.unsupported()).isEqualTo(2);
        assertThat(apt1.indicators()).hasSize(10);
        assertThat(apt1.indicators())
                .filteredOn(i -> i.type() == IndicatorType.CIDR)
                .extracting(Indicator::value)
                .containsExactlyInAnyOrder("223.166.0.0/15", "58.246.0.0/15", "112.64.0.0/15", "139.226.0.0/15");
        assertThat(apt1.notes()).anyMatch(n -> n.message().contains("x509-certificate:issuer"));

        ImportResult marked = importFile(examples.resolve("using-marking-definitions.json"));
        assertThat(marked.indicators()).hasSize(1);
        assertThat(marked.indicators().get(0).value()).isEqualTo("10.0.0.0");

        ImportResult granular = importFile(examples.resolve("using-granular-markings.json"));
        assertThat(granular.unsupported()).isEqualTo(1);
        assertThat(granular.indicators()).isEmpty();

        ImportResult single = importFile(schemas.resolve("interop-objectmarking-test.json"));
        assertThat(single.indicators()).isEmpty();
        assertThat(single.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("campaign"));
    }

    @Test
    void observedDataGivesIndicatorsIn20And21() throws IOException {
        Path examples = Corpus.require("intel/stix/oasis-cti-documentation-examples/examples/example_json");
        ImportResult sighting = importFile(examples.resolve("sighting-of-observed-data.json"));
        assertThat(sighting.read()).isEqualTo(2);
        ImportResult v20 = importText("""
                {"type":"bundle","id":"bundle--1","spec_version":"2.0","objects":[
                 {"type":"observed-data","id":"observed-data--1","first_observed":"2020-01-01T00:00:00Z",
                  "last_observed":"2020-01-01T00:00:00Z","number_observed":1,
                  "objects":{"0":{"type":"ipv4-addr","value":"198.51.100.3"},
                             "1":{"type":"file","hashes":{"MD5":"D41D8CD98F00B204E9800998ECF8427E"},"name":"x.exe"}}}]}
                """);
        assertThat(v20.indicators())
                .extracting(i -> i.type() + " " + i.value())
                .containsExactlyInAnyOrder("IPV4 198.51.100.3", "MD5 d41d8cd98f00b204e9800998ecf8427e");
        assertThat(v20.indicators().get(0).validFrom()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        ImportResult v21 = importText("""
                {"type":"bundle","id":"bundle--2","objects":[
                 {"type":"observed-data","spec_version":"2.1","id":"observed-data--2","first_observed":"2020-01-01T00:00:00Z",
                  "last_observed":"2020-01-01T00:00:00Z","number_observed":1,"object_refs":["domain-name--1"]},
                 {"type":"domain-name","spec_version":"2.1","id":"domain-name--1","value":"Observed.Example"}]}
                """);
        assertThat(v21.indicators()).extracting(Indicator::value).containsExactly("observed.example");
        assertThat(v21.imported()).isEqualTo(1);
    }

    @Test
    void relationshipsMarkingsValidityAndRevocationCarryOver() {
        ImportResult r = importText("""
                {"type":"bundle","id":"bundle--3","objects":[
                 {"type":"indicator","spec_version":"2.1","id":"indicator--a","pattern_type":"stix",
                  "pattern":"[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' AND file:name = 'setup.exe'] WITHIN 60 SECONDS",
                  "valid_from":"2024-01-01T00:00:00Z","valid_until":"2025-01-01T00:00:00Z","confidence":75,
                  "object_marking_refs":["marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"],
                  "indicator_types":["malicious-activity"]},
                 {"type":"indicator","spec_version":"2.1","id":"indicator--b","pattern_type":"stix","revoked":true,
                  "pattern":"[domain-name:value = 'revoked.example']","valid_from":"2024-01-01T00:00:00Z"},
                 {"type":"indicator","spec_version":"2.1","id":"indicator--c","pattern_type":"sigma",
                  "pattern":"title: x","valid_from":"2024-01-01T00:00:00Z"},
                 {"type":"malware","spec_version":"2.1","id":"malware--1","name":"Emotet","is_family":true},
                 {"type":"campaign","spec_version":"2.1","id":"campaign--1","name":"Spring Wave"},
                 {"type":"intrusion-set","spec_version":"2.1","id":"intrusion-set--1","name":"TA542"},
                 {"type":"attack-pattern","spec_version":"2.1","id":"attack-pattern--1","name":"PowerShell",
                  "external_references":[{"source_name":"mitre-attack","external_id":"T1059.001"}]},
                 {"type":"relationship","spec_version":"2.1","id":"relationship--1","relationship_type":"indicates",
                  "source_ref":"indicator--a","target_ref":"malware--1"},
                 {"type":"relationship","spec_version":"2.1","id":"relationship--2","relationship_type":"indicates",
                  "source_ref":"indicator--a","target_ref":"campaign--1"},
                 {"type":"relationship","spec_version":"2.1","id":"relationship--3","relationship_type":"attributed-to",
                  "source_ref":"campaign--1","target_ref":"intrusion-set--1"},
                 {"type":"relationship","spec_version":"2.1","id":"relationship--4","relationship_type":"indicates",
                  "source_ref":"indicator--a","target_ref":"attack-pattern--1"}]}
                """);
        assertThat(r.read()).isEqualTo(3);
        assertThat(r.imported()).isEqualTo(1);
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.unsupported()).isEqualTo(1);
        // AND keeps the most specific value: the hash, not every "setup.exe".
        assertThat(r.indicators()).singleElement().satisfies(i -> {
            assertThat(i.type()).isEqualTo(IndicatorType.MD5);
            assertThat(i.tlp()).isEqualTo(Tlp.AMBER);
            assertThat(i.confidence()).isEqualTo(75);
            assertThat(i.validFrom()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
            assertThat(i.validUntil()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
            assertThat(i.references().malware()).containsExactly("Emotet");
            assertThat(i.references().campaigns()).containsExactly("Spring Wave");
            assertThat(i.references().threatActors()).containsExactly("TA542");
            assertThat(i.references().attackTechniques()).containsExactly("T1059.001");
            assertThat(i.tags()).containsExactly("malicious-activity");
            assertThat(i.sources().get(0).externalId()).isEqualTo("indicator--a");
        });
        assertThat(r.notes())
                .anyMatch(
                        n -> n.message().contains("indicator--a") && n.message().contains("WITHIN"));
    }

    @Test
    void badInputIsReportedWithTheObjectIdAndTheRestImported() {
        ImportResult r = importer.importBundle(
                "bad.json",
                """
                {"type":"bundle","id":"bundle--4","objects":[
                 {"type":"indicator","id":"indicator--broken","pattern":"[ipv4-addr:value = '1.2.3.4'",
                  "valid_from":"2024-01-01T00:00:00Z"},
                 {"type":"indicator","id":"indicator--badvalue","pattern":"[ipv4-addr:value = '1.2.3.999']",
                  "valid_from":"2024-01-01T00:00:00Z"},
                 {"type":"x-custom-thing","id":"x-custom-thing--1"},
                 {"type":"weird-object","id":"weird-object--1"},
                 {"type":"indicator","id":"indicator--good","pattern":"[url:value = 'http://good.example/a']",
                  "valid_from":"2024-01-01T00:00:00Z"}]}
                """.getBytes(StandardCharsets.UTF_8),
                ImportOptions.DEFAULTS.withTenant(TenantId.of("acme")));
        assertThat(r.read()).isEqualTo(3);
        assertThat(r.imported()).isEqualTo(1);
        assertThat(r.rejected()).isEqualTo(2);
        assertThat(r.indicators()).singleElement().satisfies(i -> {
            assertThat(i.value()).isEqualTo("http://good.example/a");
            assertThat(i.tenant()).isEqualTo(TenantId.of("acme"));
        });
        assertThat(r.problems()).anyMatch(p -> p.message().startsWith("indicator--broken: malformed pattern"));
        assertThat(r.problems()).anyMatch(p -> p.message().contains("indicator--badvalue"));
        assertThat(r.problems())
                .anyMatch(p -> p.message().contains("unknown object type 'weird-object'")
                        && p.message().contains("weird-object--1"));
        assertThat(r.objectTypes()).containsEntry("weird-object", 1).containsEntry("indicator", 3);
    }

    @Test
    void truncatedJsonKeepsWhatWasReadAndOversizedInputIsRefused() {
        String bundle = """
                {"type":"bundle","objects":[
                 {"type":"indicator","id":"indicator--1","pattern":"[domain-name:value = 'one.example']"},
                 {"type":"indicator","id":"indicator--2","pattern":"[domain-name:value = 'two.ex""";
        ImportResult r = importText(bundle);
        assertThat(r.indicators()).extracting(Indicator::value).containsExactly("one.example");
        assertThat(r.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("invalid JSON"));

        ImportResult big = importer.importBundle(
                "big.json",
                "{\"type\":\"bundle\",\"objects\":[]}".getBytes(StandardCharsets.UTF_8),
                ImportOptions.DEFAULTS.withMaxBytes(10));
        assertThat(big.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("limit of 10 bytes"));

        ImportResult deep = importText("{\"objects\":[" + "{\"a\":".repeat(100) + "1" + "}".repeat(100) + "]}");
        assertThat(deep.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("invalid JSON"));
    }
}
