package dev.vigil.formats.syslog;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ECS fields for the authentication messages of sshd, sudo, su and PAM inside syslog lines: {@code event.category},
 * {@code event.outcome}, {@code event.action}, {@code user.name}, {@code source.ip}/{@code source.port}, and for sudo
 * {@code process.command_line}.
 */
final class AuthMessages {
    private static final Pattern SSH_PAM =
            Pattern.compile("^error: PAM: Authentication failure for (?:illegal user )?(.*?) from (\\S+)");
    private static final Pattern SSH_NO_IDENT =
            Pattern.compile("^Did not receive identification string from (\\S+)(?: port (\\d+))?");
    private static final Pattern SSH_MAX_AUTH = Pattern.compile(
            "maximum authentication attempts exceeded for (?:invalid user )?(.*?) from (\\S+) port (\\d+)");
    private static final Pattern SSH_REVERSE =
            Pattern.compile("^reverse mapping checking getaddrinfo for \\S+ \\[(\\S+)\\] failed");
    private static final Pattern SUDO = Pattern.compile(
            "^\\s*(\\S+) : (?:(.*?) ; )?TTY=(\\S+) ; PWD=(.*?) ; USER=(\\S+) ;(?: GROUP=\\S+ ;)?(?: ENV=.*? ;)? COMMAND=(.*)$");
    private static final Pattern SU_RESULT = Pattern.compile("^(Successful|FAILED) su for (\\S+) by (\\S+)");
    private static final Pattern SU_SHORT = Pattern.compile("^([+-]) (\\S+) (\\S+):(\\S+)$");

    private AuthMessages() {}

    /**
     * Adds the ECS fields of {@code message} to {@code f}.
     *
     * @param base the program's base name ({@link LinuxLogSources#base}), or null when the line names none
     */
    static void enrich(String base, String message, Map<String, Object> f) {
        if (base == null) {
            return;
        }
        switch (base) {
            case "sshd", "dropbear" -> {
                if (!sshd(message, f)) {
                    pam(message, f);
                }
            }
            case "sudo" -> {
                if (!sudo(message, f)) {
                    pam(message, f);
                }
            }
            case "su" -> {
                if (!su(message, f)) {
                    pam(message, f);
                }
            }
            default -> {
                if (message.contains("authentication failure;")
                        || message.contains("session opened for")
                        || message.contains("session closed for")) {
                    pam(message, f);
                }
            }
        }
    }

    private static boolean sshd(String m, Map<String, Object> f) {
        if (m.isEmpty()) {
            return false;
        }
        String[] g;
        Matcher x;
        switch (m.charAt(0)) {
            case 'A', 'F', 'P' -> {
                g = SshdPatterns.login(m);
                if (g != null) {
                    auth(f, g[1].equals("Accepted") ? "success" : "failure", "ssh_login");
                    f.put("ssh.method", g[2]);
                    user(f, g[4]);
                    source(f, g[5], g[6]);
                    return true;
                }
            }
            case 'I' -> {
                g = SshdPatterns.invalidUser(m);
                if (g != null) {
                    auth(f, "failure", "invalid_user");
                    user(f, g[1]);
                    source(f, g[2], g[3]);
                    return true;
                }
            }
            case 'C' -> {
                g = SshdPatterns.connectionClosed(m);
                if (g != null) {
                    network(f, g[1].equals("closed") ? "connection_closed" : "connection_reset");
                    user(f, g[2]);
                    source(f, g[3], g[4]);
                    return true;
                }
            }
            case 'D' -> {
                g = SshdPatterns.disconnected(m);
                if (g != null) {
                    network(f, "disconnected");
                    user(f, g[1]);
                    source(f, g[2], g[3]);
                    return true;
                }
                // The literal starts of the anchored patterns come first: no Matcher for the lines they cannot match.
                x = m.startsWith("Did not receive identification string from ") ? SSH_NO_IDENT.matcher(m) : null;
                if (x != null && x.find()) {
                    network(f, "no_identification");
                    source(f, x.group(1), x.group(2));
                    return true;
                }
            }
            case 'R' -> {
                g = SshdPatterns.receivedDisconnect(m);
                if (g != null) {
                    network(f, "disconnected");
                    source(f, g[1], g[2]);
                    return true;
                }
            }
            case 'r' -> {
                x = m.startsWith("reverse mapping checking getaddrinfo for ") ? SSH_REVERSE.matcher(m) : null;
                if (x != null && x.find()) {
                    network(f, "reverse_mapping_failed");
                    source(f, x.group(1), null);
                    return true;
                }
            }
            case 'e' -> {
                x = m.startsWith("error: PAM: Authentication failure for ") ? SSH_PAM.matcher(m) : null;
                if (x != null && x.find()) {
                    auth(f, "failure", "ssh_login");
                    user(f, x.group(1));
                    source(f, x.group(2), null);
                    return true;
                }
            }
            default -> {
                // not one of the common lines
            }
        }
        if (m.contains("maximum authentication attempts exceeded")) {
            x = SSH_MAX_AUTH.matcher(m);
            if (x.find()) {
                auth(f, "failure", "ssh_login");
                user(f, x.group(1));
                source(f, x.group(2), x.group(3));
                return true;
            }
        }
        return false;
    }

    /** PAM's {@code authentication failure; logname= uid= euid= tty= ruser= rhost= user=} and session lines. */
    private static boolean pam(String m, Map<String, Object> f) {
        int i = m.indexOf("authentication failure;");
        if (i >= 0) {
            auth(f, "failure", "authentication_failure");
            String rest = m.substring(i + "authentication failure;".length());
            String rhost = kv(rest, "rhost");
            String user = kv(rest, "user");
            String ruser = kv(rest, "ruser");
            user(f, user != null && !user.isEmpty() ? user : ruser);
            if (rhost != null && !rhost.isEmpty()) {
                source(f, rhost, null);
            }
            return true;
        }
        String[] g = SshdPatterns.session(m);
        if (g != null) {
            boolean opened = g[1].equals("opened");
            f.put("event.category", "session");
            f.put("event.type", opened ? "start" : "end");
            f.put("event.action", opened ? "session_opened" : "session_closed");
            user(f, g[2]);
            return true;
        }
        return false;
    }

    private static String kv(String s, String key) {
        int p = 0;
        while (true) {
            int i = s.indexOf(key + "=", p);
            if (i < 0) {
                return null;
            }
            if (i == 0 || s.charAt(i - 1) == ' ' || s.charAt(i - 1) == ';') {
                int start = i + key.length() + 1;
                int end = start;
                while (end < s.length() && s.charAt(end) != ' ') {
                    end++;
                }
                return s.substring(start, end);
            }
            p = i + 1;
        }
    }

    private static boolean sudo(String m, Map<String, Object> f) {
        Matcher x = SUDO.matcher(m);
        if (!x.find()) {
            return false;
        }
        String problem = x.group(2);
        auth(f, problem == null ? "success" : "failure", problem == null ? "sudo" : "sudo_denied");
        user(f, x.group(1));
        f.put("process.tty.name", x.group(3));
        f.put("process.working_directory", x.group(4));
        f.put("user.effective.name", x.group(5));
        f.put("process.command_line", x.group(6));
        if (problem != null) {
            f.put("event.reason", problem);
        }
        return true;
    }

    private static boolean su(String m, Map<String, Object> f) {
        Matcher x = SU_RESULT.matcher(m);
        if (x.find()) {
            auth(f, x.group(1).equals("Successful") ? "success" : "failure", "su");
            user(f, x.group(3));
            f.put("user.effective.name", x.group(2));
            return true;
        }
        x = SU_SHORT.matcher(m);
        if (x.find()) {
            auth(f, x.group(1).equals("+") ? "success" : "failure", "su");
            f.put("process.tty.name", x.group(2));
            user(f, x.group(3));
            f.put("user.effective.name", x.group(4));
            return true;
        }
        return false;
    }

    private static void auth(Map<String, Object> f, String outcome, String action) {
        f.put("event.category", "authentication");
        f.put("event.type", outcome.equals("success") ? "start" : "info");
        f.put("event.outcome", outcome);
        f.put("event.action", action);
    }

    private static void network(Map<String, Object> f, String action) {
        f.put("event.category", "network");
        f.put("event.type", "connection");
        f.put("event.action", action);
    }

    private static void user(Map<String, Object> f, String user) {
        if (user != null && !user.isEmpty()) {
            f.put("user.name", user);
        }
    }

    private static void source(Map<String, Object> f, String host, String port) {
        if (host == null || host.isEmpty()) {
            return;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        f.put(isIp(host) ? "source.ip" : "source.domain", host);
        if (port != null) {
            Long p = Header3164.parseLong(port);
            if (p != null) {
                f.put("source.port", p);
            }
        }
    }

    /** Whether {@code s} looks like an IPv4 or IPv6 address (not a hostname). */
    static boolean isIp(String s) {
        boolean colon = false;
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':') {
                colon = true;
            } else if (c == '.') {
                dots++;
            } else if (!((c >= '0' && c <= '9') || (colon && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))))) {
                if (!(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') || s.indexOf(':') < 0) {
                    return false;
                }
            }
        }
        return colon || dots == 3;
    }
}
