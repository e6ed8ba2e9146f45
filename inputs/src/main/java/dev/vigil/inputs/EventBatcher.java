package dev.vigil.inputs;

import dev.vigil.core.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Gathers the events of one reader (a connection, a UDP socket, a file) into batches for {@link IngestSink#submit},
 * which makes each batch durable at a cost per call. A batch is due when it is full or its oldest event has waited
 * {@code maxDelay}. Not thread-safe: one per reading thread.
 */
final class EventBatcher {
    private final IngestSink sink;
    private final int maxEvents;
    private final long maxDelayNanos;
    private final Duration submitWait;
    private final InputCounters counters;
    private List<Event> batch;
    private long oldestAt;

    EventBatcher(IngestSink sink, int maxEvents, Duration maxDelay, Duration submitWait, InputCounters counters) {
        this.sink = sink;
        this.maxEvents = maxEvents;
        this.maxDelayNanos = maxDelay.toNanos();
        this.submitWait = submitWait;
        this.counters = counters;
        this.batch = new ArrayList<>(maxEvents);
    }

    void add(Event event) {
        if (batch.isEmpty()) {
            oldestAt = System.nanoTime();
        }
        batch.add(event);
    }

    int size() {
        return batch.size();
    }

    boolean due() {
        return batch.size() >= maxEvents || (!batch.isEmpty() && System.nanoTime() - oldestAt >= maxDelayNanos);
    }

    /**
     * Submits the batch, retrying while the sink refuses and {@code keepTrying} holds, so the caller stops reading and
     * its sender is slowed. Once {@code keepTrying} turns false, one more refusal drops the batch (counted).
     */
    void submitRetrying(BooleanSupplier keepTrying) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        while (!sink.submit(batch, submitWait)) {
            counters.addRefused();
            if (!keepTrying.getAsBoolean()) {
                counters.addDropped(batch.size());
                reset();
                return;
            }
        }
        counters.addEvents(batch.size());
        reset();
    }

    /** Submits the batch once; a refused batch is dropped and counted (UDP cannot slow its senders). */
    void submitOrDrop() throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        if (sink.submit(batch, submitWait)) {
            counters.addEvents(batch.size());
        } else {
            counters.addDropped(batch.size());
        }
        reset();
    }

    private void reset() {
        // The sink may keep the submitted list (it is handed over, not copied): start a new one.
        batch = new ArrayList<>(maxEvents);
    }
}
