package dev.vigil.incidents;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;

/** An evidence event with its sequence number in the event store, as the caller loaded it for a graph. */
public record EvidenceEvent(long sequence, Event event) {
    public EvidenceEvent {
        requireNonNull(event, "event");
    }
}
