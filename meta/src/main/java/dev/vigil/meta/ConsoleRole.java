package dev.vigil.meta;

import java.util.Locale;

/**
 * What a web console user may do. Platform administrators see every tenant; everyone else sees the tenants listed for
 * them (a provider operator several, the others usually one).
 */
public enum ConsoleRole {
    /** Everything, in every tenant: users, tenants, settings, triage. */
    PLATFORM_ADMIN,
    /** A managed-security provider's analyst: triage and a roll-up view across the tenants assigned. */
    PROVIDER_OPERATOR,
    /** Everything within the assigned tenants: rule settings, tokens, triage, that tenant's audit log. */
    TENANT_ADMIN,
    /** Triage (acknowledge, mark false positive) and search within the assigned tenants. */
    ANALYST,
    /** Read-only: dashboards, alerts, search, rules. */
    VIEWER;

    /** Whether this role may triage alerts. */
    public boolean mayTriage() {
        return this != VIEWER;
    }

    /** Whether this role may change a tenant's settings (rules, filters, tokens) and read its audit log. */
    public boolean mayAdministerTenant() {
        return this == PLATFORM_ADMIN || this == TENANT_ADMIN;
    }

    /** Whether this role sees every tenant, whatever tenants are listed for the user. */
    public boolean seesAllTenants() {
        return this == PLATFORM_ADMIN;
    }

    /** The lower-case, hyphenated name used in the command line ({@code platform-admin}, {@code analyst} ...). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a {@link #wireName()} or enum name in any case, with a clear message otherwise. */
    public static ConsoleRole parse(String text) {
        String normalised = text.strip().replace('-', '_');
        for (ConsoleRole r : values()) {
            if (r.name().equalsIgnoreCase(normalised)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown console role '" + text
                + "': use platform-admin, provider-operator, tenant-admin, analyst or viewer");
    }
}
