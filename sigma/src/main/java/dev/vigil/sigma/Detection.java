package dev.vigil.sigma;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import dev.vigil.core.SourceRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A rule that fired. For a detection rule, {@code event} is the event it matched and {@code sources} holds that
 * event's source. For a correlation, {@code event} is the event that completed it, {@code groupBy} holds the group-by
 * values and {@code sources} the sources of all the events that made it, in time order.
 */
public record Detection(
        RuleRef rule,
        Instant timestamp,
        Event event,
        Map<String, Object> groupBy,
        List<SourceRef> sources,
        boolean correlation) {
    public Detection {
        requireNonNull(rule, "rule");
        requireNonNull(event, "event");
        groupBy = groupBy == null ? Map.of() : groupBy;
        sources = sources == null ? List.of() : List.copyOf(sources);
    }
}
