package dev.vigil.cli;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import dev.vigil.sigma.SigmaDetector;
import dev.vigil.sigma.SigmaRuleSet;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Matches a stream of events against a rule set on several threads and hands every event back, with what it
 * matched, in stream order.
 *
 * <p>Matching the rules is most of a hunt's time and is stateless, so it parallelises; reading a file is sequential,
 * and the correlation windows, the output and the summary need the events in input order (the same input must give
 * the same output in the same order, whatever the thread count). So the thread that reads cuts the stream into
 * batches; batch {@code k} is matched on worker {@code k mod N}, which owns a detector of its own (detectors keep
 * scratch state and are not thread-safe); and the reading thread, whenever it has handed over a batch, takes the
 * finished batches from the head of the queue, oldest first, and gives each event with its matches to the sink. At
 * most {@code 2N} batches are in flight, so memory stays bounded and a slow sink slows the reader down.
 *
 * <p>With one thread nothing is handed over: each event is matched and sunk on the calling thread.
 *
 * <p>Not thread-safe: {@link #accept} and {@link #finish} are called by the one reading thread, and the sink runs on
 * it. Public for the benchmarks only; not an API.
 */
public final class OrderedMatcher implements AutoCloseable {
    /** Receives each event with the rules it matched, in stream order, on the reading thread. */
    public interface Sink {
        void accept(Event event, SigmaDetector.Matches matches);
    }

    /** Events per batch handed to a worker: large enough that the hand-over costs little next to the matching. */
    static final int BATCH = 256;

    private final SigmaDetector[] detectors;
    private final ExecutorService[] workers;
    private final Sink sink;
    private final int batchSize;
    private final int maxInFlight;
    private final ArrayDeque<Future<Matched>> inFlight = new ArrayDeque<>();
    private Event[] pending;
    private int pendingCount;
    private long batches;

    private record Matched(Event[] events, SigmaDetector.Matches[] matches) {}

    public OrderedMatcher(SigmaRuleSet rules, int threads, Sink sink) {
        this(rules, threads, BATCH, sink);
    }

    OrderedMatcher(SigmaRuleSet rules, int threads, int batchSize, Sink sink) {
        requireNonNull(rules, "rules");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, not " + batchSize);
        }
        this.sink = requireNonNull(sink, "sink");
        this.batchSize = batchSize;
        this.maxInFlight = 2 * threads;
        detectors = new SigmaDetector[threads];
        for (int i = 0; i < threads; i++) {
            detectors[i] = new SigmaDetector(rules);
        }
        workers = new ExecutorService[threads == 1 ? 0 : threads];
        for (int i = 0; i < workers.length; i++) {
            String name = "vigil-hunt-match-" + i;
            workers[i] = Executors.newSingleThreadExecutor(
                    r -> Thread.ofPlatform().name(name).daemon(true).unstarted(r));
        }
        pending = new Event[batchSize];
    }

    /** Matches {@code event}; it reaches the sink after every event accepted before it. */
    public void accept(Event event) {
        requireNonNull(event, "event");
        if (workers.length == 0) {
            sink.accept(event, detectors[0].match(event));
            return;
        }
        pending[pendingCount++] = event;
        if (pendingCount == batchSize) {
            handOver();
        }
    }

    /** Matches what is still pending and hands every event to the sink; returns once the sink has seen them all. */
    public void finish() {
        if (pendingCount > 0) {
            handOver();
        }
        while (!inFlight.isEmpty()) {
            sinkHead();
        }
    }

    private void handOver() {
        Event[] events = pendingCount == pending.length ? pending : java.util.Arrays.copyOf(pending, pendingCount);
        pending = new Event[batchSize];
        pendingCount = 0;
        int worker = (int) (batches++ % workers.length);
        SigmaDetector detector = detectors[worker];
        inFlight.add(workers[worker].submit(() -> matchAll(detector, events)));
        while (inFlight.size() > maxInFlight
                || (!inFlight.isEmpty() && inFlight.peek().isDone())) {
            sinkHead();
        }
    }

    private static Matched matchAll(SigmaDetector detector, Event[] events) {
        SigmaDetector.Matches[] matches = new SigmaDetector.Matches[events.length];
        for (int i = 0; i < events.length; i++) {
            matches[i] = detector.match(events[i]);
        }
        return new Matched(events, matches);
    }

    private void sinkHead() {
        Matched batch;
        try {
            batch = inFlight.remove().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while matching");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("matching failed", e.getCause());
        }
        for (int i = 0; i < batch.events().length; i++) {
            sink.accept(batch.events()[i], batch.matches()[i]);
        }
    }

    @Override
    public void close() {
        for (ExecutorService w : workers) {
            w.shutdownNow();
        }
    }
}
