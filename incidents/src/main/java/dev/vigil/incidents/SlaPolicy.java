package dev.vigil.incidents;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.alert.Severity;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** How soon a case must be acknowledged (moved to in progress) and resolved, per severity, counted from its creation. */
public record SlaPolicy(Map<Severity, Duration> timeToAcknowledge, Map<Severity, Duration> timeToResolve) {
    public SlaPolicy {
        timeToAcknowledge = complete("timeToAcknowledge", timeToAcknowledge);
        timeToResolve = complete("timeToResolve", timeToResolve);
    }

    private static Map<Severity, Duration> complete(String what, Map<Severity, Duration> m) {
        requireNonNull(m, what);
        EnumMap<Severity, Duration> out = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            Duration d = m.get(s);
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " for " + s + " must be a positive duration, got " + d);
            }
            out.put(s, d);
        }
        return Map.copyOf(out);
    }

    /** Critical 15 min / 4 h, high 1 h / 24 h, medium 4 h / 3 days, low 24 h / 7 days, informational 3 / 30 days. */
    public static SlaPolicy defaults() {
        return new SlaPolicy(
                Map.of(
                        Severity.CRITICAL, Duration.ofMinutes(15),
                        Severity.HIGH, Duration.ofHours(1),
                        Severity.MEDIUM, Duration.ofHours(4),
                        Severity.LOW, Duration.ofHours(24),
                        Severity.INFORMATIONAL, Duration.ofDays(3)),
                Map.of(
                        Severity.CRITICAL, Duration.ofHours(4),
                        Severity.HIGH, Duration.ofHours(24),
                        Severity.MEDIUM, Duration.ofDays(3),
                        Severity.LOW, Duration.ofDays(7),
                        Severity.INFORMATIONAL, Duration.ofDays(30)));
    }
}
