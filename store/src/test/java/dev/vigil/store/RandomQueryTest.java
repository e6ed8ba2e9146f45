package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.TenantId;
import dev.vigil.search.Query;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random events and queries, the store's answer compared with a plain reference matcher written from the
 * semantics in {@link QuerySql}'s documentation, before and after compaction.
 */
class RandomQueryTest {
    private static final TenantId TENANT = TenantId.of("rnd");
    private static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
    private static final String[] FIELDS = {"Computer", "EventID", "source.ip", "f1", "f2", "ip2"};
    // Text an attacker controls reaches the SQL as parameters: quotes, LIKE's and the glob's special characters,
    // characters outside ASCII and outside the basic plane must match as themselves.
    private static final String[] WORDS = {
        "alpha",
        "ALPHA",
        "beta",
        "Gam%ma",
        "de_lta",
        "a*b",
        "x\\y",
        "42",
        "7",
        "it's",
        "say \"hi\"",
        "Ärger",
        "日本",
        "x😀y"
    };
    private static final String[] IPS = {"10.0.0.1", "10.9.8.7", "192.168.1.20", "2001:db8::1", "2001:db9::5", "fe80::1"
    };
    private static final String[] BLOCKS = {"10.0.0.0/8", "10.0.0.0/16", "192.168.0.0/16", "2001:db8::/32", "::/0"};

    @TempDir
    Path dir;

    @Test
    void storeAgreesWithTheReferenceMatcher() {
        Random random = new Random(4711);
        List<Event> events = new ArrayList<>();
        try (EventStore store = EventStore.open(dir)) {
            // Two batches, two files: one with the events whose promoted values overflow their columns, one without,
            // which queries read in the form that never looks at the fields JSON of a promoted field.
            List<StoredEvent> overflowing = new ArrayList<>();
            List<StoredEvent> clean = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                Event e = randomEvent(random, START.plus(Duration.ofMinutes(15L * i)));
                events.add(e);
                StoredEvent stored = new StoredEvent(i + 1, START, e);
                (overflows(stored) ? overflowing : clean).add(stored);
            }
            assertThat(overflowing).as("events with overflow").isNotEmpty();
            assertThat(clean).as("events without overflow").isNotEmpty();
            store.write(new StoreBatch(overflowing, List.of(), 1));
            store.write(new StoreBatch(clean, List.of(), 2));
            List<Query> queries = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                queries.add(randomQuery(random, 0));
            }
            for (int round = 0; round < 2; round++) {
                for (Query q : queries) {
                    TreeSet<Long> expected = new TreeSet<>();
                    for (int i = 0; i < events.size(); i++) {
                        if (matches(events.get(i), q)) {
                            expected.add(i + 1L);
                        }
                    }
                    SearchResult result = store.search(TENANT, q, START, START.plus(Duration.ofDays(30)), 10_000, 0);
                    TreeSet<Long> actual = new TreeSet<>(
                            result.events().stream().map(StoredEvent::seq).toList());
                    TreeSet<Long> differing = new TreeSet<>(expected);
                    differing.addAll(actual);
                    differing.removeIf(seq -> expected.contains(seq) && actual.contains(seq));
                    assertThat(actual)
                            .as(
                                    "round %d: %s differs on %s",
                                    round,
                                    q,
                                    differing.stream()
                                            .map(seq ->
                                                    events.get((int) (seq - 1)).fields())
                                            .toList())
                            .isEqualTo(expected);
                    assertThat(result.total()).as("round %d: %s", round, q).isEqualTo(expected.size());
                }
                // Half the events (the first two days of four) move to Parquet; the answers must not change.
                store.compact(START.plus(Duration.ofDays(2)));
            }
        }
    }

    @Test
    void fieldPresenceAgreesWithCountByAndCount() {
        Random random = new Random(20261126L);
        List<String> fields = List.of("Computer", "EventID", "source.ip", "f1", "User", "@timestamp");
        try (EventStore store = EventStore.open(dir)) {
            List<StoredEvent> batch = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                // Values every promoted column can hold, so the one-scan path answers.
                Map<String, Object> f = new LinkedHashMap<>();
                if (random.nextInt(4) > 0) {
                    f.put("Computer", "WS-" + random.nextInt(12));
                }
                if (random.nextInt(4) > 0) {
                    f.put("EventID", (long) (4624 + random.nextInt(4)));
                }
                if (random.nextInt(4) > 0) {
                    f.put("source.ip", IPS[random.nextInt(IPS.length)]);
                }
                if (random.nextInt(4) > 0) {
                    f.put("f1", randomValue(random, "f1"));
                }
                batch.add(new StoredEvent(
                        i + 1,
                        START,
                        Event.builder()
                                .tenant(TENANT)
                                .timestamp(START.plus(Duration.ofMinutes(15L * i)))
                                .fields(f)
                                .build()));
            }
            store.write(new StoreBatch(batch, List.of(), 1));
            List<Query> queries = new ArrayList<>();
            queries.add(new Query.MatchAll());
            for (int i = 0; i < 40; i++) {
                queries.add(randomQuery(random, 0));
            }
            Instant to = START.plus(Duration.ofDays(30));
            for (int round = 0; round < 3; round++) {
                for (Query q : queries) {
                    FieldPresence presence = store.fieldPresence(TENANT, q, START, to, fields);
                    assertThat(presence.total())
                            .as("round %d: %s", round, q)
                            .isEqualTo(store.count(TENANT, q, START, to));
                    for (String field : fields) {
                        FieldCounts counts = store.countBy(TENANT, q, START, to, field, 3);
                        if (!presence.mayHave(field)) {
                            assertThat(counts.buckets())
                                    .as("round %d: %s reports %s absent", round, q, field)
                                    .isEmpty();
                        }
                        if (field.equals("f1") || field.equals("@timestamp")) {
                            assertThat(presence.mayHave(field))
                                    .as("JSON-only fields are never absent")
                                    .isTrue();
                        }
                    }
                    if (round < 2) {
                        assertThat(presence.absent())
                                .as("round %d: %s; no event has User and nothing overflowed", round, q)
                                .contains("User");
                    }
                }
                if (round == 0) {
                    // Parquet for the first two days: the answers must not change.
                    store.compact(START.plus(Duration.ofDays(2)));
                } else if (round == 1) {
                    // A value the Computer column cannot hold: the answer must still be countBy's.
                    store.write(new StoreBatch(
                            List.of(new StoredEvent(
                                    401,
                                    START,
                                    Event.builder()
                                            .tenant(TENANT)
                                            .timestamp(START.plus(Duration.ofDays(3)))
                                            .field("Computer", List.of("WS-1", "WS-2"))
                                            .field("EventID", 4625L)
                                            .build())),
                            List.of(),
                            2));
                }
            }
        }
    }

    /** Whether the store sets the row's overflow flag (some promoted value does not fit its column). */
    private static boolean overflows(StoredEvent e) {
        return EventRow.overflows(e.event());
    }

    private static Event randomEvent(Random r, Instant time) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String f : FIELDS) {
            if (r.nextInt(4) == 0) {
                continue;
            }
            fields.put(f, randomValue(r, f));
        }
        Event.Builder b = Event.builder().tenant(TENANT).timestamp(time).fields(fields);
        if (r.nextInt(3) == 0) {
            b.original("line " + WORDS[r.nextInt(WORDS.length)]);
        }
        return b.build();
    }

    private static Object randomValue(Random r, String field) {
        boolean ip = field.equals("source.ip") || field.equals("ip2");
        return switch (r.nextInt(8)) {
            case 0 -> null;
            case 1 -> (long) r.nextInt(50);
            case 2 -> List.of(scalar(r, ip), scalar(r, ip));
            case 3 -> r.nextInt(20) + 0.5;
            default -> scalar(r, ip);
        };
    }

    private static String scalar(Random r, boolean ip) {
        return ip && r.nextInt(4) > 0 ? IPS[r.nextInt(IPS.length)] : WORDS[r.nextInt(WORDS.length)];
    }

    private static Query randomQuery(Random r, int depth) {
        int kind = r.nextInt(depth < 2 ? 10 : 7);
        String field = FIELDS[r.nextInt(FIELDS.length)];
        return switch (kind) {
            case 0 -> new Query.Term(field, r.nextBoolean() ? WORDS[r.nextInt(WORDS.length)] : "" + r.nextInt(50));
            case 1 -> new Query.Term(null, WORDS[r.nextInt(WORDS.length)].substring(0, 1));
            case 2 ->
                new Query.Wildcard(
                        field,
                        List.of("a*", "*a", "?lpha", "gam%*", "de\\_*", "a\\*b", "x\\\\y", "*")
                                .get(r.nextInt(8)));
            case 3 -> new Query.Exists(field);
            case 4 ->
                new Query.Range(
                        field,
                        r.nextBoolean() ? null : "" + r.nextInt(30),
                        r.nextBoolean(),
                        "" + (10 + r.nextInt(40)),
                        r.nextBoolean());
            case 5 -> new Query.Cidr(r.nextBoolean() ? "source.ip" : "ip2", BLOCKS[r.nextInt(BLOCKS.length)]);
            case 6 -> new Query.Phrase(field, WORDS[r.nextInt(WORDS.length)]);
            case 7 -> new Query.And(List.of(randomQuery(r, depth + 1), randomQuery(r, depth + 1)));
            case 8 -> new Query.Or(List.of(randomQuery(r, depth + 1), randomQuery(r, depth + 1)));
            default -> new Query.Not(randomQuery(r, depth + 1));
        };
    }

    // ------------------------------------------------------------------------------------------ the reference

    static boolean matches(Event e, Query q) {
        return switch (q) {
            case Query.MatchAll m -> true;
            case Query.And and -> and.clauses().stream().allMatch(c -> matches(e, c));
            case Query.Or or -> or.clauses().stream().anyMatch(c -> matches(e, c));
            case Query.Not not -> !matches(e, not.clause());
            case Query.Term t ->
                t.field() == null ? textContains(e, t.value()) : anyValue(e, t.field(), v -> equal(v, t.value()));
            case Query.Phrase p ->
                p.field() == null ? textContains(e, p.text()) : anyValue(e, p.field(), v -> equal(v, p.text()));
            case Query.Wildcard w ->
                anyValue(
                        e,
                        w.field(),
                        v -> glob(w.pattern())
                                .matcher(v.toLowerCase(Locale.ROOT))
                                .matches());
            case Query.Exists x -> e.field(x.field()) != null && e.field(x.field()) != Event.MISSING;
            case Query.Range r -> anyValue(e, r.field(), v -> inRange(v, r));
            case Query.Cidr c -> anyValue(e, c.field(), v -> inBlock(v, c.block()));
        };
    }

    private static boolean anyValue(Event e, String field, java.util.function.Predicate<String> p) {
        Object v = e.field(field);
        if (v == null || v == Event.MISSING) {
            return false;
        }
        List<?> values = v instanceof List<?> list ? list : List.of(v);
        return values.stream().filter(x -> x != null).map(String::valueOf).anyMatch(p);
    }

    /**
     * A bare term searches the event as it arrived: the JSON text of its original (a line is a JSON string), or of its
     * fields when it has none, keys included, without regard to case; the term is matched as it is written inside a
     * JSON string (quotes and backslashes escaped).
     */
    private static boolean textContains(Event e, String needle) {
        String raw = REFERENCE_JSON.valueToJson(e.original() != null ? e.original() : e.fields());
        return raw.toLowerCase(Locale.ROOT).contains(jsonStringBody(needle.toLowerCase(Locale.ROOT)));
    }

    private static final EventJson REFERENCE_JSON = new EventJson();

    /** The JSON string form of {@code s} without its quotes. */
    private static String jsonStringBody(String s) {
        String quoted = REFERENCE_JSON.valueToJson(s);
        return quoted.substring(1, quoted.length() - 1);
    }

    private static boolean equal(String value, String term) {
        if (value.equalsIgnoreCase(term)) {
            return true;
        }
        Double a = number(value);
        Double b = number(term);
        return a != null && a.equals(b);
    }

    private static Double number(String s) {
        try {
            return s.matches("[-+]?\\d+(\\.\\d+)?") ? Double.parseDouble(s) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean inRange(String value, Query.Range r) {
        Double v = number(value);
        if (v == null) {
            return false;
        }
        if (r.lower() != null) {
            double lo = Double.parseDouble(r.lower());
            if (r.lowerInclusive() ? v < lo : v <= lo) {
                return false;
            }
        }
        double hi = Double.parseDouble(r.upper());
        return r.upperInclusive() ? v <= hi : v < hi;
    }

    private static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        String p = pattern.toLowerCase(Locale.ROOT);
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                re.append(Pattern.quote(String.valueOf(p.charAt(++i))));
            } else if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    private static boolean inBlock(String value, String block) {
        IPAddress address = new IPAddressString(value).getAddress();
        IPAddress prefix = new IPAddressString(block).getAddress();
        // Only literal addresses: a dotted quad or an IPv6 form, not inet_aton shorthands such as "10.5".
        boolean literal = value.matches("\\d{1,3}(\\.\\d{1,3}){3}") || value.matches("[0-9a-fA-F.:]*:[0-9a-fA-F.:]*");
        if (address == null || address.isPrefixed() || !literal) {
            return false;
        }
        return prefix.getIPVersion() == address.getIPVersion()
                && prefix.toPrefixBlock().contains(address);
    }
}
