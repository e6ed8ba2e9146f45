package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.alert.Alert;
import java.util.List;

/** An alert with the events it names that are still stored (retention may have removed some), oldest first. */
public record AlertEvidence(Alert alert, List<StoredEvent> events) {
    public AlertEvidence {
        requireNonNull(alert, "alert");
        events = List.copyOf(events);
    }
}
