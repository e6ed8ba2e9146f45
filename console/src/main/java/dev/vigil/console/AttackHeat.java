package dev.vigil.console;

import dev.vigil.attack.AttackKnowledgeBase;
import dev.vigil.core.alert.AttackTactic;
import dev.vigil.store.AlertAttackCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ATT&amp;CK tactics and techniques that alerts named in a range, for the overview's heat strip: every tactic in
 * kill-chain order and the most named techniques. Levels are relative to the most named entry (heat-0 for none, then
 * quarters up to heat-4), so a quiet tenant's strip still shows where its few alerts sit.
 *
 * @param tactics all fourteen tactics in kill-chain order
 * @param techniques the most named techniques, most first
 */
public record AttackHeat(List<Entry> tactics, List<Entry> techniques) {
    static final int TOP_TECHNIQUES = 16;

    /** A tactic or technique, its display name, how many alerts named it and its CSS class. */
    public record Entry(String id, String name, long alerts, String heat) {}

    /** The heat of these counts; {@code kb} gives names when present (else ids and short names are shown). */
    static AttackHeat of(AlertAttackCounts counts, AttackKnowledgeBase kb) {
        long maxTactic = counts.tactics().values().stream()
                .mapToLong(Long::longValue)
                .max()
                .orElse(0);
        List<Entry> tactics = new ArrayList<>();
        for (AttackTactic t : AttackTactic.values()) {
            String name = kb == null
                    ? t.shortName()
                    : kb.tactic(t.shortName()).map(x -> x.name()).orElse(t.shortName());
            long n = counts.tactic(t.shortName());
            tactics.add(new Entry(t.id(), name, n, level(n, maxTactic)));
        }
        List<Entry> techniques = new ArrayList<>();
        long maxTechnique = counts.techniques().values().stream()
                .mapToLong(Long::longValue)
                .max()
                .orElse(0);
        for (Map.Entry<String, Long> e : counts.techniques().entrySet()) {
            if (techniques.size() == TOP_TECHNIQUES) {
                break;
            }
            String name = kb == null
                    ? e.getKey()
                    : kb.technique(e.getKey()).map(x -> x.fullName(kb)).orElse(e.getKey());
            techniques.add(new Entry(e.getKey(), name, e.getValue(), level(e.getValue(), maxTechnique)));
        }
        return new AttackHeat(List.copyOf(tactics), List.copyOf(techniques));
    }

    /** The sum of several tenants' counts (the provider roll-up). */
    static AlertAttackCounts sum(List<AlertAttackCounts> all) {
        Map<String, Long> tactics = new TreeMap<>();
        Map<String, Long> techniques = new TreeMap<>();
        for (AlertAttackCounts c : all) {
            c.tactics().forEach((k, v) -> tactics.merge(k, v, Long::sum));
            c.techniques().forEach((k, v) -> techniques.merge(k, v, Long::sum));
        }
        return new AlertAttackCounts(sortedByCount(tactics), sortedByCount(techniques));
    }

    private static Map<String, Long> sortedByCount(Map<String, Long> counts) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** heat-0 for none, else heat-1 to heat-4 by quarters of the maximum. */
    static String level(long n, long max) {
        if (n <= 0 || max <= 0) {
            return "heat-0";
        }
        return "heat-" + Math.max(1, (int) Math.ceil(4.0 * n / max));
    }

    /** Whether any alert named a tactic. */
    public boolean isEmpty() {
        return tactics.stream().allMatch(e -> e.alerts() == 0);
    }
}
