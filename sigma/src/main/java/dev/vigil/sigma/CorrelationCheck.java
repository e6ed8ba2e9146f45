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
        List<CorrelationRule> valid;
        do {
            dropOrphans(parsed, detectionRules, errors);
            valid = withoutConflicts(parsed, errors);
        } while (valid.size() < parsed.size() && parsed.keySet().retainAll(valid));
        List<RuleRef> refs = new ArrayList<>();
        valid.forEach(c -> refs.add(c.ref()));
        return new CorrelationCheck(valid, refs, errors);
    }

    /** Drops correlations whose references resolve to nothing, repeatedly, since dropping one can orphan another. */
    private static void dropOrphans(
            Map<CorrelationRule, String> parsed, List<RuleRef> detectionRules, List<Problem> errors) {
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
    }

    /**
     * The correlations that an engine accepts together: building one checks duplicate names and cycles across all of
     * them. When the whole set fails, correlations are added one at a time in file order and each one that makes the
     * engine fail (the second of two with the same key, the one that closes a cycle) is reported and left out, so one
     * bad file does not cost the others.
     */
    private static List<CorrelationRule> withoutConflicts(Map<CorrelationRule, String> parsed, List<Problem> errors) {
        List<CorrelationRule> all = new ArrayList<>(parsed.keySet());
        if (engineError(all) == null) {
            return all;
        }
        List<CorrelationRule> accepted = new ArrayList<>();
        for (CorrelationRule c : all) {
            accepted.add(c);
            String error = engineError(accepted);
            if (error != null) {
                accepted.remove(accepted.size() - 1);
                errors.add(new Problem(parsed.get(c), 0, error));
            }
        }
        return accepted;
    }

    private static String engineError(List<CorrelationRule> correlations) {
        try {
            new CorrelationEngine(correlations, new InMemoryCorrelationStateStore(p -> {}), p -> {});
            return null;
        } catch (SigmaException e) {
            return e.getMessage();
        }
    }
}
