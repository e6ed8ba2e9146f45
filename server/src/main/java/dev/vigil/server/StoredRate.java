package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.console.PipelineStats;
import java.time.Clock;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The console's pipeline figures: events stored per second over the last completed minute (or since start, in the
 * first minute), and the queue depth. The rate comes from the stored-events counter sampled when asked, so nothing
 * runs in the background.
 */
final class StoredRate implements PipelineStats {
    private static final long WINDOW_MILLIS = 60_000;
    private final DoubleSupplier storedTotal;
    private final LongSupplier pending;
    private final Clock clock;
    private long windowStart;
    private double countAtStart;
    private double lastRate;

    StoredRate(DoubleSupplier storedTotal, LongSupplier pending, Clock clock) {
        this.storedTotal = requireNonNull(storedTotal, "storedTotal");
        this.pending = requireNonNull(pending, "pending");
        this.clock = requireNonNull(clock, "clock");
        this.windowStart = clock.millis();
        this.countAtStart = storedTotal.getAsDouble();
    }

    @Override
    public synchronized double eventsPerSecond() {
        long now = clock.millis();
        double total = storedTotal.getAsDouble();
        long elapsed = now - windowStart;
        if (elapsed >= WINDOW_MILLIS) {
            lastRate = (total - countAtStart) * 1000.0 / elapsed;
            windowStart = now;
            countAtStart = total;
            return lastRate;
        }
        return lastRate > 0 || elapsed == 0 ? lastRate : (total - countAtStart) * 1000.0 / elapsed;
    }

    @Override
    public long queueDepth() {
        return pending.getAsLong();
    }
}
