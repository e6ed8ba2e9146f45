package dev.vigil.wal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A durable, ordered log of opaque records, for the server's ingestion path: inputs {@link #append} what they receive
 * and acknowledge to the sender only when the call returns (the record is then durable per the {@link FsyncPolicy});
 * the pipeline reads records in order through a {@link WalReader}, commits them to the store together with the
 * highest sequence applied, and calls {@link #truncateBefore} with it; after a crash the server reopens the log and
 * replays from the store's sequence plus one.
 *
 * <p>Records get sequences 1, 2, 3 … without gaps. They are stored in segment files named after their first sequence
 * (see {@link WalConfig} for the sizes), each record with its length, a CRC32C and its sequence, and checked again when
 * {@link #open} recovers the directory ({@link #recovery()} says what it found and cut) and whenever they are read.
 *
 * <p>Readers see only durable records, so the store never holds a record a crash can take out of the log. Under
 * {@link FsyncPolicy#never()} that holds for process crashes only: after a power loss the log can end before the
 * store's sequence, and {@link #reader} then refuses to start beyond the log's end, which the server must treat as
 * data loss rather than reuse those sequences.
 *
 * <p>Thread-safe: any number of threads may append, read (one {@link WalReader} per thread) and truncate at once. One
 * directory is held by one open log at a time ({@code wal.lock}).
 */
public final class WriteAheadLog implements AutoCloseable {
    private final LogEngine engine;

    private WriteAheadLog(LogEngine engine) {
        this.engine = requireNonNull(engine, "engine");
    }

    /**
     * Opens (creating if needed) the log in {@code dir}, recovering it from a crash: a torn write at the end is cut,
     * and the log ends before a damaged record (see {@link RecoveryReport}).
     *
     * @throws IOException when the directory cannot be read or written, or another log holds it
     */
    public static WriteAheadLog open(Path dir, WalConfig config) throws IOException {
        return new WriteAheadLog(new LogEngine(dir, config));
    }

    /** What opening found and repaired. */
    public RecoveryReport recovery() {
        return engine.recovery();
    }

    /**
     * Appends one record and returns its sequence once it is durable per the fsync policy.
     *
     * @throws RecordTooLargeException when the record is larger than {@link WalConfig#maxRecordBytes()}
     * @throws java.io.InterruptedIOException when interrupted while waiting for the fsync; the record may survive, but
     *     is not acknowledged
     * @throws IOException when the write or fsync failed; the log then refuses further appends until reopened
     * @throws IllegalStateException when the log is closed
     */
    public long append(byte[] record) throws IOException {
        return engine.append(List.of(requireNonNull(record, "record"))).first();
    }

    /**
     * Appends records with contiguous sequences, in list order, and returns them once all are durable; one write and
     * (under {@code always()}) one fsync for the batch. An empty list appends nothing and returns an empty range. No
     * record is written when one is too large.
     *
     * @throws RecordTooLargeException when a record is larger than {@link WalConfig#maxRecordBytes()}
     * @throws IOException see {@link #append}
     */
    public SequenceRange appendAll(List<byte[]> records) throws IOException {
        return engine.append(List.copyOf(requireNonNull(records, "records")));
    }

    /**
     * As {@link #appendAll(List)}, first telling {@code assigned} the sequence the first record gets, before the
     * records are written and so before any reader can see them: a caller that keeps something by sequence (the
     * server keeps the events it just encoded, for its pipeline) has it in place when a reader meets the record. It
     * is called under the log's write lock, so it must be quick and must not use the log; when it throws, nothing is
     * written. A failed write after it leaves the sequences it was told unused or holding these records.
     *
     * @throws RecordTooLargeException see {@link #appendAll(List)}; {@code assigned} is not called then
     * @throws IOException see {@link #append}
     */
    public SequenceRange appendAll(List<byte[]> records, java.util.function.LongConsumer assigned) throws IOException {
        return engine.append(List.copyOf(requireNonNull(records, "records")), requireNonNull(assigned, "assigned"));
    }

    /**
     * A reader starting at {@code fromSequence}, which must be between {@link #firstSequence()} and {@link
     * #lastSequence()}{@code + 1}.
     *
     * @throws IllegalArgumentException when the sequence was truncated away or lies beyond the log's end (after a
     *     power loss under {@code never()}: records the store may hold are gone from the log)
     */
    public WalReader reader(long fromSequence) {
        engine.ensureOpen();
        long first = engine.firstSequence();
        long last = engine.lastSequence();
        if (fromSequence < first) {
            throw new IllegalArgumentException(
                    "cannot read from sequence " + fromSequence + ": the log was truncated and starts at " + first);
        }
        if (fromSequence > last + 1) {
            throw new IllegalArgumentException("cannot read from sequence " + fromSequence + ": the log ends at " + last
                    + ", so records up to " + (fromSequence - 1) + " are not in it");
        }
        return new LogReader(engine, fromSequence);
    }

    /**
     * Deletes the segment files whose records all lie below {@code sequence} (call it with the store's committed
     * sequence plus one). Whole segments only, never the one being appended to, and never records not yet durable.
     * Readers that are inside a deleted segment finish it; a reader that still needs one fails clearly.
     *
     * @return the number of segment files deleted
     */
    public int truncateBefore(long sequence) throws IOException {
        return engine.truncateBefore(sequence);
    }

    /** fsyncs what was written so far, whatever the policy (for instance before a planned shutdown under never()). */
    public void sync() throws IOException {
        engine.sync();
    }

    /** The oldest record still held, or {@link #lastSequence()}{@code + 1} when the log holds none. */
    public long firstSequence() {
        return engine.firstSequence();
    }

    /** The last sequence appended (written, possibly not yet durable); 0 for an empty log. */
    public long lastSequence() {
        return engine.lastSequence();
    }

    /** The last sequence durable per the fsync policy: what readers may see and appenders have been told. */
    public long durableSequence() {
        return engine.durableSequence();
    }

    public WalMetrics metrics() {
        return engine.metrics();
    }

    public Path directory() {
        return engine.directory();
    }

    public WalConfig config() {
        return engine.config();
    }

    /**
     * Syncs what was written (except under {@code never()}), closes the files and releases the directory. Readers and
     * appenders fail with {@link IllegalStateException} afterwards. Idempotent.
     */
    @Override
    public void close() throws IOException {
        engine.close();
    }
}
