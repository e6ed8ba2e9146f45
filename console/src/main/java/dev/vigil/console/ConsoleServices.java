package dev.vigil.console;

import static java.util.Objects.requireNonNull;

import dev.vigil.meta.MetadataStore;
import dev.vigil.store.EventStore;
import java.time.Clock;

/**
 * What the console's pages read and change: the event store (search, counts, alerts), the metadata (tenants, tokens,
 * rule settings, console users, incidents and cases), the rule list, pipeline figures, the clock that decides "now"
 * and the incidents' entity graphs and SLA policy.
 */
public record ConsoleServices(
        EventStore events,
        MetadataStore metadata,
        RuleCatalog rules,
        PipelineStats pipeline,
        Clock clock,
        IncidentViews incidents) {
    public ConsoleServices {
        requireNonNull(events, "events");
        requireNonNull(metadata, "metadata");
        requireNonNull(rules, "rules");
        requireNonNull(pipeline, "pipeline");
        requireNonNull(clock, "clock");
        requireNonNull(incidents, "incidents");
    }
}
