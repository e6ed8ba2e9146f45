package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import dev.vigil.inputs.IngestSink;
import dev.vigil.wal.WriteAheadLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Where every input hands its events: appended to the write-ahead log, durable per the fsync policy, before the
 * sender is told they were received.
 *
 * <p>Backpressure is decided here. When more than {@code maxPending} acknowledged events wait for the pipeline, a
 * submit waits (up to what the input allows: long for a TCP stream, which then stops reading so the sender's window
 * fills; not at all for UDP) and is then refused, and the refusal is counted per input. Nothing is dropped
 * silently: a refused HTTP request is answered 429 with Retry-After, a refused datagram is counted.
 */
final class DurableIngest {
    private final WriteAheadLog wal;
    private final LongSupplier pending;
    private final long maxPending;
    private final ServerMetrics metrics;
    private final Clock clock;

    DurableIngest(WriteAheadLog wal, LongSupplier pending, long maxPending, ServerMetrics metrics, Clock clock) {
        this.wal = requireNonNull(wal, "wal");
        this.pending = requireNonNull(pending, "pending");
        this.maxPending = maxPending;
        this.metrics = requireNonNull(metrics, "metrics");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The sink of one named input (the name labels its metrics). */
    IngestSink forInput(String input) {
        return (events, maxWait) -> submit(input, events, maxWait);
    }

    /** Appends durably and returns the last sequence, or -1 when refused. */
    long append(String input, List<Event> events, Duration maxWait) throws InterruptedException {
        if (events.isEmpty()) {
            return wal.lastSequence();
        }
        if (!awaitRoom(maxWait)) {
            metrics.refused(input, events.size());
            return -1;
        }
        Instant received = clock.instant();
        List<byte[]> records = new ArrayList<>(events.size());
        for (Event e : events) {
            records.add(WalPayload.encode(received, e));
        }
        long last;
        try {
            last = wal.appendAll(records).last();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("the write-ahead log failed; nothing was acknowledged", e);
        }
        metrics.received(input, events.size());
        return last;
    }

    private boolean submit(String input, List<Event> events, Duration maxWait) throws InterruptedException {
        return append(input, events, maxWait) >= 0;
    }

    private boolean awaitRoom(Duration maxWait) throws InterruptedException {
        if (pending.getAsLong() < maxPending) {
            return true;
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(5);
            if (pending.getAsLong() < maxPending) {
                return true;
            }
        }
        return false;
    }
}
