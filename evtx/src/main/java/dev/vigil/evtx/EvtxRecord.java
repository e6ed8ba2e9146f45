package dev.vigil.evtx;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * One event record of an EVTX file.
 *
 * @param recordId the event record identifier from the record header
 * @param written when the record was written (the record header's FILETIME, 100 ns precision)
 * @param event the record rendered in the shape of {@code evtx_dump}'s JSON output: a map with the single key {@code
 *     Event}; see {@link EvtxReader} for the rules. The map and its nested maps and lists are owned by the caller.
 */
public record EvtxRecord(long recordId, Instant written, Map<String, Object> event) {
    public EvtxRecord {
        requireNonNull(written, "written");
        requireNonNull(event, "event");
    }
}
