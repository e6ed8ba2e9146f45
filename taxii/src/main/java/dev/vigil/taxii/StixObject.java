package dev.vigil.taxii;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One STIX object of a TAXII collection as the server stores it.
 *
 * @param id the STIX id, e.g. {@code indicator--…}
 * @param type the STIX type, e.g. {@code indicator}
 * @param version the object's version: its {@code modified} timestamp (or {@code created} when it has none), as written
 *     in the object
 * @param dateAdded when the object was added to the collection (TAXII's {@code date_added})
 * @param json the object itself, one JSON object as text; the server sends it as is
 */
public record StixObject(String id, String type, String version, Instant dateAdded, String json) {
    public StixObject {
        requireNonNull(id, "id");
        requireNonNull(type, "type");
        requireNonNull(version, "version");
        requireNonNull(dateAdded, "dateAdded");
        requireNonNull(json, "json");
    }
}
