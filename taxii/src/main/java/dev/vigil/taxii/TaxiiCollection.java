package dev.vigil.taxii;

import static java.util.Objects.requireNonNull;

/**
 * A TAXII collection as listed to a client.
 *
 * @param id the collection id (TAXII wants a UUID)
 * @param title the human-readable title
 * @param description a description, or an empty string
 * @param canRead whether the principal may read its objects
 * @param canWrite whether the principal may add objects (Vigil's server offers none: it is read-only)
 */
public record TaxiiCollection(String id, String title, String description, boolean canRead, boolean canWrite) {
    public TaxiiCollection {
        requireNonNull(id, "id");
        requireNonNull(title, "title");
        requireNonNull(description, "description");
    }
}
