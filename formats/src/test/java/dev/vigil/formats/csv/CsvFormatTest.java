package dev.vigil.formats.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.TenantId;
import dev.vigil.formats.EventReaders;
import dev.vigil.formats.ReadOptions;
import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextFormats;
import dev.vigil.formats.text.TextParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFormatTest {
    @TempDir
    Path dir;

    private final List<Event> events = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();

    private void read(String content) throws IOException {
        read(content, ReadOptions.DEFAULT);
    }

    private void read(String content, ReadOptions options) throws IOException {
        Path f = dir.resolve("data.csv");
        Files.writeString(f, content);
        EventReaders.read(f, options, events::add, problems::add);
    }

    @Test
    void rfc4180() throws IOException {
        read("""
                timestamp,user,CommandLine,count
                2024-01-05T10:00:00Z,alice,"cmd.exe /c ""dir"", then exit",3
                2024-01-05 11:00:00,bob,"line one
                line two, still quoted",
                1704452400,"",plain,7
                """);
        assertThat(problems).isEmpty();
        assertThat(events).hasSize(3);
        assertThat(events.get(0).fields())
                .containsEntry("user", "alice")
                .containsEntry("CommandLine", "cmd.exe /c \"dir\", then exit")
                .containsEntry("count", "3")
                .containsEntry("@timestamp", "2024-01-05T10:00:00Z");
        assertThat(events.get(0).timestamp()).isEqualTo(Instant.parse("2024-01-05T10:00:00Z"));
        assertThat(events.get(1).fields())
                .containsEntry("CommandLine", "line one\nline two, still quoted")
                .containsEntry("count", "");
        assertThat(events.get(1).source().record()).isEqualTo(3);
        assertThat(events.get(1).original()).isEqualTo("2024-01-05 11:00:00,bob,\"line one\nline two, still quoted\",");
        assertThat(events.get(1).timestamp()).isEqualTo(Instant.parse("2024-01-05T11:00:00Z"));
        assertThat(events.get(2).timestamp()).isEqualTo(Instant.parse("2024-01-05T11:00:00Z"));
        assertThat(events.get(2).source().record()).isEqualTo(5);
        assertThat(events.get(2).logSource().isUnknown()).isTrue();
    }

    @Test
    void brokenQuotesAndWrongColumnCounts() throws IOException {
        read(
                """
                time,host,msg
                2024-01-05T10:00:00Z,a,ok
                2024-01-05T10:00:01Z,b,bro"ken
                2024-01-05T10:00:02Z,c,ok again
                2024-01-05T10:00:03Z,d
                2024-01-05T10:00:04Z,e,x,extra
                2024-01-05T10:00:05Z,f,"never closed
                2024-01-05T10:00:06Z,g,last
                """,
                // so many bad rows in so few lines are below the detection threshold: forced, as with --as csv
                ReadOptions.DEFAULT.withFormatNamed("csv"));
        problems.forEach(System.out::println);
        assertThat(problems).extracting(Problem::location).containsExactly(3L, 5L, 6L, 7L);
        assertThat(problems.get(0).message()).contains("quote in the middle of an unquoted field");
        assertThat(problems.get(3).message()).contains("not closed at the end of the input");
        assertThat(problems).allSatisfy(p -> assertThat(p.source()).endsWith("data.csv"));
        assertThat(events).extracting(e -> e.field("host")).containsExactly("a", "c", "d", "e", "g");
        assertThat(events.get(2).fields()).containsOnlyKeys("time", "host", "@timestamp");
        assertThat(events.get(3).fields()).containsEntry("column4", "extra");
        assertThat(events.get(4).source().record()).isEqualTo(8);
    }

    @Test
    void unclosedQuoteIsBounded() {
        TextParser p = new CsvFormat().newParser(TextContext.of("big.csv", TenantId.DEFAULT));
        p.line("a,b", 1, events::add, problems::add);
        p.line("1,\"open", 2, events::add, problems::add);
        for (int i = 3; i < 3 + CsvFormat.MAX_RECORD_LINES + 5; i++) {
            p.line("x,y", i, events::add, problems::add);
        }
        p.end(events::add, problems::add);
        assertThat(problems).singleElement().satisfies(pr -> {
            assertThat(pr.location()).isEqualTo(2);
            assertThat(pr.message()).contains("not closed within");
        });
        assertThat(events).hasSize(CsvFormat.MAX_RECORD_LINES + 5);
    }

    @Test
    void detectionAndZones() {
        List<String> csv = List.of("Date,User,Action", "2024-01-05,alice,login", "2024-01-06,bob,\"log, out\"");
        assertThat(new CsvFormat().score(csv)).isEqualTo(50);
        assertThat(TextFormats.detect(csv).orElseThrow().name()).isEqualTo("csv");
        assertThat(new CsvFormat().score(List.of("hello, world", "this is, text")))
                .isZero();
        assertThat(new CsvFormat().score(List.of("a,b,c", "1,2"))).isZero();
        assertThat(new CsvFormat().score(List.of("a,b,c"))).isZero();
        assertThat(CsvFormat.parseTime("2024-01-05 10:00:00", ZoneId.of("Europe/Berlin")))
                .isEqualTo(Instant.parse("2024-01-05T09:00:00Z"));
        assertThat(CsvFormat.parseTime("1704452400123", ZoneId.of("UTC")))
                .isEqualTo(Instant.parse("2024-01-05T11:00:00.123Z"));
        assertThat(CsvFormat.parseTime("yesterday", ZoneId.of("UTC"))).isNull();
    }

    @Test
    void roundTrip() {
        java.util.Random r = new java.util.Random(7);
        String chars = "ab ,\"\n'x";
        TextParser p = new CsvFormat().newParser(TextContext.of("rt.csv", TenantId.DEFAULT));
        p.line("a,b,c", 1, events::add, problems::add);
        List<List<String>> rows = new ArrayList<>();
        long lineNo = 2;
        for (int i = 0; i < 300; i++) {
            List<String> row = new ArrayList<>();
            StringBuilder rendered = new StringBuilder();
            for (int c = 0; c < 3; c++) {
                StringBuilder v = new StringBuilder();
                for (int k = r.nextInt(8); k > 0; k--) {
                    v.append(chars.charAt(r.nextInt(chars.length())));
                }
                String value = v.toString();
                row.add(value);
                boolean quote = r.nextBoolean() || value.contains(",") || value.contains("\"") || value.contains("\n");
                rendered.append(c == 0 ? "" : ",").append(quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value);
            }
            if (rendered.toString().isBlank()) {
                continue; // a blank line is no record
            }
            rows.add(row);
            for (String line : rendered.toString().split("\n", -1)) {
                p.line(line, lineNo++, events::add, problems::add);
            }
        }
        p.end(events::add, problems::add);
        assertThat(problems).isEmpty();
        assertThat(events).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(List.of(
                            events.get(i).field("a"),
                            events.get(i).field("b"),
                            events.get(i).field("c")))
                    .isEqualTo(rows.get(i));
        }
    }
}
