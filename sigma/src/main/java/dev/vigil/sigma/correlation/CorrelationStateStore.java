package dev.vigil.sigma.correlation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where correlation windows live: one {@link WindowState} per correlation and group key, plus the event-time
 * watermark that expires them. {@link InMemoryCorrelationStateStore} keeps them on the heap; a Flink operator can
 * implement this with keyed state and event-time timers instead. Implementations must keep their memory bounded and
 * report what they drop; they are used from one thread.
 */
public interface CorrelationStateStore {
    /**
     * Records that an event of this time was seen and returns the watermark before it: the earliest event time still
     * accepted. Events older than the returned watermark are too late to correlate. Windows whose latest entry is
     * older than the watermark minus their timespan may be expired here.
     *
     * @return the watermark before this event, or {@code null} when no event was seen yet
     */
    Instant observe(Instant eventTime);

    /** The current watermark, or {@code null} when no event was seen yet. */
    Instant watermark();

    /**
     * The window of a correlation for a group, created when absent (which may evict another group of the same
     * correlation to stay within bounds).
     *
     * @param correlation the correlation's key (id, else name, else title)
     * @param groupKey the group-by values, in group-by order; non-null elements
     * @param timespan the correlation's timespan, so the store can expire the window
     */
    WindowState window(String correlation, List<Object> groupKey, Duration timespan);

    /** Forgets a group's window (after the correlation fired on it). */
    void remove(String correlation, List<Object> groupKey);

    /** How many group windows are held, over all correlations. */
    long size();
}
