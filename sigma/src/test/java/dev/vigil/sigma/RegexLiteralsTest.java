package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RegexLiteralsTest {
    @Test
    void takesTheLongestTopLevelRun() {
        assertThat(RegexLiterals.of("\\\\powershell\\.exe$", false)).containsExactly("\\powershell.exe");
        assertThat(RegexLiterals.of("^C:\\\\Users\\\\[^\\\\]+\\\\AppData\\\\Local", false))
                .containsExactly("\\AppData\\Local");
        assertThat(RegexLiterals.of("abc(?:x|y)defgh", false)).containsExactly("defgh");
    }

    @Test
    void dropsQuantifiedCharacters() {
        assertThat(RegexLiterals.of("abcde?", false)).containsExactly("abcd");
        assertThat(RegexLiterals.of("abcd*x", false)).containsExactly("abc");
        assertThat(RegexLiterals.of("abcd{2,3}", false)).containsExactly("abc");
        assertThat(RegexLiterals.of("abcd+", false)).containsExactly("abc");
    }

    @Test
    void oneLiteralPerTopLevelAlternative() {
        assertThat(RegexLiterals.of("foo\\.exe|barbaz", false)).containsExactly("foo.exe", "barbaz");
        assertThat(RegexLiterals.of("foo\\.exe|b", false)).isNull();
        assertThat(RegexLiterals.of("foo|", false)).isNull();
    }

    @Test
    void caseInsensitiveRegexesGiveLowerCaseLiteralsWithoutFoldingTraps() {
        assertThat(RegexLiterals.of("(?i)echo.*clip.*&&", false)).containsExactly("echo");
        assertThat(RegexLiterals.of("EcHo.*CLIP", true)).containsExactly("echo");
        // k and s also fold to non-ASCII letters (Kelvin sign, long s): runs are cut there.
        assertThat(RegexLiterals.of("(?i)powershell", false)).containsExactly("power");
        assertThat(RegexLiterals.of("(?i)desk", false)).isNull();
    }

    @Test
    void caseInsensitivePreCheckNeverHidesAMatch() throws Exception {
        String[] req = RegexLiterals.of("(?i)invoke-webrequest", false);
        StringPredicate p = StringPredicate.regex(com.google.re2j.Pattern.compile("(?i)invoke-webrequest"), req, true);
        assertThat(p.test("powershell INVOKE-WEBREQUEST http://x")).isTrue();
        assertThat(p.test("powershell iwr http://x")).isFalse();
        // The long s folds to s in RE2: the literal stops before any s, so the pre-check lets RE2 decide.
        com.google.re2j.Pattern longS = com.google.re2j.Pattern.compile("(?i)invoke-webrequest");
        assertThat(longS.matcher("invoke-webreque\u017Ft").find()).isEqualTo(p.test("invoke-webreque\u017Ft"));
    }

    @Test
    void givesNothingForWhatItDoesNotUnderstand() {
        assertThat(RegexLiterals.of("a(?i)powershell", false)).isNull();
        assertThat(RegexLiterals.of("\\x41bcdef", false)).isNull();
        assertThat(RegexLiterals.of("\\Qa.b\\Ecdef", false)).isNull();
        assertThat(RegexLiterals.of("(abc", false)).isNull();
        assertThat(RegexLiterals.of("[a-z]+\\d{2}", false)).isNull();
        assertThat(RegexLiterals.of("caf\u00e9s", false)).isNull();
        assertThat(RegexLiterals.of("(?P<x>abc)", false)).isNull();
    }

    @Test
    void groupsAndClassesAreSkipped() {
        assertThat(RegexLiterals.of("(abc)?xyz", false)).containsExactly("xyz");
        assertThat(RegexLiterals.of("[)(|]longer", false)).containsExactly("longer");
        assertThat(RegexLiterals.of("[]a]word[[:alpha:]]", false)).containsExactly("word");
        assertThat(RegexLiterals.of("a{,}bcd", false)).containsExactly("bcd");
    }

    /** Whenever the regex finds a match, the text holds one of the literals. */
    @Test
    void literalsAreNecessaryOnRandomText() {
        List<String> regexes = List.of(
                "abc(d|e)?f+gh",
                "ab?cde|x[yz]{2}wvu",
                "a.bcd\\.e*",
                "(?:ab|cd)efg(h)*",
                "^ab\\|cde$",
                "abcd{2}ef",
                "xyz\\d+yz?w",
                "[^a]bcd|e+fgh");
        String alphabet = "abcdefghuvxyzw.|0123";
        Random random = new Random(42);
        for (String re : regexes) {
            String[] lits = RegexLiterals.of(re, false);
            assertThat(lits).as(re).isNotNull();
            Pattern p = Pattern.compile(re);
            for (int n = 0; n < 200_000; n++) {
                StringBuilder sb = new StringBuilder();
                int len = random.nextInt(12);
                for (int i = 0; i < len; i++) {
                    sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String text = sb.toString();
                if (p.matcher(text).find()) {
                    boolean found = false;
                    for (String l : lits) {
                        found |= text.contains(l);
                    }
                    assertThat(found).as("%s on %s", re, text).isTrue();
                }
            }
        }
    }
}
