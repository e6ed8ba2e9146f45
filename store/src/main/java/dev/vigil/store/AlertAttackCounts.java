package dev.vigil.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many alerts in a time range named each ATT&amp;CK tactic and technique: what the console's heat maps colour.
 *
 * @param tactics tactic short name ({@code credential-access}) to alert count, most first (ties by name)
 * @param techniques technique id ({@code T1059.001}) to alert count, most first (ties by id)
 */
public record AlertAttackCounts(Map<String, Long> tactics, Map<String, Long> techniques) {
    public static final AlertAttackCounts NONE = new AlertAttackCounts(Map.of(), Map.of());

    public AlertAttackCounts {
        tactics = Collections.unmodifiableMap(new LinkedHashMap<>(tactics));
        techniques = Collections.unmodifiableMap(new LinkedHashMap<>(techniques));
    }

    /** The alerts naming this technique, 0 when none. */
    public long technique(String id) {
        return techniques.getOrDefault(id, 0L);
    }

    /** The alerts naming this tactic (by short name), 0 when none. */
    public long tactic(String shortName) {
        return tactics.getOrDefault(shortName, 0L);
    }
}
