package dev.vigil.wal;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link WriteAheadLog#open} found on disk.
 *
 * @param segments the segment files kept
 * @param recordsRecovered the intact records kept (those before the first damage)
 * @param firstSequence the first kept record's sequence, or {@code lastSequence + 1} when none is kept
 * @param lastSequence the last kept record's sequence, 0 for an empty log
 * @param tornBytesCut bytes cut from the end of the log: partial writes of a crash and everything after a damaged
 *     record
 * @param corruptRecords damaged records (checksum, sequence or length wrong) and damaged segment headers, each with
 *     its segment file and offset; the log ends before the first of them
 * @param quarantinedFiles files moved aside (renamed, never deleted) because they lay beyond a damaged record: later
 *     segments, and the cut-off tail of a damaged segment
 */
public record RecoveryReport(
        int segments,
        long recordsRecovered,
        long firstSequence,
        long lastSequence,
        long tornBytesCut,
        List<CorruptRecord> corruptRecords,
        List<Path> quarantinedFiles) {
    public RecoveryReport {
        corruptRecords = List.copyOf(requireNonNull(corruptRecords, "corruptRecords"));
        quarantinedFiles = List.copyOf(requireNonNull(quarantinedFiles, "quarantinedFiles"));
    }

    /** True when nothing was cut, damaged or moved aside. */
    public boolean clean() {
        return tornBytesCut == 0 && corruptRecords.isEmpty() && quarantinedFiles.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder()
                .append("recovered ")
                .append(recordsRecovered)
                .append(" records (sequences ")
                .append(firstSequence)
                .append("..")
                .append(lastSequence)
                .append(") in ")
                .append(segments)
                .append(" segments");
        if (tornBytesCut > 0) {
            s.append("; cut ").append(tornBytesCut).append(" torn bytes");
        }
        for (CorruptRecord c : corruptRecords) {
            s.append("; corrupt: ").append(c);
        }
        for (Path q : quarantinedFiles) {
            s.append("; quarantined ").append(q);
        }
        return s.toString();
    }
}
