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
}
