package dev.vigil.wal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * One segment file. The log writes through a {@link RandomAccessFile} rather than a {@code FileChannel} because a
 * {@code FileChannel} is closed for good when a thread doing I/O on it is interrupted, and appending threads belong to
 * callers that may interrupt them; {@code RandomAccessFile} I/O is not interruptible.
 */
final class Segment {
    final Path path;
    final long firstSequence;
    /** Bytes in the file; written under the log's write lock, read by metrics. */
    private volatile long size;

    private volatile RandomAccessFile writer;
    /** One past the last sequence once the segment is sealed (rolled), {@link Long#MAX_VALUE} while it is active. */
    private volatile long endSequence = Long.MAX_VALUE;

    private Segment(Path path, long firstSequence, long size, RandomAccessFile writer) {
        this.path = requireNonNull(path, "path");
        this.firstSequence = firstSequence;
        this.size = size;
        this.writer = writer;
    }

    /** A sealed segment found by recovery: read-only. */
    static Segment existing(Path path, long firstSequence, long size) {
        return new Segment(path, firstSequence, size, null);
    }

    /** Opens a recovered tail segment for appending at its end. */
    static Segment openForAppend(Path path, long firstSequence) throws IOException {
        RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
        try {
            long size = file.length();
            file.seek(size);
            return new Segment(path, firstSequence, size, file);
        } catch (IOException e) {
            file.close();
            throw e;
        }
    }

    /** Creates a new segment file with its header; the caller syncs the directory. */
    static Segment create(Path dir, long firstSequence) throws IOException {
        Path path = dir.resolve(RecordFormat.segmentFileName(firstSequence));
        RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
        try {
            if (file.length() != 0) {
                throw new IOException("segment " + path + " already exists");
            }
            file.write(RecordFormat.segmentHeader(firstSequence));
            return new Segment(path, firstSequence, RecordFormat.SEGMENT_HEADER_BYTES, file);
        } catch (IOException e) {
            file.close();
            throw e;
        }
    }

    void seal(long endSequence) {
        this.endSequence = endSequence;
    }

    /** Whether the segment holds {@code sequence}, given that the sequence is not before its first. */
    boolean holds(long sequence) {
        return sequence >= firstSequence && sequence < endSequence;
    }

    long size() {
        return size;
    }

    /** Appends bytes; called under the log's write lock only, so the read-modify-write of {@code size} is safe. */
    @SuppressWarnings("NonAtomicVolatileUpdate")
    void write(byte[] buffer, int length) throws IOException {
        writer.write(buffer, 0, length);
        size += length;
    }

    /** fsync; a no-op once the writer is closed (a closed segment was synced before it was closed, or never used). */
    void sync() throws IOException {
        RandomAccessFile w = writer;
        if (w != null) {
            w.getFD().sync();
        }
    }

    void closeWriter() throws IOException {
        RandomAccessFile w = writer;
        writer = null;
        if (w != null) {
            w.close();
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
