package dev.vigil.sigma.correlation;

import dev.vigil.sigma.SigmaException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The boolean {@code condition} of a temporal or temporal_ordered correlation, e.g. {@code rule_a and not rule_b}.
 *
 * <p>Source: Sigma Enhancement Proposal "Condition Extension in Temporal Correlation Rules"
 * (https://github.com/SigmaHQ/sigma-specification/issues/198, labelled approved and v2.2.0; spec text in
 * sigma-specification PR #205; schema examples {@code tests/schema/correlation/temporal_condition.yml} and {@code
 * temporal_ordered_condition.yml}), as implemented in pySigma's {@code SigmaExtendedCorrelationCondition}
 * (sigma/correlations.py). As there:
 *
 * <ul>
 *   <li>the condition is a string instead of a map and refers directly to the rule names of {@code rules:};
 *   <li>operators {@code and}, {@code or}, {@code not} and parentheses, precedence {@code not > and > or};
 *   <li>every rule in {@code rules:} must appear in the condition and every name in the condition must be in {@code
 *       rules:}; when {@code rules:} is omitted, the rules are those named by the condition, in order of appearance.
 * </ul>
 *
 * <p>Two deliberate widenings, both so that real files load: operators are case-insensitive (pySigma's grammar takes
 * lowercase, the specification's own schema test files write {@code AND}), and a rule reference is any run of
 * characters other than whitespace and parentheses (pySigma takes {@code [A-Za-z_][A-Za-z0-9_]*}), so rule ids (UUIDs)
 * and names with hyphens can be referenced. A rule may therefore not be named {@code and}, {@code or} or {@code not}.
 */
final class TemporalExpression {
    private sealed interface Node permits Ref, Not, And, Or {}

    private record Ref(String name) implements Node {}

    private record Not(Node operand) implements Node {}

    private record And(List<Node> operands) implements Node {}

    private record Or(List<Node> operands) implements Node {}

    private final String text;
    private final Node root;
    private final List<String> references;

    private TemporalExpression(String text, Node root, List<String> references) {
        this.text = text;
        this.root = root;
        this.references = List.copyOf(references);
    }

    static TemporalExpression parse(String text) throws SigmaException {
        Parser p = new Parser(text);
        Node root = p.or();
        if (p.pos < p.tokens.size()) {
            throw p.error("unexpected '" + p.tokens.get(p.pos) + "'");
        }
        return new TemporalExpression(text, root, p.references);
    }

    /** The rule references in order of first appearance. */
    List<String> references() {
        return references;
    }

    /** Evaluates the expression; {@code seen} says whether a referenced rule was seen in the window. */
    boolean test(Predicate<String> seen) {
        return eval(root, seen);
    }

    private static boolean eval(Node node, Predicate<String> seen) {
        return switch (node) {
            case Ref r -> seen.test(r.name());
            case Not n -> !eval(n.operand(), seen);
            case And a -> a.operands().stream().allMatch(o -> eval(o, seen));
            case Or o -> o.operands().stream().anyMatch(x -> eval(x, seen));
        };
    }

    @Override
    public String toString() {
        return text;
    }

    private static final class Parser {
        final String text;
        final List<String> tokens = new ArrayList<>();
        final List<String> references = new ArrayList<>();
        int pos;

        Parser(String text) throws SigmaException {
            this.text = text;
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '(' || c == ')') {
                    tokens.add(String.valueOf(c));
                    i++;
                } else {
                    int start = i;
                    while (i < text.length()
                            && !Character.isWhitespace(text.charAt(i))
                            && text.charAt(i) != '('
                            && text.charAt(i) != ')') {
                        i++;
                    }
                    tokens.add(text.substring(start, i));
                }
            }
            if (tokens.isEmpty()) {
                throw error("empty");
            }
        }

        SigmaException error(String what) {
            return new SigmaException(
                    "correlation.condition: '" + text + "' is not a valid boolean condition: " + what);
        }

        boolean keyword(String word) {
            if (pos < tokens.size() && tokens.get(pos).toLowerCase(Locale.ROOT).equals(word)) {
                pos++;
                return true;
            }
            return false;
        }

        Node or() throws SigmaException {
            List<Node> operands = new ArrayList<>();
            operands.add(and());
            while (keyword("or")) {
                operands.add(and());
            }
            return operands.size() == 1 ? operands.get(0) : new Or(List.copyOf(operands));
        }

        Node and() throws SigmaException {
            List<Node> operands = new ArrayList<>();
            operands.add(not());
            while (keyword("and")) {
                operands.add(not());
            }
            return operands.size() == 1 ? operands.get(0) : new And(List.copyOf(operands));
        }

        Node not() throws SigmaException {
            if (keyword("not")) {
                return new Not(not());
            }
            return primary();
        }

        Node primary() throws SigmaException {
            if (pos >= tokens.size()) {
                throw error("ends where a rule name or '(' is expected");
            }
            String t = tokens.get(pos++);
            if (t.equals("(")) {
                Node inner = or();
                if (pos >= tokens.size() || !tokens.get(pos).equals(")")) {
                    throw error("missing ')'");
                }
                pos++;
                return inner;
            }
            String lower = t.toLowerCase(Locale.ROOT);
            if (t.equals(")") || lower.equals("and") || lower.equals("or") || lower.equals("not")) {
                throw error("unexpected '" + t + "' where a rule name is expected");
            }
            if (!references.contains(t)) {
                references.add(t);
            }
            return new Ref(t);
        }
    }
}
