package dev.vigil.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * UTC instants as ISO-8601 text, read and written without a {@link java.time.format.DateTimeFormatter}, for the hot
 * paths: every Windows event's {@code SystemTime}, every log record's timestamp (parsing each through a formatter was a
 * sixth of the server's matching threads, formatting it a tenth of encoding an event). The fast paths take the form
 * {@link Instant#toString} writes; anything else (a five-digit year, an offset, a leap second, lower-case letters) is
 * left to {@code java.time}, so the answers are always the ones {@code Instant.parse} and {@code toString} give.
 */
public final class UtcInstants {
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private UtcInstants() {}

    /** As {@link Instant#parse}: the same instant, or the same exception. */
    public static Instant parse(String text) {
        Instant canonical = parseCanonical(text, false);
        return canonical != null ? canonical : Instant.parse(text);
    }

    /**
     * {@code uuuu-MM-ddTHH:mm:ss[.f]Z} with a four-digit year and one to nine fraction digits, every field in range (a
     * space in place of the {@code T} too when {@code spaceForT}); {@code null} for any other text.
     */
    public static Instant parseCanonical(String t, boolean spaceForT) {
        int n = t.length();
        if (n < 20
                || n > 30
                || n == 21
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || !(t.charAt(10) == 'T' || spaceForT && t.charAt(10) == ' ')
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

    /** As {@link Instant#toString}. */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            return instant.toString();
        }
        long epochDay = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        int nano = instant.getNano();
        char[] out = new char[nano == 0 ? 20 : nano % 1_000_000 == 0 ? 24 : nano % 1_000 == 0 ? 27 : 30];
        put(out, 0, date.getYear(), 4);
        out[4] = '-';
        put(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        put(out, 11, secondOfDay / 3_600, 2);
        out[13] = ':';
        put(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        put(out, 17, secondOfDay % 60, 2);
        if (nano != 0) {
            // Instant.toString writes the fraction in groups of three digits, as many groups as it needs.
            int digits = out.length - 21;
            out[19] = '.';
            put(out, 20, nano / POWERS_OF_TEN[9 - digits], digits);
        }
        out[out.length - 1] = 'Z';
        return new String(out);
    }

    private static final long FIRST_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long LAST_SECOND = LocalDate.of(9999, 12, 31).toEpochDay() * 86_400 + 86_399;

    /** Writes {@code value} as {@code width} decimal digits, zero-padded, at {@code at}. */
    private static void put(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
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
