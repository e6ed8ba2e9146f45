package dev.vigil.search;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A parsed search query: the tree that {@code QueryParser} builds from the analyst's text and that the store
 * translates to SQL (and the in-memory matcher evaluates against events).
 *
 * <p>A {@code field} of {@code null} means "any field" (a bare term, searched in the event's text). Field names are
 * event field names as {@code Event.field} resolves them: Sigma names ({@code CommandLine}) and ECS names ({@code
 * source.ip}). Values are kept as the analyst wrote them (unescaped); comparisons are case-insensitive, as Sigma's
 * and Kibana's are. {@code QueryMatcher}'s class comment defines what each record matches; the store's SQL
 * translation must agree with it.
 */
public sealed interface Query {

    /** Matches every event (the empty query and {@code *}). */
    record MatchAll() implements Query {}

    /** {@code field:value} or a bare {@code value}: equality with the whole value (a bare term: contained in the text). */
    record Term(String field, String value) implements Query {
        public Term {
            requireNonNull(value, "value");
        }
    }

    /** {@code field:"a phrase"} or a bare {@code "a phrase"}: like {@link Term}, but written quoted. */
    record Phrase(String field, String text) implements Query {
        public Phrase {
            requireNonNull(text, "text");
        }
    }

    /**
     * {@code field:val*ue?}: {@code *} any run of characters, {@code ?} one character. Unlike the other values, the
     * pattern keeps escapes for the three characters that are special in it: {@code \*} and {@code \?} are a literal
     * star and question mark and {@code \\} a literal backslash (the analyst's {@code a\*b*} is the pattern {@code
     * a\*b*}; any other escape is resolved, so {@code C\:\\Win*} is {@code C:\\Win*}). The parser makes one only
     * when at least one wildcard is unescaped; {@code field:*} is an {@link Exists}, a bare {@code *} a {@link
     * MatchAll}. Without a field the pattern may match anywhere in the event's text.
     */
    record Wildcard(String field, String pattern) implements Query {
        public Wildcard {
            requireNonNull(pattern, "pattern");
        }
    }

    /**
     * {@code field:[a TO b]}, {@code field:{a TO b}}, {@code field>=a}: an open end is {@code null}, and its
     * inclusive flag means nothing (the parser keeps the bracket as written; a comparison gives {@code false}).
     * Numbers compare as numbers, times (ISO-8601) as times, anything else as strings.
     */
    record Range(String field, String lower, boolean lowerInclusive, String upper, boolean upperInclusive)
            implements Query {
        public Range {
            requireNonNull(field, "field");
        }
    }

    /**
     * {@code field:10.0.0.0/8}, {@code field:"2001:db8::/32"} or {@code field:2001\:db8\:\:/32}: the field holds
     * an address inside the block. {@code block} is the text as written (a prefix length is always there; host bits
     * may be set, {@code 10.1.2.3/8} is the block {@code 10.0.0.0/8}). A value with an escaped slash is a {@link Term}.
     */
    record Cidr(String field, String block) implements Query {
        public Cidr {
            requireNonNull(field, "field");
            requireNonNull(block, "block");
        }
    }

    /** {@code field:*} or {@code _exists_:field}: the field is present and not null (a list: not all nulls). */
    record Exists(String field) implements Query {
        public Exists {
            requireNonNull(field, "field");
        }
    }

    /** Every clause matches. The parser gives two or more clauses and keeps parenthesised groups nested. */
    record And(List<Query> clauses) implements Query {
        public And {
            clauses = List.copyOf(clauses);
        }
    }

    /** At least one clause matches. The parser gives two or more clauses. */
    record Or(List<Query> clauses) implements Query {
        public Or {
            clauses = List.copyOf(clauses);
        }
    }

    /** {@code NOT}, {@code !} or {@code -}: the clause does not match. */
    record Not(Query clause) implements Query {
        public Not {
            requireNonNull(clause, "clause");
        }
    }
}
