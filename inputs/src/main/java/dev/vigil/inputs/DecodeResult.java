package dev.vigil.inputs;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import java.util.List;

/**
 * What a decoder made of one request body: the events it accepted, in body order, and what it rejected.
 *
 * @param events the decoded events (immutable copy)
 * @param rejected the lines or items that produced no event (immutable copy)
 */
public record DecodeResult(List<Event> events, List<Rejection> rejected) {
    public DecodeResult {
        events = List.copyOf(requireNonNull(events, "events"));
        rejected = List.copyOf(requireNonNull(rejected, "rejected"));
    }

    /** A body that was unusable as a whole (not valid protobuf, for example). */
    public static DecodeResult failed(String reason) {
        return new DecodeResult(List.of(), List.of(new Rejection(0, reason)));
    }
}
