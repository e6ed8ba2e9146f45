package dev.vigil.store;

import java.util.List;
import java.util.Locale;

/** The order of Sigma's levels, for "at least high" filters. */
public final class AlertLevel {
    /** From least to most severe. */
    public static final List<String> LEVELS = List.of("informational", "low", "medium", "high", "critical");

    private AlertLevel() {}

    /** 0 for informational up to 4 for critical. */
    public static int rank(String level) {
        int rank = LEVELS.indexOf(level.toLowerCase(Locale.ROOT));
        if (rank < 0) {
            throw new IllegalArgumentException("unknown alert level '" + level + "': use one of " + LEVELS);
        }
        return rank;
    }
}
