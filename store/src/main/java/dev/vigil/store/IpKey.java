package dev.vigil.store;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.HexFormat;

/**
 * Addresses as sortable text, so CIDR blocks become string ranges without DuckDB's inet extension: an IPv4 address is
 * {@code 4} and its 8 lower-case hex digits, an IPv6 address {@code 6} and its 32, so within a family byte order,
 * numeric order and string order agree and a block is the range [first address, last address]; the prefix keeps the
 * families apart, so {@code ::/0} does not match IPv4 addresses (as Sigma's {@code cidr} modifier does not).
 */
final class IpKey {
    private static final HexFormat HEX = HexFormat.of();

    private IpKey() {}

    /** The key of an address literal, or {@code null} when the text is not a single IPv4 or IPv6 address. */
    static String of(String text) {
        int n = text.length();
        if (n < 2 || n > 45) {
            return null;
        }
        boolean colon = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == ':') {
                colon = true;
            } else if (!(c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return null;
            }
        }
        if (!colon) {
            byte[] v4 = parseDottedQuad(text);
            return v4 == null ? null : key(v4);
        }
        IPAddress address = new IPAddressString(text).getAddress();
        if (address == null || !address.isIPv6() || address.isPrefixed() || address.isMultiple()) {
            return null;
        }
        return key(address.getBytes());
    }

    /**
     * The [first, last] keys of a block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32} (a single address is a
     * block of one).
     */
    static String[] range(String field, String block) {
        IPAddress address = new IPAddressString(block.trim()).getAddress();
        if (address == null) {
            throw new IllegalArgumentException("field '" + field + "': '" + block + "' is not a CIDR block or address");
        }
        IPAddress prefixBlock = address.isPrefixed() ? address.toPrefixBlock() : address;
        return new String[] {
            key(prefixBlock.getLower().getBytes()), key(prefixBlock.getUpper().getBytes())
        };
    }

    private static String key(byte[] bytes) {
        return (bytes.length == 16 ? "6" : "4") + HEX.formatHex(bytes);
    }

    private static byte[] parseDottedQuad(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || part > 3) {
                    return null;
                }
                out[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }
}
