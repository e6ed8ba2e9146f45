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
 * failure chain that ends a pattern, so reporting all matches never walks states without output.
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

    private AhoCorasick(Builder b) {
        int n = b.children.size();
        this.patternCount = b.patternCount;
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
            Map<Character, Integer> m = b.children.get(s);
            childStart[s] = pos;
            childCount[s] = m.size();
            Character[] keys = m.keySet().toArray(new Character[0]);
            Arrays.sort(keys);
            for (Character c : keys) {
                childChars[pos] = c;
                childTargets[pos] = m.get(c);
                pos++;
            }
        }
        output = new int[n];
        for (int s = 0; s < n; s++) {
            output[s] = b.output.get(s);
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
    }

    static Builder builder() {
        return new Builder();
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

    private int step(int state, char c) {
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

    /** Whether any pattern occurs in {@code text}. */
    boolean containsAny(String text) {
        int state = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            state = step(state, text.charAt(i));
            if (output[state] >= 0 || dictLink[state] >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Reports the id of every pattern occurrence in {@code text} (an id may be reported more than once). */
    void forEachMatch(String text, IntConsumer patternIds) {
        int state = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            state = step(state, text.charAt(i));
            int s = output[state] >= 0 ? state : dictLink[state];
            while (s >= 0) {
                patternIds.accept(output[s]);
                s = dictLink[s];
            }
        }
    }

    /**
     * As {@code forEachMatch(EvalContext.lowerText(text), patternIds)}, without building the lower-cased copy when
     * {@code text} is ASCII (then lower-casing is exactly A-Z to a-z, done while scanning); other text is lower-cased
     * with {@link Locale#ROOT} first, as {@link EvalContext#lowerText(String)} does.
     */
    void forEachMatchLowerCased(String text, IntConsumer patternIds) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (text.charAt(i) > 0x7f) {
                forEachMatch(text.toLowerCase(Locale.ROOT), patternIds);
                return;
            }
        }
        int state = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            state = step(state, c);
            int s = output[state] >= 0 ? state : dictLink[state];
            while (s >= 0) {
                patternIds.accept(output[s]);
                s = dictLink[s];
            }
        }
    }

    /** Collects patterns; ids are assigned in insertion order, and a repeated pattern keeps its first id. */
    static final class Builder {
        private final List<Map<Character, Integer>> children = new ArrayList<>();
        private final List<Integer> output = new ArrayList<>();
        private int patternCount;

        private Builder() {
            children.add(new HashMap<>());
            output.add(-1);
        }

        /** Adds a non-empty pattern and returns its id (the existing id if it was added before). */
        int add(String pattern) {
            if (pattern.isEmpty()) {
                throw new IllegalArgumentException("empty pattern");
            }
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
            return new AhoCorasick(this);
        }
    }
}
