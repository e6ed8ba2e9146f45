package dev.vigil.intel;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Distinct strings in one UTF-8 byte arena with an open-addressing hash table of ids: about the string's bytes plus
 * 12 bytes each, instead of some 60 bytes of object headers per {@code String}. Lookups hash and compare a region of a
 * {@code CharSequence} in place, so a domain's parent domains are probed without building substrings.
 */
final class StringKeys {
    private final byte[] arena;
    private final int[] offsets;
    private final int[] slots;
    private final int mask;
    private final int count;

    /** Builds from distinct strings; the list order gives the ids. */
    StringKeys(List<String> values) {
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
        int capacity = Integer.highestOneBit(Math.max(4, count * 2 - 1)) << 1;
        slots = new int[capacity];
        mask = capacity - 1;
        for (int i = 0; i < count; i++) {
            String v = values.get(i);
            int h = hash(v, 0, v.length()) & mask;
            while (slots[h] != 0) {
                h = (h + 1) & mask;
            }
            slots[h] = i + 1;
        }
    }

    int count() {
        return count;
    }

    static int hash(CharSequence s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        // Spread the bits: neighbouring strings must not fill neighbouring slots of a power-of-two table.
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** The id of the string {@code s[from, to)}, or -1. */
    int find(CharSequence s, int from, int to) {
        int h = hash(s, from, to) & mask;
        while (true) {
            int id = slots[h] - 1;
            if (id < 0) {
                return -1;
            }
            if (equalsRegion(id, s, from, to)) {
                return id;
            }
            h = (h + 1) & mask;
        }
    }

    int find(CharSequence s) {
        return find(s, 0, s.length());
    }

    private boolean equalsRegion(int id, CharSequence s, int from, int to) {
        int start = offsets[id];
        int len = offsets[id + 1] - start;
        int n = to - from;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(from + i);
            if (c >= 0x80) {
                // Rare: compare the UTF-8 encoding of the region instead.
                byte[] b = s.subSequence(from, to).toString().getBytes(StandardCharsets.UTF_8);
                return java.util.Arrays.equals(arena, start, start + len, b, 0, b.length);
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

    long heapBytes() {
        return 48 + arena.length + offsets.length * 4L + slots.length * 4L;
    }
}
