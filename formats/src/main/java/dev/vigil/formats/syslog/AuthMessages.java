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
    private static final Pattern SSH_LOGIN = Pattern.compile(
            "^(Accepted|Failed|Postponed) (\\S+) for (invalid user |illegal user )?(.*?) from (\\S+)(?: port (\\d+))?");
    private static final Pattern SSH_INVALID =
            Pattern.compile("^(?:Invalid|Illegal) user ?(.*?) from (\\S+)(?: port (\\d+))?");
    private static final Pattern SSH_CONNECTION = Pattern.compile(
            "^Connection (closed|reset) by (?:(?:authenticating|invalid) user (.*?) )?(\\S+) port (\\d+)");
    private static final Pattern SSH_DISCONNECTED =
            Pattern.compile("^Disconnected from (?:(?:authenticating |invalid )?user (.*?) )?(\\S+) port (\\d+)");
    private static final Pattern SSH_RECEIVED_DISCONNECT =
            Pattern.compile("^Received disconnect from (\\S+?)(?: port (\\d+))?:");
    private static final Pattern SSH_PAM =
            Pattern.compile("^error: PAM: Authentication failure for (?:illegal user )?(.*?) from (\\S+)");
    private static final Pattern SSH_NO_IDENT =
            Pattern.compile("^Did not receive identification string from (\\S+)(?: port (\\d+))?");
    private static final Pattern SSH_MAX_AUTH = Pattern.compile(
            "maximum authentication attempts exceeded for (?:invalid user )?(.*?) from (\\S+) port (\\d+)");
    private static final Pattern SSH_REVERSE =
            Pattern.compile("^reverse mapping checking getaddrinfo for \\S+ \\[(\\S+)\\] failed");
    private static final Pattern SESSION = Pattern.compile(
            "session (opened|closed) for user (\\S+?)(?:\\(uid=\\d+\\))?(?: by (\\S*?)(?:\\(uid=\\d+\\))?)?$");
    private static final Pattern SUDO = Pattern.compile(
            "^\\s*(\\S+) : (?:(.*?) ; )?TTY=(\\S+) ; PWD=(.*?) ; USER=(\\S+) ;(?: GROUP=\\S+ ;)?(?: ENV=.*? ;)? COMMAND=(.*)$");
    private static final Pattern SU_RESULT = Pattern.compile("^(Successful|FAILED) su for (\\S+) by (\\S+)");
    private static final Pattern SU_SHORT = Pattern.compile("^([+-]) (\\S+) (\\S+):(\\S+)$");

    private AuthMessages() {}

    static void enrich(String program, String message, Map<String, Object> f) {
        if (program == null) {
            return;
        }
        String base = LinuxLogSources.base(program);
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
        Matcher x;
        switch (m.charAt(0)) {
            case 'A', 'F', 'P' -> {
                x = SSH_LOGIN.matcher(m);
                if (x.find()) {
                    String verb = x.group(1);
                    auth(f, verb.equals("Accepted") ? "success" : "failure", "ssh_login");
                    f.put("ssh.method", x.group(2));
                    user(f, x.group(4));
                    source(f, x.group(5), x.group(6));
                    return true;
                }
            }
            case 'I' -> {
                x = SSH_INVALID.matcher(m);
                if (x.find()) {
                    auth(f, "failure", "invalid_user");
                    user(f, x.group(1));
                    source(f, x.group(2), x.group(3));
                    return true;
                }
            }
            case 'C' -> {
                x = SSH_CONNECTION.matcher(m);
                if (x.find()) {
                    network(f, "connection_" + x.group(1));
                    user(f, x.group(2));
                    source(f, x.group(3), x.group(4));
                    return true;
                }
            }
            case 'D' -> {
                x = SSH_DISCONNECTED.matcher(m);
                if (x.find()) {
                    network(f, "disconnected");
                    user(f, x.group(1));
                    source(f, x.group(2), x.group(3));
                    return true;
                }
                x = SSH_NO_IDENT.matcher(m);
                if (x.find()) {
                    network(f, "no_identification");
                    source(f, x.group(1), x.group(2));
                    return true;
                }
            }
            case 'R' -> {
                x = SSH_RECEIVED_DISCONNECT.matcher(m);
                if (x.find()) {
                    network(f, "disconnected");
                    source(f, x.group(1), x.group(2));
                    return true;
                }
            }
            case 'r' -> {
                x = SSH_REVERSE.matcher(m);
                if (x.find()) {
                    network(f, "reverse_mapping_failed");
                    source(f, x.group(1), null);
                    return true;
                }
            }
            case 'e' -> {
                x = SSH_PAM.matcher(m);
                if (x.find()) {
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
        Matcher x = SESSION.matcher(m);
        if (x.find()) {
            f.put("event.category", "session");
            f.put("event.type", x.group(1).equals("opened") ? "start" : "end");
            f.put("event.action", "session_" + x.group(1));
            user(f, x.group(2));
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
