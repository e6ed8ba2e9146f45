package dev.vigil.sigma.correlation;

import dev.vigil.sigma.SigmaException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A numeric correlation condition: one or more of {@code gt gte lt lte eq neq}, joined by AND (the specification's
 * range form, e.g. {@code gt: 100, lte: 200}).
 */
final class Threshold {
    enum Op {
        GT,
        GTE,
        LT,
        LTE,
        EQ,
        NEQ;

        boolean test(double value, double bound) {
            return switch (this) {
                case GT -> value > bound;
                case GTE -> value >= bound;
                case LT -> value < bound;
                case LTE -> value <= bound;
                case EQ -> value == bound;
                case NEQ -> value != bound;
            };
        }
    }

    private record Term(Op op, double bound) {}

    private final List<Term> terms;

    private Threshold(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    static Threshold atLeast(int n) {
        return new Threshold(List.of(new Term(Op.GTE, n)));
    }

    static Threshold parse(Map<?, ?> condition) throws SigmaException {
        List<Term> terms = new ArrayList<>();
        for (Map.Entry<?, ?> e : condition.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.equals("field") || key.equals("percentile")) {
                continue;
            }
            Op op;
            try {
                op = Op.valueOf(key.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                throw new SigmaException("correlation.condition: '" + key
                        + "' is not a condition operator (gt, gte, lt, lte, eq, neq, field, percentile)");
            }
            if (!key.equals(key.toLowerCase(Locale.ROOT))) {
                throw new SigmaException("correlation.condition: operator '" + key + "' must be lowercase");
            }
            if (!(e.getValue() instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new SigmaException("correlation.condition." + key + ": '" + e.getValue() + "' is not a number");
            }
            terms.add(new Term(op, n.doubleValue()));
        }
        if (terms.isEmpty()) {
            throw new SigmaException("correlation.condition: needs an operator (gt, gte, lt, lte, eq or neq)");
        }
        return new Threshold(terms);
    }

    boolean test(double value) {
        for (Term t : terms) {
            if (!t.op().test(value, t.bound())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Term t : terms) {
            if (sb.length() > 0) {
                sb.append(" and ");
            }
            sb.append(t.op().name().toLowerCase(Locale.ROOT)).append(' ').append(t.bound());
        }
        return sb.toString();
    }
}
