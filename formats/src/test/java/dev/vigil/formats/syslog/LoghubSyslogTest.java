package dev.vigil.formats.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.testing.Corpus;
import dev.vigil.formats.EventReaders;
import dev.vigil.formats.ReadOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * loghub's Linux, OpenSSH and Mac samples read through format detection: for every line the month, day, time, host,
 * program, pid and message equal the values of loghub's structured CSV.
 */
class LoghubSyslogTest {
    @ParameterizedTest
    @CsvSource({
        // dataset, month column, day column, host column, program column (or =literal), pid column
        "Linux, Month, Date, Level, Component, PID",
        "OpenSSH, Date, Day, Component, =sshd, Pid",
        "Mac, Month, Date, User, Component, PID"
    })
    void everyLineMatchesTheStructuredCsv(
            String dataset, String monthCol, String dayCol, String hostCol, String programCol, String pidCol)
            throws IOException {
        Path dir = Corpus.require("logs/loghub/" + dataset);
        Path log = dir.resolve(dataset + "_2k.log");
        List<Map<String, String>> rows =
                Csv.records(Files.readString(dir.resolve(dataset + "_2k.log_structured.csv"), StandardCharsets.UTF_8));
        List<Event> events = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        var summary = EventReaders.read(log, ReadOptions.DEFAULT, events::add, problems::add);
        assertThat(problems).isEmpty();
        Map<Long, Event> byLine = new HashMap<>();
        events.forEach(e -> byLine.put(e.source().record(), e));
        Map<String, Integer> mismatches = new HashMap<>();
        List<String> examples = new ArrayList<>();
        for (Map<String, String> row : rows) {
            long line = Long.parseLong(row.get("LineId"));
            Event e = byLine.get(line);
            if (e == null) {
                count(mismatches, examples, "event", line, "no event", null);
                continue;
            }
            LocalDateTime t = LocalDateTime.ofInstant(e.timestamp(), ZoneOffset.UTC);
            String[] hms = row.get("Time").split(":");
            check(
                    mismatches,
                    examples,
                    "month",
                    line,
                    row.get(monthCol).toLowerCase(Locale.ROOT),
                    t.getMonth().name().substring(0, 3).toLowerCase(Locale.ROOT));
            check(mismatches, examples, "day", line, row.get(dayCol), String.valueOf(t.getDayOfMonth()));
            check(
                    mismatches,
                    examples,
                    "time",
                    line,
                    Integer.parseInt(hms[0]) + ":" + Integer.parseInt(hms[1]) + ":" + Integer.parseInt(hms[2]),
                    t.getHour() + ":" + t.getMinute() + ":" + t.getSecond());
            check(mismatches, examples, "host", line, row.get(hostCol), (String)
                    e.fields().get("host.name"));
            String program = programCol.startsWith("=") ? programCol.substring(1) : row.get(programCol);
            check(mismatches, examples, "program", line, program, (String)
                    e.fields().get("program"));
            Object pid = e.fields().get("pid");
            check(mismatches, examples, "pid", line, row.get(pidCol), pid == null ? "" : pid.toString());
            String content = row.get("Content");
            String address = row.getOrDefault("Address", "");
            String expected = address.isEmpty() ? content : "(" + address + "): " + content;
            check(
                    mismatches,
                    examples,
                    "message",
                    line,
                    expected.strip(),
                    ((String) e.fields().get("message")).strip());
        }
        System.out.printf(
                "loghub %s: %d lines, %d events, %d CSV rows, mismatches %s%n",
                dataset,
                Files.readAllLines(log, StandardCharsets.UTF_8).size(),
                summary.events(),
                rows.size(),
                mismatches);
        examples.stream().limit(10).forEach(System.out::println);
        assertThat(mismatches).isEmpty();
        assertThat(summary.events()).isEqualTo(rows.size());
    }

    private static void check(
            Map<String, Integer> m, List<String> ex, String what, long line, String want, String got) {
        if (!want.equals(got == null ? "" : got)) {
            count(m, ex, what, line, want, got);
        }
    }

    private static void count(
            Map<String, Integer> m, List<String> ex, String what, long line, String want, String got) {
        m.merge(what, 1, Integer::sum);
        ex.add("  line " + line + " " + what + ": want '" + want + "' got '" + got + "'");
    }
}
