package dev.vigil.sigma;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A cheap necessary condition for a regular expression that has no necessary literal ({@link RegexLiterals}), such as
 * {@code \s[a-fA-F0-9]{64}\s[a-fA-F0-9]{16}}: without it RE2J runs on every event of the rule's log source.
 *
 * <p>Design. The regex is read as a concatenation of items, each a set of characters repeated between {@code min} and
 * {@code max} times. The sets are <em>widened</em> wherever precision would cost effort: every non-ASCII character
 * belongs to every set, {@code .} is any character, anchors and word boundaries are dropped, and a group (whatever it
 * holds, however quantified) becomes "any text". Widening only adds strings, so every text the regex finds a match in
 * also contains a match of the widened chain: rejecting a text that has no such match is always safe. Anything outside
 * this grammar (top-level alternation, {@code \x}, {@code \p}, {@code \Q}, POSIX classes, non-ASCII in the regex) gives
 * no pre-filter at all.
 *
 * <p>The chain is then tested in one left-to-right pass, bit-parallel per item: item {@code i} keeps a 64-bit set of
 * the repetition counts with which items {@code 0..i} can end at the current character (counts above 64 share the top
 * bit, and a {@code min} above 64 is lowered to 64, both widenings). A pass costs a few operations per item and
 * character, far less than RE2J's NFA simulation, and a text is rejected outright when it is shorter than the chain's
 * minimum length or lacks a character that some item requires alone (a {@code \\} or a {@code .}), which {@link
 * String#indexOf(int)} checks at memory speed.
 */
final class RegexPrefilter {
    private static final int MAX_COUNT = 64;

    private final boolean[][] sets; // per item, membership of ASCII chars
    private final int[] min;
    private final long[] rangeMask; // counts 1..max as bits 0..max-1
    private final long[] finalMask; // counts min..max
    private final long[] saturate; // the top bit when max is unbounded, else 0
    private final int minLength;
    private final char[] requiredChars;

    private RegexPrefilter(List<Item> items) {
        int n = items.size();
        sets = new boolean[n][];
        min = new int[n];
        rangeMask = new long[n];
        finalMask = new long[n];
        saturate = new long[n];
        int length = 0;
        List<Character> required = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Item it = items.get(i);
            sets[i] = it.set;
            min[i] = Math.min(it.min, MAX_COUNT);
            int max = it.max < 0 || it.max > MAX_COUNT ? MAX_COUNT : it.max;
            rangeMask[i] = max == 64 ? -1L : (1L << max) - 1;
            long atLeast = min[i] <= 1 ? -1L : -1L << (min[i] - 1);
            finalMask[i] = rangeMask[i] & atLeast;
            saturate[i] = it.max < 0 || it.max > MAX_COUNT ? 1L << 63 : 0;
            length += min[i];
            char only = onlyMember(it.set);
            if (it.min > 0 && only != 0 && !required.contains(only)) {
                required.add(only);
            }
        }
        minLength = length;
        requiredChars = new char[required.size()];
        for (int i = 0; i < requiredChars.length; i++) {
            requiredChars[i] = required.get(i);
        }
    }

    /**
     * The pre-filter of {@code regex} (compiled case-insensitively when {@code caseInsensitive}), or {@code null} when
     * the regex is outside the grammar or the condition would reject nothing.
     */
    static RegexPrefilter of(String regex, boolean caseInsensitive) {
        boolean ci = caseInsensitive;
        String body = regex;
        if (RegexLiterals.isInlineCaseInsensitive(body)) {
            ci = true;
            body = body.substring(4);
        }
        try {
            List<Item> items = parse(body, ci);
            if (items == null) {
                return null;
            }
            RegexPrefilter f = new RegexPrefilter(items);
            return f.minLength == 0 ? null : f;
        } catch (RuntimeException e) {
            return null; // anything unexpected: no pre-filter, never a wrong one
        }
    }

    /** Whether {@code text} may contain a match; {@code false} only when it certainly does not. */
    boolean mayMatch(String text) {
        return mayMatch(text, true);
    }

    /** As {@link #mayMatch(String)}; {@code skipIdleText} false steps every character, for tests of the skip. */
    boolean mayMatch(String text, boolean skipIdleText) {
        int n = text.length();
        if (n < minLength) {
            return false;
        }
        for (char c : requiredChars) {
            if (text.indexOf(c) < 0) {
                return false;
            }
        }
        int items = sets.length;
        long[] state = new long[items];
        // While no item holds a count, a character outside the first item's set changes nothing (it cannot start the
        // chain, and a first item with min > 0 is not complete without one): such text is passed over at one table
        // read per character. Most of a command line is such text for a chain that starts with, say, a space.
        boolean[] first = sets[0];
        boolean skipIdle = skipIdleText && min[0] > 0;
        boolean idle = true;
        for (int p = 0; p < n; p++) {
            char c = text.charAt(p);
            if (idle && skipIdle && c < 128 && !first[c]) {
                continue;
            }
            long any = 0;
            boolean previousComplete = true; // items before the first: the match may start anywhere
            boolean newPreviousComplete = true;
            for (int i = 0; i < items; i++) {
                long old = state[i];
                boolean oldComplete = (old & finalMask[i]) != 0 || (min[i] == 0 && previousComplete);
                long next = 0;
                if (c >= 128 || sets[i][c]) {
                    next = (((old << 1) | (old & saturate[i])) & rangeMask[i]) | (previousComplete ? 1L : 0L);
                }
                state[i] = next;
                any |= next;
                previousComplete = oldComplete;
                newPreviousComplete = (next & finalMask[i]) != 0 || (min[i] == 0 && newPreviousComplete);
            }
            if (newPreviousComplete) {
                return true;
            }
            idle = any == 0;
        }
        return false;
    }

    int minLength() {
        return minLength;
    }

    private static char onlyMember(boolean[] set) {
        char only = 0;
        for (char c = 0; c < 128; c++) {
            if (set[c]) {
                if (only != 0) {
                    return 0;
                }
                only = c;
            }
        }
        return only;
    }

    /** One item of the chain: a widened character set repeated {@code min..max} times ({@code max} -1: unbounded). */
    private record Item(boolean[] set, int min, int max) {}

    private static List<Item> parse(String re, boolean ci) {
        List<Item> items = new ArrayList<>();
        int n = re.length();
        int i = 0;
        while (i < n) {
            char c = re.charAt(i);
            if (c >= 0x7f || c < 0x20) {
                return null;
            }
            boolean[] set;
            switch (c) {
                case '|', ')', '*', '+', '?', '{' -> {
                    return null; // alternation, or a quantifier with nothing to repeat: not understood
                }
                case '^', '$' -> {
                    i++;
                    continue;
                }
                case '(' -> {
                    if (i + 2 < n && re.charAt(i + 1) == '?' && ":P<".indexOf(re.charAt(i + 2)) < 0) {
                        return null; // inline flags such as (?i) change how the rest of the regex matches
                    }
                    int end = groupEnd(re, i);
                    if (end < 0) {
                        return null;
                    }
                    i = skipQuantifier(re, end);
                    if (i < 0) {
                        return null;
                    }
                    items.add(new Item(all(), 0, -1));
                    continue;
                }
                case '.' -> {
                    set = all();
                    i++;
                }
                case '[' -> {
                    int[] end = {0};
                    set = parseClass(re, i, end);
                    if (set == null) {
                        return null;
                    }
                    i = end[0];
                }
                case '\\' -> {
                    if (i + 1 >= n) {
                        return null;
                    }
                    char e = re.charAt(i + 1);
                    if (e == 'b' || e == 'B' || e == 'A' || e == 'z') {
                        i += 2;
                        continue; // zero-width: dropped
                    }
                    set = escape(e);
                    if (set == null) {
                        return null;
                    }
                    i += 2;
                }
                default -> {
                    set = new boolean[128];
                    set[c] = true;
                    i++;
                }
            }
            if (ci) {
                fold(set);
            }
            int qMin = 1;
            int qMax = 1;
            if (i < n) {
                char q = re.charAt(i);
                if (q == '*' || q == '+' || q == '?') {
                    qMin = q == '+' ? 1 : 0;
                    qMax = q == '?' ? 1 : -1;
                    i++;
                } else if (q == '{') {
                    int close = re.indexOf('}', i);
                    if (close < 0) {
                        return null;
                    }
                    String spec = re.substring(i + 1, close);
                    int comma = spec.indexOf(',');
                    if (!spec.matches("[0-9]{1,4}(,[0-9]{0,4})?")) {
                        return null;
                    }
                    qMin = Integer.parseInt(comma < 0 ? spec : spec.substring(0, comma));
                    qMax = comma < 0
                            ? qMin
                            : comma == spec.length() - 1 ? -1 : Integer.parseInt(spec.substring(comma + 1));
                    i = close + 1;
                }
                if (i < n && re.charAt(i) == '?') {
                    i++; // lazy: same language
                }
            }
            items.add(new Item(set, qMin, qMax));
        }
        return items;
    }

    /** The index after the group opening at {@code at} (nested groups, classes and escapes skipped), or -1. */
    private static int groupEnd(String re, int at) {
        int depth = 0;
        int i = at;
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '[') {
                int[] end = {0};
                if (parseClassEnd(re, i, end) < 0) {
                    return -1;
                }
                i = end[0];
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
            i++;
        }
        return -1;
    }

    /** The index after an optional quantifier at {@code at}, or -1 when it is malformed. */
    private static int skipQuantifier(String re, int at) {
        int i = at;
        if (i < re.length()) {
            char q = re.charAt(i);
            if (q == '*' || q == '+' || q == '?') {
                i++;
            } else if (q == '{') {
                int close = re.indexOf('}', i);
                if (close < 0) {
                    return -1;
                }
                i = close + 1;
            }
            if (i < re.length() && re.charAt(i) == '?') {
                i++;
            }
        }
        return i;
    }

    private static int parseClassEnd(String re, int at, int[] end) {
        int i = at + 1;
        if (i < re.length() && re.charAt(i) == '^') {
            i++;
        }
        if (i < re.length() && re.charAt(i) == ']') {
            i++;
        }
        while (i < re.length()) {
            char c = re.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '[') {
                return -1; // POSIX classes: not understood
            } else if (c == ']') {
                end[0] = i + 1;
                return i + 1;
            } else {
                i++;
            }
        }
        return -1;
    }

    /** The ASCII members of the class opening at {@code at}; {@code end[0]} gets the index after it. */
    private static boolean[] parseClass(String re, int at, int[] end) {
        if (parseClassEnd(re, at, end) < 0) {
            return null;
        }
        int close = end[0] - 1;
        int i = at + 1;
        boolean negated = re.charAt(i) == '^';
        if (negated) {
            i++;
        }
        boolean[] set = new boolean[128];
        boolean first = true;
        while (i < close) {
            char c = re.charAt(i);
            if (c >= 0x7f || c < 0x20) {
                return null;
            }
            char lo;
            if (c == '\\') {
                char e = re.charAt(i + 1);
                boolean[] esc = escape(e);
                if (esc == null) {
                    return null;
                }
                i += 2;
                if (onlyMember(esc) == 0 || Character.isLetterOrDigit(e)) {
                    if (i + 1 < close && re.charAt(i) == '-') {
                        return null; // a range from \t or the like: not understood
                    }
                    or(set, esc);
                    first = false;
                    continue;
                }
                lo = onlyMember(esc);
            } else if (c == ']' && !first) {
                return null;
            } else {
                lo = c;
                i++;
            }
            first = false;
            if (i + 1 < close && re.charAt(i) == '-') {
                char hi = re.charAt(i + 1);
                if (hi == '\\' || hi >= 0x7f || hi < lo) {
                    return null;
                }
                for (char x = lo; x <= hi; x++) {
                    set[x] = true;
                }
                i += 2;
            } else {
                set[lo] = true;
            }
        }
        if (negated) {
            for (int x = 0; x < 128; x++) {
                set[x] = !set[x];
            }
        }
        return set;
    }

    /** The set of an escape {@code \e}, or {@code null} when not understood. RE2's Perl classes are ASCII-only. */
    private static boolean[] escape(char e) {
        boolean[] set = new boolean[128];
        switch (e) {
            case 'd', 'D' -> range(set, '0', '9');
            case 's', 'S' -> {
                set['\t'] = true;
                set['\n'] = true;
                set['\f'] = true;
                set['\r'] = true;
                set[' '] = true;
            }
            case 'w', 'W' -> {
                range(set, '0', '9');
                range(set, 'a', 'z');
                range(set, 'A', 'Z');
                set['_'] = true;
            }
            case 't' -> set['\t'] = true;
            case 'n' -> set['\n'] = true;
            case 'r' -> set['\r'] = true;
            case 'f' -> set['\f'] = true;
            case 'v' -> set[0x0b] = true;
            default -> {
                if (Character.isLetterOrDigit(e) || e >= 0x7f || e < 0x20) {
                    return null; // \x, \p, \Q, back-references ...
                }
                set[e] = true;
            }
        }
        if (e == 'D' || e == 'S' || e == 'W') {
            for (int x = 0; x < 128; x++) {
                set[x] = !set[x];
            }
        }
        return set;
    }

    private static boolean[] all() {
        boolean[] set = new boolean[128];
        Arrays.fill(set, true);
        return set;
    }

    private static void range(boolean[] set, char lo, char hi) {
        for (char x = lo; x <= hi; x++) {
            set[x] = true;
        }
    }

    private static void or(boolean[] set, boolean[] other) {
        for (int x = 0; x < 128; x++) {
            set[x] |= other[x];
        }
    }

    /** Case-insensitive matching: each ASCII letter stands for both cases (non-ASCII folds are members anyway). */
    private static void fold(boolean[] set) {
        for (char x = 'a'; x <= 'z'; x++) {
            char up = (char) (x - ('a' - 'A'));
            boolean either = set[x] || set[up];
            set[x] = either;
            set[up] = either;
        }
    }
}
