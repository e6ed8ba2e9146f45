package dev.vigil.wal;

import static java.util.Objects.requireNonNull;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link WalReader} over the engine's segment files. It keeps its own file handle on the segment it is in, so a
 * segment deleted by truncation stays readable until the reader moves on, and reads through a window buffer so that
 * small records cost no system call each. Bytes below the file length a read returned are final (the log only
 * appends), so a window never holds half-written data of a record the reader is allowed to see.
 */
final class LogReader implements WalReader {
    private final LogEngine engine;
    private long nextSequence;
    private Segment segment;
    private RandomAccessFile file;
    /** Offset in {@link #file} of the record {@link #nextSequence}. */
    private long position;

    private byte[] window = new byte[64 * 1024];
    private long windowStart;
    private int windowLength;
    private boolean closed;

    LogReader(LogEngine engine, long fromSequence) {
        this.engine = requireNonNull(engine, "engine");
        this.nextSequence = fromSequence;
    }

    @Override
    public long nextSequence() {
        return nextSequence;
    }

    @Override
    public List<WalRecord> poll(int maxRecords, Duration timeout) throws IOException, InterruptedException {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be at least 1, got " + maxRecords);
        }
        requireNonNull(timeout, "timeout");
        ensureOpen();
        long visible = engine.awaitVisible(nextSequence, timeout.isNegative() ? 0 : timeout.toNanos());
        ensureOpen();
        if (visible < nextSequence) {
            return List.of();
        }
        long last = Math.min(visible, nextSequence + maxRecords - 1);
        List<WalRecord> records = new ArrayList<>((int) Math.min(last - nextSequence + 1, 1024));
        while (nextSequence <= last) {
            try {
                records.add(readNext());
            } catch (IOException | RuntimeException e) {
                if (records.isEmpty()) {
                    throw e;
                }
                break; // hand over the good records first; the next poll meets the problem again and reports it
            }
        }
        return records;
    }

    private WalRecord readNext() throws IOException {
        positionAt(nextSequence);
        long offset = position;
        int headerAt = ensureWindow(offset, RecordFormat.RECORD_HEADER_BYTES);
        int length = RecordFormat.payloadLength(window, headerAt);
        if (length < 0 || length > RecordFormat.MAX_PAYLOAD_BYTES) {
            throw new WalCorruptionException(segment.path, offset, nextSequence, "impossible record length " + length);
        }
        int at = ensureWindow(offset, RecordFormat.RECORD_HEADER_BYTES + length);
        String problem = RecordFormat.checkRecord(window, at, nextSequence);
        if (problem != null) {
            throw new WalCorruptionException(segment.path, offset, nextSequence, problem);
        }
        byte[] payload = new byte[length];
        System.arraycopy(window, at + RecordFormat.RECORD_HEADER_BYTES, payload, 0, length);
        position = offset + RecordFormat.RECORD_HEADER_BYTES + length;
        return new WalRecord(nextSequence++, payload);
    }

    /** Makes {@link #segment}, {@link #file} and {@link #position} point at the record {@code sequence}. */
    private void positionAt(long sequence) throws IOException {
        if (segment != null && segment.holds(sequence)) {
            return; // also when truncation deleted it meanwhile: the open file still reads
        }
        Segment holder = engine.segmentFor(sequence);
        if (holder == null || !holder.holds(sequence)) {
            throw truncated(sequence);
        }
        closeFile();
        try {
            file = new RandomAccessFile(holder.path.toFile(), "r");
        } catch (FileNotFoundException e) {
            throw truncated(sequence);
        }
        segment = holder;
        windowLength = 0;
        position = RecordFormat.SEGMENT_HEADER_BYTES;
        // Skip to the wanted record by its length fields (once per reader and segment).
        for (long s = holder.firstSequence; s < sequence; s++) {
            int headerAt = ensureWindow(position, RecordFormat.RECORD_HEADER_BYTES);
            int length = RecordFormat.payloadLength(window, headerAt);
            if (length < 0 || length > RecordFormat.MAX_PAYLOAD_BYTES) {
                throw new WalCorruptionException(holder.path, position, s, "impossible record length " + length);
            }
            position += RecordFormat.RECORD_HEADER_BYTES + length;
        }
    }

    private IllegalStateException truncated(long sequence) {
        return new IllegalStateException("sequence " + sequence + " is no longer in the write-ahead log "
                + "(truncated; the log now starts at " + engine.firstSequence() + ")");
    }

    /** Ensures bytes {@code [offset, offset + length)} are in the window; returns their index in it. */
    private int ensureWindow(long offset, int length) throws IOException {
        if (offset >= windowStart && offset + length <= windowStart + windowLength) {
            return (int) (offset - windowStart);
        }
        if (window.length < length) {
            window = new byte[Math.max(length, window.length * 2)];
        }
        file.seek(offset);
        int filled = 0;
        while (filled < length) {
            int n = file.read(window, filled, window.length - filled);
            if (n < 0) {
                throw new WalCorruptionException(
                        segment.path, offset, nextSequence, "segment ends inside a record the log reported durable");
            }
            filled += n;
        }
        windowStart = offset;
        windowLength = filled;
        return 0;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this write-ahead log reader is closed");
        }
        engine.ensureOpen();
    }

    private void closeFile() throws IOException {
        RandomAccessFile f = file;
        file = null;
        segment = null;
        if (f != null) {
            f.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            closeFile();
        } catch (IOException e) {
            // A read-only handle: nothing was pending, so a failed close loses nothing.
        }
    }
}
