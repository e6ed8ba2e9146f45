package dev.vigil.intel;

import java.util.List;

/**
 * Distinct fixed-length hashes as runs of longs ({@code words} per hash, big-endian, the last one left-aligned): 16
 * bytes per MD5, 24 per SHA-1 (padded), 32 per SHA-256, no objects, and a {@link KeyTable} from their hash to the
 * index's first entry of each.
 */
final class HashKeys {
    private final int words;
    private final int hexLength;
    private final long[] keys;
    private final int count;
    private final KeyTable table;

    /**
     * @param values distinct normalised values (lower-case hex of {@code hexLength}); the list order gives the ids
     * @param firstEntry the index's first entry of each id
     */
    HashKeys(int hexLength, List<String> values, int[] firstEntry) {
        this.hexLength = hexLength;
        this.words = wordsFor(hexLength);
        this.count = values.size();
        this.keys = new long[count * words];
        this.table = new KeyTable(count);
        long[] tmp = new long[words];
        for (int i = 0; i < count; i++) {
            if (!parse(values.get(i), hexLength, tmp)) {
                throw new IllegalArgumentException("not a hash of " + hexLength + " hex digits: " + values.get(i));
            }
            System.arraycopy(tmp, 0, keys, i * words, words);
            table.put(hash(tmp, words), firstEntry[i]);
        }
    }

    static int wordsFor(int hexLength) {
        return (hexLength + 15) / 16;
    }

    int count() {
        return count;
    }

    KeyTable table() {
        return table;
    }

    /** The table hash of a parsed hash. */
    static long hash(long[] parsed, int words) {
        long h = parsed[0];
        for (int k = 1; k < words; k++) {
            h = Long.rotateLeft(h * 0x9E3779B97F4A7C15L, 29) ^ parsed[k];
        }
        return KeyTable.mix(h);
    }

    long hash(long[] parsed) {
        return hash(parsed, words);
    }

    /**
     * Parses hex (either case) into {@code out}, left-aligned in the last word; false when the length or a digit is
     * wrong. No allocation and no data-dependent branch per digit (digits and letters come in random order, so a
     * branch on each would be mispredicted a third of the time): this runs on every hash of every event.
     */
    static boolean parse(CharSequence hex, int hexLength, long[] out) {
        if (hex.length() != hexLength) {
            return false;
        }
        int w = wordsFor(hexLength);
        boolean valid = true;
        for (int word = 0; word < w; word++) {
            long v = 0;
            int end = Math.min(hexLength, word * 16 + 16);
            for (int i = word * 16; i < end; i++) {
                int c = hex.charAt(i);
                int decimal = c - '0';
                int letter = (c | 0x20) - 'a';
                boolean isDecimal = Integer.compareUnsigned(decimal, 10) < 0;
                valid &= isDecimal | Integer.compareUnsigned(letter, 6) < 0;
                v = (v << 4) | (isDecimal ? decimal : letter + 10);
            }
            out[word] = v << (4 * (word * 16 + 16 - end));
        }
        return valid;
    }

    /** Whether key {@code id} is the parsed hash. */
    boolean sameAs(int id, long[] parsed) {
        int at = id * words;
        for (int k = 0; k < words; k++) {
            if (keys[at + k] != parsed[k]) {
                return false;
            }
        }
        return true;
    }

    String valueOf(int id) {
        StringBuilder sb = new StringBuilder(words * 16);
        for (int k = 0; k < words; k++) {
            String h = Long.toHexString(keys[id * words + k]);
            sb.append("0".repeat(16 - h.length())).append(h);
        }
        sb.setLength(hexLength);
        return sb.toString();
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Whether the value of {@code id} contains {@code hex} (lower-case hex digits), without building it as a string:
     * the digits are written into {@code scratch} (at least {@code 16 * words} bytes) and searched there.
     */
    boolean hexContains(int id, byte[] hex, byte[] scratch) {
        for (int k = 0; k < words; k++) {
            long w = keys[id * words + k];
            for (int d = 0; d < 16; d++) {
                scratch[k * 16 + d] = HEX[(int) (w >>> (60 - 4 * d)) & 0xf];
            }
        }
        return StringKeys.indexOf(scratch, 0, hexLength, hex) >= 0;
    }

    long heapBytes() {
        return 32L + keys.length * 8L + table.heapBytes();
    }
}
