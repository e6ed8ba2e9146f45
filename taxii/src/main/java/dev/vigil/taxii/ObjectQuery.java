package dev.vigil.taxii;

import java.time.Instant;
import java.util.Set;

/**
 * What a client asked the objects or manifest endpoint for.
 *
 * @param addedAfter only objects added strictly after this instant, or null for all
 * @param ids only these STIX ids ({@code match[id]}), or empty for all
 * @param types only these STIX types ({@code match[type]}), or empty for all
 * @param limit at most this many objects in the page (already capped by the server)
 * @param next the paging token from the previous page ({@link ObjectPage#next()}), or null for the first page
 */
public record ObjectQuery(Instant addedAfter, Set<String> ids, Set<String> types, int limit, String next) {
    public ObjectQuery {
        ids = Set.copyOf(ids);
        types = Set.copyOf(types);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }

    /** Whether an object passes the id, type and added-after filters (paging aside). */
    public boolean matches(StixObject o) {
        return (addedAfter == null || o.dateAdded().isAfter(addedAfter))
                && (ids.isEmpty() || ids.contains(o.id()))
                && (types.isEmpty() || types.contains(o.type()));
    }
}
