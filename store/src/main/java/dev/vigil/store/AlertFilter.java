package dev.vigil.store;

/**
 * Narrows an alert listing; a {@code null} part does not narrow.
 *
 * @param minLevel the least severe level to list (e.g. {@code high} lists high and critical)
 * @param ruleId only this rule's alerts
 */
public record AlertFilter(String minLevel, String ruleId) {
    public static final AlertFilter ALL = new AlertFilter(null, null);

    public AlertFilter {
        if (minLevel != null) {
            AlertLevel.rank(minLevel);
        }
    }
}
