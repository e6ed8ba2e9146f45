package dev.vigil.cli;

import dev.vigil.core.Problem;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.RuleRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Totals of a hunt: events, detections per rule and level, ATT&CK tactics, and input problems. */
final class HuntSummary {
    /** The enterprise ATT&CK tactics in kill-chain order, as Sigma tags name them. */
    static final List<String> TACTICS = List.of(
            "reconnaissance",
            "resource-development",
            "initial-access",
            "execution",
            "persistence",
            "privilege-escalation",
            "defense-evasion",
            "credential-access",
            "discovery",
            "lateral-movement",
            "collection",
            "command-and-control",
            "exfiltration",
            "impact");

    static final List<String> LEVELS = List.of("critical", "high", "medium", "low", "informational");

    long files;
    long events;
    long detections;
    long problems;
    final List<Problem> firstProblems = new ArrayList<>();
    final Map<RuleRef, Long> perRule = new LinkedHashMap<>();
    final Map<String, Long> perLevel = new TreeMap<>();
    final Map<String, Long> perTactic = new LinkedHashMap<>();

    void add(Detection d) {
        detections++;
        perRule.merge(d.rule(), 1L, Long::sum);
        perLevel.merge(level(d.rule().level()), 1L, Long::sum);
        for (String t : tactics(d.rule())) {
            perTactic.merge(t, 1L, Long::sum);
        }
    }

    void problem(Problem p) {
        problems++;
        if (firstProblems.size() < 50) {
            firstProblems.add(p);
        }
    }

    static List<String> tactics(RuleRef rule) {
        List<String> out = new ArrayList<>();
        for (String tag : rule.tags()) {
            String t = tag.toLowerCase(Locale.ROOT);
            if (t.startsWith("attack.")) {
                String name = t.substring("attack.".length()).replace('_', '-');
                if (TACTICS.contains(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    /** The level as the hunt filters and counts it: any case, and medium when unknown, as the rule compiler does. */
    static String level(String level) {
        String l = level == null ? "medium" : level.toLowerCase(Locale.ROOT);
        return LEVELS.contains(l) ? l : "medium";
    }

    static int levelRank(String level) {
        return LEVELS.size() - LEVELS.indexOf(level(level));
    }
}
