package dev.vigil.intel;

/**
 * IPv4 addresses and networks (an address is a /32) in one {@link KeyTable} keyed by (network address, prefix
 * length), with a first-level filter that says which prefix lengths can hold a given address.
 *
 * <p>An address meets every network holding it, so a lookup must try each prefix length; most lengths hold nothing
 * near a given address. The filter keeps, for each of up to 2^16 buckets of the address space (the top bits of an
 * address), a 33-bit mask of the prefix lengths that have a network overlapping the bucket: a network longer than the
 * bucket sets its bit in one bucket, a shorter one in every bucket it covers. A lookup reads one mask (the filter is
 * 512 KiB at most, so it stays in cache) and probes the table only for the lengths set, longest first: with 200,000
 * addresses and ranges of ten lengths that is about 1.4 probes instead of ten searches.
 */
final class Ipv4Keys {
    private static final int MAX_BUCKET_BITS = 16;

    private final int[] addresses;
    private final byte[] prefixes;
    private final int count;
    private final KeyTable table;
    private final int bucketBits;
    private final long[] lengthsByBucket;

    /**
     * @param addresses network addresses (masked) of the distinct networks {@code 0 .. n-1}
     * @param prefixes their prefix lengths
     * @param n how many
     * @param firstEntry the index's first entry of each
     */
    Ipv4Keys(int[] addresses, int[] prefixes, int n, int[] firstEntry) {
        this.count = n;
        this.addresses = new int[n];
        this.prefixes = new byte[n];
        this.table = new KeyTable(n);
        this.bucketBits = Math.clamp(32 - Integer.numberOfLeadingZeros(n), 1, MAX_BUCKET_BITS);
        this.lengthsByBucket = new long[1 << bucketBits];
        for (int i = 0; i < n; i++) {
            int p = prefixes[i];
            int a = addresses[i] & mask(p);
            this.addresses[i] = a;
            this.prefixes[i] = (byte) p;
            table.put(hash(a, p), firstEntry[i]);
            int first = a >>> (32 - bucketBits);
            int covered = p >= bucketBits ? 1 : 1 << (bucketBits - p);
            for (int b = 0; b < covered; b++) {
                lengthsByBucket[first + b] |= 1L << p;
            }
        }
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    static long hash(int network, int prefix) {
        return KeyTable.mix(((network & 0xffffffffL) << 6) | prefix);
    }

    int count() {
        return count;
    }

    KeyTable table() {
        return table;
    }

    /** The prefix lengths (bit {@code p} for length {@code p}) that may hold networks holding {@code address}. */
    long lengthsNear(int address) {
        return lengthsByBucket[address >>> (32 - bucketBits)];
    }

    /** Whether key {@code id} is the network {@code network/prefix} ({@code network} masked). */
    boolean sameAs(int id, int network, int prefix) {
        return addresses[id] == network && prefixes[id] == prefix;
    }

    String valueOf(int id) {
        int p = prefixes[id];
        int a = addresses[id];
        String text = (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
        return p == 32 ? text : text + "/" + p;
    }

    long heapBytes() {
        return 64 + addresses.length * 4L + prefixes.length + table.heapBytes() + lengthsByBucket.length * 8L;
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
