package dev.vigil.formats.network;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Value helpers shared by the network log readers (Zeek, Suricata) and journald. */
final class NetFields {
    /** ISO-8601 with an optional fraction and an optional offset written {@code Z}, {@code +hh:mm} or {@code +hhmm}. */
    private static final DateTimeFormatter ISO_LENIENT = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendPattern("HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HH:MM", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HHMM", "Z")
            .optionalEnd()
            .parseDefaulting(ChronoField.OFFSET_SECONDS, 0)
            .toFormatter();

    private NetFields() {}

    /**
     * A time from epoch seconds (a number or numeric string, fraction allowed) or ISO-8601 (Suricata's {@code
     * 2018-03-24T15:12:17.012345+0000} included; no offset means UTC); {@code null} when it is neither.
     */
    static Instant time(Object v) {
        if (v instanceof Number n) {
            return epochSeconds(n.doubleValue(), n instanceof Double ? null : n.longValue());
        }
        if (!(v instanceof String s) || s.isEmpty()) {
            return null;
        }
        char c = s.charAt(0);
        if ((c >= '0' && c <= '9' && s.indexOf('-') < 0 && s.indexOf(':') < 0) || c == '-') {
            return epochString(s);
        }
        try {
            return OffsetDateTime.parse(s, ISO_LENIENT).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code 1521911720.865716} exactly (no floating-point rounding); negative and exponent forms too. */
    static Instant epochString(String s) {
        int dot = s.indexOf('.');
        if (s.charAt(0) == '-' || s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
            try {
                java.math.BigDecimal d = new java.math.BigDecimal(s);
                java.math.BigDecimal seconds = d.setScale(0, java.math.RoundingMode.FLOOR);
                long nanos = d.subtract(seconds)
                        .movePointRight(9)
                        .setScale(0, java.math.RoundingMode.HALF_UP)
                        .longValueExact();
                return Instant.ofEpochSecond(seconds.longValueExact(), nanos);
            } catch (NumberFormatException | ArithmeticException | DateTimeException e) {
                return null;
            }
        }
        try {
            long seconds = Long.parseLong(dot < 0 ? s : s.substring(0, dot));
            long nanos = 0;
            if (dot >= 0) {
                String frac = s.substring(dot + 1);
                if (frac.length() > 9) {
                    frac = frac.substring(0, 9);
                }
                nanos = frac.isEmpty() ? 0 : Long.parseLong(frac);
                for (int i = frac.length(); i < 9; i++) {
                    nanos *= 10;
                }
            }
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }

    private static Instant epochSeconds(double d, Long exact) {
        try {
            if (exact != null) {
                return Instant.ofEpochSecond(exact);
            }
            long seconds = (long) Math.floor(d);
            long nanos = Math.round((d - seconds) * 1_000_000) * 1000;
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    /** The instant as ISO-8601 UTC text, as {@code @timestamp} carries it. */
    static String iso(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.atOffset(ZoneOffset.UTC));
    }

    /** A Long from a number or a numeric string, else {@code null}. */
    static Long asLong(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) ? (Long) n.longValue() : null;
        }
        if (v instanceof String s && !s.isEmpty()) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** Copies {@code fields[from]} to {@code to} when present and not null. */
    static void copy(Map<String, Object> fields, String from, String to) {
        Object v = fields.get(from);
        if (v != null) {
            fields.putIfAbsent(to, v);
        }
    }

    /** Copies {@code fields[from]} to {@code to} as a Long when it is a whole number. */
    static void copyLong(Map<String, Object> fields, String from, String to) {
        Long v = asLong(fields.get(from));
        if (v != null) {
            fields.putIfAbsent(to, v);
        }
    }

    /** Lower-cases a transport name ({@code TCP} → {@code tcp}). */
    static void transport(Map<String, Object> fields, String from) {
        if (fields.get(from) instanceof String s && !s.isEmpty()) {
            fields.putIfAbsent("network.transport", s.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** A scalar or list of scalars as a list. */
    static List<Object> list(Object v) {
        List<Object> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            out.addAll(l);
        } else if (v != null) {
            out.add(v);
        }
        return out;
    }
}
