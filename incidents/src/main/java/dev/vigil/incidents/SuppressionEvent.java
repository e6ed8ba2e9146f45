package dev.vigil.incidents;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An audit record of a suppression's life: created, expired or deleted, by whom and when.
 *
 * @param actor who did it; {@code system} for expiry
 */
public record SuppressionEvent(Kind kind, Suppression suppression, String actor, Instant at) {
    public static final String SYSTEM = "system";

    public SuppressionEvent {
        requireNonNull(kind, "kind");
        requireNonNull(suppression, "suppression");
        requireNonNull(actor, "actor");
        requireNonNull(at, "at");
    }

    public enum Kind {
        CREATED,
        EXPIRED,
        DELETED
    }
}
