package dev.vigil.formats.syslog;

/** UTF-8 byte counts of strings, for octet-counted syslog frames. */
final class Utf8 {
    private Utf8() {}

    static long length(String s) {
        return length(s, 0, s.length());
    }

    static long length(String s, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * The char index in {@code s} after exactly {@code bytes} UTF-8 bytes from {@code from}; -1 when {@code s} is
     * shorter, -2 when the count ends inside a character.
     */
    static int indexAfterBytes(String s, int from, long bytes) {
        long n = 0;
        int i = from;
        while (n < bytes) {
            if (i >= s.length()) {
                return -1;
            }
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
                i++;
            } else if (c < 0x800) {
                n += 2;
                i++;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i += 2;
            } else {
                n += 3;
                i++;
            }
        }
        return n == bytes ? i : -2;
    }
}
