package dev.vigil.sigma;

import java.util.ArrayDeque;
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
 * <p>Layout: the trie is flattened into arrays. Each state keeps its children as a sorted {@code char[]} slice (most
 * states deep in long literals have exactly one child); the root keeps a dense table for ASCII because a scan spends most
 * of its time there. Failure links are resolved at build time; {@code dictLink} points to the nearest state on the
 * failure chain that ends a pattern, so reporting all matches never walks states without output. States are numbered
 * breadth-first, so the shallow states a scan mostly visits lie together in memory.
 *
 * <p>When it fits in {@link #MAX_DENSE_CELLS} cells, the automaton is also compiled into a full DFA over the ASCII
 * characters, grouped into classes (each ASCII character of the patterns gets one; every other character shares class
 * 0, which always leads back to the root): a scan step is then one table read instead of a walk along failure links
 * with a child search at each hop, which matters because every event field that some rule names is scanned. Non-ASCII
 * characters that occur in patterns (homoglyphs, typographic dashes) keep the failure-link walk; the dense table and
 * the trie number states alike, so the two kinds of step mix freely within one scan. A table cell holds the next state,
 * bit-inverted when a pattern ends there or on its failure chain, so the common step (no match) costs one read and one
 * sign test. A second class table folds A-Z onto a-z, so scanning "as lower-cased" needs no lower-cased copy of ASCII
 * text. Automata of at most {@link #MAX_SHORT_STATES} states (every automaton of the SigmaHQ rule set, the
 * process-creation command-line one included) keep the table in {@code short} cells, half the memory: the rows a scan
 * visits then take half as many cache lines, which is what a scan step mostly waits for when several automata and the
 * rest of the engine compete for the cache.
 */
final class AhoCorasick {
    private final int[] childStart;
    private final int[] childCount;
    private final char[] childChars;
    private final int[] childTargets;
    private final int[] fail;
    private final int[] output; // pattern id ending exactly here, or -1
    private final int[] dictLink; // nearest state on the failure chain with output, or -1
    private final int[] rootAscii;
    private final int patternCount;
    private final int minPatternLength;

    /**
     * The largest dense table built (states times classes), 16 MiB of ints: the command-line automaton of all SigmaHQ
     * process-creation rules (about 31,000 states, at most 97 ASCII classes) fits; beyond it, scans walk failure links.
     */
    static final int MAX_DENSE_CELLS = 1 << 22;

    /** The most states whose encoded numbers (a state or its complement) fit in a {@code short}. */
    static final int MAX_SHORT_STATES = 1 << 15;

    private final int classes;
    private final byte[] asciiClass; // class of chars < 128; 0 is "no pattern has this char"
    private final byte[] foldedClass; // the class of the lower-cased char, for case-insensitive scans
    private final char[] otherChars; // sorted non-ASCII pattern chars: stepped through the trie, not the table
    // state * classes + class -> next state (~next when it reports); at most one of the two, none when too large
    private final int[] dense;
    private final short[] denseShort;

    private AhoCorasick(Builder b, int maxDenseCells, int maxShortStates) {
        int n = b.children.size();
        this.patternCount = b.patternCount;
        this.minPatternLength = b.minPatternLength;
        int[] order = breadthFirstOrder(b.children);
        int[] renumbered = new int[n];
        for (int s = 0; s < n; s++) {
            renumbered[order[s]] = s;
        }
        childStart = new int[n];
        childCount = new int[n];
        int total = 0;
        for (Map<Character, Integer> m : b.children) {
            total += m.size();
        }
        childChars = new char[total];
        childTargets = new int[total];
        int pos = 0;
        for (int s = 0; s < n; s++) {
            Map<Character, Integer> m = b.children.get(order[s]);
            childStart[s] = pos;
            childCount[s] = m.size();
            Character[] keys = m.keySet().toArray(new Character[0]);
            Arrays.sort(keys);
            for (Character c : keys) {
                childChars[pos] = c;
                childTargets[pos] = renumbered[m.get(c)];
                pos++;
            }
        }
        output = new int[n];
        for (int s = 0; s < n; s++) {
            output[s] = b.output.get(order[s]);
        }
        fail = new int[n];
        dictLink = new int[n];
        Arrays.fill(dictLink, -1);
        rootAscii = new int[128];
        for (int c = 0; c < 128; c++) {
            rootAscii[c] = child(0, (char) c);
        }
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int i = childStart[0]; i < childStart[0] + childCount[0]; i++) {
            int t = childTargets[i];
            fail[t] = 0;
            queue.add(t);
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            for (int i = childStart[s]; i < childStart[s] + childCount[s]; i++) {
                char c = childChars[i];
                int t = childTargets[i];
                int f = fail[s];
                int next;
                while (true) {
                    next = child(f, c);
                    if (next >= 0 || f == 0) {
                        break;
                    }
                    f = fail[f];
                }
                fail[t] = next >= 0 && next != t ? next : 0;
                int ft = fail[t];
                dictLink[t] = output[ft] >= 0 ? ft : dictLink[ft];
                queue.add(t);
            }
        }
        // Character classes: each distinct ASCII pattern char gets one; all other chars share class 0.
        java.util.TreeSet<Character> alphabet = new java.util.TreeSet<>();
        for (char c : childChars) {
            alphabet.add(c);
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
        byte[] folded = ascii.clone();
        for (char c = 'A'; c <= 'Z'; c++) {
            folded[c] = ascii[c + ('a' - 'A')];
        }
        otherChars = new char[others.size()];
        for (int i = 0; i < otherChars.length; i++) {
            otherChars[i] = others.get(i);
        }
        asciiClass = ascii;
        foldedClass = folded;
        classes = cls;
        int[] table = (long) n * classes <= maxDenseCells ? buildDense(n) : null;
        if (table != null && n <= maxShortStates) {
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
     * The trie's states in breadth-first order (the root first). Numbering states in this order puts the shallow states,
     * where a scan spends almost all of its steps, in the first rows of the dense table: a few hundred kilobytes that
     * stay in the CPU cache, instead of rows scattered over megabytes in the order the literals were added.
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

    /** The full transition table, filled in breadth-first order so a state's failure row is always complete. */
    private int[] buildDense(int n) {
        int[] table = new int[n * classes];
        char[] repr = new char[classes]; // a char of each class (class 0 has none: it always leads to the root)
        for (int c = 0; c < 128; c++) {
            if (asciiClass[c] != 0) {
                repr[asciiClass[c]] = (char) c;
            }
        }
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(0);
        boolean[] seen = new boolean[n];
        seen[0] = true;
        while (!queue.isEmpty()) {
            int s = queue.poll();
            for (int k = 1; k < classes; k++) {
                int t = child(s, repr[k]);
                table[s * classes + k] = t >= 0 ? t : s == 0 ? 0 : table[fail[s] * classes + k];
            }
            // Every child, non-ASCII edges included: states reached only through those need their rows too.
            for (int i = childStart[s]; i < childStart[s] + childCount[s]; i++) {
                int t = childTargets[i];
                if (!seen[t]) {
                    seen[t] = true;
                    queue.add(t);
                }
            }
        }
        for (int i = 0; i < table.length; i++) {
            table[i] = encode(table[i]);
        }
        return table;
    }

    /** A state as the table holds it: inverted when reaching it reports a pattern. */
    private int encode(int state) {
        return output[state] >= 0 || dictLink[state] >= 0 ? ~state : state;
    }

    static Builder builder() {
        return new Builder();
    }

    boolean isDense() {
        return dense != null || denseShort != null;
    }

    /** Whether the dense table has {@code short} cells. */
    boolean isCompact() {
        return denseShort != null;
    }

    /** The length of the shortest pattern: shorter texts cannot contain any. */
    int minPatternLength() {
        return minPatternLength;
    }

    int patternCount() {
        return patternCount;
    }

    private int child(int state, char c) {
        int start = childStart[state];
        int count = childCount[state];
        if (count <= 8) {
            for (int i = start; i < start + count; i++) {
                if (childChars[i] == c) {
                    return childTargets[i];
                }
            }
            return -1;
        }
        int lo = start;
        int hi = start + count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            char m = childChars[mid];
            if (m < c) {
                lo = mid + 1;
            } else if (m > c) {
                hi = mid - 1;
            } else {
                return childTargets[mid];
            }
        }
        return -1;
    }

    /** The failure-link step over the trie (no dense table). */
    private int sparseStep(int state, char c) {
        while (true) {
            if (state == 0) {
                if (c < 128) {
                    int t = rootAscii[c];
                    return t < 0 ? 0 : t;
                }
                int t = child(0, c);
                return t < 0 ? 0 : t;
            }
            int t = child(state, c);
            if (t >= 0) {
                return t;
            }
            state = fail[state];
        }
    }

    /** One encoded step (see {@link #encode}) with the dense table for ASCII, the trie for other chars. */
    private int denseStep(int state, char c, byte[] classTable) {
        if (c < 128) {
            return dense[state * classes + classTable[c]];
        }
        return otherStep(state, c);
    }

    /** As {@link #denseStep} with the {@code short} table. */
    private int compactStep(int state, char c, byte[] classTable) {
        if (c < 128) {
            return denseShort[state * classes + classTable[c]];
        }
        return otherStep(state, c);
    }

    private int otherStep(int state, char c) {
        return Arrays.binarySearch(otherChars, c) < 0 ? 0 : encode(sparseStep(state, c));
    }

    /** Whether any pattern occurs in {@code text}. */
    boolean containsAny(String text) {
        int n = text.length();
        if (denseShort != null) {
            int state = 0;
            for (int i = 0; i < n; i++) {
                state = compactStep(state, text.charAt(i), asciiClass);
                if (state < 0) {
                    return true;
                }
            }
            return false;
        }
        if (dense != null) {
            int state = 0;
            for (int i = 0; i < n; i++) {
                state = denseStep(state, text.charAt(i), asciiClass);
                if (state < 0) {
                    return true;
                }
            }
            return false;
        }
        int state = 0;
        for (int i = 0; i < n; i++) {
            state = sparseStep(state, text.charAt(i));
            if (output[state] >= 0 || dictLink[state] >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Reports the id of every pattern occurrence in {@code text} (an id may be reported more than once). */
    void forEachMatch(String text, IntConsumer patternIds) {
        if (isDense()) {
            denseScan(text, asciiClass, patternIds);
            return;
        }
        int state = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            state = sparseStep(state, text.charAt(i));
            report(state, patternIds);
        }
    }

    private void denseScan(String text, byte[] classTable, IntConsumer patternIds) {
        if (denseShort != null) {
            compactScan(text, classTable, patternIds);
            return;
        }
        int state = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            state = denseStep(state, text.charAt(i), classTable);
            if (state < 0) {
                state = ~state;
                report(state, patternIds);
            }
        }
    }

    private void compactScan(String text, byte[] classTable, IntConsumer patternIds) {
        int state = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            state = compactStep(state, text.charAt(i), classTable);
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
     * {@code text} is ASCII (then lower-casing is exactly A-Z to a-z, which the folded class table does); other text
     * is lower-cased with {@link Locale#ROOT} first, as {@link EvalContext#lowerText(String)} does.
     */
    void forEachMatchLowerCased(String text, IntConsumer patternIds) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (text.charAt(i) > 0x7f) {
                forEachMatch(text.toLowerCase(Locale.ROOT), patternIds);
                return;
            }
        }
        if (isDense()) {
            denseScan(text, foldedClass, patternIds);
            return;
        }
        int state = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            state = sparseStep(state, c);
            report(state, patternIds);
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
