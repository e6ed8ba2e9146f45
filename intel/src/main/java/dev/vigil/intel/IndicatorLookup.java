package dev.vigil.intel;

import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
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

    /**
     * Visits the indicators {@code tenant} may see (the global ones and its own, live or not) of {@code type} (any when
     * {@code null}) whose value, lower-cased, contains {@code lowerText} (every value when it is empty): the text
     * search of the console. Implementations skip decoding what does not match.
     */
    default void forEachContaining(TenantId tenant, IndicatorType type, String lowerText, Consumer<Indicator> visitor) {
        forEach(i -> {
            if ((i.tenant() == null || i.tenant().equals(tenant))
                    && (type == null || i.type() == type)
                    && (lowerText.isEmpty()
                            || i.value().toLowerCase(Locale.ROOT).contains(lowerText))) {
                visitor.accept(i);
            }
        });
    }

    /**
     * As {@link #forEachContaining}, also keeping only indicators with a source whose feed name, lower-cased, contains
     * {@code lowerSource} (any when empty), and decoding and visiting only the first {@code limit} matches: returns
     * how many match in all, so a page of a search over millions costs the decoding of what it keeps.
     */
    default long countContaining(
            TenantId tenant,
            IndicatorType type,
            String lowerText,
            String lowerSource,
            int limit,
            Consumer<Indicator> firstMatches) {
        long[] n = {0};
        forEachContaining(tenant, type, lowerText, i -> {
            if (fromSource(i, lowerSource) && n[0]++ < limit) {
                firstMatches.accept(i);
            }
        });
        return n[0];
    }

    /** Whether some source of {@code i} has a feed name that, lower-cased, contains {@code lowerSource}. */
    static boolean fromSource(Indicator i, String lowerSource) {
        if (lowerSource.isEmpty()) {
            return true;
        }
        for (IndicatorSource s : i.sources()) {
            if (s.feed().toLowerCase(Locale.ROOT).contains(lowerSource)) {
                return true;
            }
        }
        return false;
    }

    /** How many indicators {@code tenant} may see: the global ones and its own, live or not. */
    default long countVisible(TenantId tenant) {
        long[] n = {0};
        forEachContaining(tenant, null, "", i -> n[0]++);
        return n[0];
    }

    /** How many indicators are held. */
    int size();
}
