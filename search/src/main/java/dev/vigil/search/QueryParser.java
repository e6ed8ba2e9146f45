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
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the search language (Kibana KQL and Lucene query-string syntax as analysts know them) into a {@link Query};
 * {@code docs/search.md} describes the language for its users.
 *
 * <p>Design. A scannerless recursive-descent parser: the grammar is context-sensitive in small ways that a separate
 * lexer would have to guess at ({@code -} is NOT at the start of a clause but a literal in {@code web-01} and in
 * {@code count:-5}; {@code and} is an operator but {@code and:x} names a field), so the parser reads characters
 * directly and decides with the context it has. The grammar, loosest binding first:
 *
 * <pre>
 * query   = [ or ]                           (empty: MatchAll)
 * or      = and { ("OR" | "||") and }
 * and     = unary { [ "AND" | "&amp;&amp;" ] unary }   (adjacent clauses: implicit AND)
 * unary   = ("NOT" | "!" | "-") unary | "+" unary | primary
 * primary = "(" or ")" | field ":" value | field cmp word | "_exists_:" field | word | phrase
 * value   = "(" or ")" (a field group: every clause applies to the field) | "[" / "{" range | cmp word | phrase | word
 * </pre>
 *
 * <p>Words keep two forms: the unescaped text (for terms and field names) and a wildcard pattern in which literal
 * {@code *}, {@code ?} and {@code \} stay escaped, so that {@link Wildcard} patterns can tell {@code a\*} from {@code
 * a*}. An escaped character is never special: {@code \and} is the word "and", {@code 10.0.0.0\/8} is a term, not a
 * block. Operator words are recognised only as whole, unescaped words not followed by {@code :}, {@code <} or
 * {@code >}.
 *
 * <p>Bounds. The text may hold at most {@link #MAX_LENGTH} characters and nest at most {@link #MAX_DEPTH} levels
 * (parentheses, field groups and prefix operators each count one), checked as the parser descends, so its recursion
 * depth is bounded and hostile input ends in a {@link QuerySyntaxException}, never a {@link StackOverflowError}. Long
 * flat sequences ({@code a OR b OR ...}) are read in loops, not by recursion.
 */
public final class QueryParser {
    /** The longest query text accepted, in UTF-16 units (16 KiB). */
    public static final int MAX_LENGTH = 16 * 1024;

    /** The deepest nesting of parentheses, field groups and NOT/+/- prefixes accepted. */
    public static final int MAX_DEPTH = 64;

    private static final String EXISTS_FIELD = "_exists_";

    private final String text;
    private int pos;
    private int depth;

    private QueryParser(String text) {
        this.text = requireNonNull(text, "text");
    }

    /**
     * Parses a query.
     *
     * @throws QuerySyntaxException when the text is not a valid query, with the column of the problem
     */
    public static Query parse(String text) {
        requireNonNull(text, "text");
        if (text.length() > MAX_LENGTH) {
            throw new QuerySyntaxException(
                    "the query is " + text.length() + " characters long; at most " + MAX_LENGTH
                            + " are allowed (column " + MAX_LENGTH + " is past the limit)",
                    MAX_LENGTH);
        }
        return new QueryParser(text).parseQuery();
    }

    private Query parseQuery() {
        skipWhitespace();
        if (atEnd()) {
            return new MatchAll();
        }
        Query query = parseOr(null);
        skipWhitespace();
        if (!atEnd()) {
            throw unexpectedHere();
        }
        return query;
    }

    /** {@code groupField} is the field of the enclosing field group, or null outside one. */
    private Query parseOr(String groupField) {
        List<Query> clauses = new ArrayList<>();
        clauses.add(parseAnd(groupField));
        while (true) {
            skipWhitespace();
            int end = orAt(pos);
            if (end < 0) {
                break;
            }
            int operatorAt = pos;
            pos = end;
            requireClauseAfter(text.substring(operatorAt, end));
            clauses.add(parseAnd(groupField));
        }
        return clauses.size() == 1 ? clauses.get(0) : new Or(clauses);
    }

    private Query parseAnd(String groupField) {
        List<Query> clauses = new ArrayList<>();
        clauses.add(parseUnary(groupField));
        while (true) {
            skipWhitespace();
            if (atEnd() || peek() == ')' || orAt(pos) >= 0) {
                break;
            }
            int end = andAt(pos);
            if (end >= 0) {
                int operatorAt = pos;
                pos = end;
                requireClauseAfter(text.substring(operatorAt, end));
            }
            clauses.add(parseUnary(groupField));
        }
        return clauses.size() == 1 ? clauses.get(0) : new And(clauses);
    }

    private void requireClauseAfter(String operator) {
        skipWhitespace();
        if (atEnd() || peek() == ')' || orAt(pos) >= 0 || andAt(pos) >= 0) {
            throw error("expected a clause after '" + operator + "'", pos);
        }
    }

    private Query parseUnary(String groupField) {
        skipWhitespace();
        int at = pos;
        int notEnd = notAt(pos);
        if (notEnd >= 0 || peek() == '+') {
            String operator = notEnd >= 0 ? text.substring(pos, notEnd) : "+";
            pos = notEnd >= 0 ? notEnd : pos + 1;
            enter(at);
            requireClauseAfter(operator);
            Query inner = parseUnary(groupField);
            depth--;
            return notEnd >= 0 ? new Not(inner) : inner;
        }
        return parsePrimary(groupField);
    }

    private Query parsePrimary(String groupField) {
        skipWhitespace();
        int at = pos;
        if (atEnd()) {
            throw error("expected a clause", at);
        }
        char c = peek();
        if (c == '(') {
            return parseParenthesised(groupField);
        }
        if (c == '"') {
            QuotedText phrase = readPhrase();
            return groupField == null ? new Phrase(null, phrase.text) : phraseValue(groupField, phrase);
        }
        if (c == '[' || c == '{') {
            if (groupField == null) {
                throw error("a range needs a field: write field:[low TO high]", at);
            }
            return parseRange(groupField);
        }
        if (c == '<' || c == '>') {
            if (groupField == null) {
                throw error("a comparison needs a field: write field" + c + "value", at);
            }
            return parseComparison(groupField);
        }
        if (isTerminator(c) || isDoubleOperator(pos)) {
            throw unexpectedHere();
        }
        Word word = readWord();
        int afterWord = pos;
        skipWhitespace();
        if (!atEnd() && (peek() == ':' || peek() == '<' || peek() == '>')) {
            if (groupField != null) {
                throw error(
                        "the field group of '" + groupField + "' cannot name another field ('" + word.text + "')", at);
            }
            return parseFieldClause(word, at);
        }
        pos = afterWord;
        if (word.isKeyword("and") || word.isKeyword("or")) {
            throw error("expected a clause before '" + word.text + "'", at);
        }
        if (groupField != null) {
            return wordValue(groupField, word);
        }
        if (word.isBareStar()) {
            return new MatchAll();
        }
        return word.hasWildcard ? new Wildcard(null, word.pattern) : new Term(null, word.text);
    }

    private Query parseParenthesised(String groupField) {
        int open = pos;
        pos++;
        enter(open);
        skipWhitespace();
        if (!atEnd() && peek() == ')') {
            throw error("empty parentheses", open);
        }
        Query inner = parseOr(groupField);
        skipWhitespace();
        if (atEnd() || peek() != ')') {
            throw error("expected ')'", pos, " to close the '(' at column " + open);
        }
        pos++;
        depth--;
        return inner;
    }

    /** After a word followed by {@code :}, {@code <} or {@code >}: the word is a field name. */
    private Query parseFieldClause(Word fieldWord, int at) {
        if (peek() != ':') {
            return parseComparison(fieldName(fieldWord, at));
        }
        pos++;
        if (fieldWord.isBareStar()) {
            skipWhitespace();
            int valueAt = pos;
            if (!atEnd() && !isTerminator(peek()) && readWord().isBareStar()) {
                return new MatchAll();
            }
            throw error("only '*:*' may use '*' as a field name", valueAt);
        }
        if (fieldWord.isKeyword(EXISTS_FIELD)) {
            skipWhitespace();
            int nameAt = pos;
            if (atEnd() || isTerminator(peek())) {
                throw error("expected a field name after '_exists_:'", nameAt);
            }
            return new Exists(fieldName(readWord(), nameAt));
        }
        return parseFieldValue(fieldName(fieldWord, at));
    }

    private static String fieldName(Word word, int at) {
        if (word.hasWildcard) {
            throw new QuerySyntaxException(
                    "wildcards are not allowed in a field name ('" + word.text + "') at column " + at
                            + "; escape them as '\\*' and '\\?' if the name contains them",
                    at);
        }
        return word.text;
    }

    private Query parseFieldValue(String field) {
        skipWhitespace();
        int at = pos;
        if (atEnd() || peek() == ')' || peek() == ']' || peek() == '}' || peek() == ':' || isDoubleOperator(pos)) {
            throw error("expected a value after '" + field + ":'", at);
        }
        char c = peek();
        if (c == '(') {
            return parseParenthesised(field);
        }
        if (c == '"') {
            return phraseValue(field, readPhrase());
        }
        if (c == '[' || c == '{') {
            return parseRange(field);
        }
        if (c == '<' || c == '>') {
            return parseComparison(field);
        }
        return wordValue(field, readWord());
    }

    private static Query wordValue(String field, Word word) {
        if (word.isBareStar()) {
            return new Exists(field);
        }
        if (word.hasWildcard) {
            return new Wildcard(field, word.pattern);
        }
        if (!word.escapedSlash && QueryValues.isCidrBlock(word.text)) {
            return new Cidr(field, word.text);
        }
        return new Term(field, word.text);
    }

    private static Query phraseValue(String field, QuotedText phrase) {
        if (!phrase.escapedSlash && QueryValues.isCidrBlock(phrase.text)) {
            return new Cidr(field, phrase.text);
        }
        return new Phrase(field, phrase.text);
    }

    private Query parseRange(String field) {
        int open = pos;
        boolean lowerInclusive = peek() == '[';
        pos++;
        String lower = readRangeBound("a lower bound after '" + text.charAt(open) + "'");
        skipWhitespace();
        int toAt = pos;
        if (atEnd() || isTerminator(peek()) || !readWord().isKeyword("to")) {
            throw error("expected 'TO'", toAt, " in the range opened at column " + open);
        }
        String upper = readRangeBound("an upper bound after 'TO'");
        skipWhitespace();
        if (atEnd() || peek() != ']' && peek() != '}') {
            throw error("expected ']' or '}'", pos, " to close the range opened at column " + open);
        }
        boolean upperInclusive = peek() == ']';
        pos++;
        return new Range(field, lower, lowerInclusive, upper, upperInclusive);
    }

    /** A range bound: a word, a phrase, or {@code *} for an open end (null). */
    private String readRangeBound(String what) {
        skipWhitespace();
        int at = pos;
        if (atEnd() || peek() != '"' && isTerminator(peek())) {
            throw error("expected " + what, at);
        }
        if (peek() == '"') {
            return readPhrase().text;
        }
        Word word = readWord();
        if (word.isBareStar()) {
            return null;
        }
        if (word.hasWildcard) {
            throw error(
                    "wildcards are not allowed in a range bound ('" + word.text + "'); use '*' alone for an open end",
                    at);
        }
        return word.text;
    }

    /** {@code <}, {@code <=}, {@code >}, {@code >=} and a value, as a one-sided {@link Range}. */
    private Query parseComparison(String field) {
        boolean greater = peek() == '>';
        pos++;
        boolean inclusive = !atEnd() && peek() == '=';
        if (inclusive) {
            pos++;
        }
        String operator = (greater ? ">" : "<") + (inclusive ? "=" : "");
        skipWhitespace();
        int at = pos;
        if (atEnd() || peek() != '"' && (isTerminator(peek()) || isDoubleOperator(pos))) {
            throw error("expected a value after '" + operator + "'", at);
        }
        String value;
        if (peek() == '"') {
            value = readPhrase().text;
        } else {
            Word word = readWord();
            if (word.hasWildcard) {
                throw error("wildcards are not allowed after '" + operator + "' ('" + word.text + "')", at);
            }
            value = word.text;
        }
        return greater
                ? new Range(field, value, inclusive, null, false)
                : new Range(field, null, false, value, inclusive);
    }

    private record Word(String text, String pattern, boolean hasWildcard, boolean escapedSlash, boolean escaped) {
        boolean isKeyword(String keyword) {
            return !escaped && text.equalsIgnoreCase(keyword);
        }

        boolean isBareStar() {
            return !escaped && text.equals("*");
        }
    }

    private record QuotedText(String text, boolean escapedSlash) {}

    /** Reads a word up to the next unescaped terminator; the caller has checked that one character at least is there. */
    private Word readWord() {
        StringBuilder value = new StringBuilder();
        StringBuilder pattern = new StringBuilder();
        boolean hasWildcard = false;
        boolean escapedSlash = false;
        boolean escaped = false;
        while (!atEnd()) {
            char c = peek();
            if (c == '\\') {
                if (pos + 1 >= text.length()) {
                    throw error("a backslash ends the query; write '\\\\' for a literal backslash", pos);
                }
                char next = text.charAt(pos + 1);
                value.append(next);
                if (next == '*' || next == '?' || next == '\\') {
                    pattern.append('\\');
                }
                pattern.append(next);
                escapedSlash |= next == '/';
                escaped = true;
                pos += 2;
                continue;
            }
            if (isTerminator(c) || isDoubleOperator(pos)) {
                break;
            }
            hasWildcard |= c == '*' || c == '?';
            value.append(c);
            pattern.append(c);
            pos++;
        }
        return new Word(value.toString(), pattern.toString(), hasWildcard, escapedSlash, escaped);
    }

    private QuotedText readPhrase() {
        int open = pos;
        pos++;
        StringBuilder value = new StringBuilder();
        boolean escapedSlash = false;
        while (!atEnd()) {
            char c = peek();
            if (c == '"') {
                pos++;
                return new QuotedText(value.toString(), escapedSlash);
            }
            if (c == '\\' && pos + 1 < text.length()) {
                c = text.charAt(pos + 1);
                escapedSlash |= c == '/';
                pos++;
            }
            value.append(c);
            pos++;
        }
        throw new QuerySyntaxException(
                "unterminated phrase: the '\"' at column " + open + " has no closing '\"'", open);
    }

    /** The end of an OR operator at {@code at}, or -1. */
    private int orAt(int at) {
        return text.startsWith("||", at) ? at + 2 : keywordAt(at, "or");
    }

    private int andAt(int at) {
        return text.startsWith("&&", at) ? at + 2 : keywordAt(at, "and");
    }

    private int notAt(int at) {
        if (at < text.length() && (text.charAt(at) == '!' || text.charAt(at) == '-')) {
            return at + 1;
        }
        return keywordAt(at, "not");
    }

    /**
     * The end of the operator word {@code keyword} at {@code at}, or -1: a whole word, any case, not followed by
     * {@code :} (then it is a field name), nor directly by {@code <} or {@code >} ({@code and>5} compares a field;
     * {@code AND <5} in a field group is an operator and a comparison).
     */
    private int keywordAt(int at, String keyword) {
        int end = at + keyword.length();
        if (!text.regionMatches(true, at, keyword, 0, keyword.length())) {
            return -1;
        }
        if (end < text.length() && !isTerminator(text.charAt(end)) && !isDoubleOperator(end)) {
            return -1;
        }
        if (end < text.length() && (text.charAt(end) == '<' || text.charAt(end) == '>')) {
            return -1;
        }
        int next = end;
        while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
            next++;
        }
        return next < text.length() && text.charAt(next) == ':' ? -1 : end;
    }

    /** Characters that end a word unless escaped. */
    static boolean isTerminator(char c) {
        return Character.isWhitespace(c) || "()\":[]{}<>".indexOf(c) >= 0;
    }

    private boolean isDoubleOperator(int at) {
        return text.startsWith("&&", at) || text.startsWith("||", at);
    }

    private void enter(int at) {
        if (++depth > MAX_DEPTH) {
            throw error("the query nests more than " + MAX_DEPTH + " levels deep", at);
        }
    }

    private QuerySyntaxException unexpectedHere() {
        char c = peek();
        if (c == ')') {
            return error("unexpected ')' with no '(' before it", pos);
        }
        if (c == ':') {
            return error("unexpected ':'", pos, "; escape it as '\\:' or quote the value");
        }
        if (isDoubleOperator(pos)) {
            return error("unexpected '" + text.substring(pos, pos + 2) + "'", pos);
        }
        return error("unexpected '" + c + "'", pos);
    }

    private static QuerySyntaxException error(String what, int at) {
        return error(what, at, "");
    }

    private static QuerySyntaxException error(String what, int at, String more) {
        return new QuerySyntaxException(what + " at column " + at + more, at);
    }

    private void skipWhitespace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }
}
