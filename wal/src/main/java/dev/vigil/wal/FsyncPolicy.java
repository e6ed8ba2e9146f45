package dev.vigil.wal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Objects;

/**
 * When an append counts as durable, and so when {@link WriteAheadLog#append} returns and readers may see the record.
 *
 * <ul>
 *   <li>{@link #always()}: every append waits for an fsync that covers it. Concurrent appenders share one fsync (group
 *       commit): while one fsync runs, the records written meanwhile wait for the next one, so many appenders cost
 *       little more than one. Survives a process crash and a power loss.
 *   <li>{@link #interval(Duration)}: a flusher thread fsyncs every interval; an append waits for the fsync that covers
 *       it, so an acknowledged record is as durable as under {@code always()}, at the price of up to one interval of
 *       latency and with fewer fsyncs.
 *   <li>{@link #never()}: no fsync; an append returns once the record is in the operating system's page cache. That
 *       survives a crash of the process but not a power loss or kernel crash, which can lose the last acknowledged
 *       records (the file system writes them back on its own schedule, typically within 30 s).
 * </ul>
 */
public final class FsyncPolicy {
    enum Kind {
        ALWAYS,
        INTERVAL,
        NEVER
    }

    private static final FsyncPolicy ALWAYS = new FsyncPolicy(Kind.ALWAYS, Duration.ZERO);
    private static final FsyncPolicy NEVER = new FsyncPolicy(Kind.NEVER, Duration.ZERO);

    private final Kind kind;
    private final Duration interval;

    private FsyncPolicy(Kind kind, Duration interval) {
        this.kind = requireNonNull(kind, "kind");
        this.interval = requireNonNull(interval, "interval");
    }

    /** An fsync before each append returns, shared by concurrent appenders (group commit). */
    public static FsyncPolicy always() {
        return ALWAYS;
    }

    /**
     * An fsync every {@code interval} by a flusher thread; appends wait for the fsync that covers them.
     *
     * @throws IllegalArgumentException when the interval is not positive
     */
    public static FsyncPolicy interval(Duration interval) {
        requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("fsync interval must be positive, got " + interval);
        }
        return new FsyncPolicy(Kind.INTERVAL, interval);
    }

    /** No fsync: durable against a process crash only (page cache), not against a power loss. */
    public static FsyncPolicy never() {
        return NEVER;
    }

    Kind kind() {
        return kind;
    }

    /** The flusher's period for {@link #interval(Duration)}, {@link Duration#ZERO} for the other policies. */
    public Duration interval() {
        return interval;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FsyncPolicy other && kind == other.kind && interval.equals(other.interval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, interval);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ALWAYS -> "always";
            case NEVER -> "never";
            case INTERVAL -> "interval(" + interval.toMillis() + " ms)";
        };
    }
}
