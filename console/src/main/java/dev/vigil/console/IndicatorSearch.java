package dev.vigil.console;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorLookup;
import dev.vigil.intel.IndicatorType;
import dev.vigil.intel.IndicatorValues;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the indicators a tenant may see (global ones and its own) by value, type and source, a page at a time.
 *
 * <p>A value is answered two ways. First as the matcher answers it, through {@link IndicatorLookup#match}: an address
 * finds the CIDR ranges that hold it, a domain its parent domains, so "is this IP known?" gets the same answer as an
 * event carrying it would. Then as text: every visible indicator whose value contains the query, case-insensitively, so
 * a partial hash or a domain fragment finds candidates, expired ones included. Exact answers come first, the rest in
 * value order. The index has no text index, so the second part is a scan of every value ({@link
 * IndicatorLookup#countContaining}, which decodes only the matches it keeps); at most {@link #MAX_COLLECTED} are kept
 * for sorting and paging (the total still counts them all), which bounds a request's memory whatever the knowledge
 * base's size.
 */
public final class IndicatorSearch {
    /** The most matches kept for sorting and paging; beyond it the page asks to narrow the search. */
    public static final int MAX_COLLECTED = 10_000;

    private final IndicatorLookup indicators;

    public IndicatorSearch(IndicatorLookup indicators) {
        this.indicators = requireNonNull(indicators, "indicators");
    }

    /**
     * What to look for; empty strings and a {@code null} type do not narrow.
     *
     * @param value a value or part of one
     * @param type only this type, or {@code null}
     * @param source part of a feed name
     */
    public record Query(String value, IndicatorType type, String source) {
        public Query {
            value = value == null ? "" : value.strip();
            source = source == null ? "" : source.strip();
        }
    }

    /**
     * One page of matches.
     *
     * @param total how many visible indicators matched
     * @param exact how many of them the value meets as the matcher would (they lead the first page)
     * @param truncated whether more matched than {@link #MAX_COLLECTED}, so later pages are not reachable
     */
    public record Result(long total, int exact, boolean truncated, List<Indicator> page) {
        public Result {
            page = List.copyOf(page);
        }
    }

    /** How many indicators the tenant sees (global and its own). */
    public long count(TenantId tenant) {
        return indicators.countVisible(tenant);
    }

    public Result search(TenantId tenant, Query q, Instant now, int offset, int limit) {
        requireNonNull(tenant, "tenant");
        requireNonNull(q, "q");
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("offset >= 0 and limit >= 1, got " + offset + " and " + limit);
        }
        String source = q.source().toLowerCase(Locale.ROOT);
        Map<Indicator.Key, Indicator> exact = new LinkedHashMap<>();
        if (!q.value().isEmpty()) {
            Optional<IndicatorType> type =
                    q.type() != null ? Optional.of(q.type()) : IndicatorValues.guessType(q.value());
            if (type.isPresent()) {
                for (Indicator i : indicators.match(type.get(), q.value(), tenant, now)) {
                    if (visible(i, tenant) && IndicatorLookup.fromSource(i, source)) {
                        exact.put(i.key(), i);
                    }
                }
            }
        }
        String needle = q.value().toLowerCase(Locale.ROOT);
        List<Indicator> rest = new ArrayList<>();
        // The index counts the matches and decodes only the ones kept; an exact answer that also contains the text
        // is counted there too, so it is taken off once.
        long overlap = exact.values().stream()
                .filter(i -> (q.type() == null || i.type() == q.type())
                        && i.value().toLowerCase(Locale.ROOT).contains(needle))
                .count();
        long textMatches = indicators.countContaining(tenant, q.type(), needle, source, MAX_COLLECTED, i -> {
            if (!exact.containsKey(i.key()) && rest.size() + exact.size() < MAX_COLLECTED) {
                rest.add(i);
            }
        });
        long total = exact.size() + textMatches - overlap;
        rest.sort(Comparator.comparing(Indicator::value)
                .thenComparing(Indicator::type)
                .thenComparing(i -> i.tenant() == null ? "" : i.tenant().value()));
        List<Indicator> all = new ArrayList<>(exact.values());
        all.addAll(rest);
        List<Indicator> page =
                offset >= all.size() ? List.of() : all.subList(offset, Math.min(all.size(), offset + limit));
        return new Result(total, exact.size(), total > all.size(), page);
    }

    private static boolean visible(Indicator i, TenantId tenant) {
        return i.tenant() == null || i.tenant().equals(tenant);
    }
}
