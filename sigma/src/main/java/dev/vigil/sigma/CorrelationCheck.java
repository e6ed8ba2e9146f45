package dev.vigil.sigma;

import dev.vigil.core.Problem;
import dev.vigil.sigma.correlation.CorrelationEngine;
import dev.vigil.sigma.correlation.CorrelationRule;
import dev.vigil.sigma.correlation.InMemoryCorrelationStateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates the correlation documents of a rule set at load time: each must parse, every rule it names must be a loaded
 * detection rule or correlation, and the correlations together must be acyclic. A correlation that fails is reported
 * and left out, as are the correlations that depend on it.
 */
record CorrelationCheck(List<CorrelationRule> valid, List<RuleRef> refs, List<Problem> errors) {
    static CorrelationCheck validate(
            List<SigmaRuleSet.CorrelationSource> docs, List<RuleRef> detectionRules, FieldMapping mapping) {
        List<Problem> errors = new ArrayList<>();
        Map<CorrelationRule, String> parsed = new LinkedHashMap<>();
        for (SigmaRuleSet.CorrelationSource d : docs) {
            try {
                parsed.put(CorrelationRule.parse(d.document(), d.file()), d.file());
            } catch (SigmaException e) {
                errors.add(new Problem(d.file(), 0, e.getMessage()));
            } catch (RuntimeException e) {
                errors.add(new Problem(d.file(), 0, "cannot parse correlation: " + e));
            }
        }
        // Drop correlations whose references resolve to nothing, repeatedly, since dropping one can orphan another.
        boolean changed = true;
        while (changed) {
            changed = false;
            for (var it = parsed.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                for (String ref : e.getKey().ruleReferences()) {
                    boolean known = detectionRules.stream().anyMatch(r -> r.isNamed(ref))
                            || parsed.keySet().stream().anyMatch(c -> c.ref().isNamed(ref));
                    if (!known) {
                        errors.add(new Problem(
                                e.getValue(),
                                0,
                                "correlation '" + e.getKey().ref().title() + "' refers to '" + ref
                                        + "', which is not a loaded rule or correlation"));
                        it.remove();
                        changed = true;
                        break;
                    }
                }
            }
        }
        List<CorrelationRule> valid = new ArrayList<>(parsed.keySet());
        try {
            // Building an engine checks cycles and duplicate names across all correlations.
            new CorrelationEngine(valid, new InMemoryCorrelationStateStore(p -> {}), f -> f, p -> {});
        } catch (SigmaException e) {
            for (Map.Entry<CorrelationRule, String> c : parsed.entrySet()) {
                errors.add(new Problem(c.getValue(), 0, e.getMessage()));
            }
            return new CorrelationCheck(List.of(), List.of(), errors);
        }
        List<RuleRef> refs = new ArrayList<>();
        valid.forEach(c -> refs.add(c.ref()));
        return new CorrelationCheck(valid, refs, errors);
    }
}
