package dev.vigil.intel.stix;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed STIX 2.x pattern (STIX 2.1 part 9, the same grammar as 2.0).
 *
 * <p>Observation expressions ({@code [...]}) are joined by {@code AND}, {@code OR} and {@code FOLLOWEDBY} (binding in
 * that order, tightest first) and grouped with parentheses; each may carry qualifiers ({@code WITHIN n SECONDS},
 * {@code REPEATS n TIMES}, {@code START t'…' STOP t'…'}), which are parsed and kept as text: matching single values
 * has no use for them. Inside an observation, comparisons ({@code =}, {@code !=}, {@code <}, {@code <=}, {@code >},
 * {@code >=}, {@code IN}, {@code LIKE}, {@code MATCHES}, {@code ISSUBSET}, {@code ISSUPERSET}, each optionally preceded
 * by {@code NOT}, and {@code EXISTS}) are joined by {@code AND} (tighter) and {@code OR} and grouped with parentheses.
 * Object paths are {@code type:property} followed by {@code .property}, {@code .'quoted property'} or list indexes
 * {@code [n]} / {@code [*]}.
 *
 * <p>A recursive-descent parser over a small hand-written lexer: the grammar is small and fixed, and a parser
 * generator would add a dependency and generated code for forty lines of rules. Nesting is bounded.
 */
public final class StixPattern {
    private static final int MAX_DEPTH = 100;

    private StixPattern() {}

    /** An observation-level node. */
    public sealed interface Observation permits ObservationGroup, ObservationExpression {}

    /** Observations joined by {@code AND}, {@code OR} or {@code FOLLOWEDBY}. */
    public record ObservationGroup(String operator, List<Observation> children, List<String> qualifiers)
            implements Observation {}

    /** {@code [comparisons]} with its qualifiers. */
    public record ObservationExpression(Comparison comparison, List<String> qualifiers) implements Observation {}

    /** A comparison-level node. */
    public sealed interface Comparison permits ComparisonGroup, Test {}

    /** Comparisons joined by {@code AND} ({@code and} true) or {@code OR}. */
    public record ComparisonGroup(boolean and, List<Comparison> children) implements Comparison {}

    /**
     * One property test.
     *
     * @param objectType e.g. {@code file}
     * @param path the property path after the colon: names, and {@code "[*]"} / {@code "[0]"} for list steps
     * @param operator {@code =}, {@code !=}, {@code IN}, {@code LIKE}, {@code EXISTS} …
     * @param negated whether {@code NOT} preceded the operator
     * @param values the literal(s) compared with; one for most operators, the set for {@code IN}, none for EXISTS
     */
    public record Test(String objectType, List<String> path, String operator, boolean negated, List<Literal> values)
            implements Comparison {
        /** The path as STIX writes it without quotes, e.g. {@code hashes.SHA-256}. */
        public String pathText() {
            StringBuilder sb = new StringBuilder();
            for (String p : path) {
                if (!p.startsWith("[") && !sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(p);
            }
            return sb.toString();
        }
    }

    /**
     * A literal.
     *
     * @param kind {@code string}, {@code int}, {@code float}, {@code bool}, {@code timestamp}, {@code hex},
     *     {@code binary}
     * @param text its value (strings unescaped)
     */
    public record Literal(String kind, String text) {}

    /** Parses a pattern. */
    public static Observation parse(String pattern) throws StixPatternException {
        requireNonNull(pattern, "pattern");
        Parser p = new Parser(pattern);
        Observation o = p.observations(0);
        if (p.peek().kind != TokenKind.END) {
            throw p.error("unexpected '" + p.peek().text + "'");
        }
        return o;
    }

    private enum TokenKind {
        WORD,
        STRING,
        TIMESTAMP,
        HEX,
        BINARY,
        NUMBER,
        PUNCT,
        END
    }

    private record Token(TokenKind kind, String text, int position) {}

    private static final class Parser {
        private final List<Token> tokens;
        private int at;

        Parser(String text) throws StixPatternException {
            this.tokens = lex(text);
        }

        Token peek() {
            return tokens.get(at);
        }

        Token next() {
            return tokens.get(at++);
        }

        boolean isWord(String w) {
            Token t = peek();
            return t.kind == TokenKind.WORD && t.text.equals(w);
        }

        boolean isPunct(String p) {
            Token t = peek();
            return t.kind == TokenKind.PUNCT && t.text.equals(p);
        }

        void expectPunct(String p) throws StixPatternException {
            if (!isPunct(p)) {
                throw error("expected '" + p + "' but found " + describe(peek()));
            }
            at++;
        }

        StixPatternException error(String message) {
            return new StixPatternException(message + " at position " + (peek().position + 1));
        }

        static String describe(Token t) {
            return t.kind == TokenKind.END ? "the end of the pattern" : "'" + t.text + "'";
        }

        // observations := or (FOLLOWEDBY or)*
        Observation observations(int depth) throws StixPatternException {
            if (depth > MAX_DEPTH) {
                throw error("pattern nested too deeply");
            }
            return binary(depth, "FOLLOWEDBY");
        }

        private Observation binary(int depth, String operator) throws StixPatternException {
            Observation first = switch (operator) {
                case "FOLLOWEDBY" -> binary(depth, "OR");
                case "OR" -> binary(depth, "AND");
                default -> qualified(depth);
            };
            if (!isWord(operator)) {
                return first;
            }
            List<Observation> children = new ArrayList<>();
            children.add(first);
            while (isWord(operator)) {
                at++;
                children.add(
                        switch (operator) {
                            case "FOLLOWEDBY" -> binary(depth, "OR");
                            case "OR" -> binary(depth, "AND");
                            default -> qualified(depth);
                        });
            }
            return new ObservationGroup(operator, children, List.of());
        }

        private Observation qualified(int depth) throws StixPatternException {
            Observation o;
            if (isPunct("[")) {
                at++;
                Comparison c = comparisons(depth + 1);
                expectPunct("]");
                o = new ObservationExpression(c, List.of());
            } else if (isPunct("(")) {
                at++;
                o = observations(depth + 1);
                expectPunct(")");
            } else {
                throw error("expected '[' or '(' but found " + describe(peek()));
            }
            List<String> qualifiers = new ArrayList<>();
            while (true) {
                if (isWord("WITHIN")) {
                    at++;
                    Token n = next();
                    if (n.kind != TokenKind.NUMBER || !isWord("SECONDS")) {
                        throw error("expected 'WITHIN <number> SECONDS'");
                    }
                    at++;
                    qualifiers.add("WITHIN " + n.text + " SECONDS");
                } else if (isWord("REPEATS")) {
                    at++;
                    Token n = next();
                    if (n.kind != TokenKind.NUMBER || !isWord("TIMES")) {
                        throw error("expected 'REPEATS <integer> TIMES'");
                    }
                    at++;
                    qualifiers.add("REPEATS " + n.text + " TIMES");
                } else if (isWord("START")) {
                    at++;
                    Token start = next();
                    if (start.kind != TokenKind.TIMESTAMP || !isWord("STOP")) {
                        throw error("expected \"START t'...' STOP t'...'\"");
                    }
                    at++;
                    Token stop = next();
                    if (stop.kind != TokenKind.TIMESTAMP) {
                        throw error("expected a timestamp t'...' after STOP");
                    }
                    qualifiers.add("START t'" + start.text + "' STOP t'" + stop.text + "'");
                } else {
                    break;
                }
            }
            if (qualifiers.isEmpty()) {
                return o;
            }
            return o instanceof ObservationExpression e
                    ? new ObservationExpression(e.comparison(), qualifiers)
                    : new ObservationGroup("QUALIFIED", List.of(o), qualifiers);
        }

        // comparisons := and (OR and)* ; and := test (AND test)*
        private Comparison comparisons(int depth) throws StixPatternException {
            if (depth > MAX_DEPTH) {
                throw error("pattern nested too deeply");
            }
            Comparison first = comparisonAnd(depth);
            if (!isWord("OR")) {
                return first;
            }
            List<Comparison> children = new ArrayList<>();
            children.add(first);
            while (isWord("OR")) {
                at++;
                children.add(comparisonAnd(depth));
            }
            return new ComparisonGroup(false, children);
        }

        private Comparison comparisonAnd(int depth) throws StixPatternException {
            Comparison first = test(depth);
            if (!isWord("AND")) {
                return first;
            }
            List<Comparison> children = new ArrayList<>();
            children.add(first);
            while (isWord("AND")) {
                at++;
                children.add(test(depth));
            }
            return new ComparisonGroup(true, children);
        }

        private Comparison test(int depth) throws StixPatternException {
            if (isPunct("(")) {
                at++;
                Comparison c = comparisons(depth + 1);
                expectPunct(")");
                return c;
            }
            if (isWord("EXISTS")) {
                at++;
                Test path = path();
                return new Test(path.objectType(), path.path(), "EXISTS", false, List.of());
            }
            Test path = path();
            boolean negated = false;
            if (isWord("NOT")) {
                at++;
                negated = true;
            }
            Token op = next();
            String operator;
            List<Literal> values = new ArrayList<>();
            if (op.kind == TokenKind.PUNCT
                    && List.of("=", "==", "!=", "<", "<=", ">", ">=").contains(op.text)) {
                operator = op.text.equals("==") ? "=" : op.text;
                values.add(literal());
            } else if (op.kind == TokenKind.WORD && op.text.equals("IN")) {
                operator = "IN";
                expectPunct("(");
                values.add(literal());
                while (isPunct(",")) {
                    at++;
                    values.add(literal());
                }
                expectPunct(")");
            } else if (op.kind == TokenKind.WORD
                    && List.of("LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET").contains(op.text)) {
                operator = op.text;
                Literal l = literal();
                if (!l.kind().equals("string")) {
                    throw error(operator + " needs a string");
                }
                values.add(l);
            } else {
                at--;
                throw error("expected a comparison operator after " + path.objectType() + ":" + path.pathText()
                        + " but found " + describe(op));
            }
            return new Test(path.objectType(), path.path(), operator, negated, values);
        }

        private Test path() throws StixPatternException {
            Token type = next();
            if (type.kind != TokenKind.WORD) {
                at--;
                throw error("expected an object type but found " + describe(type));
            }
            expectPunct(":");
            List<String> path = new ArrayList<>();
            Token first = next();
            if (first.kind != TokenKind.WORD && first.kind != TokenKind.STRING) {
                at--;
                throw error("expected a property name after '" + type.text + ":'");
            }
            path.add(first.text);
            while (true) {
                if (isPunct(".")) {
                    at++;
                    Token p = next();
                    if (p.kind != TokenKind.WORD && p.kind != TokenKind.STRING) {
                        at--;
                        throw error("expected a property name after '.'");
                    }
                    path.add(p.text);
                } else if (isPunct("[")
                        && at + 2 < tokens.size()
                        && tokens.get(at + 2).text.equals("]")
                        && (tokens.get(at + 1).text.equals("*") || tokens.get(at + 1).kind == TokenKind.NUMBER)) {
                    path.add("[" + tokens.get(at + 1).text + "]");
                    at += 3;
                } else {
                    break;
                }
            }
            return new Test(type.text, path, "", false, List.of());
        }

        private Literal literal() throws StixPatternException {
            Token t = next();
            return switch (t.kind) {
                case STRING -> new Literal("string", t.text);
                case TIMESTAMP -> new Literal("timestamp", t.text);
                case HEX -> new Literal("hex", t.text);
                case BINARY -> new Literal("binary", t.text);
                case NUMBER -> new Literal(t.text.contains(".") ? "float" : "int", t.text);
                case WORD -> {
                    if (t.text.equals("true") || t.text.equals("false")) {
                        yield new Literal("bool", t.text);
                    }
                    at--;
                    throw error("expected a value but found " + describe(t));
                }
                default -> {
                    at--;
                    throw error("expected a value but found " + describe(t));
                }
            };
        }
    }

    private static List<Token> lex(String s) throws StixPatternException {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            if ((c == 't' || c == 'h' || c == 'b') && i + 1 < n && s.charAt(i + 1) == '\'') {
                int end = s.indexOf('\'', i + 2);
                if (end < 0) {
                    throw new StixPatternException("unterminated " + c + "'...' literal at position " + (i + 1));
                }
                TokenKind kind = c == 't' ? TokenKind.TIMESTAMP : c == 'h' ? TokenKind.HEX : TokenKind.BINARY;
                out.add(new Token(kind, s.substring(i + 2, end), start));
                i = end + 1;
            } else if (c == '\'') {
                StringBuilder sb = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = s.charAt(i);
                    if (d == '\\' && i + 1 < n) {
                        sb.append(s.charAt(i + 1));
                        i += 2;
                    } else if (d == '\'') {
                        closed = true;
                        i++;
                        break;
                    } else {
                        sb.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw new StixPatternException("unterminated string starting at position " + (start + 1));
                }
                out.add(new Token(TokenKind.STRING, sb.toString(), start));
            } else if (Character.isLetter(c) || c == '_') {
                while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '-')) {
                    i++;
                }
                out.add(new Token(TokenKind.WORD, s.substring(start, i), start));
            } else if (Character.isDigit(c) || (c == '-' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
                i++;
                while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                out.add(new Token(TokenKind.NUMBER, s.substring(start, i), start));
            } else if ((c == '!' || c == '<' || c == '>' || c == '=') && i + 1 < n && s.charAt(i + 1) == '=') {
                out.add(new Token(TokenKind.PUNCT, s.substring(i, i + 2), start));
                i += 2;
            } else if ("[]():.,=<>*".indexOf(c) >= 0) {
                out.add(new Token(TokenKind.PUNCT, String.valueOf(c), start));
                i++;
            } else {
                throw new StixPatternException("unexpected character '" + c + "' at position " + (i + 1));
            }
        }
        out.add(new Token(TokenKind.END, "", n));
        return out;
    }
}
