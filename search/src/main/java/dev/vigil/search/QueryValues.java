package dev.vigil.search;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/**
 * How the search language reads a value: as a number, a time, an IP address or block, and as case-folded text. The
 * parser (to recognise CIDR blocks), the matcher and the printer share these definitions so that they agree.
 */
final class QueryValues {
    /** Exponents longer than this are read as text: a number like {@code 1e999999999} would be costly to compare. */
    private static final int MAX_EXPONENT_DIGITS = 4;

    private QueryValues() {}

    /** Case folding, one UTF-16 unit at a time so that lengths (and {@code ?} in wildcards) are preserved. */
    static char fold(char c) {
        if (c < 0x80) {
            return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    static String fold(String s) {
        char[] out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char f = fold(c);
            if (f != c) {
                if (out == null) {
                    out = s.toCharArray();
                }
                out[i] = f;
            }
        }
        return out == null ? s : new String(out);
    }

    /**
     * The number a value stands for, or {@code null}: Java numbers (finite ones) and strings in decimal notation
     * ({@code 42}, {@code -1.5}, {@code .5}, {@code 1e3}; no spaces, no hexadecimal), the grammar of {@link
     * BigDecimal#BigDecimal(String)} restricted to ASCII digits.
     */
    static BigDecimal number(Object value) {
        return switch (value) {
            case Long l -> BigDecimal.valueOf(l);
            case Integer i -> BigDecimal.valueOf(i);
            case Short s -> BigDecimal.valueOf(s);
            case Byte b -> BigDecimal.valueOf(b);
            case Double d -> Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
            case Float f -> Float.isFinite(f) ? new BigDecimal(Float.toString(f)) : null;
            case BigDecimal d -> d;
            case BigInteger i -> new BigDecimal(i);
            case String s -> isDecimal(s) ? new BigDecimal(s) : null;
            default -> null;
        };
    }

    private static boolean isDecimal(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int intDigits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            intDigits++;
        }
        int fractionDigits = 0;
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                fractionDigits++;
            }
        }
        if (intDigits + fractionDigits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0 || exponentDigits > MAX_EXPONENT_DIGITS) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * The instant an ISO-8601 text names, or {@code null}: a date ({@code 2024-05-01}, midnight UTC), or a date and
     * time with {@code T} or a space between them, with an offset or zone ({@code Z}, {@code +02:00}) or without one
     * (UTC).
     */
    static Instant time(String s) {
        if (s.length() < 10 || !isDigit(s.charAt(0)) || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return null;
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            String iso = s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
            TemporalAccessor t =
                    DateTimeFormatter.ISO_DATE_TIME.parseBest(iso, ZonedDateTime::from, LocalDateTime::from);
            return t instanceof ZonedDateTime z
                    ? z.toInstant()
                    : ((LocalDateTime) t).atOffset(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The IP address a text holds, or {@code null}. Only the usual notations count (a dotted quad, or IPv6 in hex and
     * colons), not the lenient forms such as {@code 10.1} or a bare integer, so that a number is never taken for an
     * address. A text with a prefix length ({@code 10.1.0.0/16}) gives its block.
     */
    static IPAddress address(String s) {
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        if (!(isDottedQuad(host) || isIpv6(host)) || slash >= 0 && !isPrefixLength(s.substring(slash + 1))) {
            return null;
        }
        IPAddress a = new IPAddressString(s).getAddress();
        return a == null ? null : a.isPrefixed() ? a.toPrefixBlock() : a;
    }

    /** Whether a value is written as an IP block with a prefix length ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). */
    static boolean isCidrBlock(String s) {
        return s.indexOf('/') > 0 && address(s) != null;
    }

    private static boolean isPrefixLength(String s) {
        if (s.isEmpty() || s.length() > 3) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDottedQuad(String s) {
        int parts = 0;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '.') {
                if (digits == 0 || digits > 3) {
                    return false;
                }
                parts++;
                digits = 0;
            } else if (isDigit(s.charAt(i))) {
                digits++;
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    private static boolean isIpv6(String s) {
        int colons = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':') {
                colons++;
            } else if (!(isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.')) {
                return false;
            }
        }
        return colons >= 2;
    }
}
