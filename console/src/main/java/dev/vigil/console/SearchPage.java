package dev.vigil.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.search.Query;
import dev.vigil.search.QueryParser;
import dev.vigil.search.QueryPrinter;
import dev.vigil.search.QuerySyntaxException;
import dev.vigil.store.EventStore;
import dev.vigil.store.FieldCounts;
import dev.vigil.store.SearchResult;
import dev.vigil.store.StoredEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Event search: a KQL/Lucene query over a time range, a histogram of the matches, a page of events (each with its raw
 * record behind a disclosure) and a sidebar with the top values of the fields the page's events have most often;
 * clicking a value adds {@code field:"value"} to the query.
 */
public final class SearchPage implements ConsolePage {
    static final int PAGE_SIZE = 50;
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
            List<FieldTop> sidebar) {
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
                    List.of());
        }
        EventStore store = r.services().events();
        Duration bucket = EventStore.histogramBucket(range.from(), range.to());
        String chart = Charts.histogram(
                store.histogram(r.tenant(), query, range.from(), range.to(), bucket),
                r.messages().t("search.events"));
        SearchResult result = store.search(r.tenant(), query, range.from(), range.to(), PAGE_SIZE, page * PAGE_SIZE);
        List<Hit> hits = new ArrayList<>();
        for (StoredEvent e : result.events()) {
            hits.add(new Hit(e, summary(e), raw(e)));
        }
        List<FieldTop> sidebar = new ArrayList<>();
        String base = "/t/" + r.tenant().value() + "/search?range=" + Html.q(range.key()) + "&q=";
        for (String field : frequentFields(result.events())) {
            FieldCounts counts = store.countBy(r.tenant(), query, range.from(), range.to(), field, TOP_VALUES);
            List<Value> values = new ArrayList<>();
            for (FieldCounts.Bucket b : counts.buckets()) {
                values.add(new Value(b.value(), b.count(), base + Html.q(refine(query, field, b.value()))));
            }
            sidebar.add(new FieldTop(field, values));
        }
        return new Model(q, range.key(), page, null, result.total(), chart, hits, sidebar);
    }

    /** The query narrowed to events whose {@code field} is {@code value}, printed back in the query language. */
    static String refine(Query query, String field, String value) {
        Query narrow = new Query.Phrase(field, value);
        Query combined = query instanceof Query.MatchAll ? narrow : new Query.And(List.of(query, narrow));
        return QueryPrinter.print(combined);
    }

    /** The fields most of the page's events have, most common first (ties by name). */
    static List<String> frequentFields(List<StoredEvent> events) {
        Map<String, Integer> counts = new HashMap<>();
        for (StoredEvent e : events) {
            for (Map.Entry<String, Object> f : e.event().fields().entrySet()) {
                if (f.getValue() instanceof String || f.getValue() instanceof Number) {
                    counts.merge(f.getKey(), 1, Integer::sum);
                }
            }
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(SIDEBAR_FIELDS)
                .map(Map.Entry::getKey)
                .toList();
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
