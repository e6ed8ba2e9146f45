package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The text form of an API token, {@code vgl_<tokenId>_<secret>}: {@code tokenId} is 16 lower-case hex digits (64 random
 * bits, public, the database key), {@code secret} the 32 random bytes in unpadded base64url (43 characters, which may
 * themselves contain {@code _}, hence the fixed-width id). The prefix lets secret scanners recognise leaked tokens.
 *
 * <p>Parsing is strict (exact length, alphabets, canonical base64) so that one secret has exactly one spelling.
 */
final class TokenFormat {
    static final String PREFIX = "vgl_";
    static final int ID_BYTES = 8;
    static final int ID_CHARS = ID_BYTES * 2;
    static final int SECRET_BYTES = 32;
    static final int SECRET_CHARS = 43;
    static final int TOKEN_CHARS = PREFIX.length() + ID_CHARS + 1 + SECRET_CHARS;

    private static final HexFormat HEX = HexFormat.of();

    private TokenFormat() {}

    /** A presented token split into its public id and its secret bytes. */
    record Parsed(String tokenId, byte[] secret) {
        Parsed {
            requireNonNull(tokenId, "tokenId");
            requireNonNull(secret, "secret");
        }
    }

    static String format(String tokenId, byte[] secret) {
        if (!isTokenId(tokenId) || secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("not a token id and secret: '" + tokenId + "', " + secret.length);
        }
        return PREFIX + tokenId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The id and secret of a well-formed token; empty for anything else (including null). */
    static Optional<Parsed> parse(String presented) {
        if (presented == null || presented.length() != TOKEN_CHARS || !presented.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String id = presented.substring(PREFIX.length(), PREFIX.length() + ID_CHARS);
        int separator = PREFIX.length() + ID_CHARS;
        if (!isTokenId(id) || presented.charAt(separator) != '_') {
            return Optional.empty();
        }
        String encoded = presented.substring(separator + 1);
        for (int i = 0; i < encoded.length(); i++) {
            if (!isBase64Url(encoded.charAt(i))) {
                return Optional.empty();
            }
        }
        byte[] secret = Base64.getUrlDecoder().decode(encoded);
        // 43 characters carry 258 bits: reject spellings whose two spare bits are set.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(secret).equals(encoded)) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(id, secret));
    }

    static boolean isTokenId(String text) {
        if (text == null || text.length() != ID_CHARS) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    static String newTokenId(byte[] randomIdBytes) {
        return HEX.formatHex(randomIdBytes);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** The bytes of a stored hex hash; a corrupt value gives bytes that match no secret rather than an exception. */
    static byte[] storedHash(String hex) {
        try {
            byte[] bytes = HEX.parseHex(hex);
            return bytes.length == 32 ? bytes : new byte[32];
        } catch (IllegalArgumentException e) {
            return new byte[32];
        }
    }

    static boolean sameHash(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
