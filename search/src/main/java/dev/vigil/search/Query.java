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
 * and Kibana's are.
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

    /** {@code field:val*ue?}: {@code *} any run of characters, {@code ?} one character; escaped ones are literal. */
    record Wildcard(String field, String pattern) implements Query {
        public Wildcard {
            requireNonNull(pattern, "pattern");
        }
    }

    /**
     * {@code field:[a TO b]}, {@code field:{a TO b}}, {@code field>=a}: an open end is {@code null}. Numbers compare as
     * numbers, times (ISO-8601) as times, anything else as strings.
     */
    record Range(String field, String lower, boolean lowerInclusive, String upper, boolean upperInclusive)
            implements Query {
        public Range {
            requireNonNull(field, "field");
        }
    }

    /** {@code field:10.0.0.0/8} or {@code field:2001:db8::/32}: the field holds an address inside the block. */
    record Cidr(String field, String block) implements Query {
        public Cidr {
            requireNonNull(field, "field");
            requireNonNull(block, "block");
        }
    }

    /** {@code field:*} or {@code _exists_:field}: the field is present and not null. */
    record Exists(String field) implements Query {
        public Exists {
            requireNonNull(field, "field");
        }
    }

    record And(List<Query> clauses) implements Query {
        public And {
            clauses = List.copyOf(clauses);
        }
    }

    record Or(List<Query> clauses) implements Query {
        public Or {
            clauses = List.copyOf(clauses);
        }
    }

    record Not(Query clause) implements Query {
        public Not {
            requireNonNull(clause, "clause");
        }
    }
}
