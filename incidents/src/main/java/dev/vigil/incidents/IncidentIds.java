package dev.vigil.incidents;

import dev.vigil.core.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Incident ids: {@code inc-} and 24 hex digits of SHA-256 over the tenant and the first alert's id. */
public final class IncidentIds {
    private IncidentIds() {}

    public static String of(TenantId tenant, String firstAlertId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(tenant.value().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(firstAlertId.getBytes(StandardCharsets.UTF_8));
            return "inc-" + HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
