package dev.vigil.store;

import dev.vigil.core.alert.DetectorKind;
import dev.vigil.core.alert.Severity;

/**
 * Narrows an alert listing; a {@code null} part does not narrow.
 *
 * @param minSeverity the least severe alerts to list (e.g. {@code HIGH} lists high and critical)
 * @param detectorId only the alerts of this rule or detector
 * @param detectorKind only the alerts of this kind of detector (Sigma rules, indicator matches, …)
 */
public record AlertFilter(Severity minSeverity, String detectorId, DetectorKind detectorKind) {
    public static final AlertFilter ALL = new AlertFilter(null, null, null);
}
