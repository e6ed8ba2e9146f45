package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;

/** Who presented a valid API token: its tenant, its role and the token's public id (for audit logs). */
public record Principal(TenantId tenant, Role role, String tokenId) {
    public Principal {
        requireNonNull(tenant, "tenant");
        requireNonNull(role, "role");
        requireNonNull(tokenId, "tokenId");
    }

    /** An ADMIN token of the built-in {@code system} tenant: may create tenants and act within any tenant. */
    public boolean isGlobalAdmin() {
        return role == Role.ADMIN && tenant.equals(MetadataStore.SYSTEM_TENANT);
    }

    /** Whether this principal may do what {@code needed} requires within {@code target}'s data. */
    public boolean may(Role needed, TenantId target) {
        requireNonNull(needed, "needed");
        requireNonNull(target, "target");
        return isGlobalAdmin() || (tenant.equals(target) && role.allows(needed));
    }
}
