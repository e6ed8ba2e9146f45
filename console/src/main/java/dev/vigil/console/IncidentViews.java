package dev.vigil.console;

import dev.vigil.incidents.EntityGraph;
import dev.vigil.incidents.Incident;
import dev.vigil.incidents.SlaPolicy;

/**
 * What the incident pages need beyond the metadata store (which holds incidents and cases): the entity graph of an
 * incident, which the server builds from stored events the same way for the API and the console, and the SLA policy
 * the server runs with.
 */
public interface IncidentViews {
    /** The graph of the incident's evidence events and their context; the incident is already tenant-checked. */
    EntityGraph graph(Incident incident);

    /** The SLA timers cases are measured against. */
    SlaPolicy sla();
}
