package dev.vigil.store;

import dev.vigil.core.alert.Alert;
import java.util.List;

/**
 * What the pipeline commits at once: events, the alerts they raised and the write-ahead-log sequence up to which
 * everything is now stored. The store commits all three in one transaction.
 */
public record StoreBatch(List<StoredEvent> events, List<Alert> alerts, long walSequence) {
    public StoreBatch {
        events = List.copyOf(events);
        alerts = List.copyOf(alerts);
        if (walSequence <= 0) {
            throw new IllegalArgumentException("walSequence must be positive, was " + walSequence);
        }
    }
}
