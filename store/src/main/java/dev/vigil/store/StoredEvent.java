package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import java.time.Instant;

/**
 * An event as the store keeps it.
 *
 * @param seq the event's write-ahead-log sequence number, unique in the store
 * @param received when the server received it (kept to the microsecond)
 * @param event the event; its tenant is the tenant the store files it under
 */
public record StoredEvent(long seq, Instant received, Event event) {
    public StoredEvent {
        requireNonNull(received, "received");
        requireNonNull(event, "event");
    }
}
