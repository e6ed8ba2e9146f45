package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An alert raised by a rule over stored events.
 *
 * @param id deterministic (derived from the rule and its evidence), so a replayed alert is recognised and ignored
 * @param level a Sigma level: informational, low, medium, high or critical
 * @param eventSeqs the {@link StoredEvent#seq() sequence numbers} of the evidence events
 * @param details free-form JSON-able values (String, Long, Double, Boolean, null, List, Map)
 */
public record StoredAlert(
        String id,
        TenantId tenant,
        Instant time,
        String ruleId,
        String ruleTitle,
        String level,
        List<String> tags,
        List<Long> eventSeqs,
        Map<String, Object> details) {
    public StoredAlert {
        requireNonNull(id, "id");
        requireNonNull(tenant, "tenant");
        requireNonNull(time, "time");
        requireNonNull(ruleId, "ruleId");
        requireNonNull(ruleTitle, "ruleTitle");
        requireNonNull(level, "level");
        AlertLevel.rank(level);
        tags = List.copyOf(tags);
        eventSeqs = List.copyOf(eventSeqs);
        details = details == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }
}
