package dev.vigil.taxii;

import java.util.List;

/**
 * One page of objects, oldest {@code date_added} first.
 *
 * @param objects the objects of the page
 * @param next the token for the following page, or null when this is the last page
 */
public record ObjectPage(List<StixObject> objects, String next) {
    public ObjectPage {
        objects = List.copyOf(objects);
    }

    public boolean more() {
        return next != null;
    }
}
