package dev.vigil.search;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link QueryMatcher} against a second, deliberately naive implementation of the same semantics (backtracking
 * wildcards, exceptions as number and time tests, byte-wise CIDR), over seeded random events and queries.
 */
class QueryMatcherReferenceTest {
    private static final long SEED = 0xC0FFEEL;

    private static final List<String> NAMES = List.of("alice", "ALICE", "Bob", "bob smith", "carol", "root", "x", "");
    private static final List<String> NUMBERS =
            List.of("4625", "4625.0", "4624", "1", "1.0", "01", "-5", "1e3", "1000", ".5", "0.5", "abc", "10");
    private static final List<String> ADDRESSES =
            List.of("10.1.2.3", "10.200.0.1", "192.168.1.7", "8.8.8.8", "2001:db8::1", "fe80::1", "1", "not-ip");
    private static final List<String> BLOCKS =
            List.of("10.0.0.0/8", "192.168.0.0/16", "10.1.2.0/24", "2001:db8::/32", "0.0.0.0/0", "8.8.8.8/32");
    private static final List<String> TIMES = List.of(
            "2024-01-01", "2024-01-01T10:00:00Z", "2024-01-02T00:00:00+02:00", "2024-01-03 12:00:00", "2023-12-31");
    private static final List<String> MESSAGES =
            List.of("Failed password for root from 10.1.2.3", "Accepted publickey for bob", "session opened for ALICE");
    private static final List<String> PATTERNS = List.of(
            "ali*", "*ce", "?ob", "*o*", "b*b", "a?i*e", "*pass*for*", "10.*", "*1", "46?5", "*\\**", "bob\\ *", "**");
    private static final List<String> FIELDS =
            List.of("user", "EventID", "source.ip", "tags", "when", "@timestamp", "flag", "nothing", "message");

    @Test
    void agreesWithTheReferenceOnRandomEventsAndQueries() {
        Random random = new Random(SEED);
        QueryMatcher matcher = new QueryMatcher();
        int matched = 0;
        int total = 0;
        for (int e = 0; e < 400; e++) {
            Event event = randomEvent(random);
            for (int q = 0; q < 100; q++) {
                Query query = randomQuery(random, 3);
                boolean expected = Reference.matches(query, event);
                assertThat(matcher.matches(query, event))
                        .as("%s on %s (timestamp %s, original %s)", query, event, event.timestamp(), event.original())
                        .isEqualTo(expected);
                assertThat(matcher.compile(query).test(event))
                        .as("compiled %s", query)
                        .isEqualTo(expected);
                matched += expected ? 1 : 0;
                total++;
            }
        }
        // Both outcomes are common, so the comparison is not vacuous.
        assertThat(matched).isBetween(total / 10, total - total / 10);
    }

    private static Event randomEvent(Random random) {
        Event.Builder b = Event.builder();
        if (random.nextBoolean()) {
            b.field("user", pick(random, NAMES));
        }
        switch (random.nextInt(4)) {
            case 0 -> b.field("EventID", random.nextBoolean() ? 4625L : 1L);
            case 1 -> b.field("EventID", pick(random, NUMBERS));
            case 2 -> b.field("EventID", random.nextBoolean() ? 1.0d : 0.5d);
            default -> {}
        }
        if (random.nextBoolean()) {
            b.field(
                    "source.ip",
                    random.nextInt(4) == 0
                            ? List.of(pick(random, ADDRESSES), pick(random, ADDRESSES))
                            : pick(random, ADDRESSES));
        }
        if (random.nextInt(3) == 0) {
            b.field("tags", Arrays.asList(pick(random, NAMES), null, pick(random, NUMBERS)));
        }
        if (random.nextBoolean()) {
            b.field("when", pick(random, TIMES));
        }
        if (random.nextInt(3) == 0) {
            b.field("flag", random.nextBoolean());
        }
        if (random.nextInt(4) == 0) {
            b.field("nothing", null);
        }
        if (random.nextInt(3) == 0) {
            b.field("message", pick(random, MESSAGES));
        } else if (random.nextBoolean()) {
            b.original(pick(random, MESSAGES));
        }
        if (random.nextBoolean()) {
            b.timestamp(Instant.parse(pick(random, List.of("2024-01-01T10:00:00Z", "2023-06-01T00:00:00Z"))));
        }
        return b.build();
    }

    private static Query randomQuery(Random random, int depth) {
        String field = pick(random, FIELDS);
        return switch (random.nextInt(depth > 0 ? 12 : 9)) {
            case 0 -> new Term(field, anyValue(random));
            case 1 -> new Phrase(random.nextInt(3) == 0 ? null : field, anyValue(random));
            case 2 -> new Wildcard(random.nextInt(3) == 0 ? null : field, pick(random, PATTERNS));
            case 3 -> new Range(field, bound(random), random.nextBoolean(), bound(random), random.nextBoolean());
            case 4 -> new Cidr(field, pick(random, BLOCKS));
            case 5 -> new Exists(field);
            case 6 -> new Term(null, pick(random, List.of("root", "FOR", "10.1", "alice", "4625", "true", "1.0")));
            case 7 -> new MatchAll();
            case 8 -> new Term(field, pick(random, NUMBERS));
            case 9 -> new Not(randomQuery(random, depth - 1));
            case 10 -> new And(List.of(randomQuery(random, depth - 1), randomQuery(random, depth - 1)));
            default -> new Or(List.of(randomQuery(random, depth - 1), randomQuery(random, depth - 1)));
        };
    }

    private static String anyValue(Random random) {
        return pick(
                random,
                List.of(NAMES, NUMBERS, ADDRESSES, TIMES, List.of("true", "FALSE"))
                        .get(random.nextInt(5)));
    }

    private static String bound(Random random) {
        return random.nextInt(4) == 0 ? null : anyValue(random);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** The semantics of {@link QueryMatcher}'s class comment, written as plainly as possible. */
    private static final class Reference {
        static boolean matches(Query query, Event event) {
            return switch (query) {
                case MatchAll m -> true;
                case Term t ->
                    t.field() == null
                            ? lower(text(event)).contains(lower(t.value()))
                            : values(event, t.field()).stream().anyMatch(v -> equal(v, t.value()));
                case Phrase p -> matches(new Term(p.field(), p.text()), event);
                case Wildcard w ->
                    w.field() == null
                            ? glob(lower("*" + w.pattern() + "*"), 0, lower(text(event)), 0)
                            : values(event, w.field()).stream()
                                    .anyMatch(v -> glob(lower(w.pattern()), 0, lower(String.valueOf(v)), 0));
                case Range r -> values(event, r.field()).stream().anyMatch(v -> inRange(r, v));
                case Cidr c ->
                    values(event, c.field()).stream().anyMatch(v -> v instanceof String s && inBlock(c.block(), s));
                case Exists x ->
                    !values(event, x.field()).isEmpty() || resolve(event, x.field()) instanceof java.util.Map<?, ?>;
                case Not n -> !matches(n.clause(), event);
                case And a -> a.clauses().stream().allMatch(c -> matches(c, event));
                case Or o -> o.clauses().stream().anyMatch(c -> matches(c, event));
            };
        }

        static Object resolve(Event event, String field) {
            return field.equals("@timestamp") && event.timestamp() != null ? event.timestamp() : event.field(field);
        }

        /** The non-null scalar values of a field (list elements one by one). */
        static List<Object> values(Event event, String field) {
            Object value = resolve(event, field);
            List<Object> out = new ArrayList<>();
            if (value instanceof List<?> list) {
                list.stream().filter(v -> v != null).forEach(out::add);
            } else if (value != null && value != Event.MISSING && !(value instanceof java.util.Map<?, ?>)) {
                out.add(value);
            }
            return out;
        }

        static String text(Event event) {
            Object message = event.field("message");
            if (message != null && message != Event.MISSING) {
                return String.valueOf(message);
            }
            if (event.original() instanceof String s) {
                return s;
            }
            List<String> all = new ArrayList<>();
            event.forEachValue(v -> all.add(String.valueOf(v)));
            return String.join(" ", all);
        }

        static boolean equal(Object value, String query) {
            BigDecimal a = number(String.valueOf(value));
            BigDecimal b = number(query);
            if (a != null && b != null && !(value instanceof Boolean)) {
                return a.compareTo(b) == 0;
            }
            if (value instanceof Instant instant && time(query) != null) {
                return instant.equals(time(query));
            }
            return String.valueOf(value).equalsIgnoreCase(query);
        }

        static boolean inRange(Range r, Object value) {
            String v = String.valueOf(value);
            if (number(v) != null
                    && (r.lower() == null || number(r.lower()) != null)
                    && (r.upper() == null || number(r.upper()) != null)) {
                return (r.lower() == null || cmp(number(v).compareTo(number(r.lower())), r.lowerInclusive(), true))
                        && (r.upper() == null
                                || cmp(number(v).compareTo(number(r.upper())), r.upperInclusive(), false));
            }
            Instant t = value instanceof Instant i ? i : time(v);
            if (t != null
                    && (r.lower() == null || time(r.lower()) != null)
                    && (r.upper() == null || time(r.upper()) != null)) {
                return (r.lower() == null || cmp(t.compareTo(time(r.lower())), r.lowerInclusive(), true))
                        && (r.upper() == null || cmp(t.compareTo(time(r.upper())), r.upperInclusive(), false));
            }
            return (r.lower() == null || cmp(lower(v).compareTo(lower(r.lower())), r.lowerInclusive(), true))
                    && (r.upper() == null || cmp(lower(v).compareTo(lower(r.upper())), r.upperInclusive(), false));
        }

        /** Whether a comparison result satisfies a lower ({@code above}) or an upper bound. */
        static boolean cmp(int comparison, boolean inclusive, boolean above) {
            return comparison == 0 ? inclusive : above == comparison > 0;
        }

        static BigDecimal number(String s) {
            try {
                return new BigDecimal(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        static Instant time(String s) {
            String iso = s.replace(' ', 'T');
            try {
                return OffsetDateTime.parse(iso).toInstant();
            } catch (DateTimeParseException e) {
                // not with an offset
            }
            try {
                return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // not a local date-time
            }
            try {
                return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                return null;
            }
        }

        static boolean inBlock(String block, String value) {
            String[] parts = block.split("/");
            byte[] network = address(parts[0]);
            byte[] address = address(value);
            if (network == null || address == null || network.length != address.length) {
                return false;
            }
            int bits = Integer.parseInt(parts[1]);
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((network[i / 8] & mask) != (address[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        static byte[] address(String s) {
            if (s.contains(":")) {
                try {
                    return InetAddress.getByName(s).getAddress(); // an IPv6 literal: no name lookup
                } catch (UnknownHostException e) {
                    return null;
                }
            }
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                try {
                    int n = Integer.parseInt(parts[i]);
                    if (n < 0 || n > 255) {
                        return null;
                    }
                    bytes[i] = (byte) n;
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return bytes;
        }

        /** Backtracking wildcard matching: exponential in the worst case, obviously right. */
        static boolean glob(String pattern, int p, String text, int t) {
            if (p == pattern.length()) {
                return t == text.length();
            }
            char c = pattern.charAt(p);
            if (c == '*') {
                return glob(pattern, p + 1, text, t) || t < text.length() && glob(pattern, p, text, t + 1);
            }
            if (t == text.length()) {
                return false;
            }
            if (c == '\\' && p + 1 < pattern.length()) {
                return pattern.charAt(p + 1) == text.charAt(t) && glob(pattern, p + 2, text, t + 1);
            }
            return (c == '?' || c == text.charAt(t)) && glob(pattern, p + 1, text, t + 1);
        }

        static String lower(String s) {
            return s.toLowerCase(Locale.ROOT);
        }
    }
}
