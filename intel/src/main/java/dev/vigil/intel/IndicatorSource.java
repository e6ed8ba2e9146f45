package dev.vigil.intel;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One feed's statement about an indicator.
 *
 * @param feed the name the caller gave the import (a feed, a file, a TAXII collection)
 * @param externalId the object's id in that feed (a STIX id, a MISP attribute uuid, a CSV line), or "" when none
 * @param confidence 0 to 100, or {@link #UNKNOWN_CONFIDENCE} when the feed gave none
 * @param firstSeen when the feed first saw it, or {@code null}
 * @param lastSeen when the feed last saw it, or {@code null}
 */
public record IndicatorSource(String feed, String externalId, int confidence, Instant firstSeen, Instant lastSeen) {
    public static final int UNKNOWN_CONFIDENCE = -1;

    public IndicatorSource {
        requireNonNull(feed, "feed");
        requireNonNull(externalId, "externalId");
        if (confidence < UNKNOWN_CONFIDENCE || confidence > 100) {
            throw new IllegalArgumentException("confidence must be 0 to 100 (or -1 for unknown): " + confidence);
        }
    }
}
