package dev.vigil.sigma;

import java.math.BigDecimal;

/**
 * Conversions between event values and the text and numbers rules compare them with. Public only for the
 * correlation package, which groups by the same text; not part of the engine's API.
 */
public final class Values {
    private Values() {}

    /** The text form of a scalar: integral numbers without a fraction, booleans as {@code true}/{@code false}. */
    public static String text(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (v instanceof Float f && f == Math.rint(f) && !Float.isInfinite(f)) {
            return Long.toString(f.longValue());
        }
        if (v instanceof BigDecimal b) {
            return b.stripTrailingZeros().toPlainString();
        }
        return String.valueOf(v);
    }

    /** A number from an event value: numbers as they are, numeric text (decimal or {@code 0x} hex); else null. */
    public static Double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            String t = s.trim();
            if (t.isEmpty()) {
                return null;
            }
            try {
                if (t.length() > 2 && (t.startsWith("0x") || t.startsWith("0X"))) {
                    return (double) Long.parseUnsignedLong(t.substring(2), 16);
                }
                char c = t.charAt(0);
                char last = t.charAt(t.length() - 1);
                // Double.parseDouble also takes Java's own forms ("12d", "1f", "Infinity"), which are not numbers in a
                // log: a number ends with a digit or its decimal point.
                if (((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.')
                        && ((last >= '0' && last <= '9') || last == '.')) {
                    return Double.parseDouble(t);
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
