package dev.vigil.server;

import dev.vigil.core.Event;
import dev.vigil.core.SourceRef;
import dev.vigil.sigma.SigmaDetector;
import dev.vigil.sigma.SigmaRuleSet;
import dev.vigil.wal.WalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decodes log records and matches their events against the rules on several threads. A record whose event an input
 * left in the {@link EventHandoff} is not decoded: that event is what decoding would give.
 *
 * <p>Matching a Sigma rule is stateless, so it parallelises; correlation windows are not, so the pipeline thread
 * emits detections afterwards in log order ({@link SigmaDetector#emit}). A batch is cut into as many contiguous
 * slices as there are workers, and slice {@code i} always runs with detector {@code i}, so no detector is ever used
 * by two threads at once.
 */
final class ParallelMatcher implements AutoCloseable {
    private final SigmaDetector[] detectors;
    private final ExecutorService pool;
    private final EventHandoff handoff;

    /** One decoded record: its event (null when it could not be decoded) and what matched. */
    record Matched(
            long sequence, WalPayload.Decoded decoded, Event event, SigmaDetector.Matches matches, String error) {}

    /** @param handoff where the inputs left the events of the records, when they could (else records are decoded) */
    ParallelMatcher(SigmaRuleSet rules, int threads, EventHandoff handoff) {
        this.handoff = java.util.Objects.requireNonNull(handoff, "handoff");
        detectors = new SigmaDetector[Math.max(1, threads)];
        for (int i = 0; i < detectors.length; i++) {
            detectors[i] = new SigmaDetector(rules);
        }
        pool = detectors.length == 1
                ? null
                : Executors.newFixedThreadPool(
                        detectors.length,
                        r -> Thread.ofPlatform()
                                .name("vigil-match")
                                .daemon(true)
                                .unstarted(r));
    }

    List<Matched> match(List<WalRecord> records) throws InterruptedException {
        int n = records.size();
        if (pool == null || n < 64) {
            return slice(records, 0, n, detectors[0]);
        }
        int slices = detectors.length;
        List<Future<List<Matched>>> futures = new ArrayList<>(slices);
        for (int s = 0; s < slices; s++) {
            int from = (int) ((long) n * s / slices);
            int to = (int) ((long) n * (s + 1) / slices);
            SigmaDetector d = detectors[s];
            futures.add(pool.submit(() -> slice(records, from, to, d)));
        }
        List<Matched> out = new ArrayList<>(n);
        try {
            for (Future<List<Matched>> f : futures) {
                out.addAll(f.get());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("matching failed", e.getCause());
        }
        return out;
    }

    private List<Matched> slice(List<WalRecord> records, int from, int to, SigmaDetector detector) {
        List<Matched> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            WalRecord record = records.get(i);
            long seq = record.sequence();
            WalPayload.Decoded decoded = handoff.take(seq, record.payload());
            if (decoded == null) {
                try {
                    decoded = WalPayload.decode(record.payload());
                } catch (RuntimeException e) {
                    out.add(new Matched(seq, null, null, null, String.valueOf(e.getMessage())));
                    continue;
                }
            }
            Event event = decoded.event();
            SourceRef src = event.source();
            // Stored events and alert evidence are numbered by their log sequence.
            event = event.withSource(new SourceRef(src == null ? "ingest" : src.source(), seq));
            out.add(new Matched(seq, decoded, event, detector.match(event), null));
        }
        return out;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
