package dev.vigil.intel;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the observables of events ({@link EventObservables}) against an {@link IndicatorLookup}. Stateless and
 * thread-safe; an event with no hit costs the field-table lookups and one index probe per observable, and allocates
 * only what normalising URLs, e-mail addresses and file names needs.
 */
public final class IntelMatcher {
    private final EventObservables observables;
    private final Clock clock;

    /**
     * @param observables which fields to read
     * @param clock the time used for events without a timestamp
     */
    public IntelMatcher(EventObservables observables, Clock clock) {
        this.observables = requireNonNull(observables, "observables");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The default field table, and the system clock for events without a time. */
    public static IntelMatcher withDefaults() {
        return new IntelMatcher(EventObservables.defaults(), Clock.systemUTC());
    }

    /** The indicators {@code event} meets, live at the event's time (or now, when it has none). */
    public List<IndicatorMatch> match(Event event, IndicatorLookup index) {
        Instant at = event.timestamp() != null ? event.timestamp() : clock.instant();
        return match(event, index, at);
    }

    /**
     * The indicators {@code event} meets, live at {@code at} (a retro-hunt passes the time of the search to find
     * events older than an indicator's validity). Indicators of the event's tenant and global ones; each (indicator,
     * field, value) once.
     */
    public List<IndicatorMatch> match(Event event, IndicatorLookup index, Instant at) {
        requireNonNull(index, "index");
        requireNonNull(at, "at");
        // The tenant's scope and the time are resolved once for all observables of the event.
        ScopedLookup scoped = index.scoped(event.tenant(), at);
        List<IndicatorMatch>[] out = new List[1];
        observables.forEach(event, (field, type, value) -> {
            List<Indicator> hits = scoped.match(type, value);
            if (!hits.isEmpty()) {
                if (out[0] == null) {
                    out[0] = new ArrayList<>(2);
                }
                for (Indicator i : hits) {
                    IndicatorMatch m = new IndicatorMatch(i, field, value);
                    if (!out[0].contains(m)) {
                        out[0].add(m);
                    }
                }
            }
        });
        return out[0] == null ? List.of() : out[0];
    }
}
