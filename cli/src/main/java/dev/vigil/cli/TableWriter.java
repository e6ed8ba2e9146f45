package dev.vigil.cli;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Problem;
import dev.vigil.core.SourceRef;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.RuleRef;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Detections for a person to read, then counts per rule and level and the ATT&CK tactics seen. Writes to a plain
 * {@link Writer}, not a PrintWriter, so that a full disk or closed pipe is an error and not a silently short table.
 */
final class TableWriter implements DetectionWriter {
    private final Writer out;
    private boolean header;

    TableWriter(Writer out) {
        this.out = requireNonNull(out, "out");
    }

    private void printf(String format, Object... args) throws IOException {
        out.write(String.format(format, args));
    }

    @Override
    public void write(Detection d) throws IOException {
        if (!header) {
            printf("%-24s  %-13s  %-60s  %s%n", "TIME (UTC)", "LEVEL", "RULE", "SOURCE");
            header = true;
        }
        SourceRef src = d.event().source();
        String where = src == null ? "" : src.source() + "#" + src.record();
        String title = d.rule().title();
        if (d.correlation()) {
            title = title + " " + d.groupBy() + " (" + d.sources().size() + " events)";
        }
        printf(
                "%-24s  %-13s  %-60s  %s%n",
                d.timestamp() == null ? "-" : d.timestamp().toString(),
                d.rule().level(),
                printable(title),
                printable(where));
    }

    /** Keeps control characters from log data out of the terminal. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }

    @Override
    public void finish(HuntSummary s) throws IOException {
        printf("%n");
        printf("%d events in %d files, %d detections%n", s.events, s.files, s.detections);
        if (!s.perLevel.isEmpty()) {
            printf("%n");
            printf("By level:%n");
            for (String level : HuntSummary.LEVELS) {
                Long n = s.perLevel.get(level);
                if (n != null) {
                    printf("  %-13s %8d%n", level, n);
                }
            }
            printf("%n");
            printf("By rule:%n");
            List<Map.Entry<RuleRef, Long>> rules = new ArrayList<>(s.perRule.entrySet());
            rules.sort(Comparator.<Map.Entry<RuleRef, Long>>comparingInt(
                            e -> -HuntSummary.levelRank(e.getKey().level()))
                    .thenComparing(e -> -e.getValue())
                    .thenComparing(e -> e.getKey().title()));
            for (Map.Entry<RuleRef, Long> e : rules) {
                printf(
                        "  %8d  %-13s  %s%n",
                        e.getValue(), e.getKey().level(), printable(e.getKey().title()));
            }
            printf("%n");
            printf("ATT&CK tactics seen:%n");
            if (s.perTactic.isEmpty()) {
                printf("  (no rule carried a tactic tag)%n");
            }
            for (String t : HuntSummary.TACTICS) {
                Long n = s.perTactic.get(t);
                if (n != null) {
                    printf("  %-22s %8d%n", t, n);
                }
            }
        }
        if (s.problems > 0) {
            printf("%n");
            printf("%d input problems (records skipped or unreadable):%n", s.problems);
            for (Problem p : s.firstProblems) {
                printf("  %s%n", printable(p.toString()));
            }
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
