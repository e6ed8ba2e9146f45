package dev.vigil.sigma;

import dev.vigil.core.Problem;
import java.util.List;

/**
 * What loading a rule set did: how many rules (detections, correlations and filters) loaded, how many failed and why,
 * and warnings about rules that loaded but behave in a way the author may not expect.
 */
public record LoadReport(int loaded, int failed, List<Problem> errors, List<Problem> warnings) {
    public LoadReport {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }
}
