package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import dev.vigil.sigma.Detection;
import dev.vigil.store.EventStore;
import dev.vigil.store.StoreBatch;
import dev.vigil.store.StoredAlert;
import dev.vigil.store.StoredEvent;
import dev.vigil.wal.WalReader;
import dev.vigil.wal.WalRecord;
import dev.vigil.wal.WriteAheadLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that turns acknowledged events into stored events and alerts.
 *
 * <p>Inputs append to the write-ahead log and acknowledge; this thread reads the log in order, detects, and writes
 * each batch of events together with its alerts and the highest log sequence applied in one store transaction. That
 * single number is what makes a crash harmless: on start the pipeline reads the log again from its oldest retained
 * record, so that correlation windows are rebuilt from the recent past, but it stores only events above the applied
 * sequence, and alerts only for events above it (an alert fired by an event at or below it was committed with that
 * event). Every acknowledged event is therefore stored exactly once and no alert is written twice; alert ids are
 * also deterministic ({@link AlertIds}), so the store would ignore a duplicate anyway.
 *
 * <p>The log is truncated behind the pipeline, but a window of recent records (by age and by count) is kept for that
 * warm-up of correlation state.
 */
final class Pipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final WriteAheadLog wal;
    private final EventStore store;
    private final TenantDetection detection;
    private final ServerMetrics metrics;
    private final int batchSize;
    private final Duration replayWindow;
    private final long replayMaxRecords;
    private final List<Consumer<List<StoredAlert>>> alertListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ArrayDeque<long[]> batchMarks = new ArrayDeque<>(); // {last sequence, epoch millis}
    private final Object appliedMonitor = new Object();
    private volatile long applied;
    private volatile boolean running;
    private volatile Throwable failure;
    private Thread thread;
    private long lastSettingsCheck = System.nanoTime();
    private static final long SETTINGS_CHECK_NANOS = 1_000_000_000L;

    Pipeline(
            WriteAheadLog wal,
            EventStore store,
            TenantDetection detection,
            ServerMetrics metrics,
            int batchSize,
            Duration replayWindow,
            long replayMaxRecords) {
        this.wal = requireNonNull(wal, "wal");
        this.store = requireNonNull(store, "store");
        this.detection = requireNonNull(detection, "detection");
        this.metrics = requireNonNull(metrics, "metrics");
        this.batchSize = batchSize;
        this.replayWindow = requireNonNull(replayWindow, "replayWindow");
        this.replayMaxRecords = replayMaxRecords;
        this.applied = store.appliedSequence();
    }

    /** Called with the alerts of each committed batch (notifications, live views). */
    void onAlerts(Consumer<List<StoredAlert>> listener) {
        alertListeners.add(listener);
    }

    /** The highest log sequence whose event is stored. */
    long appliedSequence() {
        return applied;
    }

    /** Acknowledged events not yet stored. */
    long pending() {
        return Math.max(0, wal.lastSequence() - applied);
    }

    void start() {
        running = true;
        thread = Thread.ofPlatform().name("vigil-pipeline").start(this::run);
    }

    /** Waits until every event up to {@code sequence} is stored; false on timeout. */
    boolean awaitApplied(long sequence, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (appliedMonitor) {
            while (applied < sequence) {
                if (failure != null) {
                    throw new IllegalStateException("the pipeline stopped", failure);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                appliedMonitor.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    private void run() {
        long committedBefore = applied;
        long from = Math.max(1, wal.firstSequence());
        if (from <= committedBefore) {
            LOG.info("replaying log records {}..{} to rebuild correlation state", from, committedBefore);
        }
        try (WalReader reader = wal.reader(from)) {
            while (running) {
                List<WalRecord> records = reader.poll(batchSize, Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                processBatch(records, committedBefore);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.io.IOException | RuntimeException | Error e) {
            failure = e;
            LOG.error("the pipeline stopped; acknowledged events stay in the write-ahead log for the next start", e);
            synchronized (appliedMonitor) {
                appliedMonitor.notifyAll();
            }
        }
    }

    private void processBatch(List<WalRecord> records, long committedBefore) {
        long started = System.nanoTime();
        if (started - lastSettingsCheck > SETTINGS_CHECK_NANOS) {
            detection.refreshSettings();
            lastSettingsCheck = started;
        }
        List<StoredEvent> events = new ArrayList<>(records.size());
        List<StoredAlert> alerts = new ArrayList<>();
        long detectNanos = 0;
        long oldestReceived = Long.MAX_VALUE;
        for (WalRecord record : records) {
            long seq = record.sequence();
            WalPayload.Decoded decoded;
            try {
                decoded = WalPayload.decode(record.payload());
            } catch (RuntimeException e) {
                metrics.corruptRecord();
                LOG.error("log record {} cannot be decoded and is skipped: {}", seq, e.getMessage());
                continue;
            }
            Event event = decoded.event();
            SourceRef src = event.source();
            event = event.withSource(new SourceRef(src == null ? "ingest" : src.source(), seq));
            long t0 = System.nanoTime();
            List<Detection> found = detection.detect(event);
            detectNanos += System.nanoTime() - t0;
            if (seq <= committedBefore) {
                continue; // replayed for correlation state only: stored, with its alerts, before the restart
            }
            events.add(new StoredEvent(seq, decoded.received(), event));
            oldestReceived = Math.min(oldestReceived, decoded.received().toEpochMilli());
            for (Detection d : found) {
                alerts.add(toAlert(event.tenant(), d, seq, decoded.received()));
            }
        }
        long last = records.get(records.size() - 1).sequence();
        if (last > applied) {
            store.write(new StoreBatch(events, alerts, last));
            metrics.stored(events.size(), alerts.size(), detectNanos, System.nanoTime() - started);
            if (oldestReceived != Long.MAX_VALUE) {
                metrics.ackToStored(System.currentTimeMillis() - oldestReceived);
            }
            synchronized (appliedMonitor) {
                applied = last;
                appliedMonitor.notifyAll();
            }
            if (!alerts.isEmpty()) {
                for (Consumer<List<StoredAlert>> l : alertListeners) {
                    try {
                        l.accept(alerts);
                    } catch (RuntimeException e) {
                        LOG.warn("an alert listener failed", e);
                    }
                }
            }
            truncate(last);
        }
    }

    private void truncate(long last) {
        long now = System.currentTimeMillis();
        batchMarks.addLast(new long[] {last, now});
        long keepAfterMillis = now - replayWindow.toMillis();
        long keepAfterSeq = last - replayMaxRecords;
        long truncateBefore = 0;
        while (!batchMarks.isEmpty()) {
            long[] oldest = batchMarks.peekFirst();
            if (oldest[1] < keepAfterMillis || oldest[0] < keepAfterSeq) {
                truncateBefore = oldest[0] + 1;
                batchMarks.removeFirst();
            } else {
                break;
            }
        }
        if (truncateBefore > 0) {
            try {
                wal.truncateBefore(Math.min(truncateBefore, applied + 1));
            } catch (java.io.IOException e) {
                LOG.warn("cannot truncate the write-ahead log; it will grow until the next try", e);
            }
        }
    }

    static StoredAlert toAlert(TenantId tenant, Detection d, long triggeringSeq, Instant received) {
        List<Long> evidence = new ArrayList<>();
        for (SourceRef s : d.sources()) {
            evidence.add(s.record());
        }
        if (evidence.isEmpty()) {
            evidence.add(triggeringSeq);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        if (d.correlation()) {
            details.put("correlation", true);
            details.put("group_by", d.groupBy());
        }
        details.put("logsource", d.event().logSource().toString());
        Instant time = d.timestamp() != null ? d.timestamp() : received;
        return new StoredAlert(
                AlertIds.of(tenant, d.rule().id(), d.rule().title(), triggeringSeq),
                tenant,
                time,
                d.rule().id(),
                d.rule().title(),
                d.rule().level(),
                d.rule().tags(),
                evidence,
                details);
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(30_000);
        }
    }
}
