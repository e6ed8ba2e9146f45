package dev.vigil.formats.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.testing.Corpus;
import dev.vigil.formats.EventReaders;
import dev.vigil.formats.ReadOptions;
import dev.vigil.formats.syslog.Fail2banAnnotations.Case;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * fail2ban's filter test logs, every file: each line annotated {@code # failJSON: {"time": ..., "match": true, "host":
 * ...}} parses as an event whose time equals the annotation's and whose {@code source.ip}, {@code related.ip}, {@code
 * source.domain} or message holds the annotated host.
 *
 * <p>Each file is read as {@code vigil parse} would, through format detection ({@link EventReaders#read}); the files in
 * {@link #FORCED} are read forced as {@code timestamped} instead, each with the reason detection cannot give their
 * times. Time comparison: a line without a zone is local time (read in the default zone, UTC); fail2ban's annotations
 * give the time of a line with a zone either in the zone its tests run in (CET/CEST) or as the wall-clock time the line
 * writes ({@code event.timezone}); a line without a year (RFC 3164) takes the current year, so for those only the
 * month, day and time are compared.
 */
class Fail2banTestLogsTest {

    /** Files read forced as {@code timestamped}, with the reason detection's format cannot give their annotated times. */
    static final Map<String, String> FORCED = Map.ofEntries(
            Map.entry(
                    "cowrie",
                    "JSON lines after '#' comment lines, which JSON detection rejects; the time is in a field far into the line"),
            Map.entry(
                    "guacamole",
                    "Java logging writes a record on two lines, the time on the first only: fewer than half the lines"
                            + " start with a time, so detection picks plain text, which gives none"),
            Map.entry(
                    "sshd-journal",
                    "journal messages without time (nor annotated time): plain text has no addresses; timestamped"
                            + " carries a session's address from its earlier line of the same sshd pid"));

    /**
     * Annotated lines that cannot pass by construction, with the reason (file:line).
     */
    static final Map<String, String> IMPOSSIBLE = Map.ofEntries(Map.entry(
            "guacamole:17",
            "the line gives only the time of day (12:57:32.907) and no earlier log line gives a date: the annotation's"
                    + " date 2005-08-13 is fail2ban's test clock, not in the file"));

    @Test
    void everyAnnotatedLineOfEveryFileParses() throws IOException {
        Path dir = Corpus.require("logs/fail2ban-testlogs/fail2ban/tests/files/logs");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        int total = 0;
        int passed = 0;
        int excused = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        List<String> inherited = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (Path file : files) {
            String name = dir.relativize(file).toString();
            List<Case> cases = Fail2banAnnotations.cases(file);
            if (cases.isEmpty()) {
                continue;
            }
            boolean forced = FORCED.containsKey(name);
            Map<Long, Event> events =
                    read(file, forced ? ReadOptions.defaults().withFormatNamed("timestamped") : ReadOptions.defaults());
            int filePassed = 0;
            int fileExcused = 0;
            List<String> fileFailures = new ArrayList<>();
            for (Case c : cases) {
                String reason = check(events.get(c.line()), c);
                String key = name + ":" + c.line();
                if (reason == null) {
                    filePassed++;
                    Event e = events.get(c.line());
                    if (Boolean.TRUE.equals(e.fields().get("event.time_inherited"))) {
                        inherited.add(key);
                    }
                } else if (IMPOSSIBLE.containsKey(key)) {
                    fileExcused++;
                } else {
                    reasons.merge(reason.substring(0, reason.indexOf(':')), 1, Integer::sum);
                    fileFailures.add(key + " " + reason);
                }
            }
            if (!fileFailures.isEmpty() && !forced) {
                // What forcing timestamped would give, to help maintain FORCED.
                Map<Long, Event> alt = read(file, ReadOptions.defaults().withFormatNamed("timestamped"));
                long altPassed = cases.stream()
                        .filter(c -> check(alt.get(c.line()), c) == null)
                        .count();
                System.out.printf(
                        "  %s: detection passes %d/%d, timestamped would pass %d%n",
                        name, filePassed, cases.size(), altPassed);
            }
            failures.addAll(fileFailures);
            total += cases.size();
            passed += filePassed;
            excused += fileExcused;
            report.append(String.format(
                    "  %-28s %4d/%4d%s%s%n",
                    name,
                    filePassed,
                    cases.size(),
                    fileExcused > 0 ? " (" + fileExcused + " impossible)" : "",
                    forced ? " [timestamped: " + FORCED.get(name) + "]" : ""));
        }
        System.out.print("fail2ban test logs, all files:\n" + report);
        System.out.printf(
                "fail2ban: %d/%d annotated matching lines pass (%.1f%%), %d impossible; failure reasons %s%n",
                passed, total, 100.0 * passed / total, excused, reasons);
        failures.forEach(f -> System.out.println("  FAIL " + f));
        System.out.println(
                "fail2ban: lines passing with the time of an earlier log line (two-line records): " + inherited);
        assertThat(total).isGreaterThan(900);
        assertThat(failures).isEmpty();
        assertThat(passed + excused).isEqualTo(total);
        assertThat(excused).isEqualTo(IMPOSSIBLE.size());
    }

    private static Map<Long, Event> read(Path file, ReadOptions options) throws IOException {
        Map<Long, Event> byLine = new HashMap<>();
        List<Problem> problems = new ArrayList<>();
        EventReaders.read(file, options, e -> byLine.putIfAbsent(e.source().record(), e), problems::add);
        return byLine;
    }

    /** Why the case fails ({@code "reason: detail"}), or null when it passes. */
    static String check(Event e, Case c) {
        if (e == null) {
            return "not parsed: " + c.text();
        }
        JsonNode a = c.annotation();
        if (a.hasNonNull("time")) {
            LocalDateTime want = LocalDateTime.parse(a.get("time").asText().replaceFirst("-(\\d)T", "-0$1T"));
            if (e.timestamp() == null) {
                return "no time: " + c.text();
            }
            List<LocalDateTime> got = new ArrayList<>();
            got.add(LocalDateTime.ofInstant(e.timestamp(), ZoneOffset.UTC));
            got.add(LocalDateTime.ofInstant(e.timestamp(), ZoneId.of("CET")));
            if (e.fields().get("event.timezone") instanceof String tz) {
                got.add(LocalDateTime.ofInstant(e.timestamp(), ZoneId.of(tz)));
            }
            boolean yearWritten = c.text().contains(String.valueOf(want.getYear()));
            boolean ok = false;
            for (LocalDateTime g : got) {
                LocalDateTime t = want.getNano() == 0 ? g.truncatedTo(ChronoUnit.SECONDS) : g;
                if (!yearWritten && t.getYear() != want.getYear()) {
                    t = t.withYear(want.getYear());
                }
                ok |= t.equals(want);
            }
            if (!ok) {
                return "time: want " + want + " got " + got.get(0) + "Z in " + c.text();
            }
        }
        if (a.hasNonNull("host")) {
            String host = a.get("host").asText();
            Object ip = e.fields().get("source.ip");
            Object related = e.fields().get("related.ip");
            Object domain = e.fields().get("source.domain");
            Object message = e.fields().get("message");
            boolean ok = host.equals(ip)
                    || host.equals(domain)
                    || (related instanceof List<?> l && l.contains(host))
                    || (message instanceof String m && m.contains(host));
            if (!ok) {
                return "host: " + host + " not in source.ip " + ip + " nor message " + message;
            }
        }
        return null;
    }
}
