package dev.vigil.intel;

import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** Answers which indicators a value meets; implemented by {@link IndicatorIndex} and {@link LayeredIndex}. */
public interface IndicatorLookup {
    /**
     * The indicators that {@code value} (raw, normalised here) meets for {@code tenant} at {@code at}: the global ones and
     * the tenant's own, live at that instant ({@code validFrom <= at < validUntil}). An address meets the address and
     * every CIDR range holding it, a domain meets itself and its parent domains, other types meet equal values. An
     * invalid value meets nothing. Never {@code null}; the empty list is shared.
     */
    default List<Indicator> match(IndicatorType type, String value, TenantId tenant, Instant at) {
        return scoped(tenant, at).match(type, value);
    }

    /**
     * This lookup for {@code tenant} at {@code at}, resolved once for many lookups (the observables of one event, a
     * page of a retro-hunt).
     */
    ScopedLookup scoped(TenantId tenant, Instant at);

    /** Whether an indicator with exactly this key is held, live or not. */
    boolean contains(Indicator.Key key);

    /** Visits every indicator held (live or not), e.g. to rebuild an index with changes. */
    void forEach(Consumer<Indicator> visitor);

    /** How many indicators are held. */
    int size();
}
