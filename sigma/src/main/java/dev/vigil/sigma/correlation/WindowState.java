package dev.vigil.sigma.correlation;

import java.util.ArrayList;
import java.util.List;

/**
 * The sliding-window state of one correlation for one group: the entries (one per contributing event, or per
 * contributing rule for temporal types) of the window, sorted by event time. An entry keeps only what the correlation
 * type needs: the event time, the index of the referenced rule (temporal types), the value (the distinct-value key for
 * value_count, a {@code Double} for the numeric types, nothing for event_count) and the event's source reference(s).
 *
 * <p>Created and held by a {@link CorrelationStateStore}; only the engine reads and changes it. The number of entries
 * is capped ({@code maxEntries}); past the cap the oldest entry is dropped and {@link #add} says so.
 */
public final class WindowState {
    record Entry(long time, int rule, Object value, Object source) {}

    /** The entries of all the windows of one store, counted as they come and go, so the store can bound them. */
    static final class EntryCount {
        long entries;
    }

    private final int maxEntries;
    private final EntryCount count;
    private final ArrayList<Entry> entries = new ArrayList<>();
    private long latest = Long.MIN_VALUE;

    /**
     * @param maxEntries the most entries kept; must be at least 1
     */
    public WindowState(int maxEntries) {
        this(maxEntries, new EntryCount());
    }

    WindowState(int maxEntries, EntryCount count) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries < 1");
        }
        this.maxEntries = maxEntries;
        this.count = count;
    }

    /** The latest event time (epoch nanoseconds) of any entry ever added, for expiry; {@code Long.MIN_VALUE} if none. */
    public long latestTime() {
        return latest;
    }

    /** How many entries the window holds. */
    public int size() {
        return entries.size();
    }

    /** Adds an entry in event-time order (after entries of the same time); true when the cap dropped the oldest. */
    boolean add(Entry e) {
        int lo = 0;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries.get(mid).time() <= e.time()) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        entries.add(lo, e);
        latest = Math.max(latest, e.time());
        if (entries.size() > maxEntries) {
            entries.remove(0);
            return true;
        }
        count.entries++;
        return false;
    }

    /** Drops the entries older than {@code time}. */
    void pruneBefore(long time) {
        int n = 0;
        while (n < entries.size() && entries.get(n).time() < time) {
            n++;
        }
        if (n > 0) {
            entries.subList(0, n).clear();
            count.entries -= n;
        }
    }

    /** Drops the entries of {@code time} and older (those of a window that fired). */
    void pruneThrough(long time) {
        if (time == Long.MAX_VALUE) {
            count.entries -= entries.size();
            entries.clear();
        } else {
            pruneBefore(time + 1);
        }
    }

    /** The entries, oldest first; a live view. */
    List<Entry> entries() {
        return entries;
    }
}
