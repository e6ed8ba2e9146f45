package dev.vigil.incidents;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One change to a case: who, when, which field, from what to what ({@code ""} for none).
 *
 * @param field {@code status}, {@code assignee}, {@code tag}, {@code comment} or {@code severity}
 */
public record CaseAuditEntry(String actor, Instant at, String field, String oldValue, String newValue) {
    public CaseAuditEntry {
        requireNonNull(actor, "actor");
        requireNonNull(at, "at");
        requireNonNull(field, "field");
        requireNonNull(oldValue, "oldValue");
        requireNonNull(newValue, "newValue");
    }
}
