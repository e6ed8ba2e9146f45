package dev.vigil.core.alert;

import java.util.Locale;

/** How bad an alert or incident is, from least to most severe; the same five steps as Sigma's levels. */
public enum Severity {
    INFORMATIONAL,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /**
     * The severity of a Sigma level ({@code informational}, {@code low}, {@code medium}, {@code high}, {@code
     * critical}, any case).
     *
     * @throws IllegalArgumentException for any other text, naming it
     */
    public static Severity fromSigmaLevel(String level) {
        if (level != null) {
            switch (level.strip().toLowerCase(Locale.ROOT)) {
                case "informational":
                    return INFORMATIONAL;
                case "low":
                    return LOW;
                case "medium":
                    return MEDIUM;
                case "high":
                    return HIGH;
                case "critical":
                    return CRITICAL;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(
                "unknown Sigma level '" + level + "': use informational, low, medium, high or critical");
    }

    /** The Sigma level of this severity, lower case. */
    public String sigmaLevel() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The more severe of the two. */
    public Severity max(Severity other) {
        return other.compareTo(this) > 0 ? other : this;
    }
}
