package dev.vigil.notify;

import java.util.Locale;

/** How serious an alert or incident is, in Sigma's levels; routes compare them in this order. */
public enum Severity {
    INFORMATIONAL,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** The lower-case name used in JSON, YAML and templates. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Severity minimum) {
        return compareTo(minimum) >= 0;
    }

    /** Parses a level name, case-insensitively; {@code info} is accepted for {@code informational}. */
    public static Severity parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("info")) {
            return INFORMATIONAL;
        }
        for (Severity v : values()) {
            if (v.label().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException(
                "unknown severity '" + text + "': use informational, low, medium, high or critical");
    }
}
