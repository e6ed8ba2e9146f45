package dev.vigil.intel;

import java.util.Arrays;

/**
 * IPv4 addresses and networks: for each prefix length that occurs, a sorted array of network addresses. A lookup
 * masks the address to each present length and binary-searches, so nested ranges (a /8 and a /24 inside it) are all
 * found; the cost grows with the number of distinct lengths (at most 33), not with the number of ranges.
 */
final class Ipv4Keys {
    /** Per prefix length, the sorted network addresses, compared unsigned; {@code null} when absent. */
    private final int[][] byLength = new int[33][];

    private final int[] idBase = new int[33];
    private final int[] presentLengths;
    private final int count;

    /** {@code addresses[i]}/{@code prefixes[i]} for {@code i < n}; duplicates collapse. */
    Ipv4Keys(int[] addresses, int[] prefixes, int n) {
        int[] perLength = new int[33];
        for (int i = 0; i < n; i++) {
            perLength[prefixes[i]]++;
        }
        for (int p = 0; p <= 32; p++) {
            if (perLength[p] > 0) {
                byLength[p] = new int[perLength[p]];
                perLength[p] = 0;
            }
        }
        for (int i = 0; i < n; i++) {
            int p = prefixes[i];
            // Flipping the sign bit makes signed order equal unsigned order, so Arrays.sort and binarySearch apply.
            byLength[p][perLength[p]++] = (addresses[i] & mask(p)) ^ Integer.MIN_VALUE;
        }
        int total = 0;
        int present = 0;
        for (int p = 0; p <= 32; p++) {
            if (byLength[p] != null) {
                int[] a = byLength[p];
                Arrays.sort(a);
                int k = 0;
                for (int i = 0; i < a.length; i++) {
                    if (k == 0 || a[i] != a[k - 1]) {
                        a[k++] = a[i];
                    }
                }
                byLength[p] = k == a.length ? a : Arrays.copyOf(a, k);
                idBase[p] = total;
                total += k;
                present++;
            }
        }
        presentLengths = new int[present];
        int j = 0;
        for (int p = 32; p >= 0; p--) {
            if (byLength[p] != null) {
                presentLengths[j++] = p;
            }
        }
        count = total;
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    int count() {
        return count;
    }

    /** The prefix lengths held, longest first. */
    int[] presentLengths() {
        return presentLengths;
    }

    /** The local id of the network {@code address/prefix}, or -1. */
    int find(int address, int prefix) {
        int[] a = byLength[prefix];
        if (a == null) {
            return -1;
        }
        int i = Arrays.binarySearch(a, (address & mask(prefix)) ^ Integer.MIN_VALUE);
        return i < 0 ? -1 : idBase[prefix] + i;
    }

    int prefixOf(int id) {
        for (int p : presentLengths) {
            if (id >= idBase[p] && id < idBase[p] + byLength[p].length) {
                return p;
            }
        }
        throw new IllegalArgumentException("no IPv4 key " + id);
    }

    String valueOf(int id) {
        int p = prefixOf(id);
        int a = byLength[p][id - idBase[p]] ^ Integer.MIN_VALUE;
        String text = (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
        return p == 32 ? text : text + "/" + p;
    }

    long heapBytes() {
        long b = 16 + 33 * 8;
        for (int[] a : byLength) {
            b += a == null ? 0 : 16 + a.length * 4L;
        }
        return b;
    }

    /** Parses dotted-quad IPv4 text without allocating; returns the address in the low 32 bits, or -1 if not one. */
    static long parse(CharSequence s) {
        int n = s.length();
        if (n < 7 || n > 15) {
            return -1;
        }
        long address = 0;
        int part = 0;
        int digits = 0;
        int parts = 0;
        for (int i = 0; i <= n; i++) {
            char c = i == n ? '.' : s.charAt(i);
            if (c == '.') {
                if (digits == 0 || part > 255 || parts == 4) {
                    return -1;
                }
                address = (address << 8) | part;
                parts++;
                part = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                part = part * 10 + (c - '0');
                if (++digits > 3) {
                    return -1;
                }
            } else {
                return -1;
            }
        }
        return parts == 4 ? address : -1;
    }
}
