package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.alert.Severity;
import dev.vigil.incidents.CaseStatus;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A filter and page over a tenant's incidents, newest activity first.
 *
 * @param statuses case statuses to include; empty for all
 * @param minSeverity the least severity to include
 * @param assignee only incidents assigned to this person
 * @param from only incidents active at or after this time (last seen ≥ from)
 * @param to only incidents that started before this time (first seen &lt; to)
 * @param includeMerged whether incidents merged into another are listed
 * @param limit 1 to {@value #MAX_LIMIT}
 * @param offset rows to skip
 */
public record IncidentQuery(
        Set<CaseStatus> statuses,
        Optional<Severity> minSeverity,
        Optional<String> assignee,
        Optional<Instant> from,
        Optional<Instant> to,
        boolean includeMerged,
        int limit,
        int offset) {
    public static final int MAX_LIMIT = 1000;

    public IncidentQuery {
        statuses = Set.copyOf(statuses);
        requireNonNull(minSeverity, "minSeverity");
        requireNonNull(assignee, "assignee");
        requireNonNull(from, "from");
        requireNonNull(to, "to");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", got " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, got " + offset);
        }
    }

    /** Everything not merged away, 50 per page. */
    public static IncidentQuery all() {
        return new IncidentQuery(
                Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, 50, 0);
    }

    public IncidentQuery withStatuses(Set<CaseStatus> s) {
        return new IncidentQuery(s, minSeverity, assignee, from, to, includeMerged, limit, offset);
    }

    public IncidentQuery withMinSeverity(Severity s) {
        return new IncidentQuery(statuses, Optional.of(s), assignee, from, to, includeMerged, limit, offset);
    }

    public IncidentQuery withAssignee(String a) {
        return new IncidentQuery(statuses, minSeverity, Optional.of(a), from, to, includeMerged, limit, offset);
    }

    public IncidentQuery withTimeRange(Instant f, Instant t) {
        return new IncidentQuery(
                statuses, minSeverity, assignee, Optional.of(f), Optional.of(t), includeMerged, limit, offset);
    }

    public IncidentQuery withPage(int newLimit, int newOffset) {
        return new IncidentQuery(statuses, minSeverity, assignee, from, to, includeMerged, newLimit, newOffset);
    }
}
