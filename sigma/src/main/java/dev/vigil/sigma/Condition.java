package dev.vigil.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parsed form of a Sigma condition expression, before search identifiers are resolved.
 *
 * <p>Grammar (precedence from loosest: or, and, not):
 *
 * <pre>
 * expr     := and ('or' and)*
 * and      := unary ('and' unary)*
 * unary    := 'not' unary | primary
 * primary  := '(' expr ')' | quantity 'of' (pattern | 'them') | identifier
 * quantity := '1' | 'any' | 'all'
 * </pre>
 */
sealed interface Condition {
    record And(List<Condition> terms) implements Condition {}

    record Or(List<Condition> terms) implements Condition {}

    record Not(Condition term) implements Condition {}

    record Ref(String name) implements Condition {}

    /** {@code 1 of pattern}, {@code all of them}: {@code pattern} is null for {@code them}. */
    record Quantified(boolean all, String pattern) implements Condition {}

    static Condition parse(String text) throws SigmaException {
        return new Parser(text).parseAll();
    }

    final class Parser {
        private final String text;
        private final List<String> tokens = new ArrayList<>();
        private int pos;

        Parser(String text) {
            this.text = text;
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '(' || c == ')' || c == '|') {
                    tokens.add(String.valueOf(c));
                    i++;
                } else {
                    int start = i;
                    while (i < text.length()
                            && !Character.isWhitespace(text.charAt(i))
                            && "()|".indexOf(text.charAt(i)) < 0) {
                        i++;
                    }
                    tokens.add(text.substring(start, i));
                }
            }
        }

        Condition parseAll() throws SigmaException {
            if (tokens.isEmpty()) {
                throw error("is empty");
            }
            if (tokens.contains("|")) {
                throw error("uses a '|' aggregation, which Sigma v2 replaced with correlation rules");
            }
            Condition c = or();
            if (pos < tokens.size()) {
                throw error("has unexpected '" + tokens.get(pos) + "'");
            }
            return c;
        }

        private Condition or() throws SigmaException {
            List<Condition> terms = new ArrayList<>();
            terms.add(and());
            while (is("or")) {
                pos++;
                terms.add(and());
            }
            return terms.size() == 1 ? terms.get(0) : new Or(terms);
        }

        private Condition and() throws SigmaException {
            List<Condition> terms = new ArrayList<>();
            terms.add(unary());
            while (is("and")) {
                pos++;
                terms.add(unary());
            }
            return terms.size() == 1 ? terms.get(0) : new And(terms);
        }

        private Condition unary() throws SigmaException {
            if (is("not")) {
                pos++;
                return new Not(unary());
            }
            return primary();
        }

        private Condition primary() throws SigmaException {
            if (pos >= tokens.size()) {
                throw error("ends too early");
            }
            String t = tokens.get(pos);
            if (t.equals("(")) {
                pos++;
                Condition c = or();
                if (!is(")")) {
                    throw error("misses a closing ')'");
                }
                pos++;
                return c;
            }
            if (t.equals(")")) {
                throw error("has an unexpected ')'");
            }
            String lower = t.toLowerCase(Locale.ROOT);
            if (pos + 1 < tokens.size() && tokens.get(pos + 1).equalsIgnoreCase("of")) {
                boolean all;
                if (lower.equals("all")) {
                    all = true;
                } else if (lower.equals("1") || lower.equals("any")) {
                    all = false;
                } else {
                    throw error("has '" + t + " of': only '1 of', 'any of' and 'all of' exist");
                }
                pos += 2;
                if (pos >= tokens.size() || "()".contains(tokens.get(pos))) {
                    throw error("needs a name pattern or 'them' after '" + t + " of'");
                }
                String target = tokens.get(pos++);
                return new Quantified(all, target.equalsIgnoreCase("them") ? null : target);
            }
            if (lower.equals("and") || lower.equals("or") || lower.equals("of")) {
                throw error("has '" + t + "' where a search identifier belongs");
            }
            pos++;
            return new Ref(t);
        }

        private boolean is(String word) {
            return pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(word);
        }

        private SigmaException error(String what) {
            return new SigmaException("condition '" + text + "' " + what);
        }
    }
}
