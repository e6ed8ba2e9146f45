package dev.vigil.meta;

import dev.vigil.core.alert.Severity;
import dev.vigil.incidents.CaseStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One row of an incident list: what a list view shows, without the snapshot. */
public record IncidentSummary(
        String id,
        String title,
        Severity severity,
        CaseStatus status,
        Optional<String> assignee,
        double risk,
        Instant firstSeen,
        Instant lastSeen,
        long alertCount,
        Optional<String> mergedInto) {

    /** A page of summaries and how many incidents match in all. */
    public record Page(List<IncidentSummary> items, long total) {
        public Page {
            items = List.copyOf(items);
        }
    }
}
