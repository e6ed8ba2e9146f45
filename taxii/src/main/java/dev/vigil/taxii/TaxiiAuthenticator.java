package dev.vigil.taxii;

import java.util.Optional;

/**
 * Checks the credentials of a TAXII request; the server implements it with Vigil's API tokens ({@code Authorization:
 * Bearer vgl_…}).
 */
@FunctionalInterface
public interface TaxiiAuthenticator {
    /**
     * The principal that the {@code Authorization} header proves, or empty when it proves none (missing, malformed,
     * unknown or revoked credentials: the client gets 401).
     *
     * @param authorization the header's value, or null when the request has none
     */
    Optional<TaxiiPrincipal> authenticate(String authorization);
}
