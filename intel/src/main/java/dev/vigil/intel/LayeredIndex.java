package dev.vigil.intel;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A small index of recent changes over a big one, so that an import of a few thousand indicators is searchable at once
 * without rebuilding a base of millions. An indicator in the delta replaces the base's indicator with the same key
 * (the caller puts the merged indicator there, {@link Indicator#merge}); everything else comes from the base. When the
 * delta grows (say past a few percent of the base), rebuild: a new {@link IndicatorIndex.Builder} fed with both
 * ({@link #forEach}) gives one index again.
 */
public final class LayeredIndex implements IndicatorLookup {
    private final IndicatorLookup base;
    private final IndicatorLookup delta;

    public LayeredIndex(IndicatorLookup base, IndicatorLookup delta) {
        this.base = requireNonNull(base, "base");
        this.delta = requireNonNull(delta, "delta");
    }

    @Override
    public ScopedLookup scoped(TenantId tenant, Instant at) {
        return new Scoped(delta.scoped(tenant, at), base.scoped(tenant, at));
    }

    /** Both layers bound to one tenant and instant. */
    private final class Scoped implements ScopedLookup {
        private final ScopedLookup delta;
        private final ScopedLookup base;

        Scoped(ScopedLookup delta, ScopedLookup base) {
            this.delta = delta;
            this.base = base;
        }

        @Override
        public TenantId tenant() {
            return base.tenant();
        }

        @Override
        public Instant at() {
            return base.at();
        }

        @Override
        public List<Indicator> match(IndicatorType type, String value) {
            List<Indicator> fromDelta = delta.match(type, value);
            List<Indicator> fromBase = base.match(type, value);
            if (fromBase.isEmpty()) {
                return fromDelta;
            }
            List<Indicator> all = new ArrayList<>(fromDelta.size() + fromBase.size());
            all.addAll(fromDelta);
            for (Indicator i : fromBase) {
                if (!LayeredIndex.this.delta.contains(i.key())) {
                    all.add(i);
                }
            }
            return all.isEmpty() ? List.of() : all;
        }
    }

    @Override
    public boolean contains(Indicator.Key key) {
        return delta.contains(key) || base.contains(key);
    }

    @Override
    public void forEach(Consumer<Indicator> visitor) {
        delta.forEach(visitor);
        base.forEach(i -> {
            if (!delta.contains(i.key())) {
                visitor.accept(i);
            }
        });
    }

    @Override
    public void forEachContaining(TenantId tenant, IndicatorType type, String lowerText, Consumer<Indicator> visitor) {
        delta.forEachContaining(tenant, type, lowerText, visitor);
        base.forEachContaining(tenant, type, lowerText, i -> {
            if (!delta.contains(i.key())) {
                visitor.accept(i);
            }
        });
    }

    @Override
    public long countContaining(
            TenantId tenant,
            IndicatorType type,
            String lowerText,
            String lowerSource,
            int limit,
            Consumer<Indicator> firstMatches) {
        if (!lowerSource.isEmpty()) {
            // A delta indicator carries the merged sources, so whether the base version it hides has a matching
            // source is not known without decoding it: take the plain way through forEach.
            return IndicatorLookup.super.countContaining(tenant, type, lowerText, lowerSource, limit, firstMatches);
        }
        // One pass over the delta: every match is decoded anyway to learn whether it hides a base indicator.
        long[] hidden = {0};
        long[] visited = {0};
        long inDelta = delta.countContaining(tenant, type, lowerText, lowerSource, Integer.MAX_VALUE, i -> {
            if (base.contains(i.key())) {
                hidden[0]++; // its base version matches too (same key: same value, type and tenant)
            }
            if (visited[0] < limit) {
                visited[0]++;
                firstMatches.accept(i);
            }
        });
        long inBase =
                base.countContaining(tenant, type, lowerText, lowerSource, (int) Math.max(0, limit - visited[0]), i -> {
                    if (!delta.contains(i.key())) {
                        firstMatches.accept(i);
                    }
                });
        return inDelta + inBase - hidden[0];
    }

    @Override
    public long countVisible(TenantId tenant) {
        // The delta is the small layer: count what of it hides a visible base indicator.
        long[] hidden = {0};
        delta.forEachContaining(tenant, null, "", i -> {
            if (base.contains(i.key())) {
                hidden[0]++;
            }
        });
        return base.countVisible(tenant) + delta.countVisible(tenant) - hidden[0];
    }

    /** The number of indicators of both layers, counting one replaced by the delta twice (cheap, approximate). */
    @Override
    public int size() {
        return base.size() + delta.size();
    }
}
