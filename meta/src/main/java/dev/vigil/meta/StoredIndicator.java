package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import java.time.Instant;

/**
 * An indicator as the metadata database keeps it: its identity (scope, type, normalised value), when it stops matching,
 * and the whole indicator as JSON text written and read by the intel module (this module does not interpret it).
 *
 * @param scope the tenant it belongs to, or {@code null} for a global indicator
 * @param validUntil null for no end
 * @param updatedAt when it was last stored (set by the store; {@code null} in what is about to be written)
 */
public record StoredIndicator(
        TenantId scope, String type, String value, Instant validUntil, String body, Instant updatedAt) {
    public static final int MAX_VALUE_CHARS = 4096;

    /** An indicator to write (the store sets the time). */
    public StoredIndicator(TenantId scope, String type, String value, Instant validUntil, String body) {
        this(scope, type, value, validUntil, body, null);
    }

    public StoredIndicator {
        requireNonNull(type, "type");
        requireNonNull(value, "value");
        requireNonNull(body, "body");
        if (value.length() > MAX_VALUE_CHARS) {
            throw new IllegalArgumentException(
                    "indicator value is " + value.length() + " characters, more than " + MAX_VALUE_CHARS);
        }
    }
}
