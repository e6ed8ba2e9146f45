package dev.vigil.search;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled, case-insensitive wildcard pattern: {@code *} any run of characters, {@code ?} one character, {@code \x}
 * the character x.
 *
 * <p>Design. The pattern is cut at its stars into segments that hold literals and {@code ?}s. Without a star the text
 * must match the one segment exactly. With stars, the first segment must match at the start, the last at the end, and
 * each segment in between is searched for leftmost, after the previous one. Taking the leftmost match is always
 * right (it leaves the most text for the rest) so the search never moves back: no backtracking, no exponential blow
 * up; the cost is at most the text length times the pattern length, linear in the text for a given pattern.
 */
final class Glob {
    private final Segment[] segments;
    private final boolean hasStar;

    /** One run between stars: folded characters, with {@code wildcard[i]} true where the pattern had {@code ?}. */
    private record Segment(char[] chars, boolean[] wildcard) {
        int length() {
            return chars.length;
        }

        boolean matchesAt(String text, int at) {
            for (int i = 0; i < chars.length; i++) {
                if (!wildcard[i] && QueryValues.fold(text.charAt(at + i)) != chars[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private Glob(Segment[] segments, boolean hasStar) {
        this.segments = segments;
        this.hasStar = hasStar;
    }

    /** Compiles a pattern; {@code unanchored}: the pattern may match anywhere in the text (as if within stars). */
    static Glob compile(String pattern, boolean unanchored) {
        List<Segment> segments = new ArrayList<>();
        StringBuilder chars = new StringBuilder();
        StringBuilder wild = new StringBuilder();
        boolean hasStar = unanchored;
        if (unanchored) {
            segments.add(new Segment(new char[0], new boolean[0]));
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                segments.add(segment(chars, wild));
                chars.setLength(0);
                wild.setLength(0);
                hasStar = true;
                continue;
            }
            if (c == '\\' && i + 1 < pattern.length()) {
                c = pattern.charAt(++i);
                wild.append('0');
            } else {
                wild.append(c == '?' ? '1' : '0');
            }
            chars.append(QueryValues.fold(c));
        }
        segments.add(segment(chars, wild));
        if (unanchored) {
            segments.add(new Segment(new char[0], new boolean[0]));
        }
        return new Glob(segments.toArray(new Segment[0]), hasStar);
    }

    private static Segment segment(StringBuilder chars, StringBuilder wild) {
        boolean[] wildcard = new boolean[wild.length()];
        for (int i = 0; i < wildcard.length; i++) {
            wildcard[i] = wild.charAt(i) == '1';
        }
        return new Segment(chars.toString().toCharArray(), wildcard);
    }

    boolean matches(String text) {
        Segment first = segments[0];
        if (!hasStar) {
            return text.length() == first.length() && first.matchesAt(text, 0);
        }
        Segment last = segments[segments.length - 1];
        int end = text.length() - last.length();
        if (end < first.length() || !first.matchesAt(text, 0) || !last.matchesAt(text, end)) {
            return false;
        }
        int from = first.length();
        for (int s = 1; s < segments.length - 1; s++) {
            Segment middle = segments[s];
            int found = -1;
            for (int at = from; at + middle.length() <= end; at++) {
                if (middle.matchesAt(text, at)) {
                    found = at;
                    break;
                }
            }
            if (found < 0) {
                return false;
            }
            from = found + middle.length();
        }
        return true;
    }
}
