package dev.vigil.formats.syslog;

/**
 * Hand-written matchers for the most frequent sshd and PAM messages, each equivalent to a {@code java.util.regex}
 * pattern (quoted in its Javadoc) under {@code Matcher.find()}: the same lines match and every group gets the same text.
 *
 * <p>Why not the regexes: auth logs are mostly these few lines, and matching them with backtracking regexes took about
 * a sixth of the syslog reader's time. The methods below follow the patterns' own structure: where a pattern has a
 * lazy group or an optional part, the code tries the alternatives in the order the regex engine does (greedy options
 * first, lazy groups shortest first), so even odd lines (a second {@code " from "}, a user name with spaces, a line
 * break inside an octet-counted frame) resolve as before. {@code SshdPatternsTest} holds the original regexes and
 * compares both on seeded random messages. Each method returns the groups by their regex number (index 0 unused), or
 * {@code null} when the regex would not match.
 */
final class SshdPatterns {
    private SshdPatterns() {}

    /** {@code \s} of {@code java.util.regex}: {@code [ \t\n\x0B\f\r]}. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /** What {@code .} does not match without {@code DOTALL}. */
    private static boolean isLineTerminator(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    /** The end of the run of {@code \S} characters at {@code i}. */
    private static int nonSpaceEnd(String s, int i) {
        while (i < s.length() && !isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int digitsEnd(String s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /**
     * {@code (.*?) from (\S+)} from {@code from}: the first {@code " from "} followed by a non-space that the lazy group
     * can reach without crossing a line terminator; its index, or -1.
     */
    private static int lazyThenFrom(String s, int from) {
        int e = s.indexOf(" from ", from);
        while (e >= 0 && (e + 6 >= s.length() || isSpace(s.charAt(e + 6)))) {
            e = s.indexOf(" from ", e + 1);
        }
        if (e < 0) {
            return -1;
        }
        for (int i = from; i < e; i++) {
            if (isLineTerminator(s.charAt(i))) {
                return -1;
            }
        }
        return e;
    }

    /** {@code (\S+)(?: port (\d+))?} at {@code h} into {@code g[host]} and {@code g[host + 1]}; false without a host. */
    private static boolean hostOptionalPort(String s, int h, String[] g, int host) {
        int end = nonSpaceEnd(s, h);
        if (end == h) {
            return false;
        }
        g[host] = s.substring(h, end);
        if (s.startsWith(" port ", end)) {
            int digits = digitsEnd(s, end + 6);
            if (digits > end + 6) {
                g[host + 1] = s.substring(end + 6, digits);
            }
        }
        return true;
    }

    /** {@code (\S+) port (\d+)} at {@code h} into {@code g[host]} and {@code g[host + 1]}; false when it does not match. */
    private static boolean hostPort(String s, int h, String[] g, int host) {
        int end = nonSpaceEnd(s, h);
        if (end == h || !s.startsWith(" port ", end)) {
            return false;
        }
        int digits = digitsEnd(s, end + 6);
        if (digits == end + 6) {
            return false;
        }
        g[host] = s.substring(h, end);
        g[host + 1] = s.substring(end + 6, digits);
        return true;
    }

    /**
     * {@code (.*?) (\S+) port (\d+)} from {@code from}: the shortest lazy group (no line terminator) followed by a space
     * and a host with its port. The lazy group goes to {@code g[user]}, host and port after it.
     */
    private static boolean lazyThenHostPort(String s, int from, String[] g, int user) {
        for (int e = from; e < s.length(); e++) {
            char c = s.charAt(e);
            if (c == ' ' && hostPort(s, e + 1, g, user + 1)) {
                g[user] = s.substring(from, e);
                return true;
            }
            if (isLineTerminator(c)) {
                return false;
            }
        }
        return false;
    }

    /**
     * {@code ^(Accepted|Failed|Postponed) (\S+) for (invalid user |illegal user )?(.*?) from (\S+)(?: port (\d+))?}.
     */
    static String[] login(String m) {
        String verb = m.startsWith("Accepted ")
                ? "Accepted"
                : m.startsWith("Failed ") ? "Failed" : m.startsWith("Postponed ") ? "Postponed" : null;
        if (verb == null) {
            return null;
        }
        int p = verb.length() + 1;
        int methodEnd = nonSpaceEnd(m, p);
        if (methodEnd == p || !m.startsWith(" for ", methodEnd)) {
            return null;
        }
        int u = methodEnd + 5;
        String[] g = new String[7];
        g[1] = verb;
        g[2] = m.substring(p, methodEnd);
        if (m.startsWith("invalid user ", u) || m.startsWith("illegal user ", u)) {
            int e = lazyThenFrom(m, u + 13);
            if (e >= 0) {
                g[3] = m.substring(u, u + 13);
                g[4] = m.substring(u + 13, e);
                hostOptionalPort(m, e + 6, g, 5);
                return g;
            }
        }
        int e = lazyThenFrom(m, u);
        if (e < 0) {
            return null;
        }
        g[4] = m.substring(u, e);
        hostOptionalPort(m, e + 6, g, 5);
        return g;
    }

    /** {@code ^(?:Invalid|Illegal) user ?(.*?) from (\S+)(?: port (\d+))?}. */
    static String[] invalidUser(String m) {
        if (!m.startsWith("Invalid user") && !m.startsWith("Illegal user")) {
            return null;
        }
        int p = 12;
        String[] g = new String[4];
        if (p < m.length() && m.charAt(p) == ' ') {
            int e = lazyThenFrom(m, p + 1);
            if (e >= 0) {
                g[1] = m.substring(p + 1, e);
                hostOptionalPort(m, e + 6, g, 2);
                return g;
            }
        }
        int e = lazyThenFrom(m, p);
        if (e < 0) {
            return null;
        }
        g[1] = m.substring(p, e);
        hostOptionalPort(m, e + 6, g, 2);
        return g;
    }

    /** {@code ^Connection (closed|reset) by (?:(?:authenticating|invalid) user (.*?) )?(\S+) port (\d+)}. */
    static String[] connectionClosed(String m) {
        String how = m.startsWith("Connection closed by ")
                ? "closed"
                : m.startsWith("Connection reset by ") ? "reset" : null;
        if (how == null) {
            return null;
        }
        int p = 11 + how.length() + 4;
        String[] g = new String[5];
        g[1] = how;
        int u = m.startsWith("authenticating user ", p) ? p + 20 : m.startsWith("invalid user ", p) ? p + 13 : -1;
        if (u >= 0 && lazyThenHostPort(m, u, g, 2)) {
            return g;
        }
        g[2] = null;
        return hostPort(m, p, g, 3) ? g : null;
    }

    /** {@code ^Disconnected from (?:(?:authenticating |invalid )?user (.*?) )?(\S+) port (\d+)}. */
    static String[] disconnected(String m) {
        if (!m.startsWith("Disconnected from ")) {
            return null;
        }
        int p = 18;
        String[] g = new String[4];
        int q = m.startsWith("authenticating ", p) ? p + 15 : m.startsWith("invalid ", p) ? p + 8 : p;
        if (m.startsWith("user ", q) && lazyThenHostPort(m, q + 5, g, 1)) {
            return g;
        }
        g[1] = null;
        return hostPort(m, p, g, 2) ? g : null;
    }

    /** {@code ^Received disconnect from (\S+?)(?: port (\d+))?:}. */
    static String[] receivedDisconnect(String m) {
        if (!m.startsWith("Received disconnect from ")) {
            return null;
        }
        int p = 25;
        for (int h = p + 1; h <= m.length() && !isSpace(m.charAt(h - 1)); h++) {
            if (m.startsWith(" port ", h)) {
                int digits = digitsEnd(m, h + 6);
                if (digits > h + 6 && digits < m.length() && m.charAt(digits) == ':') {
                    return new String[] {null, m.substring(p, h), m.substring(h + 6, digits)};
                }
            }
            if (h < m.length() && m.charAt(h) == ':') {
                return new String[] {null, m.substring(p, h), null};
            }
        }
        return null;
    }

    /**
     * {@code session (opened|closed) for user (\S+?)(?:\(uid=\d+\))?(?: by (\S*?)(?:\(uid=\d+\))?)?$}, anywhere in the
     * message; groups 1 and 2 only (the caller reads no more).
     */
    static String[] session(String m) {
        for (int i = m.indexOf("session "); i >= 0; i = m.indexOf("session ", i + 1)) {
            String how = m.startsWith("opened for user ", i + 8)
                    ? "opened"
                    : m.startsWith("closed for user ", i + 8) ? "closed" : null;
            if (how == null) {
                continue;
            }
            int u = i + 24;
            for (int e = u + 1; e <= m.length() && !isSpace(m.charAt(e - 1)); e++) {
                if (afterSessionUser(m, e)) {
                    return new String[] {null, how, m.substring(u, e)};
                }
            }
        }
        return null;
    }

    /** {@code (?:\(uid=\d+\))?(?: by (\S*?)(?:\(uid=\d+\))?)?$} at {@code p}. */
    private static boolean afterSessionUser(String m, int p) {
        int uid = uidEnd(m, p);
        return (uid >= 0 && byThenEnd(m, uid)) || byThenEnd(m, p);
    }

    /** {@code (?: by (\S*?)(?:\(uid=\d+\))?)?$} at {@code p}. */
    private static boolean byThenEnd(String m, int p) {
        if (m.startsWith(" by ", p)) {
            for (int x = p + 4; x <= m.length(); x++) {
                int uid = uidEnd(m, x);
                if ((uid >= 0 && atEnd(m, uid)) || atEnd(m, x)) {
                    return true;
                }
                if (x == m.length() || isSpace(m.charAt(x))) {
                    break;
                }
            }
        }
        return atEnd(m, p);
    }

    /** The end of {@code \(uid=\d+\)} at {@code p}, or -1. */
    private static int uidEnd(String m, int p) {
        if (!m.startsWith("(uid=", p)) {
            return -1;
        }
        int digits = digitsEnd(m, p + 5);
        return digits > p + 5 && digits < m.length() && m.charAt(digits) == ')' ? digits + 1 : -1;
    }

    /** {@code $} without {@code MULTILINE}: the end, or before a line terminator that ends the input. */
    private static boolean atEnd(String m, int p) {
        int n = m.length();
        if (p == n) {
            return true;
        }
        if (p == n - 2) {
            return m.charAt(p) == '\r' && m.charAt(p + 1) == '\n';
        }
        if (p == n - 1) {
            char c = m.charAt(p);
            if (c == '\n') {
                return p == 0 || m.charAt(p - 1) != '\r';
            }
            return c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
        }
        return false;
    }
}
