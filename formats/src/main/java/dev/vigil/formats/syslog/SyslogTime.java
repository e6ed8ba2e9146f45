package dev.vigil.formats.syslog;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Timestamp parsing for syslog headers without the formatter machinery (this is the hot path). */
final class SyslogTime {
    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";

    private SyslogTime() {}

    /** The month (1-12) of a three-letter English month name at {@code s[i, i+3)}, or 0. */
    static int month(String s, int i) {
        if (i + 3 > s.length()) {
            return 0;
        }
        char a = (char) (s.charAt(i) | 0x20);
        char b = (char) (s.charAt(i + 1) | 0x20);
        char c = (char) (s.charAt(i + 2) | 0x20);
        for (int m = 0; m < 12; m++) {
            if (MONTHS.charAt(m * 3) == a && MONTHS.charAt(m * 3 + 1) == b && MONTHS.charAt(m * 3 + 2) == c) {
                return m + 1;
            }
        }
        return 0;
    }

    static int digits(String s, int from, int to) {
        if (to > s.length() || from >= to) {
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

    static boolean isDigit(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    /** A parsed timestamp and where it ended. {@code year} is 0 when the text carried none. */
    static final class Parsed {
        int end;
        int year;
        int month;
        int day;
        int hour;
        int minute;
        int second;
        int nanos;
        /** Offset seconds, or {@link Integer#MIN_VALUE} when the text carried no zone. */
        int offset = Integer.MIN_VALUE;

        LocalDateTime local(int yearIfNone) {
            return LocalDateTime.of(year == 0 ? yearIfNone : year, month, day, hour, minute, second, nanos);
        }

        /** The instant, taking {@code zone} for a local time and {@code yearIfNone} for a missing year. */
        Instant instant(ZoneId zone, int yearIfNone) {
            int y = year == 0 ? yearIfNone : year;
            if (offset != Integer.MIN_VALUE) {
                return epoch(y, offset);
            }
            if (zone instanceof ZoneOffset zo) {
                return epoch(y, zo.getTotalSeconds());
            }
            return local(yearIfNone).atZone(zone).toInstant();
        }

        private Instant epoch(int y, int offsetSeconds) {
            long days = LocalDate.of(y, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
        }
    }

    /**
     * An RFC 3164 timestamp at {@code i}: {@code Mmm dd hh:mm:ss}, the day space-padded or not, optionally a year
     * before the time ({@code Oct 27 2015 12:35:40}) and fractional seconds. {@code null} when there is none.
     */
    static Parsed bsd(String s, int i) {
        int month = month(s, i);
        if (month == 0 || i + 3 >= s.length() || s.charAt(i + 3) != ' ') {
            return null;
        }
        int p = i + 4;
        if (p < s.length() && s.charAt(p) == ' ') {
            p++;
        }
        int dayStart = p;
        while (isDigit(s, p) && p - dayStart < 2) {
            p++;
        }
        int day = digits(s, dayStart, p);
        if (day < 1 || day > 31 || p >= s.length() || s.charAt(p) != ' ') {
            return null;
        }
        p++;
        Parsed t = new Parsed();
        if (p + 4 < s.length() && s.charAt(p + 4) == ' ' && digits(s, p, p + 4) >= 1970) {
            t.year = digits(s, p, p + 4);
            p += 5;
        }
        if (!time(s, p, t)) {
            return null;
        }
        t.month = month;
        t.day = day;
        return t;
    }

    /** {@code hh:mm:ss[.f]} at {@code p} into {@code t}; sets {@code t.end}. */
    private static boolean time(String s, int p, Parsed t) {
        if (p + 8 > s.length() || s.charAt(p + 2) != ':' || s.charAt(p + 5) != ':') {
            return false;
        }
        t.hour = digits(s, p, p + 2);
        t.minute = digits(s, p + 3, p + 5);
        t.second = digits(s, p + 6, p + 8);
        if (t.hour < 0 || t.hour > 23 || t.minute < 0 || t.minute > 59 || t.second < 0 || t.second > 60) {
            return false;
        }
        if (t.second == 60) {
            t.second = 59; // a leap second: keep the record
        }
        p += 8;
        if (p < s.length() && (s.charAt(p) == '.' || s.charAt(p) == ',') && isDigit(s, p + 1)) {
            int start = ++p;
            long nanos = 0;
            while (isDigit(s, p)) {
                if (p - start < 9) {
                    nanos = nanos * 10 + (s.charAt(p) - '0');
                }
                p++;
            }
            for (int k = Math.min(p - start, 9); k < 9; k++) {
                nanos *= 10;
            }
            t.nanos = (int) nanos;
        }
        t.end = p;
        return true;
    }

    /**
     * An RFC 3339 timestamp at {@code i} ({@code 2003-10-11T22:14:15.003Z}, {@code ...+02:00}, or without a zone, or
     * with a space for the {@code T}); {@code null} when there is none.
     */
    static Parsed iso(String s, int i) {
        if (i + 19 > s.length() || s.charAt(i + 4) != '-' || s.charAt(i + 7) != '-') {
            return null;
        }
        char sep = s.charAt(i + 10);
        if (sep != 'T' && sep != 't' && sep != ' ') {
            return null;
        }
        Parsed t = new Parsed();
        t.year = digits(s, i, i + 4);
        t.month = digits(s, i + 5, i + 7);
        t.day = digits(s, i + 8, i + 10);
        if (t.year < 1 || t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31 || !time(s, i + 11, t)) {
            return null;
        }
        int p = t.end;
        if (p < s.length()) {
            char c = s.charAt(p);
            if (c == 'Z' || c == 'z') {
                t.offset = 0;
                p++;
            } else if ((c == '+' || c == '-') && p + 6 <= s.length() && s.charAt(p + 3) == ':') {
                int h = digits(s, p + 1, p + 3);
                int m = digits(s, p + 4, p + 6);
                if (h < 0 || m < 0 || h > 18 || m > 59) {
                    return null;
                }
                t.offset = (c == '-' ? -1 : 1) * (h * 3600 + m * 60);
                p += 6;
            } else if (c == ' '
                    && (s.startsWith(" UTC", p) || s.startsWith(" GMT", p))
                    && (p + 4 == s.length() || s.charAt(p + 4) == ' ')) {
                t.offset = 0;
                p += 4;
            }
        }
        t.end = p;
        try {
            LocalDate.of(t.year, t.month, t.day);
        } catch (DateTimeException e) {
            return null;
        }
        return t;
    }
}
