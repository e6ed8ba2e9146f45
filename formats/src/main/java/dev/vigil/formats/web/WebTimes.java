package dev.vigil.formats.web;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Timestamp forms of web server logs, parsed without formatter machinery (they are on the hot path). */
final class WebTimes {
    private WebTimes() {}

    /**
     * Common log format {@code 22/Dec/2016:16:30:52 +0300}, in brackets or not (the zone optional: then {@code zone}
     * applies); {@code null} when {@code s[from, to)} is not one.
     */
    static Instant clf(String s, int from, int to, ZoneId zone) {
        if (to - from > 2 && s.charAt(from) == '[' && s.charAt(to - 1) == ']') {
            from++; // Apache's %t includes the brackets
            to--;
        }
        int n = to - from;
        if (n < 20 || s.charAt(from + 2) != '/' || s.charAt(from + 6) != '/' || s.charAt(from + 11) != ':') {
            return null;
        }
        int day = digits(s, from, from + 2);
        int month = month(s, from + 3);
        int year = digits(s, from + 7, from + 11);
        int hour = digits(s, from + 12, from + 14);
        int minute = digits(s, from + 15, from + 17);
        int second = digits(s, from + 18, from + 20);
        if (s.charAt(from + 14) != ':' || s.charAt(from + 17) != ':') {
            return null;
        }
        ZoneId z = zone;
        if (n > 20) {
            if (n != 26 || s.charAt(from + 20) != ' ') {
                return null;
            }
            char sign = s.charAt(from + 21);
            int hh = digits(s, from + 22, from + 24);
            int mm = digits(s, from + 24, from + 26);
            if ((sign != '+' && sign != '-') || hh < 0 || mm < 0 || hh > 18 || mm > 59) {
                return null;
            }
            int secs = hh * 3600 + mm * 60;
            z = ZoneOffset.ofTotalSeconds(sign == '-' ? -secs : secs);
        }
        return of(year, month, day, hour, minute, second, 0, z);
    }

    /**
     * Apache error log {@code Sun Dec 04 04:47:44 2005} or {@code Wed Oct 11 14:32:52.123456 2017}, in {@code zone};
     * {@code null} when {@code s} is not one.
     */
    static Instant ctime(String s, ZoneId zone) {
        int n = s.length();
        if (n < 24
                || s.charAt(3) != ' '
                || s.charAt(7) != ' '
                || s.charAt(10) != ' '
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int month = month(s, 4);
        int day = s.charAt(8) == ' ' ? digits(s, 9, 10) : digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int i = 19;
        long nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == start || i - start > 9) {
                return null;
            }
            nanos = digits(s, start, i);
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        if (i + 5 != n || s.charAt(i) != ' ') {
            return null;
        }
        int year = digits(s, i + 1, n);
        return of(year, month, day, hour, minute, second, (int) nanos, zone);
    }

    /** nginx error log {@code 2024/01/05 10:00:00} at {@code s[from, from + 19)}, in {@code zone}. */
    static Instant nginx(String s, int from, ZoneId zone) {
        if (s.length() < from + 19
                || s.charAt(from + 4) != '/'
                || s.charAt(from + 7) != '/'
                || s.charAt(from + 10) != ' '
                || s.charAt(from + 13) != ':'
                || s.charAt(from + 16) != ':') {
            return null;
        }
        return of(
                digits(s, from, from + 4),
                digits(s, from + 5, from + 7),
                digits(s, from + 8, from + 10),
                digits(s, from + 11, from + 13),
                digits(s, from + 14, from + 16),
                digits(s, from + 17, from + 19),
                0,
                zone);
    }

    /** ISO 8601 with an offset (nginx {@code $time_iso8601}), or local (then in {@code zone}); {@code null} if neither. */
    static Instant iso(String s, ZoneId zone) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s.replace(' ', 'T')).atZone(zone).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static Instant of(int year, int month, int day, int hour, int minute, int second, int nanos, ZoneId z) {
        if (year < 0 || month < 1 || day < 1 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                    .atZone(z)
                    .toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    static int month(String s, int at) {
        if (at + 3 > s.length()) {
            return -1;
        }
        for (int m = 0; m < 12; m++) {
            if (s.regionMatches(true, at, MONTHS, m * 3, 3)) {
                return m + 1;
            }
        }
        return -1;
    }

    static int digits(String s, int from, int to) {
        if (from >= to || to > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
