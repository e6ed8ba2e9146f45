package dev.vigil.server;

import dev.vigil.core.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Alert identities that do not depend on when or how often an event is processed: the tenant, the rule and the log
 * sequence of the event that fired it. A replay after a crash therefore produces the same id for the same alert, and
 * the store keeps it once.
 */
final class AlertIds {
    private AlertIds() {}

    static String of(TenantId tenant, String ruleId, String ruleTitle, long triggeringSequence) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(tenant.value().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update((ruleId.isEmpty() ? ruleTitle : ruleId).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Long.toString(triggeringSequence).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
