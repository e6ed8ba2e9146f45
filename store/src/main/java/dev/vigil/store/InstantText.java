package dev.vigil.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * Reads the text {@link Instant#toString} writes, which is how the event codec writes timestamps, without a
 * {@link java.time.format.DateTimeFormatter}: parsing each log record's timestamp through one was a sixth of the
 * matching threads' time. Any other form (a five-digit year, an offset, a leap second, lower-case letters) is handed
 * to {@link Instant#parse}, so the answer, or the exception, is always the one {@code Instant.parse} gives.
 */
final class InstantText {
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private InstantText() {}

    static Instant parse(String text) {
        Instant canonical = parseCanonical(text);
        return canonical != null ? canonical : Instant.parse(text);
    }

    /**
     * {@code uuuu-MM-ddTHH:mm:ss[.f]Z} with a four-digit year and one to nine fraction digits, every field in range;
     * {@code null} for any other text.
     */
    static Instant parseCanonical(String t) {
        int n = t.length();
        if (n < 20
                || n > 30
                || n == 21
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':'
                || t.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
            return null;
        }
        if (second < 0 || second > 59 || day > 28 && day > Month.of(month).length(Year.isLeap(year))) {
            return null;
        }
        int nano = 0;
        if (n > 20) {
            int fractionDigits = n - 21;
            int fraction = t.charAt(19) == '.' ? digits(t, 20, fractionDigits) : -1;
            if (fraction < 0) {
                return null;
            }
            nano = fraction * POWERS_OF_TEN[9 - fractionDigits];
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nano);
    }

    /** The value of {@code count} decimal digits at {@code from}, or -1 when one of them is not a digit. */
    private static int digits(String t, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
