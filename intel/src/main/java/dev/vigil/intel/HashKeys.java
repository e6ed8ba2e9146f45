package dev.vigil.intel;

import java.util.Arrays;
import java.util.List;

/**
 * Distinct fixed-length hashes as sorted runs of longs ({@code words} per hash, big-endian, compared unsigned), found
 * by binary search: 16 bytes per MD5, 24 per SHA-1 (padded), 32 per SHA-256, no objects.
 */
final class HashKeys {
    private final int words;
    private final int hexLength;
    private final long[] keys;
    private final int count;

    private HashKeys(int hexLength, long[] keys, int count) {
        this.hexLength = hexLength;
        this.words = wordsFor(hexLength);
        this.keys = keys;
        this.count = count;
    }

    static int wordsFor(int hexLength) {
        return (hexLength + 15) / 16;
    }

    /** Builds from normalised (lower-case hex of {@code hexLength}) values; duplicates collapse. */
    static HashKeys build(int hexLength, List<String> values) {
        int w = wordsFor(hexLength);
        int n = values.size();
        long[] raw = new long[n * w];
        long[] tmp = new long[w];
        for (int i = 0; i < n; i++) {
            if (!parse(values.get(i), hexLength, tmp)) {
                throw new IllegalArgumentException("not a hash of " + hexLength + " hex digits: " + values.get(i));
            }
            System.arraycopy(tmp, 0, raw, i * w, w);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> compare(raw, a * w, raw, b * w, w));
        long[] sorted = new long[n * w];
        int count = 0;
        for (int i = 0; i < n; i++) {
            int from = order[i] * w;
            if (count > 0 && compare(raw, from, sorted, (count - 1) * w, w) == 0) {
                continue;
            }
            System.arraycopy(raw, from, sorted, count * w, w);
            count++;
        }
        return new HashKeys(hexLength, count == n ? sorted : Arrays.copyOf(sorted, count * w), count);
    }

    int count() {
        return count;
    }

    /**
     * Parses hex (either case) into {@code out}, left-aligned in the last word; false when the length or a digit is
     * wrong. No allocation: this runs on every event value.
     */
    static boolean parse(CharSequence hex, int hexLength, long[] out) {
        if (hex.length() != hexLength) {
            return false;
        }
        int w = wordsFor(hexLength);
        for (int word = 0; word < w; word++) {
            long v = 0;
            for (int d = 0; d < 16; d++) {
                int i = word * 16 + d;
                int digit = 0;
                if (i < hexLength) {
                    digit = IndicatorValues.hexDigit(hex.charAt(i));
                    if (digit < 0) {
                        return false;
                    }
                }
                v = (v << 4) | digit;
            }
            out[word] = v;
        }
        return true;
    }

    private static int compare(long[] a, int ai, long[] b, int bi, int w) {
        for (int k = 0; k < w; k++) {
            int c = Long.compareUnsigned(a[ai + k], b[bi + k]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** The local id of {@code hash} (as parsed by {@link #parse}), or -1. */
    int find(long[] hash) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(keys, mid * words, hash, 0, words);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    String valueOf(int id) {
        StringBuilder sb = new StringBuilder(hexLength);
        for (int k = 0; k < words; k++) {
            String h = Long.toHexString(keys[id * words + k]);
            sb.append("0".repeat(16 - h.length())).append(h);
        }
        sb.setLength(hexLength);
        return sb.toString();
    }

    long heapBytes() {
        return 16L + keys.length * 8L;
    }
}
