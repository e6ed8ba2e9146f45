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
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Where every input hands its events: appended to the write-ahead log, durable per the fsync policy, before the
 * sender is told they were received.
 *
 * <p>Backpressure is decided here. When more acknowledged events wait for the pipeline than it may fall behind by, a
 * submit waits (up to what the input allows: long for a TCP stream, which then stops reading so the sender's window
 * fills; not at all for UDP) and is then refused, and the refusal is counted per input. Nothing is dropped
 * silently: a refused HTTP request is answered 429 with Retry-After, a refused datagram is counted.
 *
 * <p>How far behind is two bounds: at most {@code maxPending} events (memory and disk), and at most what the pipeline
 * stores in {@code maxLag} at the rate it currently drains (latency). The second keeps an overloaded server's alerts
 * within about {@code maxLag} of their events: a queue bounded by count alone waits {@code maxPending / rate}, minutes
 * at the default when the store is the bottleneck. The allowance never drops below one pipeline batch, so a slow
 * pipeline still gets full batches to work on, and is one batch until the pipeline has stored one and its rate is
 * known.
 */
final class DurableIngest {
    private final WriteAheadLog wal;
    private final LongSupplier pending;
    private final long maxPending;
    private final DoubleSupplier drainRate;
    private final Duration maxLag;
    private final long minAllowance;
    private final ServerMetrics metrics;
    private final Clock clock;
    private final EventHandoff handoff;

    /**
     * @param pending acknowledged events the pipeline has not stored yet
     * @param drainRate events per second the pipeline stores while busy (0: not known yet)
     * @param maxLag how long the waiting events may take to drain at that rate; zero for no such bound
     * @param minAllowance events always allowed to wait, and all that may wait before the drain rate is known
     * @param handoff where the logged events wait for the pipeline, so it need not decode their records
     */
    DurableIngest(
            WriteAheadLog wal,
            LongSupplier pending,
            long maxPending,
            DoubleSupplier drainRate,
            Duration maxLag,
            long minAllowance,
            ServerMetrics metrics,
            Clock clock,
            EventHandoff handoff) {
        this.wal = requireNonNull(wal, "wal");
        this.pending = requireNonNull(pending, "pending");
        this.maxPending = maxPending;
        this.drainRate = requireNonNull(drainRate, "drainRate");
        this.maxLag = requireNonNull(maxLag, "maxLag");
        this.minAllowance = minAllowance;
        this.metrics = requireNonNull(metrics, "metrics");
        this.clock = requireNonNull(clock, "clock");
        this.handoff = requireNonNull(handoff, "handoff");
    }

    /** How many acknowledged events may wait for the pipeline now. */
    long allowedPending() {
        if (maxLag.isZero()) {
            return maxPending;
        }
        double rate = drainRate.getAsDouble();
        if (rate <= 0) {
            // Until the pipeline has stored a batch its rate is unknown: the floor, not a queue of maxPending that
            // would hold the first alerts back for as long as it takes to drain.
            return Math.min(maxPending, minAllowance);
        }
        long byLag = (long) (rate * maxLag.toNanos() / 1e9);
        return Math.min(maxPending, Math.max(minAllowance, byLag));
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
        int n = events.size();
        List<byte[]> records = new ArrayList<>(n);
        WalPayload.Decoded[] live = new WalPayload.Decoded[n];
        for (int i = 0; i < n; i++) {
            WalPayload.Logged logged = WalPayload.encode(received, events.get(i));
            records.add(logged.record());
            live[i] = logged.decoded();
        }
        long last;
        long[] told = {-1};
        try {
            // Held before the pipeline can read the records, so it finds them (see EventHandoff).
            last = wal.appendAll(records, first -> {
                        told[0] = first;
                        for (int i = 0; i < n; i++) {
                            if (live[i] != null) {
                                handoff.put(first + i, live[i], records.get(i));
                            }
                        }
                    })
                    .last();
        } catch (java.io.IOException e) {
            forgetTold(told[0], n);
            throw new java.io.UncheckedIOException("the write-ahead log failed; nothing was acknowledged", e);
        } catch (RuntimeException | Error e) {
            forgetTold(told[0], n);
            throw e;
        }
        metrics.received(input, events.size());
        return last;
    }

    /** After a failed append: its sequences may be given to other records, so nothing is held for them. */
    private void forgetTold(long first, int count) {
        if (first >= 0) {
            handoff.forget(first, count);
        }
    }

    private boolean submit(String input, List<Event> events, Duration maxWait) throws InterruptedException {
        return append(input, events, maxWait) >= 0;
    }

    private boolean awaitRoom(Duration maxWait) throws InterruptedException {
        if (pending.getAsLong() < allowedPending()) {
            return true;
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(5);
            if (pending.getAsLong() < allowedPending()) {
                return true;
            }
        }
        return false;
    }
}
