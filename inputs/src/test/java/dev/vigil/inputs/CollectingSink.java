package dev.vigil.inputs;

import dev.vigil.core.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real {@link IngestSink} for tests: keeps what it accepts in memory, and refuses (after waiting {@code maxWait}, as
 * the server's sink does when its pipeline is full) while told to.
 */
final class CollectingSink implements IngestSink {
    /** A safety net so a broken input fails its test instead of hanging the build; never a speed requirement. */
    static final long GIVE_UP_MILLIS = TimeUnit.SECONDS.toMillis(60);

    private final List<Event> accepted = new ArrayList<>();
    private boolean refusing;
    private long refusals;
    private long submits;

    @Override
    public synchronized boolean submit(List<Event> events, Duration maxWait) throws InterruptedException {
        submits++;
        if (refusing) {
            refusals++;
            notifyAll();
            long waitMillis = Math.max(1, maxWait.toMillis());
            wait(waitMillis);
            if (refusing) {
                return false;
            }
        }
        accepted.addAll(events);
        notifyAll();
        return true;
    }

    synchronized void refuse(boolean refuse) {
        refusing = refuse;
        notifyAll();
    }

    synchronized long refusals() {
        return refusals;
    }

    synchronized long submits() {
        return submits;
    }

    synchronized List<Event> events() {
        return List.copyOf(accepted);
    }

    synchronized List<Object> messages() {
        List<Object> out = new ArrayList<>();
        accepted.forEach(e -> out.add(e.field("message")));
        return out;
    }

    /** Waits until {@code condition} holds; fails after {@link #GIVE_UP_MILLIS}. */
    synchronized void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + GIVE_UP_MILLIS;
        while (!condition.getAsBoolean()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("gave up waiting for " + what + "; accepted " + accepted.size());
            }
            // Counters change outside this monitor: poll them too.
            wait(Math.min(left, 10));
        }
    }

    void awaitEvents(int n) throws InterruptedException {
        await(() -> accepted.size() >= n, n + " events");
    }
}
