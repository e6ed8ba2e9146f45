package dev.vigil.sigma;

import static java.util.Objects.requireNonNull;

/**
 * A decimal number of a rule file with the text it was written as. Sigma compares values as text, so {@code
 * ProductVersion: 10.0} must match "10.0", not "10", and {@code contains: 1.10} must not become "1.1"; where a number
 * is meant (a correlation's {@code gt: 2.5}, {@code lt}/{@code gt} modifiers) it is the number. Its text is its {@link
 * #toString()}, which is what {@link Values#text} gives for it.
 */
final class WrittenDecimal extends Number {
    private final String text;
    private final double value;

    WrittenDecimal(String text, double value) {
        this.text = requireNonNull(text, "text");
        this.value = value;
    }

    @Override
    public int intValue() {
        return (int) value;
    }

    @Override
    public long longValue() {
        return (long) value;
    }

    @Override
    public float floatValue() {
        return (float) value;
    }

    @Override
    public double doubleValue() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrittenDecimal d && d.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
