package dev.vigil.server;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Times as analysts write them in a query string: ISO-8601 instants ({@code 2026-11-25T10:00:00Z}, with an offset, or
 * a date), epoch milliseconds, or relative to now as in Kibana and Grafana ({@code now}, {@code now-15m}, {@code
 * now-24h}, {@code now-7d}).
 */
final class TimeParams {
    private TimeParams() {}

    static Instant parse(String name, String text, Instant now, Instant dflt) {
        if (text == null || text.isBlank()) {
            return dflt;
        }
        String t = text.strip();
        if (t.equals("now")) {
            return now;
        }
        if (t.startsWith("now-") || t.startsWith("now+")) {
            return now.plus(relative(name, t.substring(3)));
        }
        if (t.chars().allMatch(Character::isDigit) && t.length() <= 16) {
            return Instant.ofEpochMilli(Long.parseLong(t));
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            // not an instant with an offset; try a plain date
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new ApiException(
                    400, name + ": '" + t + "' is not a time (ISO-8601, epoch milliseconds, or now-15m style)");
        }
    }

    static Duration relative(String name, String signed) {
        boolean negative = signed.charAt(0) == '-';
        String body = signed.substring(1);
        if (body.length() < 2) {
            throw new ApiException(400, name + ": '" + signed + "' needs a number and a unit (s, m, h, d, w)");
        }
        char unit = body.charAt(body.length() - 1);
        long n;
        try {
            n = Long.parseLong(body.substring(0, body.length() - 1));
        } catch (NumberFormatException e) {
            throw new ApiException(400, name + ": '" + signed + "' needs a number and a unit (s, m, h, d, w)");
        }
        if (n > 100_000) {
            throw new ApiException(400, name + ": '" + signed + "' is too far away");
        }
        Duration d = switch (unit) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            case 'w' -> Duration.ofDays(7 * n);
            default -> throw new ApiException(400, name + ": unknown unit '" + unit + "' (s, m, h, d, w)");
        };
        return negative ? d.negated() : d;
    }

    /** A histogram interval: {@code 1m}, {@code 1h}, {@code 1d} ... */
    static Duration interval(String text) {
        Duration d = relative("interval", "+" + text.strip());
        if (d.isZero() || d.isNegative()) {
            throw new ApiException(400, "interval: must be positive");
        }
        return d;
    }
}
