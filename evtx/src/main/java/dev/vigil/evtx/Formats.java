package dev.vigil.evtx;

import java.time.Instant;

/** Text forms of BinXML values, as evtx_dump prints them. Allocation-light: one char array and one String each. */
final class Formats {
    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
    /** Byte order of a GUID's text form (the first three groups are little-endian); -1 is a dash. */
    private static final int[] GUID_ORDER = {3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15};
    /** Seconds from 1601-01-01 (the FILETIME epoch) to 1970-01-01. */
    private static final long FILETIME_EPOCH_OFFSET_SECONDS = 11_644_473_600L;

    private Formats() {}

    /** A FILETIME (100 ns ticks since 1601, unsigned) as an Instant. */
    static Instant filetimeInstant(long filetime) {
        long seconds = Long.divideUnsigned(filetime, 10_000_000L);
        long ticks = Long.remainderUnsigned(filetime, 10_000_000L);
        return Instant.ofEpochSecond(seconds - FILETIME_EPOCH_OFFSET_SECONDS, ticks * 100);
    }

    /** A FILETIME as {@code 2025-11-26T05:11:27.927693Z}: UTC, microseconds (truncated), as evtx_dump writes it. */
    static String filetime(long filetime) {
        long seconds = Long.divideUnsigned(filetime, 10_000_000L) - FILETIME_EPOCH_OFFSET_SECONDS;
        int micro = (int) Long.remainderUnsigned(filetime, 10_000_000L) / 10;
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        return dateTime(year, month, day, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60, micro);
    }

    /** A SYSTEMTIME (eight little-endian u16: year, month, weekday, day, hour, minute, second, millisecond). */
    static String systemtime(byte[] b, int p) {
        return dateTime(
                Le.u16(b, p),
                Le.u16(b, p + 2),
                Le.u16(b, p + 6),
                Le.u16(b, p + 8),
                Le.u16(b, p + 10),
                Le.u16(b, p + 12),
                Le.u16(b, p + 14) * 1000);
    }

    private static String dateTime(long year, int month, int day, int hour, int minute, int second, int micro) {
        if (year < 0
                || year > 9999
                || month > 99
                || day > 99
                || hour > 99
                || minute > 99
                || second > 99
                || micro > 999_999) {
            return String.format("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", year, month, day, hour, minute, second, micro);
        }
        char[] c = new char[27];
        digits(c, 0, 4, year);
        c[4] = '-';
        digits(c, 5, 2, month);
        c[7] = '-';
        digits(c, 8, 2, day);
        c[10] = 'T';
        digits(c, 11, 2, hour);
        c[13] = ':';
        digits(c, 14, 2, minute);
        c[16] = ':';
        digits(c, 17, 2, second);
        c[19] = '.';
        digits(c, 20, 6, micro);
        c[26] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int width, long value) {
        long v = value;
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + (int) (v % 10));
            v /= 10;
        }
    }

    /** A GUID as {@code XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}, upper case, first three groups little-endian. */
    static String guid(byte[] b, int p) {
        char[] c = new char[36];
        int n = 0;
        for (int idx : GUID_ORDER) {
            if (idx < 0) {
                c[n++] = '-';
            } else {
                int v = b[p + idx] & 0xff;
                c[n++] = HEX_UPPER[v >>> 4];
                c[n++] = HEX_UPPER[v & 0xf];
            }
        }
        return new String(c);
    }

    /** Bytes as upper-case hex without separators. */
    static String hex(byte[] b, int p, int length) {
        char[] c = new char[length * 2];
        for (int i = 0; i < length; i++) {
            int v = b[p + i] & 0xff;
            c[2 * i] = HEX_UPPER[v >>> 4];
            c[2 * i + 1] = HEX_UPPER[v & 0xf];
        }
        return new String(c);
    }

    /** The length in bytes of the SID at {@code p}, or -1 when it does not fit in {@code available} bytes. */
    static int sidLength(byte[] b, int p, int available) {
        if (available < 8) {
            return -1;
        }
        int length = 8 + 4 * Le.u8(b, p + 1);
        return length <= available ? length : -1;
    }

    /** A SID as {@code S-1-5-21-...}; the caller checked {@link #sidLength}. */
    static String sid(byte[] b, int p) {
        StringBuilder s = new StringBuilder(48);
        s.append("S-").append(Le.u8(b, p)).append('-');
        long authority = 0;
        for (int i = 2; i < 8; i++) {
            authority = (authority << 8) | (b[p + i] & 0xff);
        }
        s.append(authority);
        int count = Le.u8(b, p + 1);
        for (int i = 0; i < count; i++) {
            s.append('-').append(Le.u32(b, p + 8 + 4 * i));
        }
        return s.toString();
    }

    static String hexInt(long value) {
        return "0x" + Long.toHexString(value);
    }
}
