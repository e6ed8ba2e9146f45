package dev.vigil.store;

import java.util.List;

/**
 * One page of a search.
 *
 * @param total how many events match in all, not only on this page
 * @param events the page, newest first
 */
public record SearchResult(long total, List<StoredEvent> events) {
    public SearchResult {
        events = List.copyOf(events);
    }
}
