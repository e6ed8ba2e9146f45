package dev.vigil.intel;

import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * An {@link IndicatorLookup} bound to one tenant and one instant, for the many lookups of one event or one batch: the
 * tenant's scope and the time are resolved once ({@link IndicatorLookup#scoped}) instead of on every call. Immutable
 * and thread-safe; cheap to create (one per event).
 */
public interface ScopedLookup {
    /** The tenant whose indicators (with the global ones) are met. */
    TenantId tenant();

    /** The instant at which indicators must be live. */
    Instant at();

    /**
     * The indicators {@code value} (raw, normalised here) meets: the same as {@link IndicatorLookup#match} with this
     * tenant and instant. Never {@code null}; the empty list is shared.
     */
    List<Indicator> match(IndicatorType type, String value);
}
