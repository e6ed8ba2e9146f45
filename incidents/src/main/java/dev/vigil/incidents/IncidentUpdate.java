package dev.vigil.incidents;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A change to an incident, for the server to persist and notify.
 *
 * @param incident the incident after the change
 * @param alertId the alert that caused it (for {@link Kind#CLOSED}: the alert whose time closed the window)
 * @param mergedIds for {@link Kind#MERGED}: the incidents absorbed into this one (the server should mark them merged)
 */
public record IncidentUpdate(Kind kind, Incident incident, String alertId, List<String> mergedIds) {
    public IncidentUpdate {
        requireNonNull(kind, "kind");
        requireNonNull(incident, "incident");
        requireNonNull(alertId, "alertId");
        mergedIds = List.copyOf(mergedIds);
    }

    public enum Kind {
        /** A new incident. */
        OPENED,
        /** A new step joined the incident. */
        ALERT_ADDED,
        /** A repeat of an existing step: its count went up. */
        ALERT_REPEATED,
        /** Other incidents were merged into this one. */
        MERGED,
        /** The incident's severity went up. */
        SEVERITY_RAISED,
        /** The window passed without new alerts; later alerts on its entities open a new incident. */
        CLOSED
    }
}
