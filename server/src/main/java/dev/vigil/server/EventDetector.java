package dev.vigil.server;

import dev.vigil.core.Event;
import dev.vigil.core.alert.Alert;
import java.time.Instant;
import java.util.List;

/**
 * A detector the pipeline runs on every event it stores, beside the Sigma rules: threat-intel matching today, anomaly
 * and network detectors later. Called on the pipeline thread in log order; must be quick and must not block.
 */
@FunctionalInterface
interface EventDetector {
    /** The alerts this event raises; {@code seq} is its log sequence (the evidence reference). */
    List<Alert> detect(Event event, long seq, Instant received);

    /** Called about once a second between batches, to pick up changed settings or knowledge. */
    default void refresh() {}
}
