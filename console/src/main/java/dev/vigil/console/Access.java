package dev.vigil.console;

import dev.vigil.meta.ConsoleRole;

/** What a route requires of the signed-in user's role (tenant scope is checked separately, for every tenant route). */
public enum Access {
    /** Any signed-in user. */
    VIEW,
    /** Analysts and above: triage. */
    TRIAGE,
    /** Tenant and platform administrators: rule settings, tokens, the tenant's audit log. */
    TENANT_ADMIN,
    /** Platform administrators only: users, the whole audit log. */
    PLATFORM_ADMIN;

    public boolean allows(ConsoleRole role) {
        return switch (this) {
            case VIEW -> true;
            case TRIAGE -> role.mayTriage();
            case TENANT_ADMIN -> role.mayAdministerTenant();
            case PLATFORM_ADMIN -> role == ConsoleRole.PLATFORM_ADMIN;
        };
    }
}
