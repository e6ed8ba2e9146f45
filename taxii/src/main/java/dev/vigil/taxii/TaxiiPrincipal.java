package dev.vigil.taxii;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;

/**
 * Who is calling the TAXII server: a name for logs and the one tenant whose collections it may see.
 *
 * @param name a name for messages and logs (e.g. the token id); never the secret
 * @param tenant the tenant the principal is scoped to
 */
public record TaxiiPrincipal(String name, TenantId tenant) {
    public TaxiiPrincipal {
        requireNonNull(name, "name");
        requireNonNull(tenant, "tenant");
    }
}
