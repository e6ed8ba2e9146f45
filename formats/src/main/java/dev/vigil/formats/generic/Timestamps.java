package dev.vigil.formats.generic;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the first timestamp in a line among the date layouts fail2ban's date detector knows ({@code
 * server/datedetector.py}): ISO 8601 and its relatives ({@code YYYY-MM-DD hh:mm:ss,ms}, {@code YYYY/MM/DD}, {@code
 * YYYY.MM.DD}, {@code YYYY:MM:DD-hh:mm:ss}), Apache's {@code DD/Mon/YYYY:hh:mm:ss zone}, {@code DD-Mon-YYYY
 * hh:mm:ss.ms} (BIND, PHP), {@code [Day] Mon DD hh:mm:ss [YYYY]} (syslog, Apache error log, ctime, with an optional
 * leading zone abbreviation), {@code Mon DD, YYYY h:mm:ss AM} (Java logging), {@code Mon-DD-YY hh:mm:ss}, {@code
 * MM/DD/YY[YY] [-] hh:mm:ss}, {@code MM-DD hh:mm:ss} (no year, at the start), {@code DD-MM-YYYY} and {@code DD.MM.YYYY hh:mm:ss}, MySQL's {@code YYMMDD h:mm:ss},
 * {@code YYYYMMDD[-]hh:mm:ss} and {@code YYYYMMDDhhmmss}, TAI64N {@code @4000...} and epoch seconds {@code
 * 1234567890[.123]} (at the start of the line or in brackets).
 *
 * <p>Every layout is a precompiled pattern; the match that starts first in the line wins, ties go to the more specific
 * layout (earlier in {@link #LAYOUTS}). A time without a zone is in the caller's default zone; a zone given ({@code Z},
 * {@code +hh:mm}, {@code +hhmm}, {@code UTC}, a common abbreviation such as {@code PDT} or {@code CEST}) is honoured. A
 * date without a year takes the caller's default year (or the current one; a date more than a day in the future then
 * goes a year back, as syslog readers do). A match that is not a valid date (month 13) is skipped.
 */
public final class Timestamps {
    /** A timestamp found in a line: the instant, the character range it spans and the zone written, if any. */
    public record Found(Instant instant, int start, int end, ZoneOffset writtenZone) {}

    private static final String MON =
            "(?<b>(?i:jan(?:uary)?|janv\\.?|feb(?:ruary)?|f[eé]vr?\\.?|mar(?:ch|s)?|apr(?:il)?"
                    + "|avr\\.?|may|mai|june?|juin|july?|juil\\.?|aug(?:ust)?|ao[uû]t|sep(?:t(?:ember)?)?\\.?|oct(?:ober)?\\.?"
                    + "|nov(?:ember)?\\.?|dec(?:ember)?\\.?|d[eé]c\\.?))(?![A-Za-z])";
    private static final String DAY = "(?:(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\\s+)?";
    private static final String HMS = "(?<H>\\d{1,2}):(?<M>\\d{2}):(?<S>\\d{2})(?:[.,](?<f>\\d{1,9}))?";
    private static final String ZONE =
            "(?:\\s*(?<z>Z(?![A-Za-z])|[+-]\\d{2}(?::?\\d{2})?(?!\\d)|(?:UTC|GMT)(?:[+-]\\d{1,2}(?::?\\d{2})?)?))?";

    private static final Map<String, Integer> ABBREVIATIONS = Map.ofEntries(
            Map.entry("UTC", 0),
            Map.entry("GMT", 0),
            Map.entry("WET", 0),
            Map.entry("WEST", 1),
            Map.entry("BST", 1),
            Map.entry("CET", 1),
            Map.entry("CEST", 2),
            Map.entry("MET", 1),
            Map.entry("MEST", 2),
            Map.entry("EET", 2),
            Map.entry("EEST", 3),
            Map.entry("MSK", 3),
            Map.entry("IST", 5),
            Map.entry("JST", 9),
            Map.entry("EST", -5),
            Map.entry("EDT", -4),
            Map.entry("CST", -6),
            Map.entry("CDT", -5),
            Map.entry("MST", -7),
            Map.entry("MDT", -6),
            Map.entry("PST", -8),
            Map.entry("PDT", -7),
            Map.entry("AKST", -9),
            Map.entry("AKDT", -8),
            Map.entry("HST", -10));

    private enum Kind {
        FIELDS,
        TAI64N,
        EPOCH
    }

    private record Layout(String name, Pattern pattern, Kind kind) {}

    private static Layout layout(String name, String regex) {
        return new Layout(name, Pattern.compile(regex), Kind.FIELDS);
    }

    /** The layouts, most specific first. */
    private static final List<Layout> LAYOUTS = List.of(
            // 2005-06-21T16:47:48.123+02:00, 2005-06-21 16:47:48,123, 2018/09/14 19:03:05, 2011.11.21 14:29:16,
            // 2014:07:02-00:17:45
            layout(
                    "iso",
                    "(?<![\\d.])(?<Y>\\d{4})(?<sep>[-/.:])(?<m>\\d{1,2})\\k<sep>(?<d>\\d{1,2})(?:T|\\s+|-|_)"
                            + "(?<H>\\d{1,2}):(?<M>\\d{2})(?::(?<S>\\d{2})(?:[.,](?<f>\\d{1,9}))?)?(?![\\d.]\\d)"
                            + ZONE),
            // 05/Mar/2007:14:39:21 +0100, 14/Nov/2015:22:45:11.608, 17/Jun/2011 17:00:45, 02/sept./2015:00:11:31
            layout("apache", "(?<!\\d)(?<d>\\d{1,2})/" + MON + "/(?<Y>\\d{4})[: ]" + HMS + ZONE),
            // 22-Jan-2013 22:28:21 +0200, 21-Jun-2005 16:47:48.123 (BIND)
            layout("dd-mon-yyyy", "(?<!\\d)(?<d>\\d{1,2})-" + MON + "-(?<Y>\\d{4})[ :]" + HMS + ZONE),
            // Thu Jul 11 01:21:41 2013, [Thu Sep 25 09:27:18.813902 2014], Jun 21 16:47:48, [PDT Apr 16 21:05:29]
            layout(
                    "ctime",
                    "(?<![A-Za-z])(?:(?<zn>[A-Z]{3,4})\\s+)?" + DAY + MON + "\\s+(?<d>\\d{1,2})\\s+" + HMS
                            + "(?:\\s+(?<Y>\\d{4})(?!\\d))?"),
            // Oct 27 2015 12:35:40, apr 15, 2013 8:34:08 PM
            layout(
                    "mon-dd-yyyy",
                    "(?<![A-Za-z])" + DAY + MON + "\\s+(?<d>\\d{1,2}),?\\s+(?<Y>\\d{4})\\s+" + HMS
                            + "(?:\\s*(?<p>[AaPp][Mm])(?![A-Za-z]))?"),
            // Apr-07-13 07:08:36 (ASSP)
            layout("mon-dd-yy", "(?<![A-Za-z])" + MON + "-(?<d>\\d{1,2})-(?<Y>\\d{2}|\\d{4})\\s+" + HMS),
            // 10/06/2013 15:50:41, 01/01/2014 - 01:25:17, 06/27/14 17:51:19 (US order)
            layout(
                    "mm/dd/yy",
                    "(?<![\\d/])(?<m>\\d{1,2})/(?<d>\\d{1,2})/(?<Y>\\d{4}|\\d{2})(?:\\s+-\\s+|\\s+|:)" + HMS + ZONE),
            // 11-06-2013 02:09:40 +0300, 03.07.2005 23:07:20 (European order)
            layout(
                    "dd-mm-yyyy",
                    "(?<![\\d.-])(?<d>\\d{1,2})(?<sep>[-.])(?<m>\\d{1,2})\\k<sep>(?<Y>\\d{4})\\s+" + HMS + ZONE),
            // [20220407-12:11:06]
            layout(
                    "yyyymmdd-hh:mm:ss",
                    "(?<!\\d)(?<Y>\\d{4})(?<m>\\d{2})(?<d>\\d{2})[-T ]?(?<H>\\d{2}):(?<M>\\d{2}):(?<S>\\d{2})"),
            // 08-03 07:56:53.026292 (FreeSWITCH: month and day without a year, at the start of the line)
            layout("mm-dd", "^(?<m>\\d{2})-(?<d>\\d{2})\\s+" + HMS),
            // 130324  0:04:00 (MySQL)
            layout("yymmdd", "^(?<Y>\\d{2})(?<m>\\d{2})(?<d>\\d{2})\\s+" + HMS),
            // 20050621164748 (compact, at the start of the line)
            layout(
                    "yyyymmddhhmmss",
                    "^\\[?(?<Y>\\d{4})(?<m>\\d{2})(?<d>\\d{2})T?(?<H>\\d{2})(?<M>\\d{2})(?<S>\\d{2})(?!\\d)"),
            new Layout(
                    "tai64n",
                    Pattern.compile("@(?<x>4000[0-9a-fA-F]{12})(?<n>[0-9a-fA-F]{8})(?![0-9a-fA-F])"),
                    Kind.TAI64N),
            new Layout(
                    "epoch",
                    Pattern.compile("(?:^\\s*[\\[(]?|audit\\()(?<e>1\\d{9})(?:\\.(?<f>\\d{1,6}))?(?![\\d.])"),
                    Kind.EPOCH));

    private Timestamps() {}

    /** The names of the layouts, most specific first (for documentation and tests). */
    public static List<String> layoutNames() {
        return LAYOUTS.stream().map(Layout::name).toList();
    }

    /**
     * The first timestamp in {@code line}, or null.
     *
     * @param zone the zone of a timestamp that gives none
     * @param defaultYear the year of a date that gives none; 0 for the current year
     * @param now the current time, to keep dates without a year out of the future
     */
    public static Found find(String line, ZoneId zone, int defaultYear, Instant now) {
        Found best = null;
        for (Layout l : LAYOUTS) {
            Matcher m = l.pattern().matcher(line);
            int from = 0;
            while ((best == null || from < best.start()) && m.find(from)) {
                if (best != null && m.start() >= best.start()) {
                    break;
                }
                Found f = build(l, m, zone, defaultYear, now);
                if (f != null) {
                    best = f;
                    break;
                }
                from = m.start() + 1;
            }
        }
        return best;
    }

    private static Found build(Layout l, Matcher m, ZoneId zone, int defaultYear, Instant now) {
        try {
            return switch (l.kind()) {
                case TAI64N -> {
                    long label = Long.parseUnsignedLong(m.group("x"), 16);
                    long seconds = label - (1L << 62);
                    long nanos = Long.parseLong(m.group("n"), 16);
                    yield nanos >= 1_000_000_000L
                            ? null
                            : new Found(Instant.ofEpochSecond(seconds, nanos), m.start(), m.end(), ZoneOffset.UTC);
                }
                case EPOCH ->
                    new Found(
                            Instant.ofEpochSecond(Long.parseLong(m.group("e")), nanos(m.group("f"))),
                            m.start("e"),
                            m.end(),
                            ZoneOffset.UTC);
                case FIELDS -> fields(m, zone, defaultYear, now);
            };
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    private static Found fields(Matcher m, ZoneId zone, int defaultYear, Instant now) {
        int month = group(m, "m") != null ? Integer.parseInt(m.group("m")) : month(m.group("b"));
        if (month < 1) {
            return null;
        }
        int day = Integer.parseInt(m.group("d"));
        int hour = Integer.parseInt(m.group("H"));
        int minute = Integer.parseInt(m.group("M"));
        String s = group(m, "S");
        int second = s == null ? 0 : Integer.parseInt(s);
        String ampm = group(m, "p");
        if (ampm != null) {
            if (hour < 1 || hour > 12) {
                return null;
            }
            boolean pm = Character.toLowerCase(ampm.charAt(0)) == 'p';
            hour = hour % 12 + (pm ? 12 : 0);
        }
        ZoneOffset written = zone(group(m, "z"));
        if (written == null) {
            written = abbreviation(group(m, "zn"));
        }
        ZoneId z = written != null ? written : zone;
        String y = group(m, "Y");
        LocalDateTime t;
        if (y == null) {
            int year =
                    defaultYear != 0 ? defaultYear : LocalDate.ofInstant(now, z).getYear();
            t = LocalDateTime.of(year, month, day, hour, minute, second, nanos(group(m, "f")));
            if (defaultYear == 0 && t.atZone(z).toInstant().isAfter(now.plusSeconds(86_400))) {
                t = t.minusYears(1);
            }
        } else {
            int year = Integer.parseInt(y);
            if (y.length() == 2) {
                year += 2000;
            }
            t = LocalDateTime.of(year, month, day, hour, minute, second, nanos(group(m, "f")));
        }
        // An upper-case word before the month that is no known zone abbreviation is not part of the timestamp.
        int start = group(m, "zn") != null && abbreviation(m.group("zn")) == null ? m.start("b") : m.start();
        return new Found(t.atZone(z).toInstant(), start, m.end(), written);
    }

    private static String group(Matcher m, String name) {
        try {
            return m.group(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int nanos(String fraction) {
        if (fraction == null || fraction.isEmpty()) {
            return 0;
        }
        String f = (fraction + "000000000").substring(0, 9);
        return Integer.parseInt(f);
    }

    /** 1..12 for an English or French month name or abbreviation, else 0. */
    static int month(String name) {
        if (name == null) {
            return 0;
        }
        String n =
                name.toLowerCase(Locale.ROOT).replace(".", "").replace('é', 'e').replace('û', 'u');
        if (n.startsWith("juil")) {
            return 7;
        }
        if (n.startsWith("juin")) {
            return 6;
        }
        return switch (n.length() >= 3 ? n.substring(0, 3) : n) {
            case "jan" -> 1;
            case "feb", "fev" -> 2;
            case "mar" -> 3;
            case "apr", "avr" -> 4;
            case "may", "mai" -> 5;
            case "jun" -> 6;
            case "jul" -> 7;
            case "aug", "aou" -> 8;
            case "sep" -> 9;
            case "oct" -> 10;
            case "nov" -> 11;
            case "dec" -> 12;
            default -> 0;
        };
    }

    /** The offset of {@code Z}, {@code +hh}, {@code +hhmm}, {@code +hh:mm}, {@code UTC}, {@code GMT+2}; null if none. */
    static ZoneOffset zone(String z) {
        if (z == null || z.isEmpty()) {
            return null;
        }
        if (z.equals("Z")) {
            return ZoneOffset.UTC;
        }
        String s = z;
        if (s.startsWith("UTC") || s.startsWith("GMT")) {
            s = s.substring(3);
            if (s.isEmpty()) {
                return ZoneOffset.UTC;
            }
        }
        int sign = s.charAt(0) == '-' ? -1 : 1;
        String digits = s.substring(1).replace(":", "");
        int hours;
        int minutes = 0;
        if (digits.length() <= 2) {
            hours = Integer.parseInt(digits);
        } else {
            hours = Integer.parseInt(digits.substring(0, digits.length() - 2));
            minutes = Integer.parseInt(digits.substring(digits.length() - 2));
        }
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }

    private static ZoneOffset abbreviation(String name) {
        Integer h = name == null ? null : ABBREVIATIONS.get(name);
        return h == null ? null : ZoneOffset.ofHours(h);
    }
}
