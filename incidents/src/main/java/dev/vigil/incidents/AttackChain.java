package dev.vigil.incidents;

import dev.vigil.core.alert.AttackTactic;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * How far along the ATT&amp;CK tactics an incident's attacker got.
 *
 * @param covered the tactics of the incident's steps, in kill-chain order (reconnaissance … impact)
 * @param furthest the latest tactic in that order reached by any step; empty when no step has a tactic
 */
public record AttackChain(List<AttackTactic> covered, Optional<AttackTactic> furthest) {
    public AttackChain {
        covered = List.copyOf(covered);
    }

    public static AttackChain of(List<IncidentStep> steps) {
        EnumSet<AttackTactic> tactics = EnumSet.noneOf(AttackTactic.class);
        for (IncidentStep s : steps) {
            tactics.addAll(s.tactics());
        }
        List<AttackTactic> covered = List.copyOf(tactics);
        return new AttackChain(
                covered, covered.isEmpty() ? Optional.empty() : Optional.of(covered.get(covered.size() - 1)));
    }
}
