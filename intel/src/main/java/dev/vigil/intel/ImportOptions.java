package dev.vigil.intel;

import dev.vigil.core.TenantId;

/**
 * What an import applies to every indicator, and its limits.
 *
 * @param tenant the tenant the indicators belong to, or {@code null} for global indicators
 * @param maxBytes the largest input accepted; a larger one is refused with a problem, nothing imported
 * @param includeNonDetection whether to import what the feed marks as not for detection (MISP attributes with
 *     {@code to_ids: false}); off by default, since MISP uses the flag to keep context such as a victim's address out
 *     of detection
 */
public record ImportOptions(TenantId tenant, long maxBytes, boolean includeNonDetection) {
    /** 512 MiB: a STIX bundle of a million indicators is about 400 MiB. */
    public static final long DEFAULT_MAX_BYTES = 512L << 20;

    public static final ImportOptions DEFAULTS = new ImportOptions(null, DEFAULT_MAX_BYTES, false);

    public ImportOptions {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
    }

    public ImportOptions withTenant(TenantId newTenant) {
        return new ImportOptions(newTenant, maxBytes, includeNonDetection);
    }

    public ImportOptions withMaxBytes(long newMaxBytes) {
        return new ImportOptions(tenant, newMaxBytes, includeNonDetection);
    }

    public ImportOptions withNonDetection(boolean include) {
        return new ImportOptions(tenant, maxBytes, include);
    }
}
