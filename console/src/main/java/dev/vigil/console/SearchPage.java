package dev.vigil.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.search.Query;
import dev.vigil.search.QueryParser;
import dev.vigil.search.QueryPrinter;
import dev.vigil.search.QuerySyntaxException;
import dev.vigil.store.EventStore;
import dev.vigil.store.HistogramBucket;
import dev.vigil.store.StoredEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Event search: a KQL/Lucene query over a time range, a histogram of the matches, a page of events (each with its raw
 * record behind a disclosure) and a sidebar with the top values of the fields most common among the latest matches;
 * clicking a value adds {@code field:"value"} to the query.
 *
 * <p>The page costs two scans of the range whatever its size: the histogram, whose buckets also sum to the total, and
 * one newest-first query that fetches the {@value #SAMPLE_SIZE} latest matches. The first page is their head, and the
 * sidebar counts values among them, as analysts know from Kibana's field list: exact counts over every match would
 * cost one aggregation per field over millions of rows (seconds per field on fields kept only in the JSON), and a
 * click on a value still runs the exact search.
 */
public final class SearchPage implements ConsolePage {
    static final int PAGE_SIZE = 50;
    static final int SAMPLE_SIZE = 500;
    private static final int SIDEBAR_FIELDS = 6;
    private static final int TOP_VALUES = 5;
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A query error with its position, shown under the box with a caret. */
    public record QueryError(String message, int position, String before, String after) {}

    public record Hit(StoredEvent stored, String summary, String raw) {}

    public record FieldTop(String field, List<Value> values) {}

    /** A sidebar value with the query that narrows to it. */
    public record Value(String value, long count, String refineUrl) {}

    public record Model(
            String q,
            String range,
            int page,
            QueryError error,
            long total,
            String chart,
            List<Hit> hits,
            List<FieldTop> sidebar,
            int sampled) {
        public boolean hasNext() {
            return (long) (page + 1) * PAGE_SIZE < total;
        }
    }

    @Override
    public void register(ConsoleRouter router) {
        router.tenantGet("/search", Access.VIEW, r -> r.render("search.jte", "nav.search", "search", model(r)));
    }

    static Model model(PageRequest r) {
        String q = r.query("q", QueryParser.MAX_LENGTH);
        int page = AlertsPage.parsePage(r.query("page", 6));
        TimeRange range =
                TimeRange.parse(r.query("range", 8), r.services().clock().instant());
        Query query;
        try {
            query = q.isBlank() ? new Query.MatchAll() : QueryParser.parse(q);
        } catch (QuerySyntaxException e) {
            int pos = Math.max(0, Math.min(e.position(), q.length()));
            return new Model(
                    q,
                    range.key(),
                    page,
                    new QueryError(e.getMessage(), pos, q.substring(0, pos), q.substring(pos)),
                    0,
                    "",
                    List.of(),
                    List.of(),
                    0);
        }
        EventStore store = r.services().events();
        Duration bucket = EventStore.histogramBucket(range.from(), range.to());
        List<HistogramBucket> histogram = store.histogram(r.tenant(), query, range.from(), range.to(), bucket);
        long total = 0;
        for (HistogramBucket b : histogram) {
            total += b.count();
        }
        String chart = Charts.histogram(histogram, r.messages().t("search.events"));
        List<StoredEvent> sample = store.latest(
                r.tenant(), query, newestHolding(histogram, SAMPLE_SIZE, range.from()), range.to(), SAMPLE_SIZE, 0);
        int offset = page * PAGE_SIZE;
        List<StoredEvent> pageEvents = page == 0
                ? sample.subList(0, Math.min(PAGE_SIZE, sample.size()))
                : store.latest(
                        r.tenant(),
                        query,
                        newestHolding(histogram, offset + PAGE_SIZE, range.from()),
                        range.to(),
                        PAGE_SIZE,
                        offset);
        List<Hit> hits = new ArrayList<>();
        for (StoredEvent e : pageEvents) {
            hits.add(new Hit(e, summary(e), raw(e)));
        }
        String base = "/t/" + r.tenant().value() + "/search?range=" + Html.q(range.key()) + "&q=";
        List<FieldTop> sidebar = new ArrayList<>();
        for (Map.Entry<String, List<ValueCount>> f : topValues(sample).entrySet()) {
            List<Value> values = new ArrayList<>();
            for (ValueCount v : f.getValue()) {
                values.add(new Value(v.value(), v.count(), base + Html.q(refine(query, f.getKey(), v.value()))));
            }
            sidebar.add(new FieldTop(f.getKey(), values));
        }
        return new Model(q, range.key(), page, null, total, chart, hits, sidebar, sample.size());
    }

    /**
     * The latest start of a histogram bucket from which on at least {@code rows} events match (or {@code from} when the
     * whole range holds fewer): the newest {@code rows} matches all lie after it, so the newest-first query need not
     * sort the older ones. The histogram counts the same query over the same range, so this is exact.
     */
    static Instant newestHolding(List<HistogramBucket> histogram, long rows, Instant from) {
        long seen = 0;
        for (int i = histogram.size() - 1; i >= 0; i--) {
            seen += histogram.get(i).count();
            if (seen >= rows) {
                Instant start = histogram.get(i).start();
                return start.isAfter(from) ? start : from;
            }
        }
        return from;
    }

    record ValueCount(String value, long count) {}

    /**
     * The top values of the fields most of {@code events} have (most common first, ties by name), each value counted
     * once per event that has it, an element of a list like a value of its own.
     */
    static Map<String, List<ValueCount>> topValues(List<StoredEvent> events) {
        Map<String, Map<String, Long>> byField = new HashMap<>();
        Map<String, Integer> eventsWithField = new HashMap<>();
        for (StoredEvent e : events) {
            for (Map.Entry<String, Object> f : e.event().fields().entrySet()) {
                java.util.Set<String> values = new java.util.LinkedHashSet<>();
                if (f.getValue() instanceof String || f.getValue() instanceof Number) {
                    values.add(String.valueOf(f.getValue()));
                } else if (f.getValue() instanceof List<?> list) {
                    for (Object o : list) {
                        if (o instanceof String || o instanceof Number) {
                            values.add(String.valueOf(o));
                        }
                    }
                }
                if (values.isEmpty()) {
                    continue;
                }
                eventsWithField.merge(f.getKey(), 1, Integer::sum);
                Map<String, Long> counts = byField.computeIfAbsent(f.getKey(), k -> new HashMap<>());
                for (String v : values) {
                    counts.merge(v, 1L, Long::sum);
                }
            }
        }
        Map<String, List<ValueCount>> out = new java.util.LinkedHashMap<>();
        eventsWithField.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(SIDEBAR_FIELDS)
                .forEach(f -> out.put(
                        f.getKey(),
                        byField.get(f.getKey()).entrySet().stream()
                                .sorted(Map.Entry.<String, Long>comparingByValue()
                                        .reversed()
                                        .thenComparing(Map.Entry.comparingByKey()))
                                .limit(TOP_VALUES)
                                .map(v -> new ValueCount(v.getKey(), v.getValue()))
                                .toList()));
        return out;
    }

    /** The query narrowed to events whose {@code field} is {@code value}, printed back in the query language. */
    static String refine(Query query, String field, String value) {
        Query narrow = new Query.Phrase(field, value);
        Query combined = query instanceof Query.MatchAll ? narrow : new Query.And(List.of(query, narrow));
        return QueryPrinter.print(combined);
    }

    static String summary(StoredEvent e) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Object> f : e.event().fields().entrySet()) {
            if (out.length() > 300) {
                out.append(" …");
                break;
            }
            if (!out.isEmpty()) {
                out.append("  ");
            }
            out.append(f.getKey()).append('=').append(f.getValue());
        }
        return out.toString();
    }

    private static String raw(StoredEvent e) {
        try {
            Object original = e.event().original();
            return PRETTY.writeValueAsString(original == null ? e.event().fields() : original);
        } catch (JsonProcessingException ex) {
            return String.valueOf(e.event().original());
        }
    }
}
