package dev.vigil.sigma;

import dev.vigil.core.Problem;
import java.util.ArrayList;
import java.util.List;

/** Validates correlation documents at load time (placeholder until the correlation engine lands). */
record CorrelationCheck(List<SigmaRuleSet.CorrelationSource> valid, List<RuleRef> refs, List<Problem> errors) {
    static CorrelationCheck validate(
            List<SigmaRuleSet.CorrelationSource> docs, List<RuleRef> detectionRules, FieldMapping mapping) {
        List<Problem> errors = new ArrayList<>();
        for (SigmaRuleSet.CorrelationSource d : docs) {
            errors.add(new Problem(d.file(), 0, "correlation rules are not supported yet"));
        }
        return new CorrelationCheck(List.of(), List.of(), errors);
    }
}
