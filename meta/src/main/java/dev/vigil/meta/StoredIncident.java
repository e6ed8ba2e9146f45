package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

import dev.vigil.incidents.Case;
import dev.vigil.incidents.Incident;
import java.util.Optional;

/**
 * An incident as stored: the engine's latest snapshot and the analysts' case.
 *
 * @param mergedInto the incident this one was merged into, when it was
 */
public record StoredIncident(Incident incident, Case kase, Optional<String> mergedInto) {
    public StoredIncident {
        requireNonNull(incident, "incident");
        requireNonNull(kase, "kase");
        requireNonNull(mergedInto, "mergedInto");
    }
}
