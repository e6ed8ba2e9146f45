package dev.vigil.wal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write-ahead log's engine, behind {@link WriteAheadLog}.
 *
 * <p><b>Writing.</b> Appenders take the write lock, number their records, encode them into one buffer and hand it to
 * the operating system in one write; the lock is then released and the appender waits, without it, until its last
 * sequence is durable. Numbering and writing under one lock makes the file order the sequence order, so "durable up
 * to N" is one number ({@code durableSequence}) and a crash can only lose a suffix of the log.
 *
 * <p><b>Group commit.</b> Under {@link FsyncPolicy#always()} the first waiting appender to find no fsync running
 * becomes the leader: it notes the highest written sequence, fsyncs, publishes that sequence as durable and wakes the
 * others. Appenders that wrote while it was syncing wait for the next round, which one of them leads, so with many
 * appenders each fsync covers many records. Under {@link FsyncPolicy#interval} a flusher thread runs the same round
 * every interval and appenders only wait. A round also syncs and closes segments that were rolled since the previous
 * round, so the durable sequence never runs ahead of an older, unsynced file. Under {@link FsyncPolicy#never()} there
 * are no rounds: a record is "durable" once written, and rolled segments are closed at once.
 *
 * <p><b>Readers</b> never read past {@code durableSequence}, so the pipeline cannot store an event a crash could still
 * take out of the log (under {@code never()}: a process crash; a power loss can, as documented there). Readers block
 * on the same condition the rounds signal; under {@code never()} the writer signals only when a reader waits.
 *
 * <p><b>Failure.</b> After a failed write or fsync the log refuses further appends: after a failed fsync the kernel may
 * have dropped the dirty pages, so retrying could report as durable what is not. Reopening recovers from the files.
 */
final class LogEngine implements AutoCloseable {
    private final Path dir;
    private final WalConfig config;
    private final FsyncPolicy.Kind policy;
    private final FileChannel lockChannel;
    private final FileLock dirLock;
    private final RecoveryReport recovery;
    /** Segments by first sequence; the last one is the active segment. */
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();

    private final ReentrantLock writeLock = new ReentrantLock();
    // Guarded by writeLock:
    private Segment active;
    private long nextSequence;
    private byte[] encodeBuffer = new byte[64 * 1024];
    private final List<Segment> rolledUnsynced = new ArrayList<>();

    private volatile long writtenSequence;
    private volatile long durableSequence;
    private volatile IOException failure;
    private volatile boolean closed;

    private final ReentrantLock syncLock = new ReentrantLock();
    private final Condition durableAdvanced = syncLock.newCondition();
    // Guarded by syncLock:
    private boolean syncInProgress;
    /**
     * Whether {@link #close} has finished its last sync, after which nothing more becomes durable. Appenders waiting
     * for durability give up only then: {@code closed} alone is set before that sync, and an appender that woke in
     * between used to fail an append the sync was about to acknowledge.
     */
    private boolean closeSynced;
    /** Readers waiting under never(), so that the writer signals only when someone listens. */
    private final AtomicInteger waitingReaders = new AtomicInteger();

    private final Thread flusher;

    private final LongAdder appends = new LongAdder();
    private final LongAdder appendedBytes = new LongAdder();
    private final AtomicLong fsyncs = new AtomicLong();
    private final AtomicLong fsyncNanosTotal = new AtomicLong();
    private final LongAccumulator fsyncNanosMax = new LongAccumulator(Math::max, 0);
    private final AtomicLong diskBytes = new AtomicLong();

    LogEngine(Path dir, WalConfig config) throws IOException {
        this.dir = requireNonNull(dir, "dir");
        this.config = requireNonNull(config, "config");
        this.policy = config.fsyncPolicy().kind();
        Files.createDirectories(dir);
        this.lockChannel =
                FileChannel.open(dir.resolve("wal.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IOException("the write-ahead log in " + dir + " is already open (wal.lock is held)");
            }
            this.dirLock = lock;
            Recovery.Result recovered = Recovery.recover(dir);
            Segment previous = null;
            for (Segment s : recovered.sealed()) {
                if (previous != null) {
                    previous.seal(s.firstSequence);
                }
                segments.put(s.firstSequence, s);
                diskBytes.addAndGet(s.size());
                previous = s;
            }
            this.active = recovered.tail();
            if (previous != null) {
                previous.seal(active.firstSequence);
            }
            segments.put(active.firstSequence, active);
            diskBytes.addAndGet(active.size());
            this.recovery = recovered.report();
            this.nextSequence = recovered.lastSequence() + 1;
            this.writtenSequence = recovered.lastSequence();
            this.durableSequence = recovered.lastSequence();
        } catch (IOException | RuntimeException e) {
            for (Segment s : segments.values()) {
                s.closeWriter();
            }
            lockChannel.close();
            throw e;
        }
        if (policy == FsyncPolicy.Kind.INTERVAL) {
            flusher = Thread.ofPlatform()
                    .daemon()
                    .name("vigil-wal-flusher " + dir)
                    .unstarted(this::flushPeriodically);
            flusher.start();
        } else {
            flusher = null;
        }
    }

    RecoveryReport recovery() {
        return recovery;
    }

    Path directory() {
        return dir;
    }

    WalConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- appending

    SequenceRange append(List<byte[]> records) throws IOException {
        return append(records, null);
    }

    /** As {@link #append(List)}, telling {@code assigned} the first sequence before any reader can see the records. */
    SequenceRange append(List<byte[]> records, java.util.function.LongConsumer assigned) throws IOException {
        int limit = config.maxRecordBytes();
        for (int i = 0; i < records.size(); i++) {
            byte[] r = requireNonNull(records.get(i), "record " + i);
            if (r.length > limit) {
                throw new RecordTooLargeException(i, r.length, limit);
            }
        }
        long first;
        long last;
        writeLock.lock();
        try {
            ensureWritable();
            first = nextSequence;
            if (records.isEmpty()) {
                return new SequenceRange(first, first - 1);
            }
            if (assigned != null) {
                assigned.accept(first);
            }
            writeRecords(records);
            last = nextSequence - 1;
        } finally {
            writeLock.unlock();
        }
        awaitDurable(last);
        return new SequenceRange(first, last);
    }

    /** Encodes and writes the records, rolling segments as they fill. Holds the write lock. */
    private void writeRecords(List<byte[]> records) throws IOException {
        int buffered = 0;
        long bytes = 0;
        try {
            for (byte[] payload : records) {
                int recordBytes = RecordFormat.RECORD_HEADER_BYTES + payload.length;
                long segmentEnd = active.size() + buffered;
                if (segmentEnd + recordBytes > config.segmentBytes()
                        && segmentEnd > RecordFormat.SEGMENT_HEADER_BYTES) {
                    flush(buffered);
                    buffered = 0;
                    roll();
                }
                if (buffered + recordBytes > encodeBuffer.length) {
                    flush(buffered);
                    buffered = 0;
                    if (recordBytes > encodeBuffer.length) {
                        encodeBuffer = new byte[recordBytes];
                    }
                }
                buffered = RecordFormat.encode(encodeBuffer, buffered, nextSequence, payload);
                nextSequence++;
                bytes += payload.length;
            }
            flush(buffered);
        } catch (IOException | RuntimeException e) {
            fail(e instanceof IOException io ? io : new IOException(e));
            throw e;
        }
        if (encodeBuffer.length > (4 << 20)) {
            encodeBuffer = new byte[64 * 1024]; // do not keep a huge buffer after one huge record
        }
        appends.add(records.size());
        appendedBytes.add(bytes);
        if (policy == FsyncPolicy.Kind.NEVER) {
            durableSequence = writtenSequence;
        }
    }

    /** Writes the encoded records; on success they are in the page cache and {@code writtenSequence} covers them. */
    private void flush(int length) throws IOException {
        if (length > 0) {
            active.write(encodeBuffer, length);
            diskBytes.addAndGet(length);
        }
        writtenSequence = nextSequence - 1;
    }

    private void roll() throws IOException {
        Segment old = active;
        Segment next = Segment.create(dir, nextSequence);
        syncDirectory(dir);
        old.seal(nextSequence);
        if (policy == FsyncPolicy.Kind.NEVER) {
            old.closeWriter();
        } else {
            rolledUnsynced.add(old);
        }
        active = next;
        segments.put(next.firstSequence, next);
        diskBytes.addAndGet(next.size());
    }

    private void awaitDurable(long sequence) throws IOException {
        if (durableSequence >= sequence) {
            if (policy == FsyncPolicy.Kind.NEVER) {
                signalReaders();
            }
            return;
        }
        boolean lead = policy == FsyncPolicy.Kind.ALWAYS;
        syncLock.lock();
        try {
            while (durableSequence < sequence) {
                IOException failed = failure;
                if (failed != null) {
                    throw new IOException(
                            "sequence " + sequence + " is not durable: the write-ahead log failed: " + failed, failed);
                }
                if (lead && !syncInProgress) {
                    syncInProgress = true;
                    syncLock.unlock();
                    try {
                        syncRound();
                    } finally {
                        syncLock.lock();
                        syncInProgress = false;
                        durableAdvanced.signalAll();
                    }
                } else if (closeSynced && !syncInProgress) {
                    throw new IOException(
                            "the write-ahead log was closed before sequence " + sequence + " was durable");
                } else {
                    try {
                        durableAdvanced.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException(
                                "interrupted while waiting for sequence " + sequence
                                        + " to become durable; it was written and may survive a crash, but is not acknowledged");
                    }
                }
            }
        } finally {
            syncLock.unlock();
        }
    }

    private void signalReaders() {
        if (waitingReaders.get() > 0) {
            syncLock.lock();
            try {
                durableAdvanced.signalAll();
            } finally {
                syncLock.unlock();
            }
        }
    }

    /**
     * One fsync round: syncs (and closes) rolled segments, then the active one, and publishes the sequence written
     * before it started as durable. Only one round runs at a time ({@code syncInProgress}).
     */
    private void syncRound() throws IOException {
        long target;
        List<Segment> rolled;
        Segment current;
        writeLock.lock();
        try {
            target = writtenSequence;
            rolled = List.copyOf(rolledUnsynced);
            rolledUnsynced.clear();
            current = active;
        } finally {
            writeLock.unlock();
        }
        if (target <= durableSequence && rolled.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        try {
            for (Segment s : rolled) {
                s.sync();
                s.closeWriter();
                fsyncs.incrementAndGet();
            }
            current.sync();
            fsyncs.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            fail(e instanceof IOException io ? io : new IOException(e));
            throw e;
        }
        long nanos = System.nanoTime() - start;
        fsyncNanosTotal.addAndGet(nanos);
        fsyncNanosMax.accumulate(nanos);
        syncLock.lock();
        try {
            if (target > durableSequence) {
                durableSequence = target;
            }
            durableAdvanced.signalAll();
        } finally {
            syncLock.unlock();
        }
    }

    /** Runs one round now, waiting for a running one first; returns once everything written before is durable. */
    void sync() throws IOException {
        ensureOpen();
        syncExclusively();
    }

    private void syncExclusively() throws IOException {
        syncLock.lock();
        try {
            while (syncInProgress) {
                durableAdvanced.awaitUninterruptibly();
            }
            syncInProgress = true;
        } finally {
            syncLock.unlock();
        }
        try {
            syncRound();
        } finally {
            syncLock.lock();
            try {
                syncInProgress = false;
                durableAdvanced.signalAll();
            } finally {
                syncLock.unlock();
            }
        }
    }

    private void flushPeriodically() {
        long intervalNanos = config.fsyncPolicy().interval().toNanos();
        long nextRound = System.nanoTime() + intervalNanos;
        while (!closed) {
            LockSupport.parkNanos(nextRound - System.nanoTime());
            if (closed || failure != null) {
                return;
            }
            if (System.nanoTime() - nextRound < 0) {
                continue; // spurious wake-up
            }
            nextRound += intervalNanos;
            if (writtenSequence > durableSequence) {
                try {
                    syncExclusively();
                } catch (IOException e) {
                    return; // recorded in failure; waiting appenders are told
                }
            }
        }
    }

    private void fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
    }

    private void ensureWritable() throws IOException {
        ensureOpen();
        IOException failed = failure;
        if (failed != null) {
            throw new IOException(
                    "the write-ahead log in " + dir + " failed and accepts no appends: " + failed, failed);
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the write-ahead log in " + dir + " is closed");
        }
    }

    // ---------------------------------------------------------------- reading

    /** The highest sequence readers may see: durable per the policy. */
    long visibleSequence() {
        return durableSequence;
    }

    /** Waits until {@code sequence} is visible, the timeout passes or the log closes; returns the visible sequence. */
    long awaitVisible(long sequence, long timeoutNanos) throws InterruptedException {
        long visible = durableSequence;
        if (visible >= sequence || timeoutNanos <= 0) {
            return visible;
        }
        waitingReaders.incrementAndGet();
        syncLock.lock();
        try {
            long remaining = timeoutNanos;
            while ((visible = durableSequence) < sequence && !closed && remaining > 0) {
                remaining = durableAdvanced.awaitNanos(remaining);
            }
            return visible;
        } finally {
            syncLock.unlock();
            waitingReaders.decrementAndGet();
        }
    }

    /** The segment that holds {@code sequence}, or null when it was truncated away. */
    Segment segmentFor(long sequence) {
        Map.Entry<Long, Segment> e = segments.floorEntry(sequence);
        return e == null ? null : e.getValue();
    }

    boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- truncation and state

    /**
     * Deletes the segments all of whose records are below {@code sequence} and already visible to readers; never the
     * active segment. A lost deletion (crash before the directory is written back) only brings old records back, which
     * replay from the store's sequence skips, so the directory is not synced.
     */
    int truncateBefore(long sequence) throws IOException {
        int deleted = 0;
        writeLock.lock();
        try {
            ensureOpen();
            long bound = Math.min(sequence, durableSequence + 1);
            for (Map.Entry<Long, Segment> e : segments.entrySet()) {
                Segment s = e.getValue();
                Map.Entry<Long, Segment> next = segments.higherEntry(e.getKey());
                if (s == active || next == null || next.getKey() > bound) {
                    break;
                }
                segments.remove(e.getKey());
                Files.deleteIfExists(s.path);
                diskBytes.addAndGet(-s.size());
                deleted++;
            }
        } finally {
            writeLock.unlock();
        }
        return deleted;
    }

    long firstSequence() {
        return segments.firstKey() <= writtenSequence ? segments.firstKey() : writtenSequence + 1;
    }

    long lastSequence() {
        return writtenSequence;
    }

    long durableSequence() {
        return durableSequence;
    }

    WalMetrics metrics() {
        return new WalMetrics(
                appends.sum(),
                appendedBytes.sum(),
                fsyncs.get(),
                fsyncNanosTotal.get(),
                fsyncNanosMax.get(),
                segments.size(),
                diskBytes.get(),
                writtenSequence,
                durableSequence);
    }

    @Override
    public void close() throws IOException {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            writeLock.unlock();
        }
        IOException error = null;
        if (flusher != null) {
            LockSupport.unpark(flusher);
            try {
                flusher.join(TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure == null && policy != FsyncPolicy.Kind.NEVER) {
            try {
                syncExclusively(); // what was written is acknowledged to its waiting appenders
            } catch (IOException e) {
                error = e;
            } catch (RuntimeException e) {
                error = new IOException("the last sync before closing failed", e); // the segments still get closed
            }
        }
        writeLock.lock();
        try {
            for (Segment s : rolledUnsynced) {
                error = closeQuietly(s, error);
            }
            rolledUnsynced.clear();
            error = closeQuietly(active, error);
        } finally {
            writeLock.unlock();
        }
        syncLock.lock();
        try {
            closeSynced = true;
            durableAdvanced.signalAll();
        } finally {
            syncLock.unlock();
        }
        try {
            dirLock.release();
            lockChannel.close();
        } catch (IOException e) {
            error = error == null ? e : error;
        }
        if (error != null) {
            throw error;
        }
    }

    private static IOException closeQuietly(Segment s, IOException error) {
        try {
            s.closeWriter();
            return error;
        } catch (IOException e) {
            if (error != null) {
                error.addSuppressed(e);
                return error;
            }
            return e;
        }
    }

    /** fsyncs a directory, so that files created or renamed in it survive a power loss. */
    static void syncDirectory(Path dir) throws IOException {
        // Only a FileChannel can fsync a directory, and an interrupt closes it mid-call; the appender that rolls may be
        // interrupted by its owner, so hold the interrupt back and retry (fsync is idempotent), then restore it.
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                    channel.force(true);
                    return;
                } catch (ClosedByInterruptException e) {
                    interrupted |= Thread.interrupted();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
