package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import java.time.Instant;

/**
 * One line of the audit log: who did what, when, in which tenant (null outside any), to what, from where.
 *
 * @param action a dotted verb such as {@code login.failure}, {@code rule.disable}, {@code alert.triage}
 */
public record AuditEntry(
        Instant at, String user, TenantId tenant, String action, String target, String details, String client) {
    public AuditEntry {
        requireNonNull(at, "at");
        requireNonNull(user, "user");
        requireNonNull(action, "action");
        requireNonNull(target, "target");
        requireNonNull(details, "details");
        requireNonNull(client, "client");
    }
}
