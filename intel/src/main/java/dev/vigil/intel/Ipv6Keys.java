package dev.vigil.intel;

import java.util.Arrays;

/** IPv6 addresses and networks, as {@link Ipv4Keys} but with 128-bit keys held as (high, low) pairs of longs. */
final class Ipv6Keys {
    private final long[][] byLength = new long[129][];
    private final int[] idBase = new int[129];
    private final int[] presentLengths;
    private final int count;

    /** {@code words[2i]}, {@code words[2i+1]} and {@code prefixes[i]} for {@code i < n}; duplicates collapse. */
    Ipv6Keys(long[] words, int[] prefixes, int n) {
        int[] perLength = new int[129];
        for (int i = 0; i < n; i++) {
            perLength[prefixes[i]]++;
        }
        long[][] raw = new long[129][];
        for (int p = 0; p <= 128; p++) {
            if (perLength[p] > 0) {
                raw[p] = new long[perLength[p] * 2];
                perLength[p] = 0;
            }
        }
        for (int i = 0; i < n; i++) {
            int p = prefixes[i];
            int k = perLength[p]++;
            raw[p][2 * k] = words[2 * i] & highMask(p);
            raw[p][2 * k + 1] = words[2 * i + 1] & lowMask(p);
        }
        int total = 0;
        int present = 0;
        for (int p = 0; p <= 128; p++) {
            if (raw[p] != null) {
                long[] r = raw[p];
                int m = r.length / 2;
                Integer[] order = new Integer[m];
                for (int i = 0; i < m; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, (x, y) -> compare(r[2 * x], r[2 * x + 1], r[2 * y], r[2 * y + 1]));
                long[] sorted = new long[r.length];
                int k = 0;
                for (int i = 0; i < m; i++) {
                    long hi = r[2 * order[i]];
                    long lo = r[2 * order[i] + 1];
                    if (k > 0 && sorted[2 * k - 2] == hi && sorted[2 * k - 1] == lo) {
                        continue;
                    }
                    sorted[2 * k] = hi;
                    sorted[2 * k + 1] = lo;
                    k++;
                }
                byLength[p] = k == m ? sorted : Arrays.copyOf(sorted, 2 * k);
                idBase[p] = total;
                total += k;
                present++;
            }
        }
        presentLengths = new int[present];
        int j = 0;
        for (int p = 128; p >= 0; p--) {
            if (byLength[p] != null) {
                presentLengths[j++] = p;
            }
        }
        count = total;
    }

    static long highMask(int prefix) {
        return prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
    }

    static long lowMask(int prefix) {
        return prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
    }

    private static int compare(long ah, long al, long bh, long bl) {
        int c = Long.compareUnsigned(ah, bh);
        return c != 0 ? c : Long.compareUnsigned(al, bl);
    }

    int count() {
        return count;
    }

    int[] presentLengths() {
        return presentLengths;
    }

    int find(long high, long low, int prefix) {
        long[] a = byLength[prefix];
        if (a == null) {
            return -1;
        }
        long h = high & highMask(prefix);
        long l = low & lowMask(prefix);
        int lo = 0;
        int hi = a.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(a[2 * mid], a[2 * mid + 1], h, l);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return idBase[prefix] + mid;
            }
        }
        return -1;
    }

    String valueOf(int id) {
        for (int p : presentLengths) {
            int local = id - idBase[p];
            if (local >= 0 && local < byLength[p].length / 2) {
                byte[] bytes = new byte[16];
                long hi = byLength[p][2 * local];
                long lo = byLength[p][2 * local + 1];
                for (int i = 0; i < 8; i++) {
                    bytes[i] = (byte) (hi >>> (56 - 8 * i));
                    bytes[8 + i] = (byte) (lo >>> (56 - 8 * i));
                }
                String text = new inet.ipaddr.ipv6.IPv6Address(bytes).toCanonicalString();
                return p == 128 ? text : text + "/" + p;
            }
        }
        throw new IllegalArgumentException("no IPv6 key " + id);
    }

    long heapBytes() {
        long b = 16 + 129 * 8;
        for (long[] a : byLength) {
            b += a == null ? 0 : 16 + a.length * 8L;
        }
        return b;
    }
}
