package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import java.time.Instant;

/**
 * An organisation served by this Vigil. Its name is its {@link TenantId} (names are immutable), so the two are the same
 * string; {@link #name()} is there for display.
 */
public record Tenant(TenantId id, String name, Instant created, int retentionDays) {
    public Tenant {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(created, "created");
    }

    /** Whether this is the built-in {@code system} tenant, whose ADMIN tokens administer the whole server. */
    public boolean isSystem() {
        return id.equals(MetadataStore.SYSTEM_TENANT);
    }
}
