package dev.vigil.intel;

import java.util.Locale;
import java.util.Optional;

/**
 * Traffic Light Protocol marking (TLP 2.0, with 1.0's WHITE read as CLEAR). Ordered from least to most restrictive, so
 * that merging two markings keeps the stricter one.
 */
public enum Tlp {
    /** No marking was given; shared as the platform's policy decides. */
    UNMARKED,
    CLEAR,
    GREEN,
    AMBER,
    AMBER_STRICT,
    RED;

    /** Parses {@code clear}, {@code white}, {@code green}, {@code amber}, {@code amber+strict}, {@code red} (any case). */
    public static Optional<Tlp> parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("tlp:")) {
            s = s.substring(4);
        }
        return switch (s) {
            case "clear", "white" -> Optional.of(CLEAR);
            case "green" -> Optional.of(GREEN);
            case "amber" -> Optional.of(AMBER);
            case "amber+strict", "amber-strict", "amber_strict" -> Optional.of(AMBER_STRICT);
            case "red" -> Optional.of(RED);
            default -> Optional.empty();
        };
    }

    /** The stricter of two markings. */
    public Tlp stricter(Tlp other) {
        return compareTo(other) >= 0 ? this : other;
    }

    /** The marking as TLP 2.0 writes it, e.g. {@code TLP:AMBER+STRICT}; {@code null}-free: UNMARKED gives "". */
    public String label() {
        return switch (this) {
            case UNMARKED -> "";
            case AMBER_STRICT -> "TLP:AMBER+STRICT";
            default -> "TLP:" + name();
        };
    }
}
