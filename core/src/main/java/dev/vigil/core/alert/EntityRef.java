package dev.vigil.core.alert;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A thing an alert is about: a host, user, IP address, process, file hash, file, domain or URL, with its value in one
 * canonical form so that the same thing seen by different log sources compares equal.
 *
 * <p>Use {@link #of(EntityType, String)} (or {@link #user(String, String)}) to build one from raw log text; it
 * normalises as follows and returns empty for placeholders that name nothing:
 *
 * <table>
 *   <caption>Normalisation</caption>
 *   <tr><th>type</th><th>canonical value</th><th>dropped</th></tr>
 *   <tr><td>HOST</td><td>lower case, the DNS domain cut off ({@code WS01.corp.example.com} → {@code ws01}); an IP
 *       literal is kept whole. Windows gives NetBIOS names in some events and FQDNs in others; the short name is what
 *       both share. Two hosts of one name in different domains of one tenant become one entity, which we accept.</td>
 *       <td>{@code -}, {@code localhost}</td></tr>
 *   <tr><td>USER</td><td>lower case {@code domain\name}: {@code CORP\Alice} → {@code corp\alice}; a UPN
 *       {@code alice@corp.example.com} → {@code corp\alice} (the first label of its suffix, which is the NetBIOS domain
 *       in the usual set-up); a bare name stays bare ({@code root}).</td>
 *       <td>{@code -}, SYSTEM, LOCAL SERVICE, NETWORK SERVICE, ANONYMOUS LOGON, accounts of {@code NT AUTHORITY},
 *       {@code NT SERVICE}, {@code Window Manager} and {@code Font Driver Host}, machine accounts ({@code WS01$}):
 *       they appear on every host and would tie unrelated activity together.</td></tr>
 *   <tr><td>IP</td><td>lower case, brackets and an IPv4-mapped {@code ::ffff:} prefix removed</td>
 *       <td>{@code -}, unspecified ({@code 0.0.0.0}, {@code ::}) and loopback addresses, text that is no address</td></tr>
 *   <tr><td>PROCESS, FILE</td><td>the path; lower case when it is a Windows path (drive letter or backslash), since
 *       Windows paths are case-insensitive; POSIX paths keep their case</td><td>{@code -}</td></tr>
 *   <tr><td>FILE_HASH</td><td>lower-case hexadecimal (MD5, SHA-1, SHA-256 or SHA-512 by length)</td>
 *       <td>anything else</td></tr>
 *   <tr><td>DOMAIN</td><td>lower case, without a trailing dot</td><td>{@code -}</td></tr>
 *   <tr><td>URL</td><td>scheme and host lower case, path and query as given</td><td>{@code -}</td></tr>
 * </table>
 *
 * <p>The canonical constructor takes values as they are (already canonical, e.g. read back from storage).
 */
public record EntityRef(EntityType type, String value) implements Comparable<EntityRef> {
    /** Longer values are cut to this many characters: entities are keys, not evidence. */
    public static final int MAX_VALUE_CHARS = 1024;

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+(%[0-9a-z]+)?");
    private static final Pattern URL_PREFIX = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://([^/?#]*)(.*)$");
    private static final Set<String> SHARED_ACCOUNTS =
            Set.of("system", "local service", "localservice", "network service", "networkservice", "anonymous logon");
    private static final Set<String> SHARED_DOMAINS =
            Set.of("nt authority", "nt service", "window manager", "font driver host");

    public EntityRef {
        requireNonNull(type, "type");
        requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("an entity value must not be empty (" + type + ")");
        }
        if (value.length() > MAX_VALUE_CHARS) {
            value = value.substring(0, MAX_VALUE_CHARS);
        }
    }

    /** The canonical entity for raw log text, or empty when the text is a placeholder or names nothing useful. */
    public static Optional<EntityRef> of(EntityType type, String raw) {
        requireNonNull(type, "type");
        if (raw == null) {
            return Optional.empty();
        }
        String v = raw.strip();
        if (v.isEmpty() || v.equals("-")) {
            return Optional.empty();
        }
        String canonical = switch (type) {
            case HOST -> host(v);
            case USER -> user(v);
            case IP -> ip(v);
            case PROCESS, FILE -> path(v);
            case FILE_HASH -> hash(v);
            case DOMAIN -> domain(v);
            case URL -> url(v);
        };
        return canonical == null || canonical.isEmpty()
                ? Optional.empty()
                : Optional.of(new EntityRef(type, canonical));
    }

    /**
     * The user entity of a name and a separate domain field, as Windows Security events give them ({@code
     * TargetUserName}, {@code TargetDomainName}); a name that is already qualified keeps its own domain.
     */
    public static Optional<EntityRef> user(String name, String domain) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip();
        String d = domain == null ? "" : domain.strip();
        if (d.isEmpty() || d.equals("-") || n.indexOf('\\') >= 0 || n.indexOf('@') >= 0) {
            return of(EntityType.USER, n);
        }
        return of(EntityType.USER, d + "\\" + n);
    }

    private static String host(String v) {
        String h = v.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || isIpLiteral(h)) {
            return h.equals("localhost") ? null : h;
        }
        int dot = h.indexOf('.');
        return dot > 0 ? h.substring(0, dot) : h;
    }

    private static boolean isIpLiteral(String h) {
        return IPV4.matcher(h).matches()
                || (h.indexOf(':') >= 0 && IPV6.matcher(h).matches());
    }

    private static String user(String v) {
        String u = v.toLowerCase(Locale.ROOT);
        String domain = null;
        String name = u;
        int slash = u.indexOf('\\');
        int at = u.lastIndexOf('@');
        if (slash >= 0) {
            domain = u.substring(0, slash).strip();
            name = u.substring(slash + 1).strip();
        } else if (at > 0) {
            name = u.substring(0, at).strip();
            String suffix = u.substring(at + 1).strip();
            int dot = suffix.indexOf('.');
            domain = dot > 0 ? suffix.substring(0, dot) : suffix;
        }
        if (name.isEmpty() || name.equals("-") || name.endsWith("$") || SHARED_ACCOUNTS.contains(name)) {
            return null;
        }
        if (domain != null && SHARED_DOMAINS.contains(domain)) {
            return null;
        }
        return domain == null || domain.isEmpty() || domain.equals("-") ? name : domain + "\\" + name;
    }

    private static String ip(String v) {
        String ip = v.toLowerCase(Locale.ROOT);
        if (ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        if (ip.startsWith("::ffff:") && IPV4.matcher(ip.substring(7)).matches()) {
            ip = ip.substring(7);
        }
        var m = IPV4.matcher(ip);
        if (m.matches()) {
            for (int g = 1; g <= 4; g++) {
                if (Integer.parseInt(m.group(g)) > 255) {
                    return null;
                }
            }
            return ip.equals("0.0.0.0") || ip.startsWith("127.") ? null : ip;
        }
        if (ip.indexOf(':') < 0 || !IPV6.matcher(ip).matches()) {
            return null;
        }
        return ip.equals("::") || ip.equals("::1") ? null : ip;
    }

    private static String path(String v) {
        return isWindowsPath(v) ? v.toLowerCase(Locale.ROOT) : v;
    }

    /**
     * Whether {@code v} starts with a drive letter and a colon, or holds a backslash, and is one line. (The check was a
     * regular expression, {@code ^(?:[a-zA-Z]:|\\).*|.*\\.*}, whose {@code .} stops at line terminators; this keeps
     * its answers, so entities stored before compare equal, at a fraction of its cost: it ran for every path of every
     * alert.)
     */
    static boolean isWindowsPath(String v) {
        boolean drive = v.length() >= 2 && v.charAt(1) == ':' && isAsciiLetter(v.charAt(0));
        boolean backslash = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\') {
                backslash = true;
            } else if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return drive || backslash;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** Hexadecimal of an MD5, SHA-1, SHA-256 or SHA-512 length, in lower case; null otherwise. */
    private static String hash(String v) {
        int n = v.length();
        if (n != 32 && n != 40 && n != 64 && n != 128) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return null;
            }
        }
        return v.toLowerCase(Locale.ROOT);
    }

    private static String domain(String v) {
        String d = v.toLowerCase(Locale.ROOT);
        while (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        return d;
    }

    private static String url(String v) {
        var m = URL_PREFIX.matcher(v);
        if (!m.matches()) {
            return v;
        }
        return m.group(1).toLowerCase(Locale.ROOT) + "://" + m.group(2).toLowerCase(Locale.ROOT) + m.group(3);
    }

    /** Orders by type, then value, so sets of entities have one canonical order. */
    @Override
    public int compareTo(EntityRef o) {
        int c = type.compareTo(o.type);
        return c != 0 ? c : value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return type.name().toLowerCase(Locale.ROOT) + ":" + value;
    }
}
