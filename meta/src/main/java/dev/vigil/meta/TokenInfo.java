package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.Optional;

/** What may be shown about an API token: everything except its secret. {@code revoked} is null while it is valid. */
public record TokenInfo(
        String tokenId, TenantId tenant, Role role, String description, Instant created, Instant revoked) {
    public TokenInfo {
        requireNonNull(tokenId, "tokenId");
        requireNonNull(tenant, "tenant");
        requireNonNull(role, "role");
        requireNonNull(description, "description");
        requireNonNull(created, "created");
    }

    public boolean active() {
        return revoked == null;
    }

    public Optional<Instant> revokedAt() {
        return Optional.ofNullable(revoked);
    }
}
