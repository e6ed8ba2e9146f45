package dev.vigil.incidents;

import java.time.Instant;

/**
 * A case's SLA timers at a moment: when acknowledgement and resolution are due and whether either was (or is already)
 * missed. A breach stays a breach once the case is acknowledged or resolved late.
 */
public record SlaStatus(
        Instant acknowledgeDue, Instant resolveDue, boolean acknowledgeBreached, boolean resolveBreached) {}
