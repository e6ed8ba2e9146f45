package dev.vigil.console;

import static java.util.Objects.requireNonNull;

import dev.vigil.meta.MetadataStore;
import dev.vigil.store.EventStore;
import java.time.Clock;

/**
 * What the console's pages read and change: the event store (search, counts, alerts), the metadata (tenants, tokens,
 * rule settings, console users, incidents and cases), the rule list, pipeline figures, the clock that decides "now",
 * the incidents' entity graphs and SLA policy; threat intelligence, the ATT&amp;CK knowledge base and the read-only
 * view of the server's settings.
 */
public record ConsoleServices(
        EventStore events,
        MetadataStore metadata,
        RuleCatalog rules,
        PipelineStats pipeline,
        Clock clock,
        IncidentViews incidents,
        IntelView intel,
        AttackView attack,
        SettingsView settings) {
    public ConsoleServices {
        requireNonNull(events, "events");
        requireNonNull(metadata, "metadata");
        requireNonNull(rules, "rules");
        requireNonNull(pipeline, "pipeline");
        requireNonNull(clock, "clock");
        requireNonNull(incidents, "incidents");
        requireNonNull(intel, "intel");
        requireNonNull(attack, "attack");
        requireNonNull(settings, "settings");
    }

    /** Without threat intelligence, ATT&amp;CK or settings to show (their pages say so). */
    public ConsoleServices(
            EventStore events,
            MetadataStore metadata,
            RuleCatalog rules,
            PipelineStats pipeline,
            Clock clock,
            IncidentViews incidents) {
        this(
                events,
                metadata,
                rules,
                pipeline,
                clock,
                incidents,
                IntelView.none(),
                AttackView.none(),
                SettingsView.none());
    }
}
