package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.Set;

/**
 * A web console user as shown to administrators: never the password hash.
 *
 * @param tenants the tenants listed for the user; a platform administrator sees every tenant regardless
 * @param locale a BCP 47 language tag ({@code en}, {@code zh-CN})
 */
public record ConsoleUser(
        String name,
        ConsoleRole role,
        Set<TenantId> tenants,
        String locale,
        Instant created,
        Instant passwordChanged,
        boolean disabled) {
    public ConsoleUser {
        requireNonNull(name, "name");
        requireNonNull(role, "role");
        tenants = Set.copyOf(tenants);
        requireNonNull(locale, "locale");
        requireNonNull(created, "created");
        requireNonNull(passwordChanged, "passwordChanged");
    }
}
