package dev.vigil.formats.syslog;

import dev.vigil.core.LogSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Sigma log source of a Linux syslog line by its program: product {@code linux}, the service {@code syslog} for
 * every line (a {@code service: syslog} rule reads the whole syslog), the program's own service ({@code sshd},
 * {@code sudo}, {@code su}, {@code cron}, {@code auditd}, ...) and {@code auth} for the programs that write auth.log.
 *
 * <p>A file names a handful of programs over and over, so each parser keeps one of these: it remembers each program's
 * base name and log source (bounded, for files that name many), which spares every line a lower-casing and two set
 * look-ups. Not thread-safe.
 */
final class LinuxLogSources {
    /** A program as a syslog tag names it, its {@link #base} name and its log source. */
    record Program(String base, LogSource logSource) {}

    private static final int CACHE_LIMIT = 10_000;

    private static final Set<String> AUTH = Set.of(
            "sshd",
            "sudo",
            "su",
            "login",
            "passwd",
            "useradd",
            "userdel",
            "usermod",
            "groupadd",
            "groupdel",
            "chpasswd",
            "chage",
            "gpasswd",
            "systemd-logind",
            "unix_chkpwd",
            "polkitd",
            "gdm-password",
            "dropbear");
    private static final Set<String> OWN = Set.of(
            "sshd",
            "sudo",
            "su",
            "cron",
            "auditd",
            "clamav",
            "vsftpd",
            "guacamole",
            "login",
            "passwd",
            "useradd",
            "userdel",
            "usermod",
            "groupadd",
            "systemd-logind",
            "named",
            "postfix");
    /** The log source of a line without a program. */
    static final LogSource SYSLOG = new LogSource("linux", Set.of(), Set.of("syslog"));

    private final Map<String, Program> programs = new HashMap<>();

    /** The base name and log source of {@code program}. */
    Program of(String program) {
        Program cached = programs.get(program);
        if (cached != null) {
            return cached;
        }
        String base = base(program);
        Program p = new Program(base, logSource(base));
        if (programs.size() < CACHE_LIMIT) {
            programs.put(program, p);
        }
        return p;
    }

    /** The program's base name in lower case: {@code /usr/sbin/CRON} and {@code sshd(pam_unix)} become cron, sshd. */
    static String base(String program) {
        String p = program.toLowerCase(Locale.ROOT);
        int paren = p.indexOf('(');
        if (paren > 0) {
            p = p.substring(0, paren);
        }
        int slash = p.lastIndexOf('/');
        if (slash >= 0 && slash + 1 < p.length() && p.startsWith("/")) {
            p = p.substring(slash + 1);
        } else if (slash > 0) {
            p = p.substring(0, slash); // postfix/smtpd -> postfix
        }
        if (p.equals("crond") || p.equals("anacron")) {
            return "cron";
        }
        if (p.equals("audispd") || p.equals("audit")) {
            return "auditd";
        }
        if (p.equals("sshd-session")) {
            return "sshd";
        }
        return p;
    }

    private static LogSource logSource(String base) {
        Set<String> services = new HashSet<>();
        services.add("syslog");
        if (OWN.contains(base)) {
            services.add(base);
        }
        if (AUTH.contains(base)) {
            services.add("auth");
        }
        return new LogSource("linux", Set.of(), services);
    }
}
