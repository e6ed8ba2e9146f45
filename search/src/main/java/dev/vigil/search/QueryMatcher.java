package dev.vigil.search;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import dev.vigil.search.Query.And;
import dev.vigil.search.Query.Cidr;
import dev.vigil.search.Query.Exists;
import dev.vigil.search.Query.MatchAll;
import dev.vigil.search.Query.Not;
import dev.vigil.search.Query.Or;
import dev.vigil.search.Query.Phrase;
import dev.vigil.search.Query.Range;
import dev.vigil.search.Query.Term;
import dev.vigil.search.Query.Wildcard;
import inet.ipaddr.IPAddress;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Predicate;

/**
 * Evaluates a {@link Query} against an {@link Event} in memory: the reference semantics of the search language, which
 * the store's SQL translation must agree with, and the filter of live tails and alert rules.
 *
 * <p>Semantics, clause by clause (fields resolve through {@link Event#field(String)}; {@code @timestamp} is the
 * event's {@link Event#timestamp()} when it has one):
 *
 * <ul>
 *   <li><b>Term and Phrase with a field</b>: equality with the whole value. When both the field's value and the
 *       query's are numbers (Java numbers, or text in decimal notation) they compare as numbers, so {@code 4625}
 *       matches {@code "4625"} and {@code 1.0} matches {@code 1}; {@code @timestamp} compares as an instant when the
 *       query value is an ISO-8601 time; otherwise the texts compare case-insensitively.
 *   <li><b>Term and Phrase without a field</b>: the value occurs, case-insensitively, in the event's <em>text</em>:
 *       its {@code message} field when present and not null, else the original record when that is a string, else
 *       all its field values joined by single spaces (in field order, list elements in order).
 *   <li><b>Wildcard</b>: the whole value matches the pattern, case-insensitively; without a field, the pattern
 *       matches somewhere in the event's text.
 *   <li><b>Range</b>: numbers when both ends (those given) and the value are numbers; else instants when they are all
 *       ISO-8601 times; else case-insensitive text order. An open end (null) is unbounded.
 *   <li><b>Cidr</b>: the value is an IP address (or a block) inside the block.
 *   <li><b>Exists</b>: the field is present, not null, and not a list without a non-null element.
 * </ul>
 *
 * <p>A list-valued field matches when one of its elements does. Text forms of non-string values: numbers and booleans
 * as Java prints them ({@code 42}, {@code 1.5}, {@code true}), instants in ISO-8601. Values that are maps (a dotted
 * name stopping at an object of the original record) match only {@link Exists}.
 *
 * <p>The matcher holds no state; one instance may serve any number of threads. {@link #compile(Query)} prepares a
 * query once for many events.
 */
public final class QueryMatcher {

    public QueryMatcher() {}

    public boolean matches(Query query, Event event) {
        requireNonNull(event, "event");
        return compile(query).test(event);
    }

    /**
     * The query prepared for many events (wildcards compiled, CIDR blocks, numbers and times of the query parsed
     * once): what a live tail or an alert filter should hold. The predicate is immutable and thread-safe.
     */
    public Predicate<Event> compile(Query query) {
        requireNonNull(query, "query");
        Node node = node(query);
        return event -> node.test(new Evaluation(requireNonNull(event, "event")));
    }

    /** A compiled clause. */
    @FunctionalInterface
    private interface Node {
        boolean test(Evaluation evaluation);
    }

    private static Node node(Query query) {
        return switch (query) {
            case MatchAll m -> e -> true;
            case Term t -> equality(t.field(), t.value());
            case Phrase p -> equality(p.field(), p.text());
            case Wildcard w -> {
                Glob glob = Glob.compile(w.pattern(), w.field() == null);
                yield w.field() == null
                        ? e -> glob.matches(e.text())
                        : e -> e.anyScalar(w.field(), v -> glob.matches(Evaluation.text(v)));
            }
            case Range r -> {
                Predicate<Object> inRange = Evaluation.inRange(r);
                yield e -> e.anyScalar(r.field(), inRange);
            }
            case Cidr c -> {
                IPAddress block = QueryValues.address(c.block());
                yield block == null
                        ? e -> false
                        : e -> e.anyScalar(c.field(), v -> v instanceof String s && Evaluation.inBlock(block, s));
            }
            case Exists x -> e -> Evaluation.exists(e.resolve(x.field()));
            case Not n -> {
                Node inner = node(n.clause());
                yield e -> !inner.test(e);
            }
            case And a -> {
                Node[] clauses = a.clauses().stream().map(QueryMatcher::node).toArray(Node[]::new);
                yield e -> {
                    for (Node clause : clauses) {
                        if (!clause.test(e)) {
                            return false;
                        }
                    }
                    return true;
                };
            }
            case Or o -> {
                Node[] clauses = o.clauses().stream().map(QueryMatcher::node).toArray(Node[]::new);
                yield e -> {
                    for (Node clause : clauses) {
                        if (clause.test(e)) {
                            return true;
                        }
                    }
                    return false;
                };
            }
        };
    }

    private static Node equality(String field, String value) {
        if (field == null) {
            String folded = QueryValues.fold(value);
            return e -> e.text().contains(folded);
        }
        Predicate<Object> equalTo = Evaluation.equalTo(value);
        return e -> e.anyScalar(field, equalTo);
    }

    /** One event's evaluation: caches the event's folded text, which several bare terms may need. */
    private static final class Evaluation {
        private final Event event;
        private String foldedText;

        Evaluation(Event event) {
            this.event = event;
        }

        private Object resolve(String field) {
            if (field.equals("@timestamp") && event.timestamp() != null) {
                return event.timestamp();
            }
            return event.field(field);
        }

        private boolean anyScalar(String field, Predicate<Object> test) {
            Object value = resolve(field);
            if (value instanceof List<?> list) {
                for (Object element : list) {
                    if (isScalar(element) && test.test(element)) {
                        return true;
                    }
                }
                return false;
            }
            return isScalar(value) && test.test(value);
        }

        private static boolean isScalar(Object value) {
            return value != null
                    && value != Event.MISSING
                    && !(value instanceof Map<?, ?>)
                    && !(value instanceof List<?>);
        }

        private static boolean exists(Object value) {
            if (value == null || value == Event.MISSING) {
                return false;
            }
            if (value instanceof List<?> list) {
                for (Object element : list) {
                    if (element != null) {
                        return true;
                    }
                }
                return false;
            }
            return true;
        }

        private static Predicate<Object> equalTo(String queryValue) {
            BigDecimal queryNumber = QueryValues.number(queryValue);
            String folded = QueryValues.fold(queryValue);
            Instant queryTime = QueryValues.time(queryValue);
            return value -> {
                if (queryNumber != null) {
                    BigDecimal number = QueryValues.number(value);
                    if (number != null) {
                        return number.compareTo(queryNumber) == 0;
                    }
                }
                if (value instanceof Instant instant && queryTime != null) {
                    return instant.equals(queryTime);
                }
                return QueryValues.fold(text(value)).equals(folded);
            };
        }

        /** The test of one value against a range, its ends read as numbers, times and folded text once. */
        private static Predicate<Object> inRange(Range r) {
            BigDecimal lowerNumber = r.lower() == null ? null : QueryValues.number(r.lower());
            BigDecimal upperNumber = r.upper() == null ? null : QueryValues.number(r.upper());
            boolean numericEnds =
                    (r.lower() == null || lowerNumber != null) && (r.upper() == null || upperNumber != null);
            Instant lowerTime = r.lower() == null ? null : QueryValues.time(r.lower());
            Instant upperTime = r.upper() == null ? null : QueryValues.time(r.upper());
            boolean timeEnds = (r.lower() == null || lowerTime != null) && (r.upper() == null || upperTime != null);
            String lowerText = r.lower() == null ? null : QueryValues.fold(r.lower());
            String upperText = r.upper() == null ? null : QueryValues.fold(r.upper());
            return value -> {
                if (numericEnds) {
                    BigDecimal number = QueryValues.number(value);
                    if (number != null) {
                        return within(number, lowerNumber, r.lowerInclusive(), upperNumber, r.upperInclusive());
                    }
                }
                if (timeEnds) {
                    Instant time =
                            value instanceof Instant i ? i : value instanceof String s ? QueryValues.time(s) : null;
                    if (time != null) {
                        return within(time, lowerTime, r.lowerInclusive(), upperTime, r.upperInclusive());
                    }
                }
                return within(
                        QueryValues.fold(text(value)), lowerText, r.lowerInclusive(), upperText, r.upperInclusive());
            };
        }

        private static <T extends Comparable<T>> boolean within(
                T value, T lower, boolean lowerInclusive, T upper, boolean upperInclusive) {
            if (lower != null) {
                int c = value.compareTo(lower);
                if (c < 0 || c == 0 && !lowerInclusive) {
                    return false;
                }
            }
            if (upper != null) {
                int c = value.compareTo(upper);
                return c < 0 || c == 0 && upperInclusive;
            }
            return true;
        }

        private static boolean inBlock(IPAddress block, String value) {
            IPAddress address = QueryValues.address(value.trim());
            return address != null && address.getIPVersion() == block.getIPVersion() && block.contains(address);
        }

        /** The event's text, folded (see the class comment). */
        private String text() {
            if (foldedText == null) {
                foldedText = QueryValues.fold(eventText(event));
            }
            return foldedText;
        }

        private static String eventText(Event event) {
            Object message = event.field("message");
            if (message instanceof List<?> list) {
                StringJoiner joined = new StringJoiner(" ");
                list.stream().filter(Evaluation::isScalar).forEach(v -> joined.add(text(v)));
                return joined.toString();
            }
            if (isScalar(message)) {
                return text(message);
            }
            if (event.original() instanceof String original) {
                return original;
            }
            // Every field the store keeps, derived ones included (not Event.forEachValue, which gives the record's own
            // values for Sigma keywords): a stored event has its derived fields as fields, and search must read the
            // same text live and stored.
            StringJoiner joined = new StringJoiner(" ");
            Event.forEachValueOf(event.fields(), v -> joined.add(text(v)));
            return joined.toString();
        }

        private static String text(Object scalar) {
            return scalar instanceof String s ? s : String.valueOf(scalar);
        }
    }
}
