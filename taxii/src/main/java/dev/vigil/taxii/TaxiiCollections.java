package dev.vigil.taxii;

import dev.vigil.core.TenantId;
import java.util.List;
import java.util.Optional;

/**
 * Where {@link TaxiiServer} finds the collections and objects it shares; the server implements it over its indicator
 * store. Every call names the tenant of the authenticated principal, and an implementation must answer only with that
 * tenant's collections (and the global ones it chooses to share with every tenant): the TAXII layer never sees another
 * tenant's data.
 */
public interface TaxiiCollections {
    /** The collections visible to a tenant. */
    List<TaxiiCollection> collections(TenantId tenant);

    /** One collection visible to a tenant, or empty when it does not exist for that tenant. */
    default Optional<TaxiiCollection> collection(TenantId tenant, String collectionId) {
        return collections(tenant).stream()
                .filter(c -> c.id().equals(collectionId))
                .findFirst();
    }

    /**
     * A page of the objects of a collection that match the query, in ascending order of {@code date_added} (ties in a
     * stable order), at most {@code query.limit()} of them. The token in {@link ObjectPage#next()} is opaque to the
     * client and comes back in {@link ObjectQuery#next()}; an unknown or expired token should throw {@link
     * IllegalArgumentException} (the client gets 400).
     */
    ObjectPage objects(TenantId tenant, String collectionId, ObjectQuery query);

    /** The versions of one object of a collection (oldest first), empty when it has none. */
    List<StixObject> object(TenantId tenant, String collectionId, String objectId);
}
