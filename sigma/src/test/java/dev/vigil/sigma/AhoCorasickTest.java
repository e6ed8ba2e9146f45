package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The automaton against the obvious reference ({@link String#indexOf} for each pattern), on seeded random patterns
 * and texts over a small alphabet that mixes lower and upper case ASCII with non-ASCII characters, so that matches
 * overlap, failure links are exercised and both the dense-table and the trie steps run within one scan.
 */
class AhoCorasickTest {
    private static final String ALPHABET = "abcAB.\\-\u00e9\u00c9\u2013\u0130";

    @Test
    void findsExactlyThePatternsThatOccur() {
        // The layouts: table rows for every state (short cells, int cells), for the first few states only (the rest
        // stepped as children and failure links), none at all.
        int[][] layouts = {
            {Integer.MAX_VALUE, AhoCorasick.MAX_SHORT_STATES},
            {Integer.MAX_VALUE, 0},
            {40, AhoCorasick.MAX_SHORT_STATES},
            {0, 0}
        };
        for (int[] layout : layouts) {
            int maxDense = layout[0];
            int maxShortStates = layout[1];
            Random random = new Random(20261126L + maxDense + maxShortStates);
            for (int round = 0; round < 400; round++) {
                List<String> patterns = randomPatterns(random);
                AhoCorasick.Builder b = AhoCorasick.builder();
                patterns.forEach(b::add);
                AhoCorasick ac = b.build(maxDense, maxShortStates);
                assertThat(ac.isDense()).isEqualTo(maxDense > 0);
                assertThat(ac.isCompact()).isEqualTo(maxDense > 0 && maxShortStates > 0);
                if (maxDense == Integer.MAX_VALUE) {
                    assertThat(ac.denseRows()).isEqualTo(ac.stateCount());
                } else if (maxDense > 0) {
                    assertThat(ac.denseRows()).isBetween(1, Math.max(1, maxDense / 2));
                }
                for (int t = 0; t < 30; t++) {
                    String text = randomText(random, 40);
                    assertThat(found(ac, text, false))
                            .as("patterns %s in %s", patterns, text)
                            .isEqualTo(reference(patterns, text));
                    assertThat(ac.containsAny(text))
                            .as("containsAny %s in %s", patterns, text)
                            .isEqualTo(!reference(patterns, text).isEmpty());
                    String lower = EvalContext.lowerText(text);
                    assertThat(found(ac, text, true))
                            .as("patterns %s in lower-cased %s", patterns, text)
                            .isEqualTo(reference(patterns, lower));
                }
            }
        }
    }

    @Test
    void shortCellsHoldTheLargestStateNumber() {
        // One pattern of 32,767 characters: 32,768 states, the last one numbered 32,767 and reporting (cell -32,768).
        Random random = new Random(32768L);
        StringBuilder pattern = new StringBuilder();
        for (int i = 0; i < AhoCorasick.MAX_SHORT_STATES - 1; i++) {
            pattern.append(random.nextBoolean() ? 'a' : 'b');
        }
        AhoCorasick.Builder b = AhoCorasick.builder();
        int id = b.add(pattern.toString());
        AhoCorasick ac = b.build(Integer.MAX_VALUE);
        assertThat(ac.isCompact()).isTrue();
        assertThat(ac.denseRows()).isEqualTo(ac.stateCount());
        assertThat(found(ac, "x" + pattern + "x", false)).containsExactly(id);
        assertThat(ac.containsAny(pattern.substring(1))).isFalse();
        b.add("c");
        assertThat(b.build(Integer.MAX_VALUE).isCompact()).as("one state more").isFalse();
    }

    @Test
    void deepStatesOfALargeAutomatonStepWithoutTableRows() {
        // 3,000 random hex "hashes": tens of thousands of states, of which the default table budget covers the first.
        Random random = new Random(3000L);
        AhoCorasick.Builder b = AhoCorasick.builder();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            StringBuilder h = new StringBuilder();
            for (int k = 0; k < 32; k++) {
                h.append(Character.forDigit(random.nextInt(16), 16));
            }
            hashes.add(h.toString());
            b.add(h.toString());
        }
        AhoCorasick ac = b.build();
        assertThat(ac.denseRows()).isGreaterThan(1).isLessThan(ac.stateCount() / 10);
        assertThat(ac.isCompact()).isTrue();
        String text = "MD5=" + hashes.get(1234).toUpperCase(Locale.ROOT) + ",SHA256=" + hashes.get(7) + "ab";
        assertThat(found(ac, text, true)).containsExactly(7, 1234);
        assertThat(found(ac, text, false)).containsExactly(7);
        assertThat(ac.containsAny(hashes.get(99).substring(1))).isFalse();
    }

    @Test
    void lowerCasedScanOfAsciiFoldsOnlyAToZ() {
        AhoCorasick.Builder b = AhoCorasick.builder();
        int rundll = b.add("\\rundll32.exe");
        int bracket = b.add("[x]");
        AhoCorasick ac = b.build();
        assertThat(found(ac, "C:\\Windows\\System32\\RUNDLL32.EXE", true)).containsExactly(rundll);
        assertThat(found(ac, "C:\\Windows\\System32\\RUNDLL32.EXE", false)).isEmpty();
        // '[' and '{' are 0x20 away from other characters: only letters fold.
        assertThat(found(ac, "{X}", true)).isEmpty();
        assertThat(found(ac, "[X]", true)).containsExactly(bracket);
    }

    @Test
    void lowerCasedScanRestartsOnTheLowerCasedCopyAtTheFirstNonAsciiCharacter() {
        AhoCorasick.Builder b = AhoCorasick.builder();
        int kill = b.add("kill");
        int rundll = b.add("rundll32");
        AhoCorasick ac = b.build();
        // Found before the non-ASCII character (by the first pass) and after it (by the second).
        assertThat(found(ac, "RUNDLL32 \u00e9 Kill", true)).containsExactly(kill, rundll);
        // The Kelvin sign lower-cases to an ASCII 'k': only the lower-cased copy holds "kill".
        assertThat(found(ac, "\u212aILL", true)).containsExactly(kill);
        assertThat(found(ac, "\u212aILL", false)).isEmpty();
    }

    private static TreeSet<Integer> found(AhoCorasick ac, String text, boolean lowerCased) {
        TreeSet<Integer> ids = new TreeSet<>();
        if (lowerCased) {
            ac.forEachMatchLowerCased(text, ids::add);
        } else {
            ac.forEachMatch(text, ids::add);
        }
        return ids;
    }

    /** Ids as the builder assigns them: insertion order, a repeated pattern keeping its first id. */
    private static TreeSet<Integer> reference(List<String> patterns, String text) {
        List<String> distinct = new ArrayList<>();
        TreeSet<Integer> ids = new TreeSet<>();
        for (String p : patterns) {
            if (!distinct.contains(p)) {
                distinct.add(p);
                if (text.contains(p)) {
                    ids.add(distinct.size() - 1);
                }
            }
        }
        return ids;
    }

    private static List<String> randomPatterns(Random random) {
        int count = 1 + random.nextInt(12);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String p = randomText(random, 5);
            if (!p.isEmpty()) {
                // Most literals of the candidate index are lower case: lower some of them.
                out.add(random.nextBoolean() ? p.toLowerCase(Locale.ROOT) : p);
            }
        }
        if (out.isEmpty()) {
            out.add("a");
        }
        return out;
    }

    private static String randomText(Random random, int maxLength) {
        int n = random.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
