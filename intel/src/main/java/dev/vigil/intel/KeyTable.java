package dev.vigil.intel;

/**
 * An open-addressing hash table from 64-bit key hashes to int values (an index's first entry of a key), one {@code long}
 * per slot: the upper 32 bits of the hash as a tag, the value plus one below (so an empty slot is 0). Linear probing
 * at a load of at most 0.6 keeps a miss to one or two cache lines; the tag lets a probe skip foreign keys without
 * touching their values, so only a tag match costs a look at the key itself (the caller verifies: equal tags are not
 * equal keys). The home slot comes from the lower 32 bits, scaled to the capacity by a multiplication, so the
 * capacity need not be a power of two and the tag stays independent of the slot.
 */
final class KeyTable {
    private static final long EMPTY = 0;

    private final long[] slots;

    /** A table for {@code expected} keys. */
    KeyTable(int expected) {
        long capacity = Math.max(8L, expected + (expected * 2L) / 3 + 1);
        if (capacity > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many keys for one table: " + expected);
        }
        slots = new long[(int) capacity];
    }

    /** A well-mixed 64-bit hash (the finaliser of MurmurHash3): tables need both halves to look random. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    /** Adds a key's value; the caller adds each key once. {@code value} is in {@code [0, 2^31 - 2]}. */
    void put(long hash, int value) {
        if (value < 0 || value == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("value out of range: " + value);
        }
        int i = home(hash);
        while (slots[i] != EMPTY) {
            i = next(i);
        }
        slots[i] = (hash & 0xffffffff00000000L) | (value + 1L);
    }

    /** The first slot to probe for {@code hash}. */
    int home(long hash) {
        return (int) (((hash & 0xffffffffL) * slots.length) >>> 32);
    }

    /** The slot after {@code i}, wrapping. */
    int next(int i) {
        return i + 1 == slots.length ? 0 : i + 1;
    }

    /** The content of slot {@code i}: 0 when empty. */
    long slot(int i) {
        return slots[i];
    }

    /** Whether an occupied slot's tag is the one of {@code hash}. */
    static boolean tagMatches(long slot, long hash) {
        return ((slot ^ hash) & 0xffffffff00000000L) == 0;
    }

    /** The value held by an occupied slot. */
    static int value(long slot) {
        return (int) slot - 1;
    }

    long heapBytes() {
        return 16 + slots.length * 8L;
    }
}
