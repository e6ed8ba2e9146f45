package dev.vigil.attack;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * The rules that cover one technique or sub-technique.
 *
 * @param technique the technique
 * @param rules the distinct rules tagged with it, in the order given to {@link Coverage#compute}
 * @param rulesByTactic the same rules under each tactic they count for, in matrix order of the tactics: a rule that
 *     also carries tactic tags counts for those of the technique's tactics it names, otherwise for all of them
 */
public record TechniqueCoverage(Technique technique, List<RuleTags> rules, Map<Tactic, List<RuleTags>> rulesByTactic) {
    public TechniqueCoverage {
        requireNonNull(technique, "technique");
        rules = List.copyOf(rules);
        // Map.copyOf would lose the matrix order the layer writer relies on.
        rulesByTactic = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rulesByTactic));
    }
}
