package dev.vigil.sigma.correlation;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link CorrelationStateStore} on the heap, bounded two ways:
 *
 * <ul>
 *   <li><b>by event time</b>: the watermark is the latest event time seen minus the allowed lateness; a group whose
 *       latest entry is older than the watermark minus the correlation's timespan can no longer take part in any
 *       window an accepted event could open, and is dropped. Event times come from the events, that is from their
 *       senders: one event stamped years ahead would move the watermark past every real event, and each later event
 *       would be too late to correlate. Given a clock, the store lets no event time move the watermark past the
 *       clock (the event itself still counts), and counts and reports, once, the events more than {@code maxAhead}
 *       past it;
 *   <li><b>by count</b>: at most {@code maxGroupsPerCorrelation} groups per correlation (default 100,000) and {@code
 *       maxEntriesPerGroup} entries per group (default 10,000). When a new group would pass the cap, the least
 *       recently updated group of that correlation is evicted; the first eviction of each correlation is reported as a
 *       warning through the {@link ProblemSink}, and {@link #evictedGroups()} counts them all. Those two caps multiply,
 *       so the entries of all windows together are bounded too ({@code maxTotalEntries}, default 2,000,000, some
 *       hundred megabytes): when they reach it, the least recently updated groups of any correlation are evicted until
 *       a tenth of the room is free, reported once and counted with the other evictions. A hunt, which keeps no
 *       watermark and so expires nothing, relies on this bound.
 * </ul>
 *
 * <p>Groups are kept per correlation in access order, so both expiry and eviction look only at the head of a map: the
 * cost per event is constant amortized. With out-of-order events a group may outlive its expiry a little (it is found
 * when it reaches the head), never the reverse. Not thread-safe.
 */
public final class InMemoryCorrelationStateStore implements CorrelationStateStore {
    /** Default for {@code maxGroupsPerCorrelation}. */
    public static final int DEFAULT_MAX_GROUPS = 100_000;

    /** Default for {@code maxEntriesPerGroup}. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    /** Default for {@code maxTotalEntries}: the entries of all windows of the store together. */
    public static final long DEFAULT_MAX_TOTAL_ENTRIES = 2_000_000;

    /** Default allowed lateness: how far behind the latest event time an event may be and still count. */
    public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofMinutes(5);

    /**
     * A lateness no event time reaches (a hundred years): for hunts over files that come in no particular time order
     * (a Security and a Sysmon log of the same week, one after the other; newest-first exports), where every event
     * must count. The store then keeps no watermark (one event stamped in the year 9999 makes no other event late)
     * and nothing expires by event time; the caps still bound the state.
     */
    public static final Duration UNBOUNDED_LATENESS = Duration.ofDays(36_525);

    private static final class Held {
        final WindowState state;
        final long timespanNanos;
        /** When the group was last asked for, in calls to {@link #window}: the least recently updated goes first. */
        long touched;

        Held(WindowState state, long timespanNanos) {
            this.state = state;
            this.timespanNanos = timespanNanos;
        }
    }

    private final long latenessNanos;
    private final boolean unboundedLateness;
    private final int maxGroups;
    private final int maxEntries;
    private final long maxTotalEntries;
    private final WindowState.EntryCount entryCount = new WindowState.EntryCount();
    private long touches;
    private boolean warnedTotal;
    private final ProblemSink warnings;
    private final Clock clock;
    private final long maxAheadNanos;
    private final Map<String, LinkedHashMap<List<Object>, Held>> groups = new HashMap<>();
    private final Set<String> warned = new HashSet<>();
    private long maxSeen = Long.MIN_VALUE;
    // Written by the one thread that feeds the store, rarely; atomic so that monitoring may read them from another.
    private final AtomicLong aheadOfClock = new AtomicLong();
    private long size;
    private final AtomicLong evicted = new AtomicLong();
    private long expired;

    /** A store with the default bounds. */
    public InMemoryCorrelationStateStore(ProblemSink warnings) {
        this(DEFAULT_ALLOWED_LATENESS, DEFAULT_MAX_GROUPS, DEFAULT_MAX_ENTRIES, warnings);
    }

    /**
     * @param allowedLateness how far behind the latest event time an event is still accepted; not negative
     * @param maxGroupsPerCorrelation the most groups held per correlation; at least 1
     * @param maxEntriesPerGroup the most entries held per group window; at least 1
     * @param warnings receives the eviction warning, once per correlation
     */
    public InMemoryCorrelationStateStore(
            Duration allowedLateness, int maxGroupsPerCorrelation, int maxEntriesPerGroup, ProblemSink warnings) {
        this(allowedLateness, maxGroupsPerCorrelation, maxEntriesPerGroup, null, Duration.ZERO, warnings);
    }

    /**
     * As {@link #InMemoryCorrelationStateStore(Duration, int, int, ProblemSink)}, with event times past {@code clock}
     * moving the watermark only as far as the clock (a server's live streams; not for hunts over old files, whose
     * clock says nothing about their events).
     *
     * @param clock the clock event times are checked against, or {@code null} for none
     * @param maxAhead how far past the clock an event time may be before it is counted and reported as wrong; not
     *     negative
     */
    public InMemoryCorrelationStateStore(
            Duration allowedLateness,
            int maxGroupsPerCorrelation,
            int maxEntriesPerGroup,
            Clock clock,
            Duration maxAhead,
            ProblemSink warnings) {
        this(
                allowedLateness,
                maxGroupsPerCorrelation,
                maxEntriesPerGroup,
                DEFAULT_MAX_TOTAL_ENTRIES,
                clock,
                maxAhead,
                warnings);
    }

    /**
     * As {@link #InMemoryCorrelationStateStore(Duration, int, int, Clock, Duration, ProblemSink)}, with a bound on the
     * entries of all windows together.
     *
     * @param maxTotalEntries the most entries held by all windows together; at least 1
     */
    public InMemoryCorrelationStateStore(
            Duration allowedLateness,
            int maxGroupsPerCorrelation,
            int maxEntriesPerGroup,
            long maxTotalEntries,
            Clock clock,
            Duration maxAhead,
            ProblemSink warnings) {
        requireNonNull(allowedLateness, "allowedLateness");
        if (maxTotalEntries < 1) {
            throw new IllegalArgumentException("maxTotalEntries must be >= 1");
        }
        this.maxTotalEntries = maxTotalEntries;
        if (requireNonNull(maxAhead, "maxAhead").isNegative()) {
            throw new IllegalArgumentException("maxAhead < 0");
        }
        this.clock = clock;
        this.maxAheadNanos = CorrelationEngine.nanos(maxAhead);
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowedLateness < 0");
        }
        if (maxGroupsPerCorrelation < 1 || maxEntriesPerGroup < 1) {
            throw new IllegalArgumentException("maxGroupsPerCorrelation and maxEntriesPerGroup must be >= 1");
        }
        this.latenessNanos = CorrelationEngine.nanos(allowedLateness);
        this.unboundedLateness = allowedLateness.compareTo(UNBOUNDED_LATENESS) >= 0;
        this.maxGroups = maxGroupsPerCorrelation;
        this.maxEntries = maxEntriesPerGroup;
        this.warnings = requireNonNull(warnings, "warnings");
    }

    @Override
    public Instant observe(Instant eventTime) {
        Instant before = watermark();
        long t = CorrelationEngine.nanos(eventTime);
        if (clock != null) {
            long now = CorrelationEngine.nanos(clock.instant());
            if (t > CorrelationEngine.saturatedAdd(now, maxAheadNanos) && aheadOfClock.getAndIncrement() == 0) {
                warnings.report(new Problem(
                        "correlation",
                        0,
                        "event time " + eventTime + " is more than " + Duration.ofNanos(maxAheadNanos)
                                + " ahead of the clock (" + clock.instant() + "): it counts, but moves the"
                                + " correlation watermark no further than the clock (a sender's clock or time zone is"
                                + " wrong?; reported once; the server counts them as"
                                + " vigil_correlation_events_ahead_of_clock)"));
            }
            // Never past the clock: a sender's fast clock would otherwise make the other senders' events, which are
            // always a little older than the clock when they are processed, too late.
            t = Math.min(t, now);
        }
        if (t > maxSeen) {
            maxSeen = t;
            expire();
        }
        return before;
    }

    @Override
    public Instant watermark() {
        long w = watermarkNanos();
        return w == Long.MIN_VALUE ? null : CorrelationEngine.instant(w);
    }

    private long watermarkNanos() {
        // With unbounded lateness there is no watermark at all: one event stamped in the year 9999 must not make
        // every real event of a hunt too late.
        return maxSeen == Long.MIN_VALUE || unboundedLateness
                ? Long.MIN_VALUE
                : CorrelationEngine.saturatedSubtract(maxSeen, latenessNanos);
    }

    @Override
    public WindowState window(String correlation, List<Object> groupKey, Duration timespan) {
        LinkedHashMap<List<Object>, Held> map =
                groups.computeIfAbsent(correlation, k -> new LinkedHashMap<>(16, 0.75f, true));
        if (entryCount.entries >= maxTotalEntries) {
            shed();
        }
        Held held = map.get(groupKey);
        if (held == null) {
            if (map.size() >= maxGroups) {
                Iterator<Map.Entry<List<Object>, Held>> it = map.entrySet().iterator();
                Map.Entry<List<Object>, Held> eldest = it.next();
                it.remove();
                forget(eldest.getValue());
                evicted.incrementAndGet();
                if (warned.add(correlation)) {
                    warnings.report(new Problem(
                            correlation,
                            0,
                            "correlation '" + correlation + "' holds " + maxGroups
                                    + " groups, the most allowed: evicting the least recently updated group "
                                    + eldest.getKey()
                                    + " and more as needed; detections that needed evicted groups are lost."
                                    + " Narrow the group-by, shorten the timespan or raise maxGroupsPerCorrelation"
                                    + " (reported once per correlation; the server counts the rest as"
                                    + " vigil_correlation_groups_evicted)"));
                }
            }
            held = new Held(new WindowState(maxEntries, entryCount), CorrelationEngine.nanos(timespan));
            map.put(List.copyOf(groupKey), held);
            size++;
        }
        held.touched = ++touches;
        return held.state;
    }

    /**
     * Evicts the least recently updated groups of any correlation until a tenth of {@code maxTotalEntries} is free:
     * the heads of the correlations' access-ordered maps are the candidates, so each step looks at one group per
     * correlation.
     */
    private void shed() {
        if (!warnedTotal) {
            warnedTotal = true;
            warnings.report(new Problem(
                    "correlation",
                    0,
                    "correlation windows hold " + entryCount.entries + " entries, the most allowed over all"
                            + " correlations: evicting the least recently updated groups of any correlation, and more"
                            + " as needed; detections that needed evicted groups are lost. Shorten timespans, narrow"
                            + " group-bys or raise maxTotalEntries (reported once; counted with the evicted groups)"));
        }
        long target = maxTotalEntries - maxTotalEntries / 10;
        while (entryCount.entries > target) {
            Iterator<Held> oldestAt = null;
            Held oldest = null;
            for (LinkedHashMap<List<Object>, Held> map : groups.values()) {
                if (!map.isEmpty()) {
                    Iterator<Held> head = map.values().iterator();
                    Held h = head.next();
                    if (oldest == null || h.touched < oldest.touched) {
                        oldest = h;
                        oldestAt = head;
                    }
                }
            }
            if (oldest == null) {
                return;
            }
            // The iterator still stands on the head it returned, so remove() drops exactly that group.
            oldestAt.remove();
            forget(oldest);
            evicted.incrementAndGet();
        }
    }

    @Override
    public void remove(String correlation, List<Object> groupKey) {
        Map<List<Object>, Held> map = groups.get(correlation);
        Held held = map == null ? null : map.remove(groupKey);
        if (held != null) {
            forget(held);
        }
    }

    /** Accounts for a group that left the store. */
    private void forget(Held held) {
        size--;
        entryCount.entries -= held.state.size();
    }

    /** How many entries all windows hold together. */
    public long entries() {
        return entryCount.entries;
    }

    /** The entries counted the slow way, window by window: the reference {@link #entries()} is tested against. */
    long entriesByWalking() {
        long n = 0;
        for (LinkedHashMap<List<Object>, Held> map : groups.values()) {
            for (Held h : map.values()) {
                n += h.state.size();
            }
        }
        return n;
    }

    @Override
    public long size() {
        return size;
    }

    /**
     * How many groups were evicted because a correlation reached {@code maxGroupsPerCorrelation} or all windows
     * together reached {@code maxTotalEntries}. Safe to call from any thread.
     */
    public long evictedGroups() {
        return evicted.get();
    }

    /** How many events had a time more than {@code maxAhead} past the clock. Safe to call from any thread. */
    public long eventsAheadOfClock() {
        return aheadOfClock.get();
    }

    /** How many groups expired because the watermark passed them. */
    public long expiredGroups() {
        return expired;
    }

    private void expire() {
        long watermark = watermarkNanos();
        for (LinkedHashMap<List<Object>, Held> map : groups.values()) {
            Iterator<Held> it = map.values().iterator();
            while (it.hasNext()) {
                Held h = it.next();
                if (h.state.latestTime() >= CorrelationEngine.saturatedSubtract(watermark, h.timespanNanos)) {
                    break;
                }
                it.remove();
                forget(h);
                expired++;
            }
        }
    }
}
