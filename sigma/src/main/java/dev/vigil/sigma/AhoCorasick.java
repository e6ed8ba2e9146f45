package dev.vigil.sigma;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * A multi-pattern substring matcher over {@code char}s (Aho-Corasick).
 *
 * <p>Rules list thousands of literals for the same field (a vulnerable-driver rule has 4,432 hashes); scanning the field
 * once against all of them costs time proportional to the text, not to the number of literals. The candidate index uses
 * one automaton per field to find, in one pass over an event, every rule whose literals occur in it.
 *
 * <p>Layout. States are numbered breadth-first, which gives two properties the arrays rely on: the children of a state
 * are consecutive states (sorted by their edge character), and the children of state {@code s + 1} follow those of
 * {@code s}; so {@code firstChild[s] .. firstChild[s + 1]} is the range of {@code s}'s children, and the edge into
 * state {@code t} is stored at index {@code t}. A state costs ten bytes ({@code firstChild}, {@code fail}, its edge
 * character with a "reports" bit), with no per-state objects. Failure links are resolved at build time; {@code
 * dictLink} points to the nearest state on the failure chain that ends a pattern, so reporting never walks states
 * without output.
 *
 * <p>The shallow states, where a scan spends most of its steps, also get full rows of a DFA table over the ASCII
 * characters grouped into classes (each ASCII character of the patterns gets one; every other character shares class
 * 0, which always leads back to the root): there a step is one table read instead of a child search and a walk along
 * failure links. Only the first {@code denseRows} states (breadth-first, so the shallow ones) have rows, at most
 * {@link #MAX_DENSE_CELLS} cells: an earlier version built rows for every state, 26 MB of tables for the SigmaHQ rule
 * set (one automaton of 58,000 states alone 16 MB), and a scan's steps into deep rows then missed every cache and
 * translation buffer; how fast the detector ran came to depend on where the tables happened to lie in memory (the same
 * code and data ran at 35,000 or 95,000 events per CPU-second from one rule-set instance to the next). A deep state
 * looks its (one or few) children up and otherwise follows its failure link, which leads back to the shallow states
 * within a step or two.
 *
 * <p>A table cell and a child edge hold the next state bit-inverted when a pattern ends there or on its failure chain,
 * so the common step (no match) costs one read and one sign test. The table holds {@code short} cells when every state
 * it can lead to fits in 15 bits (every automaton of the SigmaHQ rule set), halving the cache lines its rows take.
 * Scanning "as lower-cased" folds A-Z onto a-z as each character is read, so ASCII text needs no lower-cased copy;
 * at the first other character the scan starts again on a lower-cased copy. Non-ASCII characters that occur in
 * patterns (homoglyphs, typographic dashes) are looked up as children, like the steps from deep states.
 */
final class AhoCorasick {
    /** Per state, the number of its first child; {@code firstChild[n]} closes the last range. */
    private final int[] firstChild;
    /** Per state (but the root), the character of the edge into it, with {@link #REPORTS} when reaching it reports. */
    private final int[] edge;

    private final int[] fail;
    private final int[] output; // pattern id ending exactly here, or -1
    private final int[] dictLink; // nearest state on the failure chain with output, or -1
    private final int patternCount;
    private final int minPatternLength;

    private static final int REPORTS = 1 << 16;

    /**
     * The cells of the dense table, states times classes, at most. 32,768 short cells are 64 KiB: the rows of the first
     * few hundred states of a large automaton, which take nearly every step of a scan.
     */
    static final int MAX_DENSE_CELLS = 1 << 15;

    /** The most states whose encoded numbers (a state or its complement) fit in a {@code short}. */
    static final int MAX_SHORT_STATES = 1 << 15;

    private final int classes;
    private final byte[] asciiClass; // class of chars < 128; 0 is "no pattern has this char"
    private final byte[] foldedClass; // class of the lower case of chars < 128
    private final char[] otherChars; // sorted non-ASCII pattern chars: stepped through the trie, not the table
    private final int denseRows; // states 0 .. denseRows - 1 have table rows
    // state * classes + class -> next state (~next when it reports); at most one of the two
    private final int[] dense;
    private final short[] denseShort;

    private AhoCorasick(Builder b, int maxDenseCells, int maxShortStates) {
        int n = b.children.size();
        this.patternCount = b.patternCount;
        this.minPatternLength = b.minPatternLength;
        int[] order = breadthFirstOrder(b.children);
        output = new int[n];
        for (int s = 0; s < n; s++) {
            output[s] = b.output.get(order[s]);
        }
        // Breadth-first numbering makes each state's children a consecutive range, in sorted character order.
        firstChild = new int[n + 1];
        edge = new int[n];
        int next = 1;
        for (int s = 0; s < n; s++) {
            firstChild[s] = next;
            Map<Character, Integer> m = b.children.get(order[s]);
            Character[] keys = m.keySet().toArray(new Character[0]);
            Arrays.sort(keys);
            for (Character c : keys) {
                edge[next++] = c;
            }
        }
        firstChild[n] = next;
        fail = new int[n];
        dictLink = new int[n];
        Arrays.fill(dictLink, -1);
        // Parents come before their children, so every failure link is known before it is needed.
        for (int s = 0; s < n; s++) {
            for (int t = firstChild[s]; t < firstChild[s + 1]; t++) {
                char c = (char) edge[t];
                int f = t;
                if (s == 0) {
                    f = 0;
                } else {
                    int g = fail[s];
                    while (true) {
                        int x = child(g, c);
                        if (x >= 0) {
                            f = x;
                            break;
                        }
                        if (g == 0) {
                            f = 0;
                            break;
                        }
                        g = fail[g];
                    }
                }
                fail[t] = f;
                dictLink[t] = output[f] >= 0 ? f : dictLink[f];
            }
        }
        for (int t = 1; t < n; t++) {
            if (reports(t)) {
                edge[t] |= REPORTS;
            }
        }
        // Character classes: each distinct ASCII pattern char gets one; all other chars share class 0.
        java.util.TreeSet<Character> alphabet = new java.util.TreeSet<>();
        for (int t = 1; t < n; t++) {
            alphabet.add((char) edge[t]);
        }
        byte[] ascii = new byte[128];
        List<Character> others = new ArrayList<>();
        int cls = 1;
        for (Character c : alphabet) {
            if (c < 128) {
                ascii[c] = (byte) cls++;
            } else {
                others.add(c);
            }
        }
        otherChars = new char[others.size()];
        for (int i = 0; i < otherChars.length; i++) {
            otherChars[i] = others.get(i);
        }
        asciiClass = ascii;
        foldedClass = new byte[128];
        for (int c = 0; c < 128; c++) {
            foldedClass[c] = ascii[foldAscii((char) c)];
        }
        classes = cls;
        denseRows = maxDenseCells <= 0 ? 0 : (int) Math.max(1, Math.min(n, maxDenseCells / classes));
        int[] table = denseRows == 0 ? null : buildDense();
        // The largest state a row can lead to: a child of the last dense row, or a state of a shallower row.
        int largest = denseRows == 0 ? 0 : Math.max(denseRows - 1, firstChild[denseRows] - 1);
        if (table != null && largest < maxShortStates) {
            denseShort = new short[table.length];
            for (int i = 0; i < table.length; i++) {
                denseShort[i] = (short) table[i]; // a state or its complement: -32768 .. 32767
            }
            dense = null;
        } else {
            denseShort = null;
            dense = table;
        }
    }

    /**
     * The trie's states in breadth-first order (the root first), each state's children in character order. Numbering
     * states in this order puts the shallow states, where a scan spends almost all of its steps, first.
     */
    private static int[] breadthFirstOrder(List<Map<Character, Integer>> children) {
        int[] order = new int[children.size()];
        int head = 0;
        int tail = 0;
        order[tail++] = 0;
        while (head < tail) {
            Map<Character, Integer> m = children.get(order[head++]);
            Character[] keys = m.keySet().toArray(new Character[0]);
            Arrays.sort(keys);
            for (Character c : keys) {
                order[tail++] = m.get(c);
            }
        }
        return order;
    }

    /** The rows of the first {@code denseRows} states, in order, so a state's failure row is complete before it. */
    private int[] buildDense() {
        int[] table = new int[denseRows * classes];
        char[] repr = new char[classes]; // a char of each class (class 0 has none: it always leads to the root)
        for (int c = 0; c < 128; c++) {
            if (asciiClass[c] != 0) {
                repr[asciiClass[c]] = (char) c;
            }
        }
        for (int s = 0; s < denseRows; s++) {
            for (int k = 1; k < classes; k++) {
                int t = child(s, repr[k]);
                // fail[s] < s: a failure link leads to a shallower state, whose row is already filled (and encoded).
                table[s * classes + k] = t >= 0 ? encode(t) : s == 0 ? 0 : table[fail[s] * classes + k];
            }
        }
        return table;
    }

    private boolean reports(int state) {
        return output[state] >= 0 || dictLink[state] >= 0;
    }

    /** A state as the table holds it: inverted when reaching it reports a pattern. */
    private int encode(int state) {
        return reports(state) ? ~state : state;
    }

    static Builder builder() {
        return new Builder();
    }

    boolean isDense() {
        return denseRows > 0;
    }

    /** Whether the dense table has {@code short} cells. */
    boolean isCompact() {
        return denseShort != null;
    }

    /** The states that have rows in the dense table (the first ones, breadth-first). */
    int denseRows() {
        return denseRows;
    }

    int stateCount() {
        return fail.length;
    }

    /** An estimate of the heap this automaton takes: its arrays' cells (headers and the builder's maps left out). */
    long footprintBytes() {
        long cells = 4L * (firstChild.length + edge.length + fail.length + output.length + dictLink.length);
        long table = dense != null ? 4L * dense.length : denseShort != null ? 2L * denseShort.length : 0;
        return cells + table + asciiClass.length + foldedClass.length + 2L * otherChars.length;
    }

    /** The length of the shortest pattern: shorter texts cannot contain any. */
    int minPatternLength() {
        return minPatternLength;
    }

    int patternCount() {
        return patternCount;
    }

    /** The child of {@code state} along {@code c}, or -1. */
    private int child(int state, char c) {
        int lo = firstChild[state];
        int end = firstChild[state + 1];
        if (end - lo <= 8) {
            for (int t = lo; t < end; t++) {
                if ((char) edge[t] == c) {
                    return t;
                }
            }
            return -1;
        }
        int hi = end - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            char m = (char) edge[mid];
            if (m < c) {
                lo = mid + 1;
            } else if (m > c) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /**
     * One step from {@code state} (not encoded) along {@code c}, answering the encoded next state. The scans call it
     * when the step is not a read of the dense table: from a deep state, or on a non-ASCII character.
     */
    private int step(int state, char c) {
        if (c < 128) {
            if (asciiClass[c] == 0) {
                return 0; // no pattern has c: every match in progress ends here
            }
        } else if (Arrays.binarySearch(otherChars, c) < 0) {
            return 0;
        }
        int s = state;
        while (s >= denseRows || c >= 128) {
            int end = firstChild[s + 1];
            for (int t = firstChild[s]; t < end; t++) {
                int e = edge[t];
                if ((char) e == c) {
                    return e >= REPORTS ? ~t : t;
                }
            }
            if (s == 0) {
                return 0;
            }
            s = fail[s];
        }
        return denseShort != null ? denseShort[s * classes + asciiClass[c]] : dense[s * classes + asciiClass[c]];
    }

    /** Whether any pattern occurs in {@code text}. */
    boolean containsAny(String text) {
        int state = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            state = next(state, text.charAt(i));
            if (state < 0) {
                return true;
            }
        }
        return false;
    }

    /** The encoded next state: a table read for a shallow state and an ASCII character, {@link #step} otherwise. */
    private int next(int state, char c) {
        return next(state, c, asciiClass);
    }

    /**
     * As {@link #next(int, char)}, an ASCII character's class read from {@code classOf}: {@link #asciiClass}, or
     * {@link #foldedClass} to step as if A-Z were a-z.
     */
    private int next(int state, char c, byte[] classOf) {
        if (state < denseRows && c < 128) {
            return denseShort != null ? denseShort[state * classes + classOf[c]] : dense[state * classes + classOf[c]];
        }
        return step(state, classOf == foldedClass ? foldAscii(c) : c);
    }

    /** {@code c} with A-Z folded to a-z, the only change lower-casing makes to ASCII. */
    static char foldAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** Reports the id of every pattern occurrence in {@code text} (an id may be reported more than once). */
    void forEachMatch(String text, IntConsumer patternIds) {
        int state = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            state = next(state, text.charAt(i));
            if (state < 0) {
                state = ~state;
                report(state, patternIds);
            }
        }
    }

    private void report(int state, IntConsumer patternIds) {
        int s = output[state] >= 0 ? state : dictLink[state];
        while (s >= 0) {
            patternIds.accept(output[s]);
            s = dictLink[s];
        }
    }

    /**
     * As {@code forEachMatch(EvalContext.lowerText(text), patternIds)}, without building the lower-cased copy when
     * {@code text} is ASCII (then lower-casing is exactly A-Z to a-z, which the table of folded classes does as each
     * character is read: no branch on the character's case, which mixed-case text mispredicts). At the first
     * non-ASCII character the scan starts again on the text lower-cased with {@link Locale#ROOT}, as {@link
     * EvalContext#lowerText(String)} does, so patterns found before it may be reported twice.
     */
    void forEachMatchLowerCased(String text, IntConsumer patternIds) {
        int state = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= 128) {
                // Lower-casing other text can change its length (and turn some characters into ASCII ones).
                forEachMatch(text.toLowerCase(Locale.ROOT), patternIds);
                return;
            }
            state = next(state, c, foldedClass);
            if (state < 0) {
                state = ~state;
                report(state, patternIds);
            }
        }
    }

    /** Collects patterns; ids are assigned in insertion order, and a repeated pattern keeps its first id. */
    static final class Builder {
        private final List<Map<Character, Integer>> children = new ArrayList<>();
        private final List<Integer> output = new ArrayList<>();
        private int patternCount;
        private int minPatternLength = Integer.MAX_VALUE;

        private Builder() {
            children.add(new HashMap<>());
            output.add(-1);
        }

        /** Adds a non-empty pattern and returns its id (the existing id if it was added before). */
        int add(String pattern) {
            if (pattern.isEmpty()) {
                throw new IllegalArgumentException("empty pattern");
            }
            minPatternLength = Math.min(minPatternLength, pattern.length());
            int s = 0;
            for (int i = 0; i < pattern.length(); i++) {
                Map<Character, Integer> m = children.get(s);
                Integer t = m.get(pattern.charAt(i));
                if (t == null) {
                    t = children.size();
                    m.put(pattern.charAt(i), t);
                    children.add(new HashMap<>(4));
                    output.add(-1);
                }
                s = t;
            }
            if (output.get(s) < 0) {
                output.set(s, patternCount++);
            }
            return output.get(s);
        }

        AhoCorasick build() {
            return build(MAX_DENSE_CELLS);
        }

        /** With a dense table only up to {@code maxDenseCells} cells (0: never), so tests can cover both kinds of scan. */
        AhoCorasick build(int maxDenseCells) {
            return build(maxDenseCells, MAX_SHORT_STATES);
        }

        /** As {@link #build(int)}, with {@code short} cells only up to {@code maxShortStates} states (0: never). */
        AhoCorasick build(int maxDenseCells, int maxShortStates) {
            return new AhoCorasick(this, maxDenseCells, maxShortStates);
        }
    }
}
