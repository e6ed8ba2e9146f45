package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The skip scanner against the Aho-Corasick automaton it stands in for, on seeded random literals and texts over a
 * small alphabet (so that literals occur, overlap and nearly occur), mixing upper-case ASCII, which both fold, and
 * non-ASCII characters, which send the scanner to the automaton or never match.
 */
class SkipScannerTest {
    private static final String LITERAL_CHARS = "ab:.\\\u00e9";
    private static final String TEXT_CHARS = "abAB:.\\ \u00e9\u00c9\u0130";

    @Test
    void reportsExactlyWhatTheAutomatonReports() {
        Random random = new Random(0x5C4A_2026L);
        int scanners = 0;
        int hits = 0;
        for (int round = 0; round < 500; round++) {
            List<String> literals = new ArrayList<>();
            AhoCorasick.Builder b = AhoCorasick.builder();
            int minLength = 1 + random.nextInt(6);
            for (int i = 1 + random.nextInt(12); i > 0; i--) {
                String l = randomText(random, LITERAL_CHARS, minLength, minLength + 4);
                if (b.add(l) == literals.size()) {
                    literals.add(l);
                }
            }
            AhoCorasick ac = b.build();
            SkipScanner scanner = SkipScanner.of(literals, ac);
            if (scanner == null) {
                List<String> ascii = literals.stream()
                        .filter(l -> l.chars().allMatch(c -> c < 0x80))
                        .toList();
                assertThat(ascii.isEmpty() || ascii.stream().anyMatch(l -> l.length() < 3))
                        .as("no scanner only when an ASCII literal is shorter than 3 or none is ASCII: %s", literals)
                        .isTrue();
                continue;
            }
            scanners++;
            for (int t = 0; t < 40; t++) {
                String text =
                        randomText(random, random.nextInt(4) == 0 ? TEXT_CHARS : TEXT_CHARS.substring(0, 7), 0, 30);
                if (random.nextBoolean()) {
                    // Plant a literal, in upper case now and then, so that most texts hold one.
                    String l = literals.get(random.nextInt(literals.size()));
                    int at = random.nextInt(text.length() + 1);
                    text = text.substring(0, at)
                            + (random.nextBoolean() ? l.toUpperCase(java.util.Locale.ROOT) : l)
                            + text.substring(at);
                }
                TreeSet<Integer> expected = new TreeSet<>();
                ac.forEachMatchLowerCased(text, expected::add);
                TreeSet<Integer> actual = new TreeSet<>();
                scanner.forEachMatchLowerCased(text, actual::add);
                assertThat(actual).as("%s in %s", literals, text).isEqualTo(expected);
                hits += expected.isEmpty() ? 0 : 1;
            }
        }
        assertThat(scanners).isGreaterThan(200);
        assertThat(hits).isGreaterThan(scanners * 10);
    }

    @Test
    void needsLiteralsOfThreeCharactersOrMore() {
        AhoCorasick.Builder b = AhoCorasick.builder();
        b.add("ab");
        b.add("sekurlsa::");
        assertThat(SkipScanner.of(List.of("ab", "sekurlsa::"), b.build())).isNull();
    }

    private static String randomText(Random random, String chars, int minLength, int maxLength) {
        StringBuilder sb = new StringBuilder();
        int length = minLength + random.nextInt(maxLength - minLength + 1);
        for (int i = 0; i < length; i++) {
            sb.append(chars.charAt(random.nextInt(chars.length())));
        }
        return sb.toString();
    }
}
