package dev.vigil.formats.text;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Formats instants exactly as {@link Instant#toString()} does ({@code 2003-10-11T22:14:15.003Z}: seconds always,
 * fractions in groups of three digits, only as many groups as needed), without the {@code DateTimeFormatter}
 * machinery, which cost about a tenth of the syslog reader's time.
 *
 * <p>Log lines come in time order, many per second, so the text of the last second is kept and reused: a line in the
 * same second as the one before gets the very same {@code String} when it has no fraction, and a copy of the cached
 * digits plus its fraction otherwise. The date part is cached by day, so a new second costs six digits. Years outside
 * 0000-9999 (which {@code Instant.toString} writes with a sign or more digits) go to {@code Instant.toString}. Not
 * thread-safe: one per parser.
 */
public final class InstantText {
    private static final long MIN_SECOND = -62_167_219_200L; // 0000-01-01T00:00:00Z
    private static final long MAX_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

    /** {@code yyyy-MM-ddTHH:mm:ss}, then room for {@code .nnnnnnnnnZ}. */
    private final byte[] text = new byte[30];

    private long day = Long.MIN_VALUE;
    private long second = Long.MIN_VALUE;
    private String wholeSecond;

    /** The text of {@code instant}, equal to {@code instant.toString()}. */
    public String format(Instant instant) {
        long s = instant.getEpochSecond();
        if (s < MIN_SECOND || s > MAX_SECOND) {
            return instant.toString();
        }
        if (s != second) {
            setSecond(s);
        }
        int nanos = instant.getNano();
        if (nanos == 0) {
            return wholeSecond;
        }
        int n = 19;
        text[n++] = '.';
        int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
        int value = digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1000 : nanos;
        for (int i = n + digits - 1; i >= n; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        n += digits;
        text[n++] = 'Z';
        return new String(text, 0, n, StandardCharsets.ISO_8859_1);
    }

    private void setSecond(long s) {
        long d = Math.floorDiv(s, 86_400);
        if (d != day) {
            LocalDate date = LocalDate.ofEpochDay(d);
            put4(0, date.getYear());
            text[4] = '-';
            put2(5, date.getMonthValue());
            text[7] = '-';
            put2(8, date.getDayOfMonth());
            text[10] = 'T';
            text[13] = ':';
            text[16] = ':';
            day = d;
        }
        int inDay = (int) Math.floorMod(s, 86_400);
        put2(11, inDay / 3600);
        put2(14, inDay / 60 % 60);
        put2(17, inDay % 60);
        text[19] = 'Z';
        wholeSecond = new String(text, 0, 20, StandardCharsets.ISO_8859_1);
        second = s;
    }

    private void put2(int at, int v) {
        text[at] = (byte) ('0' + v / 10);
        text[at + 1] = (byte) ('0' + v % 10);
    }

    private void put4(int at, int v) {
        put2(at, v / 100);
        put2(at + 2, v % 100);
    }
}
