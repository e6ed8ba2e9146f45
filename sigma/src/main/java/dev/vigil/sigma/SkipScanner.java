package dev.vigil.sigma;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * Finds which of a set of lower-case literals occur in a text read as lower-cased, stepping over most of the text
 * (Wu-Manber with two-character blocks). Used for keyword rules, whose literals must be looked for in every value of
 * every event of their log source: an {@link AhoCorasick} scan reads each of those characters, this one reads about one
 * character in {@code m - 1} when the literals are at least {@code m} long and the text does not resemble them.
 *
 * <p>Design. Let {@code m} be the length of the shortest literal. A window of {@code m} characters slides over the text;
 * the two characters at its end are looked up in a table that says how far the window may move before those two
 * characters could line up with the same two characters inside the first {@code m} characters of some literal. A shift
 * of 0 means some literal's first {@code m} characters end with them: the literals filed under that block are compared
 * in full at the window's start. Characters are folded A-Z to a-z as they are read, so ASCII text needs no lower-cased
 * copy; text with a non-ASCII character is handed to the Aho-Corasick automaton of the same literals instead (its
 * lower-casing may change lengths). Literals with a non-ASCII character can only occur in such text and are left out of
 * the tables.
 */
final class SkipScanner {
    private static final int BLOCKS = 128 * 128;

    private final AhoCorasick fallback;
    private final int window;
    private final byte[] shift; // per folded two-character block
    private final int[][] endingWith; // per block: ids of the literals whose window ends with it
    private final char[][] literals; // by id; null for literals with non-ASCII characters

    /**
     * A scanner for {@code literals}, whose ids are their positions in the list; {@code fallback} must report the same
     * ids (an automaton built from the same list in the same order).
     */
    static SkipScanner of(List<String> literals, AhoCorasick fallback) {
        int min = Integer.MAX_VALUE;
        for (String l : literals) {
            if (isAscii(l)) {
                min = Math.min(min, l.length());
            }
        }
        // Two-character blocks need windows of three characters to ever step; the shift must fit in a byte.
        return min < 3 || min == Integer.MAX_VALUE ? null : new SkipScanner(literals, Math.min(min, 100), fallback);
    }

    private SkipScanner(List<String> list, int window, AhoCorasick fallback) {
        this.fallback = fallback;
        this.window = window;
        this.shift = new byte[BLOCKS];
        Arrays.fill(shift, (byte) (window - 1));
        List<List<Integer>> byBlock = new ArrayList<>(BLOCKS);
        for (int b = 0; b < BLOCKS; b++) {
            byBlock.add(null);
        }
        literals = new char[list.size()][];
        for (int id = 0; id < list.size(); id++) {
            String l = list.get(id);
            if (!isAscii(l)) {
                continue;
            }
            literals[id] = l.toCharArray();
            for (int end = 1; end < window; end++) {
                int b = block(l.charAt(end - 1), l.charAt(end));
                shift[b] = (byte) Math.min(shift[b], window - 1 - end);
            }
            int last = block(l.charAt(window - 2), l.charAt(window - 1));
            if (byBlock.get(last) == null) {
                byBlock.set(last, new ArrayList<>());
            }
            byBlock.get(last).add(id);
        }
        endingWith = new int[BLOCKS][];
        for (int b = 0; b < BLOCKS; b++) {
            List<Integer> ids = byBlock.get(b);
            if (ids != null) {
                endingWith[b] = ids.stream().mapToInt(Integer::intValue).toArray();
            }
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static int block(char a, char b) {
        return (AhoCorasick.foldAscii(a) << 7) | AhoCorasick.foldAscii(b);
    }

    /** An estimate of the heap the tables take (the fallback automaton aside; object headers aside). */
    long footprintBytes() {
        long bytes = shift.length + RuleIndex.intTableBytes(endingWith) + 4L * literals.length;
        for (char[] l : literals) {
            bytes += l == null ? 0 : 2L * l.length;
        }
        return bytes;
    }

    /** The length of the shortest literal that ASCII text can hold (longer literals may be shorter in other text). */
    int window() {
        return window;
    }

    /**
     * Reports the id of every literal that occurs in {@link EvalContext#lowerText(String) lowerText(text)} (an id may be
     * reported more than once), as {@link AhoCorasick#forEachMatchLowerCased} does.
     */
    void forEachMatchLowerCased(String text, IntConsumer ids) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (text.charAt(i) > 0x7f) {
                // Straight to the lower-cased copy: the automaton's own lower-cased scan would read the ASCII prefix
                // first and then start again.
                fallback.forEachMatch(text.toLowerCase(Locale.ROOT), ids);
                return;
            }
        }
        int pos = window - 1; // the window's last character
        while (pos < n) {
            int b = block(text.charAt(pos - 1), text.charAt(pos));
            int s = shift[b];
            if (s > 0) {
                pos += s;
                continue;
            }
            int start = pos - window + 1;
            for (int id : endingWith[b]) {
                if (occursAt(literals[id], text, start)) {
                    ids.accept(id);
                }
            }
            pos++;
        }
    }

    private static boolean occursAt(char[] literal, String text, int start) {
        if (start + literal.length > text.length()) {
            return false;
        }
        for (int i = 0; i < literal.length; i++) {
            if (AhoCorasick.foldAscii(text.charAt(start + i)) != literal[i]) {
                return false;
            }
        }
        return true;
    }
}
