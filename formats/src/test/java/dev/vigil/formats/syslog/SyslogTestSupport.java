package dev.vigil.formats.syslog;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.TenantId;
import dev.vigil.formats.text.TextContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Parses lines with a fresh {@link SyslogParser} (UTC, a fixed year and "now"). */
final class SyslogTestSupport {
    static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");

    final List<Event> events = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();

    private SyslogTestSupport() {}

    static SyslogTestSupport parse(int defaultYear, String... lines) {
        SyslogTestSupport s = new SyslogTestSupport();
        SyslogParser parser =
                new SyslogParser(new TextContext("test.log", TenantId.DEFAULT, ZoneOffset.UTC, defaultYear), NOW);
        long n = 0;
        for (String line : lines) {
            parser.line(line, ++n, s.events::add, s.problems::add);
        }
        parser.end(s.events::add, s.problems::add);
        return s;
    }

    static Event one(String... lines) {
        SyslogTestSupport s = parse(0, lines);
        if (s.events.size() != 1 || !s.problems.isEmpty()) {
            throw new AssertionError("expected one event and no problems for " + String.join("\n", lines) + ": "
                    + s.events + " " + s.problems);
        }
        return s.events.get(0);
    }
}
