package dev.vigil.formats;

import dev.vigil.core.UtcInstants;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Value conversions shared by the normalisers: field values as {@link dev.vigil.core.Event} defines them. */
final class Values {
    /** {@code 2025-11-27 07:40:10.132} and {@code 2025-11-27T07:40:10}: local date-times, read as UTC. */
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendLiteral('T')
            .optionalEnd()
            .optionalStart()
            .appendLiteral(' ')
            .optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .toFormatter();

    private Values() {}

    /** A scalar as an event value: integers as {@code Long}, decimals as {@code Double}, lists element-wise. */
    static Object scalar(Object v) {
        if (v == null || v instanceof String || v instanceof Long || v instanceof Boolean || v instanceof Double) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
        }
        if (v instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (v instanceof Map<?, ?> m && m.containsKey("#text")) {
            return scalar(m.get("#text"));
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(scalar(o));
            }
            return out;
        }
        if (v instanceof Instant i) {
            return i.toString();
        }
        return v;
    }

    /** A whole number as {@code Long} (from a number or a decimal/hex string), else the value as {@link #scalar}. */
    static Object number(Object v) {
        if (v instanceof Map<?, ?> m) {
            return number(m.get("#text"));
        }
        if (v instanceof String s) {
            Long l = parseLong(s);
            return l == null ? s : l;
        }
        return scalar(v);
    }

    static Long parseLong(String s) {
        String t = s.strip();
        if (t.isEmpty() || t.length() > 20) {
            return null;
        }
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A timestamp from an ISO-8601 string (with or without offset; a local one is UTC), a number of epoch seconds,
     * milliseconds, microseconds or nanoseconds (told apart by magnitude), or a numeric string of these; {@code null}
     * when the value is none of them.
     */
    static Instant timestamp(Object v) {
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof Map<?, ?> m) {
            return timestamp(m.get("#text"));
        }
        if (v instanceof Number n) {
            return epoch(n);
        }
        if (!(v instanceof String s) || s.isBlank()) {
            return null;
        }
        String t = s.strip();
        char c = t.charAt(0);
        if (c >= '0' && c <= '9' && t.length() <= 20 && t.indexOf('-') < 0 && t.indexOf(':') < 0) {
            try {
                return epoch(t.indexOf('.') >= 0 ? (Number) Double.parseDouble(t) : (Number) Long.parseLong(t));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        // Windows' SystemTime is in every event: its usual form is read without the formatter machinery.
        Instant fast = UtcInstants.parseCanonical(t, true);
        if (fast != null) {
            return fast;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            // try the other forms
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            // try the other forms
        }
        try {
            return LocalDateTime.parse(t, LOCAL).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant epoch(Number n) {
        try {
            if (n instanceof Double || n instanceof Float || n instanceof BigDecimal) {
                double d = n.doubleValue();
                if (!Double.isFinite(d) || d < 0) {
                    return null;
                }
                if (d < 1e11) {
                    long secs = (long) d;
                    return Instant.ofEpochSecond(secs, Math.round((d - secs) * 1e9));
                }
                return epochLong((long) d);
            }
            return epochLong(n.longValue());
        } catch (ArithmeticException | java.time.DateTimeException e) {
            return null;
        }
    }

    private static Instant epochLong(long v) {
        if (v < 0) {
            return null;
        }
        if (v < 100_000_000_000L) { // before year 5138 in seconds
            return Instant.ofEpochSecond(v);
        }
        if (v < 100_000_000_000_000L) {
            return Instant.ofEpochMilli(v);
        }
        if (v < 100_000_000_000_000_000L) {
            return Instant.ofEpochSecond(v / 1_000_000, (v % 1_000_000) * 1000);
        }
        return Instant.ofEpochSecond(v / 1_000_000_000, v % 1_000_000_000);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object v) {
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    static String string(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> m) {
            return string(m.get("#text"));
        }
        return v instanceof String s ? s : v.toString();
    }
}
