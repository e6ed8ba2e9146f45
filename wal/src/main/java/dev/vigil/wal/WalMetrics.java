package dev.vigil.wal;

import java.time.Duration;

/**
 * A snapshot of a log's counters since it was opened (segments and disk bytes: current values).
 *
 * @param appends records appended
 * @param appendedBytes payload bytes appended
 * @param fsyncs fsync calls (one per segment file synced)
 * @param fsyncNanosTotal time spent in fsync rounds
 * @param fsyncNanosMax the longest fsync round
 * @param segments segment files on disk
 * @param diskBytes bytes of the segment files
 * @param lastSequence the last appended sequence
 * @param durableSequence the last sequence durable per the fsync policy (readers see up to here)
 */
public record WalMetrics(
        long appends,
        long appendedBytes,
        long fsyncs,
        long fsyncNanosTotal,
        long fsyncNanosMax,
        int segments,
        long diskBytes,
        long lastSequence,
        long durableSequence) {
    public Duration fsyncTotal() {
        return Duration.ofNanos(fsyncNanosTotal);
    }

    public Duration fsyncMax() {
        return Duration.ofNanos(fsyncNanosMax);
    }
}
