package dev.vigil.intel;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Distinct strings in one UTF-8 byte arena with a {@link KeyTable} from their hash to the index's first entry of each:
 * about the string's bytes plus 16 bytes each, instead of some 60 bytes of object headers per {@code String}.
 *
 * <p>The hash is a polynomial over the UTF-16 chars, {@code h = h * M + c} from left to right. Because it is a
 * polynomial, the hash of a suffix follows from the hash of the whole and of the prefix before it
 * ({@code H(s[i..n)) = H(s) - H(s[0..i)) * M^(n-i)}), so a domain and all its parent domains are hashed in two
 * passes over the characters, without substrings ({@code IndicatorIndex}'s domain lookup). {@code M} is odd, hence invertible modulo 2^64, which
 * lets the power {@code M^(n-i)} be stepped down by a multiplication.
 */
final class StringKeys {
    static final long M = 0x9E3779B97F4A7C15L;
    /** {@code M}'s inverse modulo 2^64. */
    static final long M_INVERSE = inverse(M);

    private final byte[] arena;
    private final int[] offsets;
    private final int count;
    private final KeyTable table;

    /**
     * @param values distinct strings; the list order gives the ids
     * @param firstEntry the index's first entry of each id
     */
    StringKeys(List<String> values, int[] firstEntry) {
        count = values.size();
        offsets = new int[count + 1];
        byte[][] encoded = new byte[count][];
        long total = 0;
        for (int i = 0; i < count; i++) {
            encoded[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
            total += encoded[i].length;
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("string keys over 2 GiB");
        }
        arena = new byte[(int) total];
        int at = 0;
        for (int i = 0; i < count; i++) {
            offsets[i] = at;
            System.arraycopy(encoded[i], 0, arena, at, encoded[i].length);
            at += encoded[i].length;
        }
        offsets[count] = at;
        table = new KeyTable(count);
        for (int i = 0; i < count; i++) {
            String v = values.get(i);
            table.put(hash(v, 0, v.length()), firstEntry[i]);
        }
    }

    private static long inverse(long odd) {
        // Newton's iteration doubles the correct low bits each step: 3, 6, 12, 24, 48, 96.
        long x = odd;
        for (int i = 0; i < 5; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }

    int count() {
        return count;
    }

    KeyTable table() {
        return table;
    }

    /** The table hash of {@code s[from, to)}. */
    static long hash(CharSequence s, int from, int to) {
        long h = 0;
        for (int i = from; i < to; i++) {
            h = h * M + s.charAt(i);
        }
        return KeyTable.mix(h);
    }

    static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** Whether string {@code id} is {@code s[from, to)}, A-Z in {@code s} counting as a-z when {@code foldCase}. */
    boolean sameAs(int id, CharSequence s, int from, int to, boolean foldCase) {
        int start = offsets[id];
        int len = offsets[id + 1] - start;
        int n = to - from;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(from + i);
            if (c >= 0x80) {
                // Rare: compare the UTF-8 encoding of the region instead.
                String region = s.subSequence(from, to).toString();
                byte[] b = region.getBytes(StandardCharsets.UTF_8);
                return Arrays.equals(arena, start, start + len, b, 0, b.length);
            }
            if (foldCase) {
                c = lower(c);
            }
            if (i >= len || arena[start + i] != (byte) c) {
                return false;
            }
        }
        return len == n;
    }

    String valueOf(int id) {
        return new String(arena, offsets[id], offsets[id + 1] - offsets[id], StandardCharsets.UTF_8);
    }

    /**
     * Whether the lower-cased value of {@code id} contains {@code lowerAscii} (lower-case ASCII bytes), compared in the
     * arena's UTF-8 with A-Z folded; a value with other than ASCII is decoded and lower-cased as the string search
     * would.
     */
    boolean containsLowerCase(int id, byte[] lowerAscii, String lowerText) {
        int from = offsets[id];
        int to = offsets[id + 1];
        for (int i = from; i < to; i++) {
            if (arena[i] < 0) {
                return valueOf(id).toLowerCase(java.util.Locale.ROOT).contains(lowerText);
            }
        }
        int n = lowerAscii.length;
        outer:
        for (int i = from, last = to - n; i <= last; i++) {
            for (int j = 0; j < n; j++) {
                byte b = arena[i + j];
                if (b >= 'A' && b <= 'Z') {
                    b += 'a' - 'A';
                }
                if (b != lowerAscii[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The first index in {@code bytes[from, to)} where {@code needle} starts, or -1. */
    static int indexOf(byte[] bytes, int from, int to, byte[] needle) {
        int n = needle.length;
        outer:
        for (int i = from, last = to - n; i <= last; i++) {
            for (int j = 0; j < n; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    long heapBytes() {
        return 48 + arena.length + offsets.length * 4L + table.heapBytes();
    }
}
