package dev.vigil.attack;

import static java.util.Objects.requireNonNull;

/**
 * Coverage of one tactic.
 *
 * @param tactic the tactic
 * @param techniquesCovered the active techniques and sub-techniques of this tactic that at least one rule covers
 *     under it
 * @param techniquesTotal the active techniques and sub-techniques of this tactic
 * @param rules the distinct rules that count for this tactic: through a technique under it or a tag naming it
 */
public record TacticCoverage(Tactic tactic, int techniquesCovered, int techniquesTotal, int rules) {
    public TacticCoverage {
        requireNonNull(tactic, "tactic");
    }
}
