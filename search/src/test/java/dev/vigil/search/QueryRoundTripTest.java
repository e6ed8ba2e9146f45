package dev.vigil.search;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Printing and parsing are inverse: seeded random trees, and seeded random texts that happen to parse. */
class QueryRoundTripTest {
    private static final long SEED = 0x5EA2C4L;

    /** Field names meant to trip the printer: operator words, escapes, the {@code _exists_} keyword, leading signs. */
    private static final List<String> FIELDS = List.of(
            "user.name",
            "@timestamp",
            "winlog.event_data.SubjectUserName",
            "host-name",
            "_under_score",
            "and",
            "NOT",
            "to",
            "_exists_",
            "-lead",
            "+lead",
            "!bang",
            "with space",
            "colon:in",
            "star*",
            "q?",
            "back\\slash",
            "amp&&amp",
            "pipe|pipe",
            "(paren)",
            "[br]{ace}",
            "<lt>",
            "quote\"d",
            "Müller");

    /** The characters values are built from: plain ones, and every one the syntax gives a meaning to. */
    private static final String VALUE_CHARS = "abcXYZ019 .-_/:@!+=\\*?\"()[]{}<>&|'~^\t\néü";

    private static final List<String> VALUES = List.of(
            "and",
            "OR",
            "not",
            "To",
            "*",
            "-5",
            "+5",
            "!x",
            "=5",
            "10.0.0.0/8",
            "2001:db8::/32",
            "1.2.3.4",
            "4625",
            "_exists_",
            "&&",
            "||",
            "a b",
            "");

    private static final List<String> BLOCKS = List.of(
            "10.0.0.0/8", "192.168.1.0/24", "2001:db8::/32", "::1/128", "fe80::/10", "1.2.3.4/32", "10.1.2.3/8");

    @Test
    void randomTreesPrintToTextThatParsesBackToThem() {
        Random random = new Random(SEED);
        for (int i = 0; i < 10_000; i++) {
            Query query = randomQuery(random, 4);
            String text = QueryPrinter.print(query);
            Query reparsed;
            try {
                reparsed = QueryParser.parse(text);
            } catch (QuerySyntaxException e) {
                throw new AssertionError("query " + query + " printed as [" + text + "]: " + e.getMessage(), e);
            }
            assertThat(reparsed).as("[%s] from %s", text, query).isEqualTo(query);
            assertThat(QueryPrinter.print(reparsed)).isEqualTo(text);
        }
    }

    /**
     * Random texts from syntax fragments: each either fails with a {@link QuerySyntaxException} (nothing else) or
     * parses to a query whose printed form parses back to it.
     */
    @Test
    void randomTextsParseAndRoundTripOrFailCleanly() {
        List<String> fragments = List.of(
                "a",
                "b",
                "user",
                "x.y",
                ":",
                " ",
                " ",
                " ",
                "(",
                ")",
                "\"",
                "\\",
                "*",
                "?",
                "AND",
                "or",
                "NOT",
                "&&",
                "||",
                "!",
                "-",
                "+",
                "[",
                "]",
                "{",
                "}",
                " TO ",
                "<",
                ">",
                "=",
                "10.0.0.0/8",
                "\"2001:db8::/32\"",
                "_exists_",
                "2024-01-01",
                "5",
                "é");
        Random random = new Random(SEED + 1);
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < 30_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(12);
            for (int j = 0; j < length; j++) {
                text.append(fragments.get(random.nextInt(fragments.size())));
            }
            Query query;
            try {
                query = QueryParser.parse(text.toString());
            } catch (QuerySyntaxException e) {
                assertThat(e.position()).isBetween(0, text.length());
                rejected++;
                continue;
            }
            parsed++;
            String printed = QueryPrinter.print(query);
            assertThat(QueryParser.parse(printed))
                    .as("[%s] printed as [%s]", text, printed)
                    .isEqualTo(query);
        }
        assertThat(parsed).isGreaterThan(3_000);
        assertThat(rejected).isGreaterThan(3_000);
    }

    private static Query randomQuery(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 11 : 8);
        return switch (kind) {
            case 0 -> new Term(maybeField(random), nonEmptyValue(random));
            case 1 -> new Phrase(maybeField(random), value(random));
            case 2 -> {
                String field = maybeField(random);
                String pattern = pattern(random);
                yield pattern.equals("*") ? new Wildcard(field, "a*") : new Wildcard(field, pattern);
            }
            case 3 ->
                new Range(
                        field(random),
                        random.nextInt(4) == 0 ? null : value(random),
                        random.nextBoolean(),
                        random.nextInt(4) == 0 ? null : value(random),
                        random.nextBoolean());
            case 4 -> new Cidr(field(random), BLOCKS.get(random.nextInt(BLOCKS.size())));
            case 5 -> new Exists(field(random));
            case 6 -> random.nextInt(4) == 0 ? new MatchAll() : new Term(field(random), nonEmptyValue(random));
            case 7 -> new Term(null, nonEmptyValue(random));
            case 8 -> new Not(randomQuery(random, depth - 1));
            case 9 -> new And(clauses(random, depth));
            default -> new Or(clauses(random, depth));
        };
    }

    private static List<Query> clauses(Random random, int depth) {
        List<Query> clauses = new ArrayList<>();
        int n = 2 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            clauses.add(randomQuery(random, depth - 1));
        }
        return clauses;
    }

    private static String maybeField(Random random) {
        return random.nextInt(4) == 0 ? null : field(random);
    }

    private static String field(Random random) {
        return FIELDS.get(random.nextInt(FIELDS.size()));
    }

    private static String value(Random random) {
        if (random.nextInt(3) == 0) {
            return VALUES.get(random.nextInt(VALUES.size()));
        }
        StringBuilder value = new StringBuilder();
        int length = random.nextInt(8);
        for (int i = 0; i < length; i++) {
            value.append(VALUE_CHARS.charAt(random.nextInt(VALUE_CHARS.length())));
        }
        return value.toString();
    }

    private static String nonEmptyValue(Random random) {
        String value = value(random);
        return value.isEmpty() ? "x" : value;
    }

    /** A pattern in the parser's form: at least one bare wildcard; literal '*', '?' and '\' escaped. */
    private static String pattern(Random random) {
        StringBuilder pattern = new StringBuilder();
        int length = 1 + random.nextInt(8);
        boolean wildcard = false;
        for (int i = 0; i < length; i++) {
            char c = VALUE_CHARS.charAt(random.nextInt(VALUE_CHARS.length()));
            boolean literal = random.nextInt(3) == 0;
            if (c == '*' || c == '?') {
                if (literal) {
                    pattern.append('\\');
                } else {
                    wildcard = true;
                }
            } else if (c == '\\') {
                pattern.append('\\');
            }
            pattern.append(c);
        }
        if (!wildcard) {
            String wild = random.nextBoolean() ? "*" : "?";
            if (random.nextBoolean()) {
                pattern.insert(0, wild);
            } else {
                pattern.append(wild);
            }
        }
        return pattern.toString();
    }
}
