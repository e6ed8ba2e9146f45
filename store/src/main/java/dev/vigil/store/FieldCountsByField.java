package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What {@link EventStore#countByEach} answers: how many events match, and the top values of each field asked for, in
 * the order asked.
 */
public record FieldCountsByField(long total, Map<String, FieldCounts> byField) {
    public FieldCountsByField {
        byField = java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(requireNonNull(byField, "byField")));
    }

    /** The counts of {@code field}, which must have been asked for. */
    public FieldCounts of(String field) {
        FieldCounts counts = byField.get(field);
        if (counts == null) {
            throw new IllegalArgumentException("no counts for " + field + "; asked for " + byField.keySet());
        }
        return counts;
    }
}
