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
 * @param encoded the JSON the event was decoded from (a log record), which the store copies instead of encoding the
 *     event's fields and original again; null when there is none
 */
public record StoredEvent(long seq, Instant received, Event event, EncodedEvent encoded) {
    public StoredEvent {
        requireNonNull(received, "received");
        requireNonNull(event, "event");
    }

    /** An event without the JSON it was read from: the store encodes it. */
    public StoredEvent(long seq, Instant received, Event event) {
        this(seq, received, event, null);
    }
}
