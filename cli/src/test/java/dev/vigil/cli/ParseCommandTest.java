package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.cli.HuntCommandTest.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil parse} end to end, through the same entry point as the launcher. */
class ParseCommandTest {
    @TempDir
    Path tmp;

    private Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static String processCreation(long record, String image) {
        return "{\"Event\":{\"System\":{\"EventID\":1,\"EventRecordID\":" + record
                + ",\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Computer\":\"ws1\","
                + "\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"2026-01-05T10:00:00Z\"}}},"
                + "\"EventData\":{\"Image\":\"" + image.replace("\\", "\\\\") + "\"}}}\n";
    }

    @Test
    void eachEventIsPrintedWithItsTimeLogSourceAndFields() throws IOException {
        Path input = write("sysmon.jsonl", processCreation(41, "C:\\Windows\\System32\\whoami.exe"));
        Run run = HuntCommandTest.vigil("parse", input.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        List<JsonNode> events = run.jsonLines();
        assertThat(events).hasSize(1);
        JsonNode event = events.get(0);
        assertThat(event.path("timestamp").asText()).isEqualTo("2026-01-05T10:00:00Z");
        assertThat(event.path("source").path("record").asLong()).isEqualTo(41);
        assertThat(event.path("logsource").path("product").asText()).isEqualTo("windows");
        assertThat(event.path("logsource").path("category").toString()).contains("process_creation");
        assertThat(event.path("fields").path("Image").asText()).isEqualTo("C:\\Windows\\System32\\whoami.exe");
        assertThat(run.err()).contains("vigil: 1 events in 1 files, 0 problems");
    }

    @Test
    void aLoneSurrogateInLogDataIsEscapedAsJson() throws IOException {
        Path input = write("s.jsonl", "{\"User\":\"eve\\udc00\"}\n");
        Run run = HuntCommandTest.vigil("parse", input.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"eve\\udc00\"");
        assertThat(run.jsonLines().get(0).path("fields").path("User").asText()).isEqualTo("eve\udc00");
    }

    @Test
    void aBadLineIsReportedByLineAndTheRestIsPrinted() throws IOException {
        Path input = write(
                "mixed.jsonl",
                processCreation(1, "C:\\a.exe") + "{\"truncated\": \n" + processCreation(3, "C:\\c.exe"));
        Run run = HuntCommandTest.vigil("parse", input.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.jsonLines())
                .extracting(e -> e.path("fields").path("Image").asText())
                .containsExactly("C:\\a.exe", "C:\\c.exe");
        assertThat(run.err()).contains(input + ":2").contains("2 events in 1 files, 1 problems");
    }

    @Test
    void anUnreadableInputIsReportedAndTheRestIsParsedButAMissingOneStopsTheRun() throws IOException {
        write("in/a.jsonl", processCreation(1, "C:\\a.exe"));
        Path loop = Files.createSymbolicLink(tmp.resolve("in/loop"), tmp.resolve("in"));
        Run run = HuntCommandTest.vigil("parse", tmp.resolve("in").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.jsonLines()).hasSize(1);
        assertThat(run.err())
                .contains("vigil: " + loop + ": symbolic link loop")
                .contains("1 events in 1 files, 1 problems");

        Path nothing = tmp.resolve("nothing");
        Files.createDirectories(nothing);
        Files.createSymbolicLink(nothing.resolve("loop"), nothing);
        Run none = HuntCommandTest.vigil("parse", nothing.toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("symbolic link loop").contains("no input could be read");

        // A path named on the command line that does not exist is a typo: said before anything is read.
        Path missing = tmp.resolve("no-such.jsonl");
        Run typo = HuntCommandTest.vigil("parse", tmp.resolve("in").toString(), missing.toString());
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.out()).isEmpty();
        assertThat(typo.err()).contains("input not found: " + missing);
    }

    @Test
    void anUnknownFormatNameExitsWithUsageError() throws IOException {
        Path input = write("a.log", "hello\n");
        Run run = HuntCommandTest.vigil("parse", "--as", "no-such-format", input.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("no-such-format");
        Run list = HuntCommandTest.vigil("parse", "--list-formats", input.toString());
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("evtx").contains("json");
    }

    @Test
    void anOutputThatCannotBeWrittenStopsTheParseAndExitsNonZero() throws IOException {
        StringBuilder many = new StringBuilder();
        for (int i = 1; i <= 5_000; i++) {
            many.append(processCreation(i, "C:\\a.exe"));
        }
        Path input = write("many.jsonl", many + "{\"bad line at the end\"\n");
        Path second = write("second.jsonl", "{\"bad line in the second file\"\n");
        Run run = HuntCommandTest.vigilWritingTo(
                HuntCommandTest.failingOutput("Broken pipe"), "parse", input.toString(), second.toString());
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        // Standard output is asked for its errors as the parse goes, so the parse stops long before the end: neither
        // the bad line at the end of the first file nor the second file is read.
        long stoppedAfter = HuntCommandTest.eventsReadBeforeStopping(run);
        assertThat(stoppedAfter).isLessThan(5_000);
        assertThat(run.err()).doesNotContain("many.jsonl:5001").doesNotContain("second.jsonl");
    }
}
