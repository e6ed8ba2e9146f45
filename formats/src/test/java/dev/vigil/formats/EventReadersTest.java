package dev.vigil.formats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemCollector;
import dev.vigil.core.TenantId;
import dev.vigil.core.testing.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventReadersTest {
    @TempDir
    Path dir;

    private final List<Event> events = new ArrayList<>();
    private final ProblemCollector problems = new ProblemCollector(100);

    private ReadSummary read(Path file) throws IOException {
        return EventReaders.read(file, ReadOptions.DEFAULT, events::add, problems);
    }

    private Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(UTF_8));
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return p;
    }

    private List<Object> values(String field) {
        return events.stream().map(e -> e.fields().get(field)).toList();
    }

    @Test
    void jsonLinesWithAnInvalidLineInTheMiddle() throws IOException {
        Path f = write("a.ndjson", "{\"n\":1}\n{\"n\":2,\n\n{\"n\":3}\n[1,2]\r\n{\"n\":4}");
        ReadSummary s = read(f);
        assertThat(s.format()).isEqualTo(EventFormat.JSON_LINES);
        assertThat(values("n")).containsExactly(1L, 3L, 4L);
        assertThat(events).extracting(e -> e.source().record()).containsExactly(1L, 4L, 6L);
        assertThat(problems.problems())
                .extracting(Problem::source, Problem::location)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(f.toString(), 2L),
                        org.assertj.core.groups.Tuple.tuple(f.toString(), 5L));
        assertThat(problems.problems().get(0).message()).startsWith("invalid JSON at column");
        assertThat(problems.problems().get(1).message()).contains("not a JSON object");
        assertThat(s.events()).isEqualTo(3);
        assertThat(s.problems()).isEqualTo(2);
    }

    @Test
    void aLineLongerThanTheLimitIsReportedAndSkipped() throws IOException {
        byte[] big = new byte[20 << 20];
        Arrays.fill(big, (byte) 'x');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"n\":1}\n{\"big\":\"".getBytes(UTF_8));
        out.writeBytes(big);
        out.writeBytes("\"}\n{\"n\":3}\n".getBytes(UTF_8));
        Path f = write("big.jsonl", out.toByteArray());
        read(f);
        assertThat(values("n")).containsExactly(1L, 3L);
        assertThat(events.get(1).source().record()).isEqualTo(3);
        assertThat(problems.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(2);
            assertThat(p.message()).contains("line longer than");
        });
    }

    @Test
    void aSmallerLineLimitAppliesToLinesThatFitTheBuffer() throws IOException {
        Path f = write("small.jsonl", "{\"n\":1}\n{\"s\":\"" + "y".repeat(200) + "\"}\n{\"n\":3}\n");
        EventReader reader = new EventReader(ReadOptions.DEFAULT, 100);
        reader.read(f, events::add, problems);
        assertThat(values("n")).containsExactly(1L, 3L);
        assertThat(problems.problems()).extracting(Problem::location).containsExactly(2L);
        assertThat(reader.eventsRead()).isEqualTo(2);
        assertThat(reader.problemsReported()).isEqualTo(1);
    }

    @Test
    void invalidUtf8IsReplacedNotFatal() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"n\":1}\n{\"s\":\"a".getBytes(UTF_8));
        out.write(0xC3); // a lead byte without its continuation
        out.write(0x28);
        out.writeBytes("b\"}\n{\"n\":3}\n".getBytes(UTF_8));
        Path f = write("utf8.jsonl", out.toByteArray());
        read(f);
        assertThat(events).hasSize(3);
        assertThat((String) events.get(1).fields().get("s")).isEqualTo("a\uFFFD(b");
        assertThat(problems.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(2);
            assertThat(p.message()).contains("invalid UTF-8");
        });
    }

    @Test
    void invalidUtf8InPrettyObjectsAndArrays() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\n  \"s\": \"a".getBytes(UTF_8));
        out.write(0xFF);
        out.writeBytes("\"\n}\n".getBytes(UTF_8));
        read(write("pretty.json", out.toByteArray()));
        ByteArrayOutputStream arr = new ByteArrayOutputStream();
        arr.writeBytes("[{\"s\": \"a".getBytes(UTF_8));
        arr.write(0xFF);
        arr.writeBytes("\"}]".getBytes(UTF_8));
        read(write("array.json", arr.toByteArray()));
        assertThat(values("s")).containsExactly("a\uFFFD", "a\uFFFD");
    }

    @Test
    void binaryGarbageIsAnUnsupportedFormat() throws IOException {
        byte[] garbage = new byte[4096];
        new java.util.Random(42).nextBytes(garbage);
        garbage[0] = 0x4d;
        garbage[1] = 0x5a;
        Path f = write("garbage.bin", garbage);
        ReadSummary s = read(f);
        assertThat(s.format()).isNull();
        assertThat(events).isEmpty();
        assertThat(problems.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo(f.toString());
            assertThat(p.message()).startsWith("unsupported format").contains("4d 5a");
        });
    }

    @Test
    void aTruncatedArrayKeepsTheElementsBeforeTheCut() throws IOException {
        Path f = write("trunc.json", "[\n{\"n\":1},\n{\"n\":2},\n{\"n\":3, \"s\": \"unfinish");
        ReadSummary s = read(f);
        assertThat(s.format()).isEqualTo(EventFormat.JSON_ARRAY);
        assertThat(values("n")).containsExactly(1L, 2L);
        assertThat(events).extracting(e -> e.source().record()).containsExactly(1L, 2L);
        assertThat(problems.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(4);
            assertThat(p.message()).startsWith("invalid JSON at column");
        });
    }

    @Test
    void anArrayMissingItsClosingBracketIsReported() throws IOException {
        read(write("open.json", "[{\"n\":1},{\"n\":2}"));
        assertThat(values("n")).containsExactly(1L, 2L);
        assertThat(problems.count()).isEqualTo(1);
    }

    @Test
    void concatenatedPrettyObjectsResynchroniseAfterABrokenOne() throws IOException {
        String text = """
                {
                  "n": 1,
                  "nested": {"a": [1, 2]}
                }
                {
                  "n": 2,
                  "broken" "no colon"
                }
                {
                  "n": 3
                }
                {"n": 4}{"n": 5}
                """;
        Path f = write("objects.json", text);
        ReadSummary s = read(f);
        assertThat(s.format()).isEqualTo(EventFormat.JSON_OBJECTS);
        assertThat(values("n")).containsExactly(1L, 3L, 4L, 5L);
        assertThat(events.get(0).fields()).containsEntry("nested.a", List.of(1L, 2L));
        assertThat(events).extracting(e -> e.source().record()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(problems.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(7);
            assertThat(p.message()).contains("column").contains("skipped to the next line starting with '{'");
        });
    }

    @Test
    void gzipIsDecompressedTransparently() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("{\"n\":1}\n{\"n\":2}\n".getBytes(UTF_8));
        }
        ReadSummary s = read(write("events.log", bytes.toByteArray()));
        assertThat(s.compressed()).isTrue();
        assertThat(s.format()).isEqualTo(EventFormat.JSON_LINES);
        assertThat(values("n")).containsExactly(1L, 2L);
        assertThat(problems.count()).isZero();
    }

    @Test
    void truncatedGzipIsReportedAfterTheEventsBeforeTheCut() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append("{\"n\":")
                    .append(i)
                    .append(",\"pad\":\"")
                    .append(Integer.toHexString(i * 7919))
                    .append("\"}\n");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(sb.toString().getBytes(UTF_8));
        }
        byte[] all = bytes.toByteArray();
        read(write("cut.gz", Arrays.copyOf(all, all.length / 2)));
        assertThat(events).isNotEmpty().hasSizeLessThan(20_000);
        assertThat(problems.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("read failed"));
    }

    @Test
    void emptyAndBlankFilesAreReported() throws IOException {
        Path empty = write("empty.json", "");
        Path blank = write("blank.json", "\n  \n");
        read(empty);
        read(blank);
        assertThat(events).isEmpty();
        assertThat(problems.problems())
                .extracting(Problem::source, Problem::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(empty.toString(), "empty file: no events"),
                        org.assertj.core.groups.Tuple.tuple(blank.toString(), "empty file: no events"));
    }

    @Test
    void aForcedFormatIsUsed() throws IOException {
        Path f = write("one.json", "{\"n\":1}\n");
        ReadSummary s =
                EventReaders.read(f, ReadOptions.DEFAULT.withFormat(EventFormat.JSON_OBJECTS), events::add, problems);
        assertThat(s.format()).isEqualTo(EventFormat.JSON_OBJECTS);
        assertThat(values("n")).containsExactly(1L);
    }

    @Test
    void theTenantIsSetOnEveryEvent() throws IOException {
        Path f = write("t.jsonl", "{\"n\":1}\n");
        EventReaders.read(f, ReadOptions.DEFAULT.withTenant(TenantId.of("acme")), events::add, problems);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.tenant()).isEqualTo(TenantId.of("acme")));
    }

    @Test
    void aMissingFileThrows() {
        assertThatThrownBy(() -> read(dir.resolve("nope.json"))).isInstanceOf(IOException.class);
    }

    @Test
    void expandWalksDirectoriesInPathOrderSkippingHiddenFiles() throws IOException {
        Path b = write("tree/b.json", "{}");
        Path a2 = write("tree/a/2.json", "{}");
        Path a1 = write("tree/a/1.json", "{}");
        write("tree/.hidden.json", "{}");
        write("tree/.git/config", "x");
        Path z = write("z.json", "{}");
        ProblemCollector sink = new ProblemCollector(10);
        List<Path> files = EventReaders.expand(List.of(z, dir.resolve("tree"), dir.resolve("missing"), b), sink);
        assertThat(files).containsExactly(z, a1, a2, b);
        assertThat(sink.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo(dir.resolve("missing").toString());
            assertThat(p.message()).contains("no such file");
        });
        assertThatThrownBy(() -> EventReaders.expand(List.of(dir.resolve("missing"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void expandNamesEachFileOnceHoweverItIsReached() throws IOException {
        Path a = write("logs/a.json", "{}");
        Path b = write("logs/sub/b.json", "{}");
        Files.createSymbolicLink(dir.resolve("logs/sub/link-to-a.json"), a);
        Path alias = dir.resolve("logs/sub/../a.json");
        ProblemCollector sink = new ProblemCollector(10);
        // The directory, a file in it named two other ways, and a link to that file in the tree: each file once.
        List<Path> files = EventReaders.expand(List.of(dir.resolve("logs"), alias, dir.resolve("./logs/a.json")), sink);
        assertThat(files).containsExactly(a, b);
        assertThat(EventReaders.expand(List.of(alias, dir.resolve("logs")), sink))
                .containsExactly(alias, b);
        assertThat(sink.count()).isZero();
    }

    @Test
    void aSymbolicLinkLoopIsReportedAndTheRestOfTheTreeWalked() throws IOException {
        Path a = write("logs/a.json", "{}");
        Path z = write("logs/z/z.json", "{}");
        Files.createSymbolicLink(dir.resolve("logs/m-loop"), dir.resolve("logs"));
        ProblemCollector sink = new ProblemCollector(10);
        assertThat(EventReaders.expand(List.of(dir.resolve("logs")), sink)).containsExactly(a, z);
        assertThat(sink.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo(dir.resolve("logs/m-loop").toString());
            assertThat(p.message()).isEqualTo("symbolic link loop");
        });
    }

    @Test
    void aDirectoryTreeReadsInDeterministicOrderAndKeepsGoingPastBadFiles() throws IOException {
        write("logs/2/b.jsonl", "{\"n\":4}\n");
        write("logs/1/a.json", "[{\"n\":1},{\"n\":2}]");
        write("logs/1/b.bin", new byte[] {0, 1, 2, 3});
        write("logs/1/c.jsonl", "{\"n\":3}\nnot json\n");
        EventReader reader = new EventReader(ReadOptions.DEFAULT);
        for (Path file : EventReaders.expand(List.of(dir.resolve("logs")), problems)) {
            reader.read(file, events::add, problems);
        }
        assertThat(values("n")).containsExactly(1L, 2L, 3L, 4L);
        assertThat(problems.problems())
                .extracting(Problem::source, Problem::location)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                dir.resolve("logs/1/b.bin").toString(), 0L),
                        org.assertj.core.groups.Tuple.tuple(
                                dir.resolve("logs/1/c.jsonl").toString(), 2L));
        assertThat(reader.filesRead()).isEqualTo(4);
        assertThat(reader.eventsRead()).isEqualTo(4);
        assertThat(reader.problemsReported()).isEqualTo(2);
    }

    @Test
    void tooDeepNestingIsRejected() throws IOException {
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        read(write("deep.jsonl", "{\"n\":1}\n" + deep + "\n{\"n\":3}\n"));
        assertThat(values("n")).containsExactly(1L, 3L);
        assertThat(problems.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(2);
            assertThat(p.message()).contains("nesting depth");
        });
    }

    @Test
    void windowsEventsInJsonLinesUseTheirRecordId() throws IOException {
        String line = "{\"Event\":{\"System\":{\"EventID\":1,\"EventRecordID\":77,"
                + "\"Channel\":\"Microsoft-Windows-Sysmon/Operational\"},\"EventData\":{\"Image\":\"x.exe\"}}}";
        read(write("win.jsonl", "{\"n\":1}\n" + line + "\n"));
        assertThat(events).extracting(e -> e.source().record()).containsExactly(1L, 77L);
        assertThat(events.get(1).fields()).containsEntry("Image", "x.exe");
        assertThat(events.get(1).original())
                .isInstanceOfSatisfying(Map.class, m -> assertThat(m).containsKey("Event"));
    }

    @Test
    void anArrayElementPastTheNestingLimitIsSkippedAndTheRestRead() throws IOException {
        String deep = "{\"a\":[".repeat(33) + "1" + "]}".repeat(33); // 66 levels in 265 bytes
        Path f = write("deep.json", "[\n{\"n\":1},\n" + deep + ",\n{\"n\":3}\n]\n");
        ReadSummary s = read(f);
        assertThat(s.format()).isEqualTo(EventFormat.JSON_ARRAY);
        assertThat(values("n")).containsExactly(1L, 3L);
        assertThat(events).extracting(e -> e.source().record()).containsExactly(1L, 3L);
        assertThat(problems.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(3);
            assertThat(p.message()).contains("element 2").contains("nesting depth");
        });
    }

    @Test
    void anArrayElementLongerThanTheLimitIsSkippedWithoutReadingItWhole() throws IOException {
        byte[] big = new byte[20 << 20];
        Arrays.fill(big, (byte) 'x');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("[{\"n\":1},\n{\"big\":\"".getBytes(UTF_8));
        out.writeBytes(big);
        out.writeBytes("\"},\n{\"n\":3}]".getBytes(UTF_8));
        read(write("big.json", out.toByteArray()));
        assertThat(values("n")).containsExactly(1L, 3L);
        assertThat(events).extracting(e -> e.source().record()).containsExactly(1L, 3L);
        assertThat(problems.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(2);
            assertThat(p.message()).contains("element 2 longer than " + EventReader.DEFAULT_MAX_RECORD_BYTES);
        });
    }

    @Test
    void theRecordLimitAppliesToArrayElements() throws IOException {
        Path f = write("small.json", "[{\"n\":1}, {\"s\":\"" + "y".repeat(200) + "\"}, 7, {\"n\":4}]");
        new EventReader(ReadOptions.DEFAULT, 100).read(f, events::add, problems);
        assertThat(values("n")).containsExactly(1L, 4L);
        assertThat(events).extracting(e -> e.source().record()).containsExactly(1L, 4L);
        assertThat(problems.problems())
                .extracting(Problem::message)
                .containsExactly(
                        "element 2 longer than 100 bytes (208 bytes) skipped",
                        "element 3 is not a JSON object but a number");
    }

    @Test
    void aBrokenArrayElementIsReportedAndTheNextOneRead() throws IOException {
        Path f = write("broken.json", "[\n{\"n\":1},\n{\"n\" 2},\n{\"n\":3}]\n");
        read(f);
        assertThat(values("n")).containsExactly(1L, 3L);
        assertThat(events).extracting(e -> e.source().record()).containsExactly(1L, 3L);
        assertThat(problems.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(3);
            assertThat(p.message()).startsWith("invalid JSON at column 6");
        });
    }

    @Test
    void anArrayWhoseStructureBreaksKeepsTheEventsBeforeAndReportsWhere() throws IOException {
        Path f = write("unbalanced.json", "[\n{\"n\":1},\n{\"n\":2}},\n{\"n\":3}]\n");
        ReadSummary s = read(f);
        assertThat(values("n")).containsExactly(1L, 2L);
        assertThat(s.events()).isEqualTo(2);
        assertThat(problems.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(3);
            assertThat(p.message()).startsWith("invalid JSON at column 8").endsWith("the rest of the input is skipped");
        });
    }

    @Test
    void jsonLinesWhoseFirstLineIsBrokenAreStillReadAsLines() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"a\":\"".getBytes(UTF_8));
        out.write(0xFF);
        out.writeBytes("\"}\n\n{\"n\":3}\n".getBytes(UTF_8));
        ReadSummary s = read(write("utf8.jsonl", out.toByteArray()));
        assertThat(s.format()).isEqualTo(EventFormat.JSON_LINES);
        assertThat(events).extracting(e -> e.source().record()).containsExactly(1L, 3L);
        assertThat(problems.problems()).extracting(Problem::location).containsExactly(1L);
    }

    @Test
    void jsonLinesWhoseFirstLineIsTruncatedAreStillReadAsLines() throws IOException {
        Path truncated = write("truncated.jsonl", "{\"n\":1,\"s\":\"cut\n{\"n\":2}\n{\"n\":3}\n");
        ReadSummary s = read(truncated);
        assertThat(s.format()).isEqualTo(EventFormat.JSON_LINES);
        assertThat(values("n")).containsExactly(2L, 3L);
        assertThat(events).extracting(e -> e.source().record()).containsExactly(2L, 3L);
        assertThat(problems.problems()).extracting(Problem::location).containsExactly(1L);
    }

    @Test
    void prettyObjectsAfterAOneLineObjectAreStillObjects() throws IOException {
        ReadSummary s = read(write("mixed.json", "{\"n\":1}\n{\n  \"n\": 2\n}\n{\n  \"n\": 3\n}\n"));
        assertThat(s.format()).isEqualTo(EventFormat.JSON_OBJECTS);
        assertThat(values("n")).containsExactly(1L, 2L, 3L);
        assertThat(problems.problems()).isEmpty();
    }

    @Test
    void evtxDumpDefaultOutputIsReadAsWindowsEvents() throws IOException {
        String sysmon =
                "{\"Event\":{\"#attributes\":{\"xmlns\":\"http://schemas.microsoft.com/win/2004/08/events/event\"},"
                        + "\"System\":{\"Provider\":{\"#attributes\":{\"Name\":\"Microsoft-Windows-Sysmon\"}},"
                        + "\"EventID\":1,\"EventRecordID\":77,"
                        + "\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"2024-05-01T10:00:00.123456Z\"}},"
                        + "\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Computer\":\"ws1\"},"
                        + "\"EventData\":{\"Image\":\"C:\\\\Windows\\\\System32\\\\cmd.exe\","
                        + "\"CommandLine\":\"cmd /c whoami\"}}}";
        String noRecordId = sysmon.replace("\"EventRecordID\":77,", "");
        ObjectMapper mapper = new ObjectMapper();
        String dump = "Record 5\n" + mapper.readTree(sysmon).toPrettyString() + "\nRecord 78\n"
                + mapper.readTree(noRecordId).toPrettyString() + "\n";
        ReadSummary s = read(write("dump.txt", dump));
        assertThat(s.format()).isEqualTo(EventFormat.JSON_OBJECTS);
        assertThat(problems.problems()).isEmpty();
        List<Event> fromDump = List.copyOf(events);
        events.clear();
        read(write("lines.jsonl", sysmon + "\n" + noRecordId + "\n"));
        assertThat(fromDump).hasSize(2);
        // The EventRecordID in the event wins over the dump's Record header; without one, the header numbers the event.
        assertThat(fromDump).extracting(e -> e.source().record()).containsExactly(77L, 78L);
        for (int i = 0; i < 2; i++) {
            Event dumped = fromDump.get(i);
            Event line = events.get(i);
            assertThat(dumped.logSource()).isEqualTo(line.logSource());
            assertThat(dumped.logSource().product()).isEqualTo("windows");
            assertThat(dumped.logSource().categories()).contains("process_creation");
            assertThat(dumped.fields()).isEqualTo(line.fields()).containsEntry("CommandLine", "cmd /c whoami");
            assertThat(dumped.timestamp()).isEqualTo(line.timestamp());
        }
    }

    /**
     * A sink that throws {@link StopReading} ends the read there, in every kind of reader: the rest of the input is
     * not read (its bad line is never reported) and the stop is not mistaken for bad input.
     */
    @Test
    void aSinkThatStopsTheReadEndsItAtOnceInEveryReader() throws IOException {
        String sysmon = "{\"Event\":{\"System\":{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\"},"
                + "\"EventData\":{\"Image\":\"C:\\\\a.exe\"}}}";
        List<Path> inputs = List.of(
                write("lines.jsonl", sysmon + "\n" + sysmon + "\n{bad\n"),
                write("array.json", "[" + sysmon + "," + sysmon + ",{bad]"),
                write(
                        "auth.log",
                        "Nov 29 04:00:01 host sshd[1]: Accepted password for a from 203.0.113.1 port 22\n"
                                + "Nov 29 04:00:02 host sshd[1]: Accepted password for b from 203.0.113.2 port 22\n"
                                + "\u0000\u0001 not syslog\n"));
        for (Path input : inputs) {
            assertTheReadStopsAtTheFirstEvent(input);
        }
    }

    @Test
    void aSinkThatStopsTheReadEndsAnEvtxReadAtOnce() throws IOException {
        Path root = Corpus.require("sigma/regression_data");
        List<Path> evtx;
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            evtx = walk.filter(p -> p.toString().endsWith(".evtx"))
                    .sorted()
                    .limit(3)
                    .toList();
        }
        assertThat(evtx).isNotEmpty();
        for (Path input : evtx) {
            assertTheReadStopsAtTheFirstEvent(input);
        }
    }

    private static void assertTheReadStopsAtTheFirstEvent(Path input) {
        List<Event> seen = new ArrayList<>();
        ProblemCollector reported = new ProblemCollector(10);
        assertThatThrownBy(() -> EventReaders.read(
                        input,
                        ReadOptions.DEFAULT,
                        e -> {
                            seen.add(e);
                            throw new StopReading("output closed");
                        },
                        reported))
                .as(input.toString())
                .isInstanceOf(StopReading.class);
        assertThat(seen).as(input.toString()).hasSize(1);
        assertThat(reported.problems()).as(input.toString()).isEmpty();
    }
}
