package dev.vigil.core;

import static java.util.Objects.requireNonNull;

/**
 * Where an event came from: a file (or input name) and its record number there. For Windows events the record is the
 * EventRecordID; for other inputs it is the 1-based position of the event in its source (the line for JSON lines).
 */
public record SourceRef(String source, long record) {
    public SourceRef {
        requireNonNull(source, "source");
    }

    @Override
    public String toString() {
        return source + "#" + record;
    }
}
