package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertEntities;
import dev.vigil.core.alert.DetectorKind;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.sigma.Detection;
import dev.vigil.store.EventStore;
import dev.vigil.store.StoreBatch;
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
import java.util.concurrent.TimeUnit;
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
 * <p>Three kinds of threads share the work. {@link ParallelMatcher} decodes records and matches rules on several
 * threads (stateless); this thread then emits detections in log order (correlation windows, tenant settings) and
 * writes the batch's Parquet files ({@link EventStore#prepare}); a store-writer thread commits the previous batch
 * meanwhile ({@link EventStore#commit}: manifest, rollup, alerts, applied sequence). At most one batch waits between
 * the two, so memory stays bounded and a slow store slows the reader, which in turn makes {@link DurableIngest}
 * refuse new events.
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
    private final Duration linger;
    private volatile java.util.function.BooleanSupplier inputsHeldBack = () -> false;
    private final Duration replayWindow;
    private final long replayMaxRecords;
    private final List<EventDetector> detectors;
    private final List<Consumer<List<Alert>>> alertListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ArrayDeque<long[]> batchMarks = new ArrayDeque<>(); // {last sequence, epoch millis}
    private final Object appliedMonitor = new Object();
    private volatile long applied;
    private volatile boolean running;
    private volatile Throwable failure;
    private Thread thread;
    private final ParallelMatcher matcher;
    private final java.util.concurrent.BlockingQueue<Detected> toWrite =
            new java.util.concurrent.ArrayBlockingQueue<>(1);
    /** Events per second the slower of the two stages sustained over the last batches; 0 until a batch is stored. */
    private volatile double drainRate;

    /** A batch with its files written, and the time detection and writing them took (the first of two stages). */
    private record Detected(EventStore.PreparedBatch prepared, long firstStageNanos) {}

    private volatile boolean writerRunning = true;
    private long lastSettingsCheck = System.nanoTime();
    private static final long SETTINGS_CHECK_NANOS = 1_000_000_000L;

    Pipeline(
            WriteAheadLog wal,
            EventStore store,
            TenantDetection detection,
            ParallelMatcher matcher,
            ServerMetrics metrics,
            int batchSize,
            Duration linger,
            Duration replayWindow,
            long replayMaxRecords,
            List<EventDetector> detectors) {
        this.wal = requireNonNull(wal, "wal");
        this.store = requireNonNull(store, "store");
        this.detection = requireNonNull(detection, "detection");
        this.matcher = requireNonNull(matcher, "matcher");
        this.metrics = requireNonNull(metrics, "metrics");
        this.batchSize = batchSize;
        this.linger = requireNonNull(linger, "linger");
        this.replayWindow = requireNonNull(replayWindow, "replayWindow");
        this.replayMaxRecords = replayMaxRecords;
        this.detectors = List.copyOf(detectors);
        this.applied = store.appliedSequence();
    }

    /** Called with the alerts of each committed batch (notifications, live views). */
    void onAlerts(Consumer<List<Alert>> listener) {
        alertListeners.add(listener);
    }

    /** The highest log sequence whose event is stored. */
    long appliedSequence() {
        return applied;
    }

    /**
     * Events per second the pipeline stores while it has work: per batch, its events over the longer of its two
     * stages (decode, match and detect; store and alert listeners), which run side by side, smoothed over the last
     * batches. Idle time does not lower it, so it says how fast a backlog would drain. 0 before the first batch.
     */
    double drainRate() {
        return drainRate;
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
        Thread writer = Thread.ofPlatform().name("vigil-store-writer").start(this::writeLoop);
        try (WalReader reader = wal.reader(from)) {
            while (running && failure == null) {
                List<WalRecord> records = reader.poll(batchSize, Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                records = lingerToFill(reader, records);
                long detectStarted = System.nanoTime();
                StoreBatch batch = detectBatch(records, committedBefore);
                if (batch != null) {
                    // Writing the batch's files here overlaps them with the writer's commit of the previous batch.
                    EventStore.PreparedBatch prepared = store.prepare(batch);
                    Detected detected = new Detected(prepared, System.nanoTime() - detectStarted);
                    // At most one batch waits while the writer commits the previous one: detection of the next
                    // batch overlaps with the store's commit, and memory stays bounded.
                    while (!toWrite.offer(detected, 100, TimeUnit.MILLISECONDS)) {
                        if (failure != null || !running) {
                            return;
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.io.IOException | RuntimeException | Error e) {
            fail(e);
        } finally {
            writerRunning = false;
            try {
                writer.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Lets a batch that is not full fill up until its oldest event has waited {@code linger} since it was received
     * (its record's received time): a pipeline that keeps up would otherwise take a few hundred events at a time and
     * pay each batch's fixed costs that much more often. A batch that is full, or whose oldest event already waited
     * that long (the pipeline was behind, or this is a replay), is taken at once, and so is one the inputs are held
     * back for ({@link #stopLingeringWhen}: the batch could not fill while they wait).
     */
    private List<WalRecord> lingerToFill(WalReader reader, List<WalRecord> records)
            throws java.io.IOException, InterruptedException {
        if (records.size() >= batchSize || linger.isZero()) {
            return records;
        }
        // The wait is worked out once from the wall clock (received times are wall-clock times), clamped to one
        // linger, and then timed on the monotonic clock, so a clock step cannot stretch it.
        long received = WalPayload.receivedMillis(records.get(0).payload());
        long now = System.currentTimeMillis();
        long lingerMillis = linger.toMillis();
        // Compared, not subtracted, so that no received time (a damaged record gives Long.MIN_VALUE) overflows.
        long waitMillis =
                received <= now - lingerMillis ? 0 : received >= now ? lingerMillis : lingerMillis - (now - received);
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        List<WalRecord> batch = null;
        while (running && failure == null && !inputsHeldBack.getAsBoolean()) {
            int room = batchSize - (batch == null ? records.size() : batch.size());
            long left = deadline - System.nanoTime();
            if (room <= 0 || left <= 0) {
                break;
            }
            // At most 100 ms at a time, as the main loop polls, so that closing and backpressure are seen.
            List<WalRecord> more = reader.poll(room, Duration.ofNanos(Math.min(left, 100_000_000L)));
            if (!more.isEmpty()) {
                if (batch == null) {
                    batch = new ArrayList<>(Math.min(batchSize, records.size() * 4 + more.size()));
                    batch.addAll(records);
                }
                batch.addAll(more);
            }
        }
        return batch == null ? records : batch;
    }

    /**
     * Tells the pipeline when the inputs are held back (no more acknowledged events may wait), so that it takes the
     * batch it has rather than let it fill for events that cannot come.
     */
    void stopLingeringWhen(java.util.function.BooleanSupplier inputsHeldBack) {
        this.inputsHeldBack = requireNonNull(inputsHeldBack, "inputsHeldBack");
    }

    private void fail(Throwable e) {
        failure = e;
        LOG.error("the pipeline stopped; acknowledged events stay in the write-ahead log for the next start", e);
        synchronized (appliedMonitor) {
            appliedMonitor.notifyAll();
        }
    }

    /** Decodes, matches (in parallel) and detects (in log order) one batch; null when it was all replay. */
    private StoreBatch detectBatch(List<WalRecord> records, long committedBefore) throws InterruptedException {
        long started = System.nanoTime();
        if (started - lastSettingsCheck > SETTINGS_CHECK_NANOS) {
            detection.refreshSettings();
            for (EventDetector d : detectors) {
                d.refresh();
            }
            lastSettingsCheck = started;
        }
        List<ParallelMatcher.Matched> matched = matcher.match(records);
        List<StoredEvent> events = new ArrayList<>(records.size());
        List<Alert> alerts = new ArrayList<>();
        for (ParallelMatcher.Matched m : matched) {
            long seq = m.sequence();
            if (m.event() == null) {
                metrics.corruptRecord();
                LOG.error("log record {} cannot be decoded and is skipped: {}", seq, m.error());
                continue;
            }
            Event event = m.event();
            List<Detection> found = detection.detect(event, m.matches());
            if (seq <= committedBefore) {
                continue; // replayed for correlation state only: stored, with its alerts, before the restart
            }
            events.add(new StoredEvent(
                    seq, m.decoded().received(), event, m.decoded().encoded()));
            // The entities of an event are the same for each of its alerts: read them once (reading them per alert
            // was two fifths of this thread's time when the regression events, 1.5 alerts each, were ingested).
            List<EntityRef> entities = null;
            for (Detection d : found) {
                List<EntityRef> of;
                if (d.event() == event) {
                    if (entities == null) {
                        entities = AlertEntities.extract(event);
                    }
                    of = entities;
                } else {
                    of = AlertEntities.extract(d.event()); // a correlation's last event
                }
                alerts.add(toAlert(event.tenant(), d, of, seq, m.decoded().received()));
            }
            for (EventDetector d : detectors) {
                alerts.addAll(d.detect(event, seq, m.decoded().received()));
            }
        }
        long detectNanos = System.nanoTime() - started;
        long last = records.get(records.size() - 1).sequence();
        if (last <= committedBefore) {
            return null;
        }
        metrics.detected(detectNanos);
        return new StoreBatch(events, alerts, last);
    }

    private void writeLoop() {
        try {
            while (writerRunning || !toWrite.isEmpty()) {
                Detected detected = toWrite.poll(100, TimeUnit.MILLISECONDS);
                if (detected == null) {
                    continue;
                }
                StoreBatch batch = detected.prepared().batch();
                long started = System.nanoTime();
                store.commit(detected.prepared());
                long oldest = Long.MAX_VALUE;
                for (StoredEvent e : batch.events()) {
                    oldest = Math.min(oldest, e.received().toEpochMilli());
                }
                metrics.stored(batch.events().size(), batch.alerts().size(), System.nanoTime() - started);
                if (oldest != Long.MAX_VALUE) {
                    metrics.ackToStored(System.currentTimeMillis() - oldest);
                }
                // Listeners (incidents, notifications) run before the batch counts as applied, so whoever waits
                // for an event to be stored also sees what its alerts did.
                if (!batch.alerts().isEmpty()) {
                    for (Consumer<List<Alert>> l : alertListeners) {
                        try {
                            l.accept(batch.alerts());
                        } catch (RuntimeException e) {
                            LOG.warn("an alert listener failed", e);
                        }
                    }
                }
                updateDrainRate(batch.events().size(), detected.firstStageNanos(), System.nanoTime() - started);
                synchronized (appliedMonitor) {
                    applied = batch.walSequence();
                    appliedMonitor.notifyAll();
                }
                truncate(batch.walSequence());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            fail(e);
        }
    }

    private void updateDrainRate(int events, long firstStageNanos, long commitNanos) {
        long slower = Math.max(firstStageNanos, commitNanos);
        if (events == 0 || slower <= 0) {
            return;
        }
        double sample = events * 1e9 / slower;
        double previous = drainRate;
        // Smooth over a few batches: one slow commit (a DuckDB checkpoint) should not halve the allowance at once.
        drainRate = previous == 0 ? sample : previous + DRAIN_RATE_WEIGHT * (sample - previous);
    }

    private static final double DRAIN_RATE_WEIGHT = 0.25;

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

    /** The alert of a detection, with the entities of its event ({@link AlertEntities#extract}). */
    static Alert toAlert(TenantId tenant, Detection d, List<EntityRef> entities, long triggeringSeq, Instant received) {
        Alert.Builder alert = Alert.builder()
                .id(AlertIds.of(tenant, d.rule().id(), d.rule().title(), triggeringSeq))
                .tenant(tenant)
                .time(d.timestamp() != null ? d.timestamp() : received)
                .detectorKind(d.correlation() ? DetectorKind.CORRELATION : DetectorKind.SIGMA)
                .detector(d.rule().id(), d.rule().title())
                .sigmaLevel(d.rule().level(), d.rule().status())
                .sigmaTags(d.rule().tags())
                .entities(entities)
                .detail("tags", d.rule().tags());
        boolean anySource = false;
        for (SourceRef s : d.sources()) {
            alert.evidence(s.record());
            anySource = true;
        }
        if (!anySource) {
            alert.evidence(triggeringSeq);
        }
        if (d.correlation()) {
            alert.detail("correlation", true);
            alert.detail("group_by", d.groupBy());
        }
        Map<String, Object> logsource = new LinkedHashMap<>();
        logsource.put("product", d.event().logSource().product());
        logsource.put("category", List.copyOf(d.event().logSource().categories()));
        logsource.put("service", List.copyOf(d.event().logSource().services()));
        alert.detail("logsource", logsource);
        return alert.build();
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(60_000);
        }
        matcher.close();
    }
}
