package dev.vigil.search;

import static java.util.Objects.requireNonNull;

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
import java.util.List;

/**
 * Writes a {@link Query} as canonical search text: explicit {@code AND}, {@code OR} and {@code NOT}, every clause with
 * its field, parentheses only where the tree needs them, and escapes only where a character would otherwise be read
 * as syntax.
 *
 * <p>{@code QueryParser.parse(print(q))} equals {@code q} for every query the parser produces. Hand-built trees that
 * the syntax cannot express print as the nearest text: an empty {@link And} as {@code *} and an empty {@link Or} as
 * {@code NOT *}, a one-clause And/Or as its clause, a {@link Term} with an empty value as {@code field:""} (a
 * {@link Phrase}), {@code Wildcard(field, "*")} as {@code field:*} (an {@link Exists}), a {@link Cidr} whose block is
 * not one as a phrase, and a tree nested deeper than {@link QueryParser#MAX_DEPTH} as text the parser rejects.
 */
public final class QueryPrinter {
    private QueryPrinter() {}

    public static String print(Query query) {
        requireNonNull(query, "query");
        StringBuilder out = new StringBuilder();
        print(query, out);
        return out.toString();
    }

    private static void print(Query query, StringBuilder out) {
        switch (query) {
            case MatchAll m -> out.append('*');
            case Term t -> {
                if (t.value().isEmpty()) {
                    if (t.field() != null) {
                        appendField(out, t.field());
                    }
                    out.append("\"\"");
                } else if (t.field() == null) {
                    appendWord(out, t.value(), true, false);
                } else {
                    appendWord(appendField(out, t.field()), t.value(), false, QueryValues.isCidrBlock(t.value()));
                }
            }
            case Phrase p -> {
                if (p.field() != null) {
                    appendField(out, p.field());
                }
                appendPhrase(out, p.text(), p.field() != null && QueryValues.isCidrBlock(p.text()));
            }
            case Wildcard w -> {
                if (w.field() != null) {
                    appendField(out, w.field());
                }
                appendPattern(out, w.pattern(), w.field() == null);
            }
            case Range r -> printRange(r, out);
            case Cidr c -> {
                appendField(out, c.field());
                if (QueryValues.isCidrBlock(c.block()) && c.block().indexOf(':') < 0) {
                    out.append(c.block());
                } else {
                    appendPhrase(out, c.block(), false);
                }
            }
            case Exists e -> appendField(out, e.field()).append('*');
            case Not n -> {
                out.append("NOT ");
                printOperand(n.clause(), out, true);
            }
            case And a -> printJunction(a.clauses(), " AND ", true, "*", out);
            case Or o -> printJunction(o.clauses(), " OR ", false, "NOT *", out);
        }
    }

    private static void printJunction(
            List<Query> clauses, String operator, boolean isAnd, String whenEmpty, StringBuilder out) {
        if (clauses.isEmpty()) {
            out.append(whenEmpty);
            return;
        }
        if (clauses.size() == 1) {
            print(clauses.get(0), out);
            return;
        }
        for (int i = 0; i < clauses.size(); i++) {
            if (i > 0) {
                out.append(operator);
            }
            // Under AND both kinds of junction need parentheses; under OR an AND binds tighter and needs none.
            printOperand(clauses.get(i), out, isAnd);
        }
    }

    private static void printOperand(Query clause, StringBuilder out, boolean parenthesiseAnd) {
        boolean junction = clause instanceof Or o && o.clauses().size() > 1
                || parenthesiseAnd && clause instanceof And a && a.clauses().size() > 1;
        if (junction) {
            out.append('(');
        }
        print(clause, out);
        if (junction) {
            out.append(')');
        }
    }

    private static void printRange(Range r, StringBuilder out) {
        appendField(out, r.field());
        // One open end written as a comparison (the form the parser gives it a non-inclusive open end for).
        if (r.lower() == null && !r.lowerInclusive() && r.upper() != null) {
            out.setLength(out.length() - 1);
            out.append(r.upperInclusive() ? "<=" : "<");
            appendBound(out, r.upper());
            return;
        }
        if (r.upper() == null && !r.upperInclusive() && r.lower() != null) {
            out.setLength(out.length() - 1);
            out.append(r.lowerInclusive() ? ">=" : ">");
            appendBound(out, r.lower());
            return;
        }
        out.append(r.lowerInclusive() ? '[' : '{');
        appendBound(out, r.lower());
        out.append(" TO ");
        appendBound(out, r.upper());
        out.append(r.upperInclusive() ? ']' : '}');
    }

    /**
     * A range bound or comparison value. Bounds are literal text whether quoted or not, so any bound that would need
     * an escape is quoted instead ({@code "2024-05-01T10:00:00Z"} reads better than {@code 2024-05-01T10\:00\:00Z}).
     */
    private static void appendBound(StringBuilder out, String bound) {
        if (bound == null) {
            out.append('*');
            return;
        }
        boolean plain = !bound.isEmpty() && !isKeyword(bound) && bound.charAt(0) != '=';
        for (int i = 0; plain && i < bound.length(); i++) {
            char c = bound.charAt(i);
            plain = !needsEscape(c) && c != '*' && c != '?';
        }
        if (plain) {
            out.append(bound);
        } else {
            appendPhrase(out, bound, false);
        }
    }

    /** The field name and its colon. */
    private static StringBuilder appendField(StringBuilder out, String field) {
        if (field.equalsIgnoreCase("_exists_")) {
            out.append('\\');
        }
        appendWord(out, field, true, false);
        return out.append(':');
    }

    /**
     * A word with every character the parser would read as syntax escaped. {@code leadingOperators}: the word stands
     * where a clause starts, so a leading {@code -}, {@code +} or {@code !} would be an operator.
     */
    private static void appendWord(StringBuilder out, String word, boolean leadingOperators, boolean escapeSlash) {
        if (isKeyword(word)) {
            out.append('\\');
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (needsEscape(c) || c == '*' || c == '?' || escapeSlash && c == '/') {
                out.append('\\');
            } else if (i == 0 && leadingOperators && (c == '-' || c == '+' || c == '!')) {
                out.append('\\');
            }
            out.append(c);
        }
    }

    /** A wildcard pattern: its escapes ({@code \*}, {@code \?}, {@code \\}) kept, its wildcards bare. */
    private static void appendPattern(StringBuilder out, String pattern, boolean leadingOperators) {
        if (pattern.isEmpty()) {
            out.append("\"\"");
            return;
        }
        if (isKeyword(pattern)) {
            out.append('\\');
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                out.append('\\');
                out.append(i + 1 < pattern.length() ? pattern.charAt(++i) : '\\');
                continue;
            }
            if (c != '*' && c != '?' && needsEscape(c)
                    || i == 0 && leadingOperators && (c == '-' || c == '+' || c == '!')) {
                out.append('\\');
            }
            out.append(c);
        }
    }

    private static void appendPhrase(StringBuilder out, String text, boolean escapeSlash) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || escapeSlash && c == '/') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }

    private static boolean needsEscape(char c) {
        return c == '\\' || c == '&' || c == '|' || QueryParser.isTerminator(c);
    }

    private static boolean isKeyword(String word) {
        return word.equalsIgnoreCase("and")
                || word.equalsIgnoreCase("or")
                || word.equalsIgnoreCase("not")
                || word.equalsIgnoreCase("to");
    }
}
