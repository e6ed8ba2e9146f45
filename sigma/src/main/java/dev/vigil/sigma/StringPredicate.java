package dev.vigil.sigma;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test of one text value. Built from a list of Sigma values so that long lists cost little: equal-to values become a
 * hash set, prefixes and suffixes sets keyed by length, substrings one Aho-Corasick automaton; only general wildcard
 * patterns and regexes are tried one by one.
 */
interface StringPredicate {
    boolean test(String text);

    /** Any of the globs (already in the case the text will be in). */
    static StringPredicate anyOf(List<Glob> globs) {
        if (globs.size() == 1) {
            return single(globs.get(0));
        }
        Set<String> exact = new HashSet<>();
        Map<Integer, Set<String>> prefixes = new HashMap<>();
        Map<Integer, Set<String>> suffixes = new HashMap<>();
        List<String> substrings = new ArrayList<>();
        List<GlobMatcher> general = new ArrayList<>();
        boolean any = false;
        for (Glob g : globs) {
            List<Object> t = g.tokens();
            if (t.isEmpty()) {
                exact.add("");
            } else if (t.size() == 1 && t.get(0) instanceof String s) {
                exact.add(s);
            } else if (t.size() == 1 && t.get(0) == Glob.STAR) {
                any = true;
            } else if (t.size() == 2 && t.get(0) instanceof String s && t.get(1) == Glob.STAR) {
                prefixes.computeIfAbsent(s.length(), k -> new HashSet<>()).add(s);
            } else if (t.size() == 2 && t.get(0) == Glob.STAR && t.get(1) instanceof String s) {
                suffixes.computeIfAbsent(s.length(), k -> new HashSet<>()).add(s);
            } else if (t.size() == 3
                    && t.get(0) == Glob.STAR
                    && t.get(1) instanceof String s
                    && t.get(2) == Glob.STAR) {
                substrings.add(s);
            } else {
                general.add(new GlobMatcher(g));
            }
        }
        if (any) {
            return text -> true;
        }
        List<StringPredicate> parts = new ArrayList<>();
        if (!exact.isEmpty()) {
            parts.add(exact.size() == 1 ? exact.iterator().next()::equals : exact::contains);
        }
        if (!prefixes.isEmpty()) {
            parts.add(new AffixSet(prefixes, true));
        }
        if (!suffixes.isEmpty()) {
            parts.add(new AffixSet(suffixes, false));
        }
        if (substrings.size() > 4) {
            AhoCorasick.Builder b = AhoCorasick.builder();
            substrings.forEach(b::add);
            AhoCorasick ac = b.build();
            parts.add(ac::containsAny);
        } else {
            for (String s : substrings) {
                parts.add(text -> text.contains(s));
            }
        }
        parts.addAll(general);
        if (parts.size() == 1) {
            return parts.get(0);
        }
        StringPredicate[] array = parts.toArray(new StringPredicate[0]);
        return text -> {
            for (StringPredicate p : array) {
                if (p.test(text)) {
                    return true;
                }
            }
            return false;
        };
    }

    static StringPredicate single(Glob g) {
        List<Object> t = g.tokens();
        if (t.isEmpty()) {
            return String::isEmpty;
        }
        if (t.size() == 1 && t.get(0) instanceof String s) {
            return s::equals;
        }
        if (t.size() == 1 && t.get(0) == Glob.STAR) {
            return text -> true;
        }
        if (t.size() == 2 && t.get(0) instanceof String s && t.get(1) == Glob.STAR) {
            return text -> text.startsWith(s);
        }
        if (t.size() == 2 && t.get(0) == Glob.STAR && t.get(1) instanceof String s) {
            return text -> text.endsWith(s);
        }
        if (t.size() == 3 && t.get(0) == Glob.STAR && t.get(1) instanceof String s && t.get(2) == Glob.STAR) {
            return text -> text.contains(s);
        }
        return new GlobMatcher(g);
    }

    static StringPredicate regex(Pattern pattern) {
        return text -> pattern.matcher(text).find();
    }

    /**
     * A regex that can only match text containing one of {@code required} (exact, case kept; see {@link
     * RegexLiterals}): the cheap substring check runs first, the regex only when it passes. {@code null}: no check.
     * For a case-insensitive regex the literals are lower-case and are looked for in the lower-cased text. A regex
     * without such a literal gets the {@link RegexPrefilter} of its syntax instead, when there is one.
     */
    static StringPredicate regex(Pattern pattern, String[] required, boolean caseInsensitive) {
        LineLength lineLength = LineLength.of(pattern);
        if (lineLength != null) {
            return lineLength;
        }
        boolean weak = required == null || Arrays.stream(required).allMatch(r -> r.length() < RegexLiterals.MIN_LENGTH);
        RegexPrefilter filter = weak ? RegexPrefilter.of(pattern.pattern(), caseInsensitive) : null;
        if (filter != null) {
            StringPredicate full = regexWithLiterals(pattern, required, caseInsensitive);
            return text -> filter.mayMatch(text) && full.test(text);
        }
        return regexWithLiterals(pattern, required, caseInsensitive);
    }

    private static StringPredicate regexWithLiterals(Pattern pattern, String[] required, boolean caseInsensitive) {
        if (required == null || required.length == 0) {
            return regex(pattern);
        }
        if (caseInsensitive) {
            return text -> {
                String lower = EvalContext.lowerText(text);
                for (String r : required) {
                    if (lower.contains(r)) {
                        return pattern.matcher(text).find();
                    }
                }
                return false;
            };
        }
        if (required.length == 1) {
            String r = required[0];
            return text -> text.contains(r) && pattern.matcher(text).find();
        }
        return text -> {
            for (String r : required) {
                if (text.contains(r)) {
                    return pattern.matcher(text).find();
                }
            }
            return false;
        };
    }

    /**
     * A regex that only asks for length, such as SigmaHQ's {@code .{1000,}} (abnormally long command lines): it finds
     * a match when some run of {@code min} code points holds no line break ({@code .} does not match {@code \n} unless
     * the regex is {@code DOTALL}). Counting is exact, whereas RE2J simulates {@code min} NFA states per character:
     * milliseconds for one long command line.
     */
    record LineLength(int min, boolean dotAll) implements StringPredicate {
        private static final Pattern SHAPE = Pattern.compile("\\.\\{([0-9]{1,5})(?:,(?:[0-9]{1,5})?)?\\}");

        /** The length test equivalent to {@code pattern}, or {@code null} unless it is {@code .{n}}, {@code .{n,}} or {@code .{n,m}}. */
        static LineLength of(Pattern pattern) {
            com.google.re2j.Matcher m = SHAPE.matcher(pattern.pattern());
            if (!m.matches()) {
                return null;
            }
            // .{n,m} finds a match exactly where .{n} does: a longer run contains a run of n.
            int min = Integer.parseInt(m.group(1));
            return min == 0 ? null : new LineLength(min, (pattern.flags() & Pattern.DOTALL) != 0);
        }

        @Override
        public boolean test(String text) {
            if (text.length() < min) {
                return false; // a code point is one or two chars
            }
            int run = 0;
            for (int i = 0, n = text.length(); i < n; ) {
                int cp = text.codePointAt(i);
                i += Character.charCount(cp);
                run = cp == '\n' && !dotAll ? 0 : run + 1;
                if (run >= min) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Prefixes or suffixes grouped by length: one hash lookup per distinct length. The lookup hashes the text's prefix or
     * suffix in place and compares it with {@link String#regionMatches}, so no substring is allocated per length (long
     * suffix lists such as file extensions have a dozen lengths, tested for every candidate event).
     */
    final class AffixSet implements StringPredicate {
        private final int[] lengths;
        private final String[][] tables; // per length: open addressing, null = empty slot
        private final int[][] hashes; // String.hashCode of each slot's key
        private final boolean prefix;

        AffixSet(Map<Integer, Set<String>> byLength, boolean prefix) {
            this.prefix = prefix;
            lengths = byLength.keySet().stream()
                    .mapToInt(Integer::intValue)
                    .sorted()
                    .toArray();
            tables = new String[lengths.length][];
            hashes = new int[lengths.length][];
            for (int i = 0; i < lengths.length; i++) {
                Set<String> keys = byLength.get(lengths[i]);
                int size = Integer.highestOneBit(Math.max(4, keys.size() * 2)) * 2;
                tables[i] = new String[size];
                hashes[i] = new int[size];
                for (String k : keys) {
                    int h = k.hashCode();
                    int slot = spread(h) & (size - 1);
                    while (tables[i][slot] != null) {
                        slot = (slot + 1) & (size - 1);
                    }
                    tables[i][slot] = k;
                    hashes[i][slot] = h;
                }
            }
        }

        private static int spread(int h) {
            return h ^ (h >>> 16);
        }

        @Override
        public boolean test(String text) {
            int n = text.length();
            for (int i = 0; i < lengths.length; i++) {
                int len = lengths[i];
                if (len > n) {
                    return false;
                }
                int from = prefix ? 0 : n - len;
                int h = 0;
                for (int j = from, end = from + len; j < end; j++) {
                    h = 31 * h + text.charAt(j);
                }
                String[] table = tables[i];
                int[] tableHashes = hashes[i];
                int mask = table.length - 1;
                for (int slot = spread(h) & mask; table[slot] != null; slot = (slot + 1) & mask) {
                    if (tableHashes[slot] == h && text.regionMatches(from, table[slot], 0, len)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /**
     * A general wildcard pattern, matched without regexes: the literal pieces between stars are found left to right
     * (leftmost match is always safe for {@code *}), so the cost is linear in practice and never exponential.
     */
    final class GlobMatcher implements StringPredicate {
        // Segments between stars; each segment is a list of literal strings and ONE wildcards flattened to char[] with
        // a mask of single-character wildcards.
        private final char[][] segments;
        private final boolean[][] anyChar;
        private final boolean leadingStar;
        private final boolean trailingStar;

        GlobMatcher(Glob glob) {
            List<Object> t = glob.tokens();
            leadingStar = !t.isEmpty() && t.get(0) == Glob.STAR;
            trailingStar = !t.isEmpty() && t.get(t.size() - 1) == Glob.STAR;
            List<char[]> segs = new ArrayList<>();
            List<boolean[]> masks = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            List<Boolean> mask = new ArrayList<>();
            for (Object o : t) {
                if (o == Glob.STAR) {
                    flush(cur, mask, segs, masks);
                } else if (o == Glob.ONE) {
                    cur.append('?');
                    mask.add(true);
                } else {
                    String s = (String) o;
                    cur.append(s);
                    for (int i = 0; i < s.length(); i++) {
                        mask.add(false);
                    }
                }
            }
            flush(cur, mask, segs, masks);
            segments = segs.toArray(new char[0][]);
            anyChar = masks.toArray(new boolean[0][]);
        }

        private static void flush(StringBuilder cur, List<Boolean> mask, List<char[]> segs, List<boolean[]> masks) {
            if (cur.isEmpty()) {
                return;
            }
            segs.add(cur.toString().toCharArray());
            boolean[] m = new boolean[mask.size()];
            for (int i = 0; i < m.length; i++) {
                m[i] = mask.get(i);
            }
            masks.add(m);
            cur.setLength(0);
            mask.clear();
        }

        @Override
        public boolean test(String text) {
            int n = text.length();
            int segCount = segments.length;
            if (segCount == 0) {
                return leadingStar || n == 0;
            }
            int pos = 0;
            int first = 0;
            int last = segCount - 1;
            if (!leadingStar) {
                if (!matchAt(text, 0, 0)) {
                    return false;
                }
                pos = segments[0].length;
                first = 1;
                if (segCount == 1) {
                    return trailingStar || pos == n;
                }
            }
            int lastStart = -1;
            if (!trailingStar) {
                lastStart = n - segments[last].length;
                if (lastStart < pos || !matchAt(text, last, lastStart)) {
                    return false;
                }
                last--;
            }
            int limit = trailingStar ? n : lastStart;
            for (int s = first; s <= last; s++) {
                int found = find(text, s, pos, limit);
                if (found < 0) {
                    return false;
                }
                pos = found + segments[s].length;
            }
            return true;
        }

        private boolean matchAt(String text, int seg, int at) {
            char[] chars = segments[seg];
            boolean[] mask = anyChar[seg];
            if (at < 0 || at + chars.length > text.length()) {
                return false;
            }
            for (int i = 0; i < chars.length; i++) {
                if (!mask[i] && text.charAt(at + i) != chars[i]) {
                    return false;
                }
            }
            return true;
        }

        private int find(String text, int seg, int from, int limit) {
            int len = segments[seg].length;
            for (int at = from; at + len <= limit; at++) {
                if (matchAt(text, seg, at)) {
                    return at;
                }
            }
            return -1;
        }
    }
}
