package dev.vigil.intel;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv6.IPv6Address;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Normalisation of indicator values, shared by importers (before storing) and lookups (before searching), so that a
 * value written differently by a feed and by a log still meets.
 *
 * <ul>
 *   <li>IP addresses: canonical text (IPv6 compressed, RFC 5952); IPv4-mapped IPv6 ({@code ::ffff:1.2.3.4}) becomes the
 *       IPv4 address. CIDR ranges lose their host bits ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}); a /32 or /128 is a
 *       plain address. Only the usual notations are accepted (no {@code inet_aton} forms such as {@code 0x7f.1}).
 *   <li>Domains: lower-case, IDNA to ASCII ({@link IDN}), trailing dot and a leading {@code *.} removed.
 *   <li>URLs: see {@link #normalizeUrl(String)}.
 *   <li>Hashes: lower-case hex; the length decides the type (32 MD5, 40 SHA-1, 64 SHA-256).
 *   <li>E-mail addresses: the domain part normalised as a domain; the local part kept (RFC 5321 leaves its case to
 *       the receiving server).
 *   <li>File names: the base name after the last {@code /} or {@code \}, lower-case.
 * </ul>
 */
public final class IndicatorValues {
    private static final IPAddressStringParameters IP_PARAMETERS = new IPAddressStringParameters.Builder()
            .allowEmpty(false)
            .allowSingleSegment(false)
            .allowAll(false)
            .allowMask(false)
            .allow_inet_aton(false)
            .getIPv4AddressParametersBuilder()
            .allowLeadingZeros(true)
            .allowUnlimitedLeadingZeros(false)
            .getParentBuilder()
            .toParams();

    private IndicatorValues() {}

    /**
     * The normalised form of {@code raw} as an indicator of {@code type}.
     *
     * @throws IllegalArgumentException with a message naming what is wrong, when the value is not one of that type
     */
    public static String normalize(IndicatorType type, String raw) {
        String s = raw.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty " + type + " value");
        }
        return switch (type) {
            case IPV4, IPV6, CIDR -> {
                IPAddress a = parseIp(s);
                if (a == null) {
                    throw new IllegalArgumentException("not an IP address or CIDR range: '" + s + "'");
                }
                IndicatorType actual = ipType(a);
                if (type != actual && !(type == CIDR_TYPE && actual != CIDR_TYPE && s.indexOf('/') >= 0)) {
                    throw new IllegalArgumentException("'" + s + "' is " + actual + ", not " + type);
                }
                yield canonical(a);
            }
            case DOMAIN -> normalizeDomain(s);
            case URL -> normalizeUrl(s);
            case MD5, SHA1, SHA256 -> {
                String h = s.toLowerCase(Locale.ROOT);
                if (!isHex(h) || hashType(h).orElse(null) != type) {
                    throw new IllegalArgumentException("not a " + type + " hash: '" + s + "'");
                }
                yield h;
            }
            case EMAIL -> normalizeEmail(s);
            case FILE_NAME -> normalizeFileName(s);
        };
    }

    private static final IndicatorType CIDR_TYPE = IndicatorType.CIDR;

    /** The type of a normalised-or-not IP value ({@code 1.2.3.4} IPV4, {@code ::1} IPV6, {@code 10.0.0.0/8} CIDR). */
    public static Optional<IndicatorType> ipTypeOf(String raw) {
        IPAddress a = parseIp(raw.strip());
        return a == null ? Optional.empty() : Optional.of(ipType(a));
    }

    /** Parses an address or CIDR range, unmapping IPv4-mapped IPv6 and dropping host bits; {@code null} if invalid. */
    static IPAddress parseIp(String s) {
        IPAddressString text = new IPAddressString(s, IP_PARAMETERS);
        IPAddress a;
        try {
            a = text.getAddress();
        } catch (RuntimeException e) {
            // IPAddress 5 throws ArrayIndexOutOfBoundsException for a prefix length that overflows an int
            // ("::/6464646464"): event values are attacker-controlled, so a parser failure means "not an address".
            return null;
        }
        if (a == null) {
            return null;
        }
        if (a.isIPv6() && ((IPv6Address) a).isIPv4Mapped()) {
            Integer prefix = a.getNetworkPrefixLength();
            IPAddress v4 = ((IPv6Address) a).getEmbeddedIPv4Address();
            if (prefix != null) {
                if (prefix < 96) {
                    return a.toPrefixBlock().withoutPrefixLength().getLower().toPrefixBlock(prefix);
                }
                v4 = v4.toPrefixBlock(prefix - 96);
            }
            a = v4;
        }
        Integer prefix = a.getNetworkPrefixLength();
        if (prefix != null) {
            if (prefix == a.getBitCount()) {
                return a.withoutPrefixLength();
            }
            return a.toPrefixBlock();
        }
        return a;
    }

    private static IndicatorType ipType(IPAddress a) {
        if (a.getNetworkPrefixLength() != null) {
            return IndicatorType.CIDR;
        }
        return a.isIPv4() ? IndicatorType.IPV4 : IndicatorType.IPV6;
    }

    private static String canonical(IPAddress a) {
        Integer prefix = a.getNetworkPrefixLength();
        if (prefix == null) {
            return a.toCanonicalString();
        }
        return a.getLower().withoutPrefixLength().toCanonicalString() + "/" + prefix;
    }

    /** The hash type a hex string's length implies. */
    public static Optional<IndicatorType> hashType(String hex) {
        return switch (hex.length()) {
            case 32 -> Optional.of(IndicatorType.MD5);
            case 40 -> Optional.of(IndicatorType.SHA1);
            case 64 -> Optional.of(IndicatorType.SHA256);
            default -> Optional.empty();
        };
    }

    static boolean isHex(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (hexDigit(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Guesses the type of a bare value, for plain lists and CSV columns without a type: an address or CIDR range, a hash
     * by length, a URL (has {@code ://}), an e-mail address (has {@code @}), a domain (has a dot and only host
     * characters); empty when none fits.
     */
    public static Optional<IndicatorType> guessType(String raw) {
        String s = raw.strip();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        if (isHex(s) && hashType(s).isPresent()) {
            return hashType(s);
        }
        if (s.contains("://")) {
            return Optional.of(IndicatorType.URL);
        }
        if (s.indexOf('@') > 0) {
            return Optional.of(IndicatorType.EMAIL);
        }
        Optional<IndicatorType> ip = ipTypeOf(s);
        if (ip.isPresent()) {
            return ip;
        }
        if (s.indexOf('.') > 0 && s.indexOf('/') < 0) {
            try {
                normalizeDomain(s);
                return Optional.of(IndicatorType.DOMAIN);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** A domain in normalised form; throws when it is not a host name. */
    public static String normalizeDomain(String raw) {
        String s = raw.strip();
        if (s.startsWith("*.")) {
            s = s.substring(2);
        }
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (!isAscii(s)) {
            try {
                s = IDN.toASCII(s, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a valid internationalised domain name: '" + raw.strip() + "'");
            }
        }
        s = s.toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.length() > 253) {
            throw new IllegalArgumentException("not a domain name: '" + raw.strip() + "'");
        }
        int labelStart = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i == s.length() ? '.' : s.charAt(i);
            if (c == '.') {
                if (i == labelStart || i - labelStart > 63) {
                    throw new IllegalArgumentException(
                            "not a domain name (empty or over-long label): '" + raw.strip() + "'");
                }
                labelStart = i + 1;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                throw new IllegalArgumentException("not a domain name (character '" + c + "'): '" + raw.strip() + "'");
            }
        }
        String tld = s.substring(s.lastIndexOf('.') + 1);
        if (tld.chars().allMatch(Character::isDigit)) {
            // No top-level domain is numeric (RFC 3696 section 2): this is a mistyped address, not a host name.
            throw new IllegalArgumentException("not a domain name (numeric top-level label): '" + raw.strip() + "'");
        }
        return s;
    }

    static boolean isAscii(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** An e-mail address with its domain normalised. */
    public static String normalizeEmail(String raw) {
        String s = raw.strip();
        if (s.startsWith("mailto:")) {
            s = s.substring(7);
        }
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1) {
            throw new IllegalArgumentException("not an e-mail address: '" + raw.strip() + "'");
        }
        for (int i = 0; i < at; i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == '<' || c == '>') {
                throw new IllegalArgumentException("not an e-mail address: '" + raw.strip() + "'");
            }
        }
        return s.substring(0, at + 1) + normalizeDomain(s.substring(at + 1));
    }

    /** The lower-case base name of a file name or path. */
    public static String normalizeFileName(String raw) {
        String s = raw.strip();
        int cut = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        s = s.substring(cut + 1);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("no file name in '" + raw.strip() + "'");
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /**
     * A URL in normalised form: scheme and host lower-case (a missing scheme is taken as {@code http}), IDNA host,
     * trailing dot of the host removed, the scheme's default port removed, percent-encoding normalised (escapes of
     * unreserved characters decoded, other escapes upper-case, spaces and non-ASCII characters encoded as UTF-8),
     * {@code .} and {@code ..} path segments resolved, an empty path written {@code /}, the fragment dropped. User
     * information and the query are kept (normalised the same way).
     */
    public static String normalizeUrl(String raw) {
        String s = raw.strip();
        int hash = s.indexOf('#');
        if (hash >= 0) {
            s = s.substring(0, hash);
        }
        String scheme;
        int colon = schemeEnd(s);
        if (colon > 0 && s.startsWith("//", colon + 1)) {
            scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
            s = s.substring(colon + 3);
        } else if (s.startsWith("//")) {
            scheme = "http";
            s = s.substring(2);
        } else {
            scheme = "http";
        }
        int authorityEnd = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '?' || c == '\\') {
                authorityEnd = i;
                break;
            }
        }
        String authority = s.substring(0, authorityEnd);
        String rest = s.substring(authorityEnd).replace('\\', '/');
        String userInfo = "";
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            userInfo = normalizeEscapes(authority.substring(0, at), "@:") + "@";
            authority = authority.substring(at + 1);
        }
        String host;
        String port = "";
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("not a URL (unclosed IPv6 literal): '" + raw.strip() + "'");
            }
            IPAddress a = parseIp(authority.substring(1, close));
            if (a == null) {
                throw new IllegalArgumentException("not a URL (bad IPv6 literal): '" + raw.strip() + "'");
            }
            host = a.isIPv6() ? "[" + a.toCanonicalString() + "]" : a.toCanonicalString();
            if (close + 1 < authority.length() && authority.charAt(close + 1) == ':') {
                port = authority.substring(close + 2);
            }
        } else {
            int pc = authority.lastIndexOf(':');
            if (pc >= 0) {
                port = authority.substring(pc + 1);
                authority = authority.substring(0, pc);
            }
            if (authority.isEmpty()) {
                throw new IllegalArgumentException("not a URL (no host): '" + raw.strip() + "'");
            }
            host = authority.indexOf('%') >= 0 ? percentDecode(authority) : authority;
            IPAddress a = host.indexOf(':') < 0 && !host.isEmpty() && Character.isDigit(host.charAt(host.length() - 1))
                    ? parseIp(host)
                    : null;
            host = a != null && a.isIPv4() ? a.toCanonicalString() : normalizeDomain(host);
        }
        for (int i = 0; i < port.length(); i++) {
            if (!Character.isDigit(port.charAt(i))) {
                throw new IllegalArgumentException("not a URL (bad port '" + port + "'): '" + raw.strip() + "'");
            }
        }
        int zeros = 0;
        while (zeros < port.length() - 1 && port.charAt(zeros) == '0') {
            zeros++;
        }
        port = port.substring(zeros);
        if (port.equals(defaultPort(scheme))) {
            port = "";
        }
        String path = rest;
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            path = rest.substring(0, q);
            query = rest.substring(q + 1);
        }
        path = removeDotSegments(normalizeEscapes(path, "/:@!$&'()*+,;="));
        if (path.isEmpty()) {
            path = "/";
        }
        StringBuilder out = new StringBuilder(raw.length() + 8);
        out.append(scheme).append("://").append(userInfo).append(host);
        if (!port.isEmpty()) {
            out.append(':').append(port);
        }
        out.append(path);
        if (query != null) {
            out.append('?').append(normalizeEscapes(query, "/:@!$&'()*+,;=?"));
        }
        return out.toString();
    }

    /**
     * Whether {@link #normalizeUrl} would return {@code s} unchanged, by a conservative check that allocates nothing:
     * {@code http} or {@code https} in lower case, a lower-case host name (not an address) without user information
     * or port, a path and query of characters that stay as they are (no escapes, no spaces, no non-ASCII), no
     * {@code .} or {@code ..} segment, no fragment. Most URLs in logs pass; the others are normalised.
     */
    static boolean isNormalizedUrl(String s) {
        int hostStart = s.startsWith("http://") ? 7 : s.startsWith("https://") ? 8 : -1;
        if (hostStart < 0) {
            return false;
        }
        int n = s.length();
        int hostEnd = hostStart;
        int labelStart = hostStart;
        while (hostEnd < n && s.charAt(hostEnd) != '/') {
            char c = s.charAt(hostEnd);
            if (c == '.') {
                if (hostEnd == labelStart || hostEnd - labelStart > 63) {
                    return false;
                }
                labelStart = hostEnd + 1;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
            hostEnd++;
        }
        // A host ending in a digit may be an address (normalised through the address parser); an empty path is "/".
        if (hostEnd == n
                || hostEnd == labelStart
                || hostEnd - labelStart > 63
                || hostEnd - hostStart > 253
                || s.charAt(hostEnd - 1) <= '9') {
            return false;
        }
        boolean inQuery = false;
        int segmentStart = hostEnd + 1;
        for (int i = hostEnd; i <= n; i++) {
            char c = i == n ? '/' : s.charAt(i);
            if (!inQuery && (c == '/' || c == '?')) {
                int length = i - segmentStart;
                if (i > hostEnd
                        && (length == 1 || length == 2)
                        && s.charAt(segmentStart) == '.'
                        && (length == 1 || s.charAt(segmentStart + 1) == '.')) {
                    return false;
                }
                segmentStart = i + 1;
                inQuery = c == '?';
            } else if (!(unreserved(c) || (c > ' ' && c < 0x7f && "/:@!$&'()*+,;=?".indexOf(c) >= 0))) {
                return false;
            }
        }
        return true;
    }

    private static int schemeEnd(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':') {
                return i;
            }
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (i > 0 && (Character.isDigit(c) || c == '+' || c == '-' || c == '.'));
            if (!ok) {
                return -1;
            }
        }
        return -1;
    }

    private static String defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> "80";
            case "https", "wss" -> "443";
            case "ftp" -> "21";
            default -> "-";
        };
    }

    private static boolean unreserved(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '.'
                || c == '_'
                || c == '~';
    }

    /**
     * Decodes escapes of unreserved characters, upper-cases the hex of the others, and encodes what may not appear
     * literally (anything but unreserved characters and {@code allowed}).
     */
    private static String normalizeEscapes(String s, String allowed) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b == '%'
                    && i + 2 < bytes.length
                    && hexDigit((char) bytes[i + 1]) >= 0
                    && hexDigit((char) bytes[i + 2]) >= 0) {
                int v = hexDigit((char) bytes[i + 1]) * 16 + hexDigit((char) bytes[i + 2]);
                if (unreserved(v)) {
                    out.append((char) v);
                } else {
                    out.append('%').append(hex2(v));
                }
                i += 2;
            } else if (unreserved(b) || (b < 0x80 && b > ' ' && allowed.indexOf(b) >= 0)) {
                out.append((char) b);
            } else {
                out.append('%').append(hex2(b));
            }
        }
        return out.toString();
    }

    private static String hex2(int v) {
        return "" + Character.toUpperCase(Character.forDigit(v >> 4, 16))
                + Character.toUpperCase(Character.forDigit(v & 15, 16));
    }

    private static String percentDecode(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%'
                    && i + 2 < bytes.length
                    && hexDigit((char) bytes[i + 1]) >= 0
                    && hexDigit((char) bytes[i + 2]) >= 0) {
                out.write(hexDigit((char) bytes[i + 1]) * 16 + hexDigit((char) bytes[i + 2]));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** RFC 3986 section 5.2.4, on an already escape-normalised path. */
    private static String removeDotSegments(String path) {
        if (path.indexOf('.') < 0) {
            return path;
        }
        String[] parts = path.split("/", -1);
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        boolean absolute = path.startsWith("/");
        for (int i = absolute ? 1 : 0; i < parts.length; i++) {
            String p = parts[i];
            boolean last = i == parts.length - 1;
            if (p.equals(".")) {
                if (last) {
                    out.addLast("");
                }
            } else if (p.equals("..")) {
                out.pollLast();
                if (last) {
                    out.addLast("");
                }
            } else {
                out.addLast(p);
            }
        }
        return (absolute ? "/" : "") + String.join("/", out);
    }
}
