package dev.vigil.console;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The relative time ranges the console offers ({@code 15m} ... {@code 30d}), ending now. */
public record TimeRange(String key, Instant from, Instant to) {
    public static final List<String> KEYS = List.of("15m", "1h", "24h", "7d", "30d");

    /** The range named {@code key} (24 hours for an empty or unknown key) ending at {@code now}. */
    public static TimeRange parse(String key, Instant now) {
        String k = KEYS.contains(key) ? key : "24h";
        Duration d = switch (k) {
            case "15m" -> Duration.ofMinutes(15);
            case "1h" -> Duration.ofHours(1);
            case "7d" -> Duration.ofDays(7);
            case "30d" -> Duration.ofDays(30);
            default -> Duration.ofHours(24);
        };
        // One millisecond past now, so an event stamped this instant is in range.
        Instant to = now.plusMillis(1);
        return new TimeRange(k, to.minus(d), to);
    }
}
