package dev.vigil.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void agreesWithBacktrackingOnRandomPatternsAndTexts() {
        Random random = new Random(0x6106L);
        int matched = 0;
        for (int i = 0; i < 200_000; i++) {
            String pattern = random(random, "aAb*?\\", 7);
            String text = random(random, "abB*?\\", 9);
            boolean unanchored = random.nextInt(4) == 0;
            String anchored = unanchored ? "*" + completeEscape(pattern) + "*" : pattern;
            boolean expected = backtrack(anchored, 0, text.toLowerCase(Locale.ROOT), 0);
            assertThat(Glob.compile(pattern, unanchored).matches(text))
                    .as("pattern [%s] (unanchored %s) on [%s]", pattern, unanchored, text)
                    .isEqualTo(expected);
            matched += expected ? 1 : 0;
        }
        assertThat(matched).isBetween(10_000, 190_000);
    }

    @Test
    void questionMarkIsExactlyOneCharacterAndEscapesAreLiteral() {
        assertThat(Glob.compile("a?c", false).matches("abc")).isTrue();
        assertThat(Glob.compile("a?c", false).matches("ac")).isFalse();
        assertThat(Glob.compile("a\\?c", false).matches("abc")).isFalse();
        assertThat(Glob.compile("a\\?c", false).matches("a?c")).isTrue();
        assertThat(Glob.compile("a\\", false).matches("a\\")).isTrue();
        assertThat(Glob.compile("ÄB*", false).matches("äbc")).isTrue();
        assertThat(Glob.compile("ab", true).matches("xxABxx")).isTrue();
        assertThat(Glob.compile("", true).matches("")).isTrue();
        assertThat(Glob.compile("", false).matches("x")).isFalse();
    }

    /** A pattern ending in a lone backslash (a literal one) with that escape completed, so a star may follow. */
    private static String completeEscape(String pattern) {
        int trailing = 0;
        while (trailing < pattern.length() && pattern.charAt(pattern.length() - 1 - trailing) == '\\') {
            trailing++;
        }
        return trailing % 2 == 1 ? pattern + "\\" : pattern;
    }

    private static String random(Random random, String alphabet, int maxLength) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** The textbook backtracking matcher, case-folding the pattern's literals (the text arrives lower-cased). */
    private static boolean backtrack(String pattern, int p, String text, int t) {
        if (p == pattern.length()) {
            return t == text.length();
        }
        char c = pattern.charAt(p);
        if (c == '*') {
            return backtrack(pattern, p + 1, text, t) || t < text.length() && backtrack(pattern, p, text, t + 1);
        }
        if (t == text.length()) {
            return false;
        }
        if (c == '\\') {
            char literal = p + 1 < pattern.length() ? pattern.charAt(p + 1) : '\\';
            return Character.toLowerCase(literal) == text.charAt(t)
                    && backtrack(pattern, Math.min(p + 2, pattern.length()), text, t + 1);
        }
        return (c == '?' || Character.toLowerCase(c) == text.charAt(t)) && backtrack(pattern, p + 1, text, t + 1);
    }
}
