package dev.vigil.formats.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link SshdPatterns} against the regexes it replaced (the reference implementation, kept here): seeded random messages
 * built from the pieces these lines are made of, including the awkward ones (two spaces, tabs, line breaks inside a
 * frame, {@code (uid=} without digits, a second {@code from}), must match or not alike and give the same groups.
 */
class SshdPatternsTest {
    private record Case(Pattern regex, int groups, Function<String, String[]> handWritten, List<String> starts) {}

    private static final List<Case> CASES = List.of(
            new Case(
                    Pattern.compile("^(Accepted|Failed|Postponed) (\\S+) for (invalid user |illegal user )?(.*?) from"
                            + " (\\S+)(?: port (\\d+))?"),
                    6,
                    SshdPatterns::login,
                    List.of("Accepted ", "Failed ", "Postponed ", "Failed password for ", "Accepted publickey for ")),
            new Case(
                    Pattern.compile("^(?:Invalid|Illegal) user ?(.*?) from (\\S+)(?: port (\\d+))?"),
                    3,
                    SshdPatterns::invalidUser,
                    List.of("Invalid user", "Illegal user", "Invalid user ", "Illegal user  ")),
            new Case(
                    Pattern.compile("^Connection (closed|reset) by (?:(?:authenticating|invalid) user (.*?) )?(\\S+)"
                            + " port (\\d+)"),
                    4,
                    SshdPatterns::connectionClosed,
                    List.of(
                            "Connection closed by ",
                            "Connection reset by ",
                            "Connection closed by authenticating user ",
                            "Connection reset by invalid user ")),
            new Case(
                    Pattern.compile(
                            "^Disconnected from (?:(?:authenticating |invalid )?user (.*?) )?(\\S+) port" + " (\\d+)"),
                    3,
                    SshdPatterns::disconnected,
                    List.of(
                            "Disconnected from ",
                            "Disconnected from user ",
                            "Disconnected from authenticating user ",
                            "Disconnected from invalid user ",
                            "Disconnected from authenticating ")),
            new Case(
                    Pattern.compile("^Received disconnect from (\\S+?)(?: port (\\d+))?:"),
                    2,
                    SshdPatterns::receivedDisconnect,
                    List.of("Received disconnect from ")),
            new Case(
                    Pattern.compile("session (opened|closed) for user (\\S+?)(?:\\(uid=\\d+\\))?(?: by"
                            + " (\\S*?)(?:\\(uid=\\d+\\))?)?$"),
                    2,
                    SshdPatterns::session,
                    List.of(
                            "pam_unix(sshd:session): session opened for user ",
                            "pam_unix(sshd:session): session closed for user ",
                            "session opened for user ",
                            "x session closed for user ")));

    private static final List<String> PIECES = List.of(
            " ",
            " ",
            " ",
            "  ",
            "\t",
            "\n",
            "\r",
            "\r\n",
            "\u2028",
            "\u0085",
            "root",
            "admin",
            "fztu",
            "a b",
            "x",
            "from",
            " from ",
            "from ",
            " from",
            "port",
            " port ",
            " port",
            "22",
            "5",
            "0",
            ":",
            "::",
            "1.2.3.4",
            "2001:db8::1",
            "[::1]",
            "ssh2",
            "[preauth]",
            "user ",
            "invalid user ",
            "illegal user ",
            "authenticating ",
            "authenticating user ",
            "by",
            " by ",
            "(uid=0)",
            "(uid=",
            "(uid=)",
            ")",
            "(",
            "session ",
            "session opened for user ",
            "session closed for user ",
            "for ",
            " for ",
            "password",
            "publickey",
            "Accepted ",
            "é",
            "ü.example",
            "1.2.3.4 port 22",
            " 10.0.0.1 port 5",
            "::1 port 7:",
            " port 22:",
            "h port 0 ",
            "root(uid=0)",
            " by root(uid=0)",
            " by (uid=0)");

    @Test
    void handWrittenMatchersAgreeWithTheRegexes() {
        Random r = new Random(22_0_5424L);
        for (Case c : CASES) {
            int matched = 0;
            for (int k = 0; k < 40_000; k++) {
                StringBuilder b = new StringBuilder();
                if (r.nextInt(10) != 0) {
                    b.append(c.starts().get(r.nextInt(c.starts().size())));
                }
                int n = r.nextInt(12);
                for (int i = 0; i < n; i++) {
                    b.append(PIECES.get(r.nextInt(PIECES.size())));
                }
                String m = b.toString();
                Matcher x = c.regex().matcher(m);
                String[] g = c.handWritten().apply(m);
                if (!x.find()) {
                    assertThat(g).as("%s on %s", c.regex(), printable(m)).isNull();
                    continue;
                }
                matched++;
                assertThat(g).as("%s on %s", c.regex(), printable(m)).isNotNull();
                for (int i = 1; i <= c.groups(); i++) {
                    assertThat(g[i])
                            .as("group %d of %s on %s", i, c.regex(), printable(m))
                            .isEqualTo(x.group(i));
                }
            }
            // The generator must reach the matching side too, or the comparison proves little.
            assertThat(matched).as("matches of %s", c.regex()).isGreaterThan(500);
        }
    }

    @Test
    void commonLines() {
        assertThat(SshdPatterns.login("Failed password for invalid user admin from 10.0.0.1 port 22 ssh2"))
                .containsExactly(null, "Failed", "password", "invalid user ", "admin", "10.0.0.1", "22");
        assertThat(SshdPatterns.connectionClosed("Connection closed by authenticating user a b 1.2.3.4 port 5"))
                .containsExactly(null, "closed", "a b", "1.2.3.4", "5");
        assertThat(SshdPatterns.receivedDisconnect("Received disconnect from 2001:db8::1 port 22:11: bye"))
                .containsExactly(null, "2001", null);
        assertThat(SshdPatterns.session("pam_unix(sshd:session): session closed for user root by (uid=0)"))
                .containsExactly(null, "closed", "root");
    }

    private static String printable(String s) {
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }
}
