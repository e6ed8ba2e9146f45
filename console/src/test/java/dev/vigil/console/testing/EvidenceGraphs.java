package dev.vigil.console.testing;

import static java.util.Objects.requireNonNull;

import dev.vigil.console.IncidentViews;
import dev.vigil.incidents.EntityGraph;
import dev.vigil.incidents.EntityGraphBuilder;
import dev.vigil.incidents.EvidenceEvent;
import dev.vigil.incidents.Incident;
import dev.vigil.incidents.IncidentStep;
import dev.vigil.incidents.SlaPolicy;
import dev.vigil.store.EventStore;
import dev.vigil.store.StoredEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Incident graphs for the console's tests: the graph of the incident's evidence events in the store, without the
 * server's context search around them (the tests' incidents carry every event they need as evidence).
 */
public final class EvidenceGraphs implements IncidentViews {
    private final EventStore store;
    private final SlaPolicy sla;

    public EvidenceGraphs(EventStore store, SlaPolicy sla) {
        this.store = requireNonNull(store, "store");
        this.sla = requireNonNull(sla, "sla");
    }

    @Override
    public EntityGraph graph(Incident incident) {
        Set<Long> seqs = new LinkedHashSet<>();
        for (IncidentStep s : incident.steps()) {
            seqs.addAll(s.evidence());
        }
        List<EvidenceEvent> evidence = new ArrayList<>();
        for (StoredEvent e : store.events(incident.tenant(), seqs)) {
            evidence.add(new EvidenceEvent(e.seq(), e.event()));
        }
        evidence.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        return EntityGraphBuilder.of(evidence);
    }

    @Override
    public SlaPolicy sla() {
        return sla;
    }
}
