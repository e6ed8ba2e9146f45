package dev.vigil.intel;

/**
 * IPv6 addresses and networks in one {@link KeyTable} keyed by (network address, prefix length); a lookup probes each
 * prefix length present, longest first (feeds hold few distinct lengths: /128, /64, /48, /32).
 */
final class Ipv6Keys {
    private final long[] words;
    private final byte[] prefixes;
    private final int count;
    private final KeyTable table;
    private final int[] presentLengths;

    /**
     * @param words high and low words of the distinct networks {@code 0 .. n-1} ({@code words[2i]}, {@code words[2i+1]})
     * @param prefixes their prefix lengths
     * @param n how many
     * @param firstEntry the index's first entry of each
     */
    Ipv6Keys(long[] words, int[] prefixes, int n, int[] firstEntry) {
        this.count = n;
        this.words = new long[2 * n];
        this.prefixes = new byte[n];
        this.table = new KeyTable(n);
        boolean[] present = new boolean[129];
        int lengths = 0;
        for (int i = 0; i < n; i++) {
            int p = prefixes[i];
            long hi = words[2 * i] & highMask(p);
            long lo = words[2 * i + 1] & lowMask(p);
            this.words[2 * i] = hi;
            this.words[2 * i + 1] = lo;
            this.prefixes[i] = (byte) p;
            table.put(hash(hi, lo, p), firstEntry[i]);
            if (!present[p]) {
                present[p] = true;
                lengths++;
            }
        }
        presentLengths = new int[lengths];
        int j = 0;
        for (int p = 128; p >= 0; p--) {
            if (present[p]) {
                presentLengths[j++] = p;
            }
        }
    }

    static long highMask(int prefix) {
        return prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
    }

    static long lowMask(int prefix) {
        return prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
    }

    /** The table hash of a network (words already masked to {@code prefix}). */
    static long hash(long high, long low, int prefix) {
        return KeyTable.mix(Long.rotateLeft(high * 0x9E3779B97F4A7C15L, 31) ^ low ^ ((long) prefix << 56));
    }

    int count() {
        return count;
    }

    KeyTable table() {
        return table;
    }

    /** The prefix lengths held, longest first. */
    int[] presentLengths() {
        return presentLengths;
    }

    /** Whether key {@code id} is the network (masked words, prefix). */
    boolean sameAs(int id, long high, long low, int prefix) {
        return words[2 * id] == high && words[2 * id + 1] == low && (prefixes[id] & 0xff) == prefix;
    }

    String valueOf(int id) {
        byte[] bytes = new byte[16];
        long hi = words[2 * id];
        long lo = words[2 * id + 1];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (hi >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        String text = new inet.ipaddr.ipv6.IPv6Address(bytes).toCanonicalString();
        int p = prefixes[id] & 0xff;
        return p == 128 ? text : text + "/" + p;
    }

    long heapBytes() {
        return 48 + words.length * 8L + prefixes.length + table.heapBytes() + presentLengths.length * 4L;
    }

    /**
     * Parses IPv6 text of hex groups (1 to 4 digits, either case, at most one {@code ::}) into {@code out[0]} (high
     * word) and {@code out[1]} (low word) without allocating; false for anything else (embedded IPv4, zones, prefixes,
     * malformed text), which the caller hands to the full parser.
     */
    static boolean parse(CharSequence s, long[] out) {
        int n = s.length();
        if (n < 2 || n > 39) {
            return false;
        }
        // The groups before "::" (or all of them) and after it, each shifted in as a 128-bit (high, low) pair.
        long headHigh = 0;
        long headLow = 0;
        int headCount = 0;
        long tailHigh = 0;
        long tailLow = 0;
        int tailCount = 0;
        boolean gap = false;
        int i = 0;
        if (s.charAt(0) == ':' && s.charAt(1) == ':') {
            gap = true;
            i = 2;
        }
        while (i < n) {
            int group = 0;
            int start = i;
            while (i < n && i - start < 5) {
                int d = IndicatorValues.hexDigit(s.charAt(i));
                if (d < 0) {
                    break;
                }
                group = (group << 4) | d;
                i++;
            }
            if (i == start || i - start > 4) {
                return false;
            }
            if (gap) {
                tailHigh = (tailHigh << 16) | (tailLow >>> 48);
                tailLow = (tailLow << 16) | group;
                tailCount++;
            } else {
                headHigh = (headHigh << 16) | (headLow >>> 48);
                headLow = (headLow << 16) | group;
                headCount++;
            }
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':' || i + 1 == n) {
                return false;
            }
            i++;
            if (s.charAt(i) == ':') {
                if (gap) {
                    return false;
                }
                gap = true;
                i++;
            }
        }
        int total = headCount + tailCount;
        if (gap ? total > 7 : total != 8) {
            return false;
        }
        // The head moves to the top; the tail stays at the bottom; "::" is the zeros between.
        int shift = 16 * (8 - headCount);
        if (shift >= 128) {
            headHigh = 0;
            headLow = 0;
        } else if (shift >= 64) {
            headHigh = headLow << (shift - 64);
            headLow = 0;
        } else if (shift > 0) {
            headHigh = (headHigh << shift) | (headLow >>> (64 - shift));
            headLow <<= shift;
        }
        out[0] = headHigh | tailHigh;
        out[1] = headLow | tailLow;
        return true;
    }
}
