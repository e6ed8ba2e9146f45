package dev.vigil.sigma;

import static dev.vigil.sigma.RuleTesting.compile;
import static dev.vigil.sigma.RuleTesting.error;
import static dev.vigil.sigma.RuleTesting.event;
import static dev.vigil.sigma.RuleTesting.matches;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One test group per value modifier of Sigma v2.1, each with matching and non-matching values. */
class ModifierTest {
    private static final String CMD = "C:\\Windows\\System32\\cmd.exe";

    @Nested
    class PlainValues {
        @Test
        void equalityIsCaseInsensitiveAndWhole() {
            assertThat(matches("sel:\n  Image: 'c:\\windows\\system32\\CMD.EXE'\ncondition: sel", "Image", CMD))
                    .isTrue();
            assertThat(matches("sel:\n  Image: 'cmd.exe'\ncondition: sel", "Image", CMD))
                    .isFalse();
        }

        @Test
        void listsAreAlternatives() {
            String d = "sel:\n  EventID:\n    - 4624\n    - 4625\ncondition: sel";
            assertThat(matches(d, "EventID", 4625L)).isTrue();
            assertThat(matches(d, "EventID", "4624")).isTrue();
            assertThat(matches(d, "EventID", 4634L)).isFalse();
        }

        @Test
        void mapsAreConjunctions() {
            String d = "sel:\n  A: x\n  B: y\ncondition: sel";
            assertThat(matches(d, "A", "x", "B", "y")).isTrue();
            assertThat(matches(d, "A", "x", "B", "z")).isFalse();
            assertThat(matches(d, "A", "x")).isFalse();
        }

        @Test
        void multiValuedFieldsMatchAnyElement() {
            assertThat(matches("sel:\n  Tags: beta\ncondition: sel", "Tags", List.of("alpha", "BETA")))
                    .isTrue();
            assertThat(matches("sel:\n  Tags: gamma\ncondition: sel", "Tags", List.of("alpha", "beta")))
                    .isFalse();
        }

        @Test
        void nullMatchesMissingOrNullButNotEmpty() {
            String d = "sel:\n  F: null\ncondition: sel";
            assertThat(matches(d, "G", "x")).isTrue();
            assertThat(matches(d, "F", null)).isTrue();
            assertThat(matches(d, "F", "")).isFalse();
            assertThat(matches(d, "F", "v")).isFalse();
        }

        @Test
        void nullInAValueListIsRejectedNotReadAsText() {
            // The specification's own invalid example: null is its own type and cannot be one of a list's values.
            assertThat(error("sel:\n  FieldB: ['', null]\ncondition: sel").message())
                    .contains("field 'FieldB': null cannot be part of a value list");
            assertThat(error("keywords:\n  - foo\n  - null\ncondition: keywords")
                            .message())
                    .contains("keywords: null cannot be part of a value list");
            // A list of null alone is null.
            assertThat(matches("sel:\n  F:\n    - null\ncondition: sel", "F", "null"))
                    .isFalse();
            assertThat(matches("sel:\n  F:\n    - null\ncondition: sel", "G", "x"))
                    .isTrue();
        }

        @Test
        void decimalsAreTheTextTheyWereWrittenAs() {
            // Values are compared as text: an unquoted 10.0 is "10.0", not the number 10 written back as "10".
            assertThat(matches("sel:\n  V: 10.0\ncondition: sel", "V", "10.0")).isTrue();
            assertThat(matches("sel:\n  V: 10.0\ncondition: sel", "V", "10")).isFalse();
            assertThat(matches("sel:\n  V|contains: 1.10\ncondition: sel", "V", "v1.12"))
                    .isFalse();
            assertThat(matches("sel:\n  V|contains: 1.10\ncondition: sel", "V", "v1.10.3"))
                    .isTrue();
            assertThat(matches("keywords:\n  - 0.0001\ncondition: keywords", "V", "rate 0.0001"))
                    .isTrue();
            // ... and numbers where a number is meant.
            assertThat(matches("sel:\n  V|gt: 2.5\ncondition: sel", "V", 3L)).isTrue();
            assertThat(matches("sel:\n  V|gt: 2.5\ncondition: sel", "V", "2.25"))
                    .isFalse();
        }

        @Test
        void emptyMatchesOnlyEmpty() {
            String d = "sel:\n  F: ''\ncondition: sel";
            assertThat(matches(d, "F", "")).isTrue();
            assertThat(matches(d, "F", "x")).isFalse();
            assertThat(matches(d, "G", "")).isFalse();
        }

        @Test
        void booleansCompareAsText() {
            assertThat(matches("sel:\n  Initiated: true\ncondition: sel", "Initiated", "true"))
                    .isTrue();
            assertThat(matches("sel:\n  Initiated: true\ncondition: sel", "Initiated", Boolean.TRUE))
                    .isTrue();
            assertThat(matches("sel:\n  Initiated: true\ncondition: sel", "Initiated", "false"))
                    .isFalse();
        }

        @Test
        void hexLookingValuesStayText() {
            assertThat(matches("sel:\n  GrantedAccess: 0x1410\ncondition: sel", "GrantedAccess", "0x1410"))
                    .isTrue();
        }
    }

    @Nested
    class Wildcards {
        @Test
        void starAndQuestionMark() {
            assertThat(matches("sel:\n  F: 'prog?.exe'\ncondition: sel", "F", "progA.exe"))
                    .isTrue();
            assertThat(matches("sel:\n  F: 'prog?.exe'\ncondition: sel", "F", "progAB.exe"))
                    .isFalse();
            assertThat(matches("sel:\n  F: 'anti*_v*.exe'\ncondition: sel", "F", "antivirus_V21.2.exe"))
                    .isTrue();
            assertThat(matches("sel:\n  F: 'a*b*c'\ncondition: sel", "F", "aXbYbZc"))
                    .isTrue();
            assertThat(matches("sel:\n  F: 'a*b*c'\ncondition: sel", "F", "aXcYb"))
                    .isFalse();
        }

        @Test
        void escapes() {
            // \* is a literal star
            assertThat(matches("sel:\n  F: 'a\\*b'\ncondition: sel", "F", "a*b"))
                    .isTrue();
            assertThat(matches("sel:\n  F: 'a\\*b'\ncondition: sel", "F", "aXb"))
                    .isFalse();
            // \\* is a backslash followed by a wildcard
            assertThat(matches("sel:\n  F: 'a\\\\*'\ncondition: sel", "F", "a\\anything"))
                    .isTrue();
            // \\\* is a backslash and a literal star
            assertThat(matches("sel:\n  F: 'a\\\\\\*'\ncondition: sel", "F", "a\\*"))
                    .isTrue();
            assertThat(matches("sel:\n  F: 'a\\\\\\*'\ncondition: sel", "F", "a\\x"))
                    .isFalse();
            // a plain backslash stays one
            assertThat(matches("sel:\n  F: 'C:\\Windows\\x.exe'\ncondition: sel", "F", "c:\\windows\\x.exe"))
                    .isTrue();
            // \? is a literal question mark
            assertThat(matches("sel:\n  F: 'what\\?'\ncondition: sel", "F", "what?"))
                    .isTrue();
            assertThat(matches("sel:\n  F: 'what\\?'\ncondition: sel", "F", "whatX"))
                    .isFalse();
        }
    }

    @Nested
    class StringModifiers {
        @Test
        void containsStartsWithEndsWith() {
            assertThat(matches("sel:\n  F|contains: 'SYSTEM32'\ncondition: sel", "F", CMD))
                    .isTrue();
            assertThat(matches("sel:\n  F|startswith: 'c:\\windows'\ncondition: sel", "F", CMD))
                    .isTrue();
            assertThat(matches("sel:\n  F|startswith: 'system32'\ncondition: sel", "F", CMD))
                    .isFalse();
            assertThat(matches("sel:\n  F|endswith: '\\cmd.exe'\ncondition: sel", "F", CMD))
                    .isTrue();
            assertThat(matches("sel:\n  F|endswith: '\\cmd'\ncondition: sel", "F", CMD))
                    .isFalse();
        }

        @Test
        void allRequiresEveryValue() {
            String d = "sel:\n  F|contains|all:\n    - ' -enc '\n    - 'hidden'\ncondition: sel";
            assertThat(matches(d, "F", "powershell -w hidden -enc AAA ")).isTrue();
            assertThat(matches(d, "F", "powershell -enc AAA ")).isFalse();
        }

        @Test
        void casedIsCaseSensitive() {
            String d = "sel:\n  F|cased|contains: 'Mimikatz'\ncondition: sel";
            assertThat(matches(d, "F", "run Mimikatz now")).isTrue();
            assertThat(matches(d, "F", "run mimikatz now")).isFalse();
        }

        @Test
        void windashCoversEveryDashVariant() {
            String d = "sel:\n  CommandLine|contains|windash: ' -exec bypass'\ncondition: sel";
            for (String dash : List.of("-", "/", "\u2013", "\u2014", "\u2015")) {
                assertThat(matches(d, "CommandLine", "powershell " + dash + "exec bypass"))
                        .as(dash)
                        .isTrue();
            }
            assertThat(matches(d, "CommandLine", "powershell +exec bypass")).isFalse();
            // a dash inside a word is not a flag and is not varied
            assertThat(matches("sel:\n  C|windash: 'a-b'\ncondition: sel", "C", "a/b"))
                    .isFalse();
        }

        @Test
        void regexIsCaseSensitiveByDefaultWithFlags() {
            assertThat(matches("sel:\n  F|re: 'Invoke-[A-Z]\\w+'\ncondition: sel", "F", "x Invoke-Mimikatz"))
                    .isTrue();
            assertThat(matches("sel:\n  F|re: 'Invoke-[A-Z]\\w+'\ncondition: sel", "F", "x invoke-mimikatz"))
                    .isFalse();
            assertThat(matches("sel:\n  F|re|i: 'invoke-mimi'\ncondition: sel", "F", "x INVOKE-MIMIKATZ"))
                    .isTrue();
            assertThat(matches("sel:\n  F|re|m: '^second$'\ncondition: sel", "F", "first\nsecond\nthird"))
                    .isTrue();
            assertThat(matches("sel:\n  F|re: '^second$'\ncondition: sel", "F", "first\nsecond\nthird"))
                    .isFalse();
            assertThat(matches("sel:\n  F|re|s: 'a.b'\ncondition: sel", "F", "a\nb"))
                    .isTrue();
            assertThat(matches("sel:\n  F|re: 'a.b'\ncondition: sel", "F", "a\nb"))
                    .isFalse();
        }

        @Test
        void regexAllLetsEachRegexMatchADifferentElement() {
            // 'all' is "field matches r1 AND field matches r2"; on a multi-valued field each may match another element,
            // as for plain values (found by RandomizedMatcherTest).
            String d = "sel:\n  F|re|all:\n    - '^a'\n    - '^b'\ncondition: sel";
            assertThat(matches(d, "F", List.of("ax", "bx"))).isTrue();
            assertThat(matches(d, "F", List.of("ax", "cx"))).isFalse();
            assertThat(matches(d, "F", "ab")).isFalse();
            assertThat(matches("sel:\n  F|contains|all:\n    - 'a'\n    - 'b'\ncondition: sel", "F", List.of("a", "b")))
                    .isTrue();
        }

        @Test
        void regexIsLinearTimeOnHostileInput() {
            // (a+)+$ backtracks exponentially on a backtracking engine; RE2J answers at once.
            String d = "sel:\n  F|re: '^(a+)+$'\ncondition: sel";
            assertThat(matches(d, "F", "a".repeat(50_000) + "!")).isFalse();
        }

        @Test
        void regexThatRe2jCannotRunIsReported() {
            assertThat(error("sel:\n  F|re: '(?<=x)y'\ncondition: sel").message())
                    .contains("field 'F'")
                    .contains("RE2J");
            assertThat(error("sel:\n  F|re: '(a)\\1'\ncondition: sel").message())
                    .contains("RE2J");
        }
    }

    @Nested
    class Encodings {
        private String b64(byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }

        @Test
        void base64() {
            String encoded = b64("http://evil".getBytes(StandardCharsets.UTF_8));
            assertThat(matches("sel:\n  F|base64: 'http://evil'\ncondition: sel", "F", encoded))
                    .isTrue();
            assertThat(matches("sel:\n  F|base64|contains: 'http://evil'\ncondition: sel", "F", "x " + encoded))
                    .isTrue();
            // Plain base64 only finds the value at a 3-byte boundary with its padding: base64offset exists for that.
            assertThat(matches("sel:\n  F|base64|contains: 'http://'\ncondition: sel", "F", encoded))
                    .isFalse();
        }

        @Test
        void base64offsetFindsTheValueAtAnyAlignment() {
            String d = "sel:\n  F|base64offset|contains: 'Invoke-Expression'\ncondition: sel";
            for (String prefix : List.of("", "a", "ab", "abc", "abcd")) {
                String payload = b64((prefix + "Invoke-Expression(x)").getBytes(StandardCharsets.UTF_8));
                assertThat(matches(d, "F", "powershell -enc " + payload))
                        .as("prefix '%s'", prefix)
                        .isTrue();
            }
            String other = b64("Invoke-Command(x)".getBytes(StandardCharsets.UTF_8));
            assertThat(matches(d, "F", other)).isFalse();
        }

        @Test
        void wideBase64offsetMatchesPowerShellEncodedCommands() {
            String d = "sel:\n  F|wide|base64offset|contains: 'IEX ('\ncondition: sel";
            for (String prefix : List.of("", "$a;", "$ab;")) {
                String payload = b64((prefix + "IEX (New-Object Net.WebClient)").getBytes(StandardCharsets.UTF_16LE));
                assertThat(matches(d, "F", "powershell -enc " + payload))
                        .as(prefix)
                        .isTrue();
            }
            String utf8 = b64("IEX (New-Object Net.WebClient)".getBytes(StandardCharsets.UTF_8));
            assertThat(matches(d, "F", utf8)).isFalse();
        }

        @Test
        void utf16VariantsDifferInByteOrderAndBom() {
            byte[] le = "cmd".getBytes(StandardCharsets.UTF_16LE);
            byte[] be = "cmd".getBytes(StandardCharsets.UTF_16BE);
            byte[] bom = new byte[le.length + 2];
            bom[0] = (byte) 0xFF;
            bom[1] = (byte) 0xFE;
            System.arraycopy(le, 0, bom, 2, le.length);
            assertThat(matches("sel:\n  F|utf16le|base64: 'cmd'\ncondition: sel", "F", b64(le)))
                    .isTrue();
            assertThat(matches("sel:\n  F|wide|base64: 'cmd'\ncondition: sel", "F", b64(le)))
                    .isTrue();
            assertThat(matches("sel:\n  F|utf16be|base64: 'cmd'\ncondition: sel", "F", b64(be)))
                    .isTrue();
            assertThat(matches("sel:\n  F|utf16|base64: 'cmd'\ncondition: sel", "F", b64(bom)))
                    .isTrue();
            assertThat(matches("sel:\n  F|utf16be|base64: 'cmd'\ncondition: sel", "F", b64(le)))
                    .isFalse();
        }

        @Test
        void encodingAWildcardIsAnError() {
            assertThat(error("sel:\n  F|base64: 'a*'\ncondition: sel").message())
                    .contains("wildcards");
        }
    }

    @Nested
    class Numbers {
        @Test
        void comparisons() {
            assertThat(matches("sel:\n  N|lt: 10\ncondition: sel", "N", 9L)).isTrue();
            assertThat(matches("sel:\n  N|lt: 10\ncondition: sel", "N", 10L)).isFalse();
            assertThat(matches("sel:\n  N|lte: 10\ncondition: sel", "N", 10L)).isTrue();
            assertThat(matches("sel:\n  N|gt: 10\ncondition: sel", "N", "11")).isTrue();
            assertThat(matches("sel:\n  N|gt: 10\ncondition: sel", "N", 10.0)).isFalse();
            assertThat(matches("sel:\n  N|gte: 10\ncondition: sel", "N", 10L)).isTrue();
            assertThat(matches("sel:\n  N|gte: 10\ncondition: sel", "N", "ten")).isFalse();
            assertThat(matches("sel:\n  N|gt: 10\ncondition: sel", "M", 99L)).isFalse();
        }

        @Test
        void javasOwnNumberFormsAreNotNumbers() {
            // Double.parseDouble reads "12d", "12f" and "Infinity"; in a log they are text.
            for (String text : new String[] {"12d", "12f", "12D", "+Infinity", "-Infinity", "1e5x"}) {
                assertThat(matches("sel:\n  N|gt: 10\ncondition: sel", "N", text))
                        .as(text)
                        .isFalse();
                assertThat(matches("sel:\n  N|lt: 10\ncondition: sel", "N", text))
                        .as(text)
                        .isFalse();
            }
            assertThat(matches("sel:\n  N|gt: 10\ncondition: sel", "N", "12.")).isTrue();
            assertThat(matches("sel:\n  N|gt: 10\ncondition: sel", "N", "1e5")).isTrue();
            assertThat(matches("sel:\n  N|gt: 10\ncondition: sel", "N", " 0x1F "))
                    .isTrue();
        }

        @Test
        void aNonNumberIsAnError() {
            assertThat(error("sel:\n  N|gt: many\ncondition: sel").message()).contains("needs a number");
        }
    }

    @Nested
    class Neq {
        @Test
        void differentFromEveryValue() {
            String d = "sel:\n  User|neq:\n    - SYSTEM\n    - 'LOCAL SERVICE'\ncondition: sel";
            assertThat(matches(d, "User", "alice")).isTrue();
            assertThat(matches(d, "User", "system")).isFalse();
            assertThat(matches(d, "User", "local service")).isFalse();
        }

        @Test
        void neqAllNegatesTheConjunction() {
            // neq|all is NOT (contains a AND contains b), as for re, cidr and numbers (found by RandomizedMatcherTest).
            String d = "sel:\n  F|neq|contains|all:\n    - 'a'\n    - 'b'\ncondition: sel";
            assertThat(matches(d, "F", "xa")).isTrue();
            assertThat(matches(d, "F", "ab")).isFalse();
            assertThat(matches(d, "F", "x")).isTrue();
            String re = "sel:\n  F|neq|re|all:\n    - 'a'\n    - 'b'\ncondition: sel";
            assertThat(matches(re, "F", "xa")).isTrue();
            assertThat(matches(re, "F", "ab")).isFalse();
        }

        @Test
        void numericNeq() {
            assertThat(matches("sel:\n  N|neq: 5\ncondition: sel", "N", 6L)).isTrue();
            assertThat(matches("sel:\n  N|neq: 5\ncondition: sel", "N", 5L)).isFalse();
        }
    }

    @Nested
    class Exists {
        @Test
        void presenceWhateverTheValue() {
            assertThat(matches("sel:\n  F|exists: true\ncondition: sel", "F", ""))
                    .isTrue();
            assertThat(matches("sel:\n  F|exists: true\ncondition: sel", "F", null))
                    .isTrue();
            assertThat(matches("sel:\n  F|exists: true\ncondition: sel", "G", "x"))
                    .isFalse();
            assertThat(matches("sel:\n  F|exists: false\ncondition: sel", "G", "x"))
                    .isTrue();
            assertThat(matches("sel:\n  F|exists: false\ncondition: sel", "F", "x"))
                    .isFalse();
        }

        @Test
        void onlyBooleans() {
            assertThat(error("sel:\n  F|exists: yes please\ncondition: sel").message())
                    .contains("true or false");
        }
    }

    @Nested
    class Time {
        @Test
        void partsOfADate() {
            String t = "2025-11-26T05:11:27.927693Z";
            assertThat(matches("sel:\n  T|minute: 11\ncondition: sel", "T", t)).isTrue();
            assertThat(matches("sel:\n  T|hour: 5\ncondition: sel", "T", t)).isTrue();
            assertThat(matches("sel:\n  T|hour: 6\ncondition: sel", "T", t)).isFalse();
            assertThat(matches("sel:\n  T|day: 26\ncondition: sel", "T", t)).isTrue();
            assertThat(matches("sel:\n  T|week: 48\ncondition: sel", "T", t)).isTrue();
            assertThat(matches("sel:\n  T|month: 11\ncondition: sel", "T", t)).isTrue();
            assertThat(matches("sel:\n  T|year: 2025\ncondition: sel", "T", t)).isTrue();
            assertThat(matches("sel:\n  T|hour: 5\ncondition: sel", "T", "2025-11-26 05:11:27.908"))
                    .isTrue();
            assertThat(matches("sel:\n  T|hour: 5\ncondition: sel", "T", "not a date"))
                    .isFalse();
        }

        @Test
        void combinedWithComparisons() {
            String offHours = "sel:\n  T|hour|gte: 22\ncondition: sel";
            assertThat(matches(offHours, "T", "2025-01-01T23:00:00Z")).isTrue();
            assertThat(matches(offHours, "T", "2025-01-01T13:00:00Z")).isFalse();
        }
    }

    @Nested
    class Cidr {
        @Test
        void ipv4AndIpv6() {
            String d = "sel:\n  Ip|cidr:\n    - 10.0.0.0/8\n    - 'fd00::/8'\ncondition: sel";
            assertThat(matches(d, "Ip", "10.1.2.3")).isTrue();
            assertThat(matches(d, "Ip", "11.1.2.3")).isFalse();
            assertThat(matches(d, "Ip", "fd12:3456::1")).isTrue();
            assertThat(matches(d, "Ip", "2001:db8::1")).isFalse();
            assertThat(matches(d, "Ip", "not-an-ip")).isFalse();
        }

        @Test
        void invalidRangeIsAnError() {
            assertThat(error("sel:\n  Ip|cidr: 10.0.0.0/99\ncondition: sel").message())
                    .contains("CIDR");
        }
    }

    @Nested
    class Expand {
        @Test
        void placeholdersExpandToTheirValues() {
            SigmaRuleSet set = compile(
                    "sel:\n  Host|expand: '%DomainControllers%'\ncondition: sel",
                    Map.of("DomainControllers", List.of("dc1", "dc2*")));
            assertThat(RuleTesting.matches(set, event("Host", "DC1"))).isTrue();
            assertThat(RuleTesting.matches(set, event("Host", "dc2.corp.local")))
                    .isTrue();
            assertThat(RuleTesting.matches(set, event("Host", "ws1"))).isFalse();
        }

        @Test
        void anEscapedPercentIsLiteral() {
            SigmaRuleSet set =
                    compile("sel:\n  F|expand: '\\%plain%name%'\ncondition: sel", Map.of("name", List.of("X")));
            assertThat(RuleTesting.matches(set, event("F", "%plainX"))).isTrue();
        }

        @Test
        void anUndefinedPlaceholderWarnsAndNeverMatches() {
            SigmaRuleSet set = SigmaRuleSet.builder()
                    .addYaml("p.yml", RuleTesting.rule("sel:\n  F|expand: '%Servers%'\ncondition: sel"))
                    .build();
            assertThat(set.report().failed()).isZero();
            assertThat(set.report().warnings())
                    .anySatisfy(w -> assertThat(w.message()).contains("%Servers%"));
            assertThat(RuleTesting.matches(set, event("F", "%Servers%"))).isFalse();
        }
    }

    @Nested
    class FieldRef {
        @Test
        void comparesTwoFieldsOfTheEvent() {
            assertThat(matches("sel:\n  A|fieldref: B\ncondition: sel", "A", "x", "B", "X"))
                    .isTrue();
            assertThat(matches("sel:\n  A|fieldref: B\ncondition: sel", "A", "x", "B", "y"))
                    .isFalse();
            assertThat(matches("sel:\n  A|fieldref|startswith: B\ncondition: sel", "A", "abc", "B", "ab"))
                    .isTrue();
            assertThat(matches("sel:\n  A|fieldref|endswith: B\ncondition: sel", "A", "abc", "B", "bc"))
                    .isTrue();
            assertThat(matches("sel:\n  A|fieldref|contains: B\ncondition: sel", "A", "abc", "B", "b"))
                    .isTrue();
            assertThat(matches("sel:\n  A|fieldref|neq: B\ncondition: sel", "A", "x", "B", "y"))
                    .isTrue();
            assertThat(matches("sel:\n  A|fieldref: B\ncondition: sel", "A", "x"))
                    .isFalse();
            // Multi-valued fields: one value of each side that compares is enough; a null value compares with none.
            assertThat(matches("sel:\n  A|fieldref: B\ncondition: sel", "A", List.of("x", "y"), "B", "Y"))
                    .isTrue();
            assertThat(matches("sel:\n  A|fieldref: B\ncondition: sel", "A", "y", "B", List.of("x", "y")))
                    .isTrue();
            assertThat(matches("sel:\n  A|fieldref: B\ncondition: sel", "A", List.of("x"), "B", List.of("z")))
                    .isFalse();
            assertThat(matches("sel:\n  A|fieldref|neq: B\ncondition: sel", "A", List.of("x", "y"), "B", "x"))
                    .isFalse();
            assertThat(matches(
                            "sel:\n  A|fieldref: B\ncondition: sel",
                            "A",
                            java.util.Arrays.asList(null, "x"),
                            "B",
                            java.util.Arrays.asList((Object) null)))
                    .isFalse();
        }
    }

    @Nested
    class Keywords {
        @Test
        void matchAnywhereInTheEvent() {
            String d = "keywords:\n  - 'event::clear'\n  - 'event::drop'\ncondition: keywords";
            assertThat(matches(d, "CommandLine", "mimikatz EVENT::Clear exit")).isTrue();
            assertThat(matches(d, "CommandLine", "mimikatz sekurlsa")).isFalse();
        }

        @Test
        void nullListElementsAreNoText() {
            // A null element of a list is not the text "null" (found by RandomizedMatcherTest).
            assertThat(matches("keywords:\n  - '*'\ncondition: keywords", "F", java.util.Arrays.asList((Object) null)))
                    .isFalse();
            assertThat(matches("keywords:\n  - 'ul'\ncondition: keywords", "F", java.util.Arrays.asList(null, "x")))
                    .isFalse();
            assertThat(matches("keywords:\n  - 'ul'\ncondition: not keywords", "F", java.util.Arrays.asList(null, "x")))
                    .isTrue();
            assertThat(matches("keywords:\n  - 'x'\ncondition: keywords", "F", java.util.Arrays.asList(null, "x")))
                    .isTrue();
        }

        @Test
        void keywordsInIntegersAndBooleans() {
            // Integers and booleans are scanned only when some keyword could occur in their text.
            assertThat(matches("keywords:\n  - '4624'\ncondition: keywords", "EventID", 4624L))
                    .isTrue();
            assertThat(matches("keywords:\n  - '-1'\n  - 'sekurlsa'\ncondition: keywords", "Code", -1L))
                    .isTrue();
            assertThat(matches("keywords:\n  - 'sekurlsa'\n  - '462'\ncondition: keywords", "EventID", 4624))
                    .isTrue();
            assertThat(matches("keywords:\n  - 'sekurlsa'\ncondition: keywords", "EventID", 4624L, "On", true))
                    .isFalse();
            assertThat(matches("keywords:\n  - 'sekurlsa'\n  - 'rue'\ncondition: keywords", "On", true))
                    .isTrue();
            assertThat(matches("keywords:\n  - 'sekurlsa'\n  - 'rue'\ncondition: keywords", "On", false))
                    .isFalse();
        }

        @Test
        void allKeywords() {
            String d = "keywords:\n  '|all':\n    - 'OabVirtualDirectory'\n    - ' -ExternalUrl '\ncondition: keywords";
            assertThat(matches(d, "Payload", "Set-OabVirtualDirectory -ExternalUrl x"))
                    .isTrue();
            assertThat(matches(d, "Payload", "Set-OabVirtualDirectory")).isFalse();
            assertThat(matches(d, "A", "OabVirtualDirectory", "B", "x -ExternalUrl y"))
                    .isTrue();
        }
    }

    @Test
    void unknownModifierIsReportedWithItsField() {
        assertThat(error("sel:\n  Image|endswitch: x\ncondition: sel").message())
                .contains("field 'Image'")
                .contains("unknown modifier 'endswitch'");
    }

    @Test
    void largeValueListsUseTheIndexedPredicate() {
        StringBuilder d = new StringBuilder("sel:\n  Hashes|contains:\n");
        for (int i = 0; i < 5000; i++) {
            d.append("    - 'MD5=").append(String.format("%032x", i * 7919L)).append("'\n");
        }
        d.append("condition: sel");
        SigmaRuleSet set = compile(d.toString());
        String hit = "SHA1=AA,MD5=" + String.format("%032X", 4999 * 7919L) + ",IMPHASH=00";
        assertThat(RuleTesting.matches(set, event("Hashes", hit))).isTrue();
        assertThat(RuleTesting.matches(set, event("Hashes", "MD5=" + "f".repeat(32))))
                .isFalse();
    }
}
