package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The string predicates that replace a general mechanism by a faster one, each against the general one on seeded
 * random inputs: the length-only regex against RE2J, the prefix and suffix sets against {@link String#startsWith} and
 * {@link String#endsWith}.
 */
class StringPredicateFastPathTest {
    // Line breaks, a surrogate pair (one code point, two chars) and a lone surrogate (one code point, one char).
    private static final String TEXT_CHARS = "ab \n\r\t\u00e9\ud83d\ude00\udc00";

    @Test
    void lengthOnlyRegexesGetTheLengthTestAndAgreeWithRe2j() {
        Random random = new Random(0x1E57_2026L);
        int matched = 0;
        for (int r = 0; r < 300; r++) {
            int n = 1 + random.nextInt(12);
            String regex = switch (random.nextInt(3)) {
                case 0 -> ".{" + n + "}";
                case 1 -> ".{" + n + ",}";
                default -> ".{" + n + "," + (n + random.nextInt(5)) + "}";
            };
            int flags = random.nextBoolean() ? Pattern.DOTALL : 0;
            Pattern pattern = Pattern.compile(regex, flags);
            StringPredicate fast = StringPredicate.regex(pattern, null, false);
            assertThat(fast).as(regex).isInstanceOf(StringPredicate.LineLength.class);
            for (int t = 0; t < 40; t++) {
                String text = randomText(random, 30);
                boolean expected = pattern.matcher(text).find();
                assertThat(fast.test(text))
                        .as("/%s/ flags %d on %s", regex, flags, text.replace("\n", "\\n"))
                        .isEqualTo(expected);
                matched += expected ? 1 : 0;
            }
        }
        assertThat(matched).as("both outcomes occur").isBetween(1000, 11000);
    }

    @Test
    void otherRegexesKeepRe2j() {
        assertThat(StringPredicate.LineLength.of(Pattern.compile("^.{3,}"))).isNull();
        assertThat(StringPredicate.LineLength.of(Pattern.compile(".{3,}x"))).isNull();
        assertThat(StringPredicate.LineLength.of(Pattern.compile("(?s).{3}"))).isNull();
        assertThat(StringPredicate.LineLength.of(Pattern.compile(".{0,4}"))).isNull();
        assertThat(StringPredicate.LineLength.of(Pattern.compile(".{1000,}")))
                .isEqualTo(new StringPredicate.LineLength(1000, false));
    }

    @Test
    void affixSetsAgreeWithStartsWithAndEndsWith() {
        Random random = new Random(0xAFF1_2026L);
        int matched = 0;
        for (int r = 0; r < 300; r++) {
            List<String> affixes = new ArrayList<>();
            Map<Integer, Set<String>> byLength = new HashMap<>();
            for (int i = 1 + random.nextInt(30); i > 0; i--) {
                String a = randomText(random, 6);
                if (!a.isEmpty()) {
                    affixes.add(a);
                    byLength.computeIfAbsent(a.length(), k -> new HashSet<>()).add(a);
                }
            }
            for (boolean prefix : new boolean[] {true, false}) {
                StringPredicate.AffixSet set = new StringPredicate.AffixSet(byLength, prefix);
                for (int t = 0; t < 40; t++) {
                    // Texts built from an affix now and then, so that hits are not rare.
                    String text = randomText(random, 8);
                    if (!affixes.isEmpty() && random.nextBoolean()) {
                        String a = affixes.get(random.nextInt(affixes.size()));
                        text = prefix ? a + text : text + a;
                    }
                    String x = text;
                    boolean expected = affixes.stream().anyMatch(a -> prefix ? x.startsWith(a) : x.endsWith(a));
                    assertThat(set.test(text))
                            .as("%s %s of %s", affixes, prefix ? "prefix" : "suffix", text)
                            .isEqualTo(expected);
                    matched += expected ? 1 : 0;
                }
            }
        }
        assertThat(matched).as("both outcomes occur").isBetween(2000, 22000);
    }

    private static String randomText(Random random, int maxLength) {
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            sb.append(TEXT_CHARS.charAt(random.nextInt(TEXT_CHARS.length())));
        }
        return sb.toString();
    }
}
