package dev.vigil.wal;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A record that recovery found damaged: where it is and why it was rejected.
 *
 * @param segment the segment file
 * @param offset the byte offset of the record's header in that file (0 for a damaged segment header)
 * @param expectedSequence the sequence the record should have had
 * @param reason what was wrong, e.g. a checksum mismatch
 */
public record CorruptRecord(Path segment, long offset, long expectedSequence, String reason) {
    public CorruptRecord {
        requireNonNull(segment, "segment");
        requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return segment + " at offset " + offset + " (sequence " + expectedSequence + "): " + reason;
    }
}
