package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pre-filter must never reject a text that RE2J finds a match in. Checked on seeded random regexes of the grammar
 * it understands (and some it does not), on the two SigmaHQ regexes that motivated it, and on texts built to be near
 * misses; the examples show it also rejects what it should.
 */
class RegexPrefilterTest {
    private static final String HASH_PAIR = "\\s[a-fA-F0-9]{64}\\s[a-fA-F0-9]{16}";
    private static final String SHORT_NAME = "\\\\[a-zA-Z0-9]{1,32}\\.[a-zA-Z0-9]{1,6}\\.[ \"']{1}";
    private static final String TEXT_CHARS = "abcAB01 .\\\"'\t-_\u00e9\u212a";

    @Test
    void theSigmaHqRegexesGetFiltersThatRejectOrdinaryCommandLines() {
        RegexPrefilter hashes = RegexPrefilter.of(HASH_PAIR, false);
        assertThat(hashes).isNotNull();
        assertThat(hashes.minLength()).isEqualTo(82);
        assertThat(hashes.mayMatch("\"C:\\Windows\\system32\\cmd.exe\" /c whoami /all && echo done"
                        + " 0123456789abcdef0123456789abcdef"))
                .isFalse();
        String match = " " + "a".repeat(64) + " " + "B".repeat(16);
        assertThat(hashes.mayMatch("x" + match + "y")).isTrue();
        assertThat(hashes.mayMatch(" " + "a".repeat(63) + " " + "B".repeat(16))).isFalse();

        RegexPrefilter names = RegexPrefilter.of(SHORT_NAME, false);
        assertThat(names).isNotNull();
        assertThat(names.mayMatch("C:\\Windows\\System32\\rundll32.exe shell32.dll,Control_RunDLL"))
                .isFalse();
        assertThat(names.mayMatch("C:\\Users\\x\\doc.pdf.\" /q")).isTrue();
    }

    @Test
    void givesNoFilterForWhatItDoesNotUnderstand() {
        assertThat(RegexPrefilter.of("abc|def", false)).isNull();
        assertThat(RegexPrefilter.of("a(?i)bc", false)).isNull();
        assertThat(RegexPrefilter.of("\\x41bc", false)).isNull();
        assertThat(RegexPrefilter.of("[[:alpha:]]x", false)).isNull();
        assertThat(RegexPrefilter.of("[\\t-x]", false)).isNull();
        assertThat(RegexPrefilter.of("a*", false)).isNull(); // matches the empty string: rejects nothing
    }

    @Test
    void neverRejectsATextTheRegexMatches() {
        Random random = new Random(0x5EED_2026L);
        int regexes = 0;
        int matches = 0;
        int rejected = 0;
        for (int r = 0; r < 3000; r++) {
            String regex = randomRegex(random);
            boolean ci = random.nextInt(4) == 0;
            Pattern pattern;
            try {
                pattern = Pattern.compile(regex, ci ? Pattern.CASE_INSENSITIVE : 0);
            } catch (RuntimeException e) {
                continue; // the generator can produce what RE2J rejects ({3,1}); those never reach the filter
            }
            RegexPrefilter filter = RegexPrefilter.of(regex, ci);
            if (filter == null) {
                continue;
            }
            regexes++;
            for (int t = 0; t < 200; t++) {
                String text = randomText(random, 1 + random.nextInt(30));
                boolean found = pattern.matcher(text).find();
                boolean may = filter.mayMatch(text);
                assertThat(filter.mayMatch(text, false))
                        .as("/%s/%s on \"%s\": passing over idle text changed the answer", regex, ci ? "i" : "", text)
                        .isEqualTo(may);
                if (found) {
                    matches++;
                    assertThat(may)
                            .as("/%s/%s rejected \"%s\", which it matches", regex, ci ? "i" : "", text)
                            .isTrue();
                } else if (!may) {
                    rejected++;
                }
            }
        }
        // The test means something only if it saw many filters, many matching texts and many rejections.
        assertThat(regexes).isGreaterThan(1000);
        assertThat(matches).isGreaterThan(20_000);
        assertThat(rejected).isGreaterThan(20_000);
    }

    @Test
    void hashPairFilterNeverRejectsNearMisses() {
        Pattern pattern = Pattern.compile(HASH_PAIR);
        RegexPrefilter filter = RegexPrefilter.of(HASH_PAIR, false);
        Random random = new Random(64_16L);
        int matches = 0;
        for (int t = 0; t < 20_000; t++) {
            StringBuilder sb = new StringBuilder();
            sb.append(randomText(random, random.nextInt(4)));
            sb.append(random.nextBoolean() ? ' ' : '\t');
            appendHex(sb, random, 60 + random.nextInt(8));
            sb.append(random.nextInt(5) == 0 ? 'g' : ' ');
            appendHex(sb, random, 14 + random.nextInt(4));
            sb.append(randomText(random, random.nextInt(4)));
            String text = sb.toString();
            if (pattern.matcher(text).find()) {
                matches++;
                assertThat(filter.mayMatch(text)).as(text).isTrue();
            }
        }
        assertThat(matches).isGreaterThan(1000);
    }

    private static void appendHex(StringBuilder sb, Random random, int count) {
        for (int i = 0; i < count; i++) {
            sb.append("0123456789abcdefABCDEF".charAt(random.nextInt(22)));
        }
    }

    private static String randomText(Random random, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(TEXT_CHARS.charAt(random.nextInt(TEXT_CHARS.length())));
        }
        return sb.toString();
    }

    private static final String[] ATOMS = {
        "a",
        "b",
        "A",
        "0",
        " ",
        "\\.",
        "\\\\",
        "\"",
        "'",
        ".",
        "\\s",
        "\\S",
        "\\d",
        "\\w",
        "\\W",
        "[a-c]",
        "[^a]",
        "[ \"']",
        "[a-fA-F0-9]",
        "[\\w.]",
        "[-_]",
        "(a|b)",
        "(?:ab)+",
        "^",
        "$",
        "\\b",
        "\u00e9",
        "k"
    };
    private static final String[] QUANTIFIERS = {
        "", "", "", "?", "*", "+", "{2}", "{1,3}", "{2,}", "{0,2}", "+?", "{70}"
    };

    private static String randomRegex(Random random) {
        StringBuilder sb = new StringBuilder();
        int items = 1 + random.nextInt(5);
        for (int i = 0; i < items; i++) {
            String atom = ATOMS[random.nextInt(ATOMS.length)];
            sb.append(atom);
            if (!atom.equals("^") && !atom.equals("$") && !atom.equals("\\b")) {
                sb.append(QUANTIFIERS[random.nextInt(QUANTIFIERS.length)]);
            }
        }
        return sb.toString();
    }
}
