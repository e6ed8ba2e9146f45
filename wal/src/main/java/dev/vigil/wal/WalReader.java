package dev.vigil.wal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Reads the log in sequence order from a starting sequence and follows its tail. A reader only ever returns records
 * that are durable under the log's {@link FsyncPolicy}, so nothing downstream (the store) can hold a record that a
 * crash could still take out of the log. One reader is for one thread; open as many readers as needed.
 */
public interface WalReader extends AutoCloseable {
    /**
     * The next records, at most {@code maxRecords}, as soon as at least one is durable; waits up to {@code timeout}
     * when none is, then returns an empty list. When a problem stops the reading after some records, those are
     * returned and the next call reports the problem.
     *
     * @throws IllegalStateException when the log or this reader is closed, or the next record was truncated away
     * @throws WalCorruptionException when a record fails its checksum
     */
    List<WalRecord> poll(int maxRecords, Duration timeout) throws IOException, InterruptedException;

    /** The sequence the next {@link #poll} starts at. */
    long nextSequence();

    @Override
    void close();
}
