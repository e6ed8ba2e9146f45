package dev.vigil.cli;

import dev.vigil.core.Problem;
import dev.vigil.core.SourceRef;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.RuleRef;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Detections for a person to read, then counts per rule and level and the ATT&CK tactics seen. */
final class TableWriter implements DetectionWriter {
    private final PrintWriter out;
    private boolean header;

    TableWriter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void write(Detection d) {
        if (!header) {
            out.printf("%-24s  %-13s  %-60s  %s%n", "TIME (UTC)", "LEVEL", "RULE", "SOURCE");
            header = true;
        }
        SourceRef src = d.event().source();
        String where = src == null ? "" : src.source() + "#" + src.record();
        String title = d.rule().title();
        if (d.correlation()) {
            title = title + " " + d.groupBy() + " (" + d.sources().size() + " events)";
        }
        out.printf(
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
    public void finish(HuntSummary s) {
        out.println();
        out.printf("%d events in %d files, %d detections%n", s.events, s.files, s.detections);
        if (!s.perLevel.isEmpty()) {
            out.println();
            out.println("By level:");
            for (String level : HuntSummary.LEVELS) {
                Long n = s.perLevel.get(level);
                if (n != null) {
                    out.printf("  %-13s %8d%n", level, n);
                }
            }
            out.println();
            out.println("By rule:");
            List<Map.Entry<RuleRef, Long>> rules = new ArrayList<>(s.perRule.entrySet());
            rules.sort(Comparator.<Map.Entry<RuleRef, Long>>comparingInt(
                            e -> -HuntSummary.levelRank(e.getKey().level()))
                    .thenComparing(e -> -e.getValue())
                    .thenComparing(e -> e.getKey().title()));
            for (Map.Entry<RuleRef, Long> e : rules) {
                out.printf(
                        "  %8d  %-13s  %s%n",
                        e.getValue(), e.getKey().level(), printable(e.getKey().title()));
            }
            out.println();
            out.println("ATT&CK tactics seen:");
            if (s.perTactic.isEmpty()) {
                out.println("  (no rule carried a tactic tag)");
            }
            for (String t : HuntSummary.TACTICS) {
                Long n = s.perTactic.get(t);
                if (n != null) {
                    out.printf("  %-22s %8d%n", t, n);
                }
            }
        }
        if (s.problems > 0) {
            out.println();
            out.printf("%d input problems (records skipped or unreadable):%n", s.problems);
            for (Problem p : s.firstProblems) {
                out.println("  " + printable(p.toString()));
            }
        }
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }
}
