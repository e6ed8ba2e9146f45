package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Severity;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Takes notifications from the pipeline and delivers them to the channels their routes name, without ever making the
 * pipeline wait.
 *
 * <p><b>Design.</b> Each channel has a <i>lane</i>: a bounded queue and its own worker threads. {@link #submit} routes
 * the notification, applies each target channel's rate limit, and offers it to the lanes without blocking, so a slow
 * or dead channel fills only its own queue and holds up no other channel and never the caller. A full queue sends the
 * notification straight to the dead-letter store: nothing is dropped unseen.
 *
 * <p>A worker makes one attempt through {@link NotificationChannel#deliver}; on a retryable failure it waits per the
 * {@link RetryPolicy} (honouring Retry-After) and tries again, up to the policy's attempts; a final failure, or a
 * non-retryable one at once, stores a {@link DeadLetter}, which {@link #redrive} puts back on its lane. Retries run in
 * the worker (a channel with several workers keeps sending while one waits), which keeps the order of a lane simple.
 *
 * <p>Rate limits are token buckets per channel. A notification over the limit is counted ({@link
 * NotificationListener#rateLimited}) per tenant; when the channel has a token again, one summary notification per
 * tenant says how many were held back and their highest severity: before the tenant's next notification on that
 * channel, or at the latest on the next {@link #flushSummaries()} (run every {@code summaryInterval}).
 *
 * <p>Time, sleeping and randomness (backoff jitter) are injected so tests control them.
 */
public final class NotificationDispatcher implements AutoCloseable {
    /** The rule id of rate-limit summaries. */
    public static final String RATE_LIMIT_RULE = "vigil.notify.rate-limit";

    /**
     * @param queueCapacity notifications each channel may hold waiting
     * @param workersPerChannel threads per channel
     * @param retry the retry policy
     * @param summaryInterval how often held-back counts are summarised, or {@code null} to leave it to the caller
     * @param shutdownGrace how long {@link #close} lets queued notifications drain before dead-lettering the rest
     */
    public record Settings(
            int queueCapacity,
            int workersPerChannel,
            RetryPolicy retry,
            Duration summaryInterval,
            Duration shutdownGrace) {
        public static final Settings DEFAULT =
                new Settings(1000, 2, RetryPolicy.DEFAULT, Duration.ofMinutes(1), Duration.ofSeconds(10));

        public Settings {
            requireNonNull(retry, "retry");
            requireNonNull(shutdownGrace, "shutdownGrace");
            if (queueCapacity < 1 || workersPerChannel < 1) {
                throw new IllegalArgumentException("queueCapacity and workersPerChannel must be at least 1");
            }
        }
    }

    /**
     * A rate limit: at most {@code count} notifications per {@code period}, with bursts up to {@code count}.
     *
     * @param count notifications per period
     * @param period the period
     */
    public record RateLimit(int count, Duration period) {
        public RateLimit {
            requireNonNull(period, "period");
            if (count < 1 || period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("rate limit needs a count >= 1 and a positive period");
            }
        }
    }

    /** Sleeps between retries; tests pass one that records instead. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());
    }

    private record Delivery(Notification notification, RenderOptions options) {}

    /** What a lane held back from one tenant since its last summary. */
    private static final class HeldBack {
        final RenderOptions options;
        final Instant first;
        Instant last;
        final Map<Severity, Integer> bySeverity = new EnumMap<>(Severity.class);
        int count;

        HeldBack(RenderOptions options, Instant first) {
            this.options = options;
            this.first = first;
            this.last = first;
        }
    }

    private final class Lane {
        final NotificationChannel channel;
        final TokenBucket bucket;
        final BlockingQueue<Delivery> queue;
        final List<Thread> workers = new ArrayList<>();
        final Map<TenantId, HeldBack> heldBack = new LinkedHashMap<>(); // guarded by this lane

        Lane(NotificationChannel channel, TokenBucket bucket) {
            this.channel = channel;
            this.bucket = bucket;
            this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        }
    }

    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    private final Router router;
    private final DeadLetterStore deadLetters;
    private final NotificationListener listener;
    private final Settings settings;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final ScheduledExecutorService scheduler;
    private final Object idle = new Object();
    private long outstanding; // guarded by idle
    private volatile boolean running = true;

    private NotificationDispatcher(Builder b) {
        this.router = new Router(b.routes, b.channels.keySet());
        this.deadLetters = requireNonNull(b.deadLetters, "deadLetters");
        this.listener = b.listener;
        this.settings = b.settings;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.random = b.random;
        for (NotificationChannel c : b.channels.values()) {
            RateLimit limit = b.rateLimits.get(c.name());
            lanes.put(
                    c.name(),
                    new Lane(c, limit == null ? null : new TokenBucket(limit.count(), limit.period(), clock)));
        }
        for (Lane lane : lanes.values()) {
            for (int i = 0; i < settings.workersPerChannel(); i++) {
                Thread t = new Thread(() -> work(lane), "notify-" + lane.channel.name() + "-" + i);
                t.setDaemon(true);
                lane.workers.add(t);
                t.start();
            }
        }
        if (settings.summaryInterval() != null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "notify-summaries");
                t.setDaemon(true);
                return t;
            });
            long ms = settings.summaryInterval().toMillis();
            scheduler.scheduleWithFixedDelay(this::flushSummaries, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            scheduler = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Routes {@code n} and queues it for each target channel, never blocking. Returns the number of channels it was
     * queued for (not counting those whose rate limit held it back or whose full queue dead-lettered it).
     */
    public int submit(Notification n) {
        requireNonNull(n, "notification");
        if (!running) {
            throw new IllegalStateException("dispatcher is closed");
        }
        int queued = 0;
        for (Router.Target target : router.route(n)) {
            Lane lane = lanes.get(target.channel());
            Notification summary = null;
            synchronized (lane) {
                if (lane.bucket != null && !lane.bucket.tryAcquire()) {
                    hold(lane, n, target.options());
                    continue;
                }
                HeldBack held = lane.heldBack.remove(n.tenant());
                if (held != null) {
                    summary = summary(lane, n.tenant(), held);
                }
            }
            if (summary != null) {
                enqueue(lane, new Delivery(summary, target.options()));
            }
            if (enqueue(lane, new Delivery(n, target.options()))) {
                queued++;
            }
        }
        return queued;
    }

    private void hold(Lane lane, Notification n, RenderOptions options) {
        HeldBack h = lane.heldBack.computeIfAbsent(n.tenant(), t -> new HeldBack(options, clock.instant()));
        h.count++;
        h.last = clock.instant();
        h.bySeverity.merge(n.severity(), 1, Integer::sum);
        listener.rateLimited(lane.channel.name(), n);
    }

    /**
     * Sends a summary for every tenant some channel held back notifications from, where that channel has a token to
     * spend on it. Runs every {@code summaryInterval}; tests call it directly.
     */
    public void flushSummaries() {
        for (Lane lane : lanes.values()) {
            List<Delivery> summaries = new ArrayList<>();
            synchronized (lane) {
                var it = lane.heldBack.entrySet().iterator();
                while (it.hasNext()) {
                    var e = it.next();
                    if (lane.bucket != null && !lane.bucket.tryAcquire()) {
                        break;
                    }
                    it.remove();
                    summaries.add(new Delivery(summary(lane, e.getKey(), e.getValue()), e.getValue().options));
                }
            }
            for (Delivery d : summaries) {
                enqueue(lane, d);
            }
        }
    }

    private Notification summary(Lane lane, TenantId tenant, HeldBack h) {
        Severity highest = Severity.INFORMATIONAL;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("held_back", Integer.toString(h.count));
        details.put("first", h.first.toString());
        details.put("last", h.last.toString());
        for (Map.Entry<Severity, Integer> e : h.bySeverity.entrySet()) {
            details.put(e.getKey().sigmaLevel(), e.getValue().toString());
            highest = e.getKey().compareTo(highest) > 0 ? e.getKey() : highest;
        }
        String title = h.options.locale() == MessageLocale.ZH_CN
                ? "渠道 " + lane.channel.name() + " 超出速率限制，" + h.count + " 条通知未发送"
                : h.count + " notifications held back by the rate limit of channel " + lane.channel.name();
        return new Notification(
                tenant,
                Notification.Kind.ALERT,
                "rate-limit-" + lane.channel.name() + "-" + h.first.toEpochMilli(),
                title,
                highest,
                RATE_LIMIT_RULE,
                "",
                clock.instant(),
                List.of(),
                List.of(),
                List.of(),
                null,
                details);
    }

    private boolean enqueue(Lane lane, Delivery d) {
        synchronized (idle) {
            outstanding++;
        }
        if (lane.queue.offer(d)) {
            return true;
        }
        deadLetter(lane, d, "queue of channel " + lane.channel.name() + " is full", 0);
        done();
        return false;
    }

    private void done() {
        synchronized (idle) {
            outstanding--;
            if (outstanding == 0) {
                idle.notifyAll();
            }
        }
    }

    /** Waits until every queued notification was delivered or dead-lettered; false when {@code timeout} passed first. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (outstanding > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
            return true;
        }
    }

    private void work(Lane lane) {
        while (running || !lane.queue.isEmpty()) {
            Delivery d;
            try {
                d = lane.queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (d == null) {
                continue;
            }
            try {
                deliver(lane, d);
            } finally {
                done();
            }
        }
    }

    private void deliver(Lane lane, Delivery d) {
        String name = lane.channel.name();
        RetryPolicy retry = settings.retry();
        for (int attempt = 1; ; attempt++) {
            boolean mayRetry =
                    attempt < retry.maxAttempts() && !Thread.currentThread().isInterrupted();
            DeliveryOutcome outcome;
            try {
                outcome = lane.channel.deliver(d.notification(), d.options());
            } catch (RuntimeException e) {
                // A bug in a channel must not kill its worker: the notification is kept for re-drive instead.
                outcome = DeliveryOutcome.failed("channel error: " + e);
            }
            if (outcome instanceof DeliveryOutcome.Delivered) {
                listener.sent(name, d.notification());
                return;
            }
            String reason = outcome instanceof DeliveryOutcome.Retryable r
                    ? r.reason()
                    : ((DeliveryOutcome.Failed) outcome).reason();
            if (!(outcome instanceof DeliveryOutcome.Retryable r) || !mayRetry) {
                listener.failed(name, d.notification(), reason, false);
                deadLetter(lane, d, reason, attempt);
                return;
            }
            listener.failed(name, d.notification(), reason, true);
            Duration delay;
            synchronized (random) {
                delay = retry.delay(attempt, r.retryAfter(), random);
            }
            listener.retried(name, d.notification(), attempt + 1, delay.toMillis());
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                deadLetter(lane, d, "shut down while waiting to retry after: " + reason, attempt);
                return;
            }
        }
    }

    private void deadLetter(Lane lane, Delivery d, String reason, int attempts) {
        String name = lane.channel.name();
        DeadLetter letter = new DeadLetter(
                UUID.randomUUID().toString(), name, d.options(), d.notification(), reason, attempts, clock.instant());
        try {
            deadLetters
                    .add(letter)
                    .ifPresent(evicted -> listener.lost(
                            evicted.channel(), evicted.notification(), "evicted from the full dead-letter store"));
            listener.deadLettered(name, d.notification(), reason);
        } catch (IOException e) {
            listener.lost(name, d.notification(), "dead-letter store failed: " + e.getMessage());
        }
    }

    /** The dead letters, oldest first. */
    public List<DeadLetter> deadLetters() {
        return deadLetters.list();
    }

    /**
     * Removes the dead letters with these ids from the store and queues them again on their channels (rate limits do
     * not apply to a re-drive an operator asked for). Returns how many were queued; letters of channels no longer
     * configured stay in the store.
     */
    public int redrive(Collection<String> ids) throws IOException {
        if (!running) {
            throw new IllegalStateException("dispatcher is closed");
        }
        List<String> known = new ArrayList<>();
        for (DeadLetter l : deadLetters.list()) {
            if (ids.contains(l.id()) && lanes.containsKey(l.channel())) {
                known.add(l.id());
            }
        }
        int queued = 0;
        for (DeadLetter l : deadLetters.remove(known)) {
            if (enqueue(lanes.get(l.channel()), new Delivery(l.notification(), l.options()))) {
                queued++;
            }
        }
        return queued;
    }

    /** The names of the configured channels. */
    public List<String> channels() {
        return List.copyOf(lanes.keySet());
    }

    /**
     * Stops accepting notifications, lets the queues drain for the shutdown grace, then interrupts the workers (a
     * notification waiting for a retry is dead-lettered) and closes the channels.
     */
    @Override
    public void close() throws InterruptedException {
        running = false;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        for (Lane lane : lanes.values()) {
            for (Thread t : lane.workers) {
                long left = Math.max(0, deadline - System.nanoTime());
                t.join(Duration.ofNanos(left).toMillis() + 1);
            }
        }
        for (Lane lane : lanes.values()) {
            for (Thread t : lane.workers) {
                t.interrupt();
            }
        }
        for (Lane lane : lanes.values()) {
            for (Thread t : lane.workers) {
                t.join();
            }
            Delivery d;
            while ((d = lane.queue.poll()) != null) {
                deadLetter(lane, d, "not delivered before shutdown", 0);
                done();
            }
            lane.channel.close();
        }
    }

    /** Assembles a dispatcher; {@link #build} starts its threads. */
    public static final class Builder {
        private final Map<String, NotificationChannel> channels = new LinkedHashMap<>();
        private final Map<String, RateLimit> rateLimits = new HashMap<>();
        private final List<Route> routes = new ArrayList<>();
        private DeadLetterStore deadLetters;
        private NotificationListener listener = NotificationListener.NONE;
        private Settings settings = Settings.DEFAULT;
        private InstantSource clock = InstantSource.system();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private RandomGenerator random = new java.util.SplittableRandom();

        private Builder() {}

        /** Adds a channel, with a rate limit or {@code null} for none. */
        public Builder channel(NotificationChannel channel, RateLimit rateLimit) {
            requireNonNull(channel, "channel");
            if (channels.putIfAbsent(channel.name(), channel) != null) {
                throw new IllegalArgumentException("two channels are named '" + channel.name() + "'");
            }
            if (rateLimit != null) {
                rateLimits.put(channel.name(), rateLimit);
            }
            return this;
        }

        public Builder route(Route route) {
            routes.add(requireNonNull(route, "route"));
            return this;
        }

        public Builder routes(List<Route> all) {
            all.forEach(this::route);
            return this;
        }

        public Builder deadLetters(DeadLetterStore store) {
            this.deadLetters = requireNonNull(store, "store");
            return this;
        }

        public Builder listener(NotificationListener listener) {
            this.listener = requireNonNull(listener, "listener");
            return this;
        }

        public Builder settings(Settings settings) {
            this.settings = requireNonNull(settings, "settings");
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The source of backoff jitter; seed it in tests. */
        public Builder random(RandomGenerator random) {
            this.random = requireNonNull(random, "random");
            return this;
        }

        public NotificationDispatcher build() {
            return new NotificationDispatcher(this);
        }
    }
}
