package dev.vigil.incidents;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.alert.AttackTactic;
import dev.vigil.core.alert.DetectorKind;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.Severity;
import java.time.Instant;
import java.util.List;

/**
 * One step of an incident's timeline: an alert, and its repeats (the same rule over the same entities) counted.
 *
 * @param alertId the id of the first alert of the step
 * @param count how many alerts the step stands for (1 plus the repeats)
 * @param risk the risk the step added (repeats add none)
 * @param evidence evidence event sequence numbers of the step's alerts, at most the configured number
 */
public record IncidentStep(
        String alertId,
        DetectorKind detectorKind,
        String detectorId,
        String title,
        Severity severity,
        int confidence,
        double risk,
        Instant firstSeen,
        Instant lastSeen,
        long count,
        List<EntityRef> entities,
        List<AttackTactic> tactics,
        List<String> techniques,
        List<Long> evidence) {
    public IncidentStep {
        requireNonNull(alertId, "alertId");
        requireNonNull(detectorKind, "detectorKind");
        requireNonNull(detectorId, "detectorId");
        requireNonNull(title, "title");
        requireNonNull(severity, "severity");
        requireNonNull(firstSeen, "firstSeen");
        requireNonNull(lastSeen, "lastSeen");
        entities = List.copyOf(entities);
        tactics = List.copyOf(tactics);
        techniques = List.copyOf(techniques);
        evidence = List.copyOf(evidence);
    }
}
