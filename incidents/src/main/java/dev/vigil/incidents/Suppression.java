package dev.vigil.incidents;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.EntityRef;
import java.time.Instant;
import java.util.Optional;

/**
 * An analyst's decision to keep some alerts out of incidents: by rule, by entity, or by both together, until it expires
 * or is deleted. Suppressed alerts are still stored as alerts; they only stay out of grouping, and are counted.
 *
 * @param ruleId the detector/rule id to match, or empty for any rule
 * @param entity the entity that must be among the alert's, or empty for any
 * @param expiresAt when it stops applying; empty for never
 */
public record Suppression(
        String id,
        TenantId tenant,
        Optional<String> ruleId,
        Optional<EntityRef> entity,
        String reason,
        String author,
        Instant createdAt,
        Optional<Instant> expiresAt) {
    public static final int MAX_REASON_CHARS = 1000;

    public Suppression {
        requireNonNull(id, "id");
        requireNonNull(tenant, "tenant");
        requireNonNull(ruleId, "ruleId");
        requireNonNull(entity, "entity");
        requireNonNull(reason, "reason");
        requireNonNull(author, "author");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(expiresAt, "expiresAt");
        if (ruleId.isEmpty() && entity.isEmpty()) {
            throw new IllegalArgumentException("suppression " + id + " names neither a rule nor an entity");
        }
        if (reason.length() > MAX_REASON_CHARS) {
            throw new IllegalArgumentException("suppression " + id + ": the reason is " + reason.length()
                    + " characters; the limit is " + MAX_REASON_CHARS);
        }
        if (expiresAt.isPresent() && !expiresAt.get().isAfter(createdAt)) {
            throw new IllegalArgumentException("suppression " + id + " expires before it is created");
        }
    }

    public boolean matches(Alert alert) {
        return ruleId.map(r -> r.equals(alert.detectorId())).orElse(true)
                && entity.map(e -> alert.entities().contains(e)).orElse(true);
    }

    public boolean expiredAt(Instant now) {
        return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
    }
}
