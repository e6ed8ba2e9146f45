package dev.vigil.incidents;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.Severity;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of an incident: the alerts grouped by shared entities, as the {@link IncidentEngine} last saw them.
 *
 * @param id deterministic from the tenant and the id of the incident's first alert ({@link IncidentIds}), so a replay
 *     after a crash gives the same id
 * @param title generated from the most severe step and the hosts involved
 * @param severity the highest severity of its steps
 * @param risk the sum of its steps' risk
 * @param entities every entity of its steps, in the order first seen
 * @param steps the timeline: steps sorted by first-seen time, then alert id
 * @param alertCount alerts the incident stands for (repeats and alerts beyond the step limit included)
 * @param droppedSteps distinct alerts not kept as steps because the incident reached the step limit
 * @param mergedFrom ids of incidents merged into this one
 */
public record Incident(
        String id,
        TenantId tenant,
        String title,
        Severity severity,
        double risk,
        Instant firstSeen,
        Instant lastSeen,
        List<EntityRef> entities,
        List<IncidentStep> steps,
        long alertCount,
        long droppedSteps,
        List<String> mergedFrom) {
    public Incident {
        requireNonNull(id, "id");
        requireNonNull(tenant, "tenant");
        requireNonNull(title, "title");
        requireNonNull(severity, "severity");
        requireNonNull(firstSeen, "firstSeen");
        requireNonNull(lastSeen, "lastSeen");
        entities = List.copyOf(entities);
        steps = List.copyOf(steps);
        mergedFrom = List.copyOf(mergedFrom);
    }

    /** The attack chain: the tactics covered and the furthest reached. */
    public AttackChain attackChain() {
        return AttackChain.of(steps);
    }
}
