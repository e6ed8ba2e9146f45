package dev.vigil.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The HMAC-SHA256 signatures of the webhook and the chat robots. */
public final class Signatures {
    private Signatures() {}

    static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // An empty key is not allowed by SecretKeySpec; the schemes here never use one.
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    /**
     * Vigil's webhook signature: {@code sha256=} and the lower-case hex HMAC-SHA256, keyed by the shared secret, of the
     * {@code X-Vigil-Timestamp} value, a full stop, and the exact body bytes.
     */
    public static String webhook(String secret, long timestampSeconds, byte[] body) {
        byte[] prefix = (timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, data, 0, prefix.length);
        System.arraycopy(body, 0, data, prefix.length, body.length);
        return "sha256=" + HexFormat.of().formatHex(hmacSha256(secret.getBytes(StandardCharsets.UTF_8), data));
    }

    /**
     * DingTalk's custom robot signature before URL encoding: Base64 of HMAC-SHA256 keyed by the secret over {@code
     * timestampMillis + "\n" + secret}.
     */
    public static String dingTalk(String secret, long timestampMillis) {
        byte[] mac = hmacSha256(
                secret.getBytes(StandardCharsets.UTF_8),
                (timestampMillis + "\n" + secret).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac);
    }

    /**
     * Feishu's (Lark's) custom bot signature: Base64 of HMAC-SHA256 keyed by {@code timestampSeconds + "\n" + secret}
     * over an empty message.
     */
    public static String feishu(String secret, long timestampSeconds) {
        byte[] mac = hmacSha256((timestampSeconds + "\n" + secret).getBytes(StandardCharsets.UTF_8), new byte[0]);
        return Base64.getEncoder().encodeToString(mac);
    }
}
