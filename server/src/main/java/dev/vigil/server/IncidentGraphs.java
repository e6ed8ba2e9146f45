package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.console.IncidentViews;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.EntityType;
import dev.vigil.incidents.EntityGraph;
import dev.vigil.incidents.EntityGraphBuilder;
import dev.vigil.incidents.EvidenceEvent;
import dev.vigil.incidents.Incident;
import dev.vigil.incidents.IncidentStep;
import dev.vigil.incidents.SlaPolicy;
import dev.vigil.search.Query;
import dev.vigil.store.EventStore;
import dev.vigil.store.StoredEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Entity graphs of incidents from the stored events, one implementation for the API ({@code /incidents/{id}/graph})
 * and the console's incident page, and the SLA policy both show.
 *
 * <p>The graph covers the incident's evidence events (those retention has not removed yet) and the context around
 * them: logons, connections, file writes and DNS queries on the incident's hosts within its time span (widened by
 * {@link #CONTEXT_MARGIN}, at most {@link #MAX_CONTEXT_EVENTS}), which is what links one alert's host to the next one's
 * and traces the attack back to where it came from.
 */
final class IncidentGraphs implements IncidentViews {
    private static final int MAX_GRAPH_EVENTS = 2000;
    private static final int MAX_CONTEXT_EVENTS = 500;
    private static final int MAX_CONTEXT_HOSTS = 25;
    private static final Duration CONTEXT_MARGIN = Duration.ofMinutes(30);

    private final EventStore store;
    private final SlaPolicy sla;

    IncidentGraphs(EventStore store, SlaPolicy sla) {
        this.store = requireNonNull(store, "store");
        this.sla = requireNonNull(sla, "sla");
    }

    @Override
    public SlaPolicy sla() {
        return sla;
    }

    @Override
    public EntityGraph graph(Incident incident) {
        Set<Long> seqs = new LinkedHashSet<>();
        for (IncidentStep step : incident.steps()) {
            for (Long seq : step.evidence()) {
                if (seqs.size() < MAX_GRAPH_EVENTS) {
                    seqs.add(seq);
                }
            }
        }
        List<EvidenceEvent> evidence = new ArrayList<>();
        for (StoredEvent e : store.events(incident.tenant(), seqs)) {
            evidence.add(new EvidenceEvent(e.seq(), e.event()));
        }
        List<Query> hosts = new ArrayList<>();
        int hostCount = 0;
        for (EntityRef e : incident.entities()) {
            if (e.type() == EntityType.HOST && hostCount < MAX_CONTEXT_HOSTS) {
                String pattern = escapeWildcard(e.value()) + "*";
                hosts.add(new Query.Wildcard("Computer", pattern));
                hosts.add(new Query.Wildcard("host.name", pattern));
                hostCount++;
            }
        }
        if (!hosts.isEmpty()) {
            Query linking = new Query.Or(List.of(
                    new Query.Term("EventID", "3"),
                    new Query.Term("EventID", "11"),
                    new Query.Term("EventID", "22"),
                    new Query.Term("EventID", "4624"),
                    new Query.Term("event.category", "authentication"),
                    new Query.Term("event.category", "network")));
            Query context = new Query.And(List.of(linking, new Query.Or(hosts)));
            for (StoredEvent e : store.search(
                            incident.tenant(),
                            context,
                            incident.firstSeen().minus(CONTEXT_MARGIN),
                            incident.lastSeen().plus(CONTEXT_MARGIN),
                            MAX_CONTEXT_EVENTS,
                            0)
                    .events()) {
                if (!seqs.contains(e.seq())) {
                    evidence.add(new EvidenceEvent(e.seq(), e.event()));
                }
            }
        }
        evidence.sort(Comparator.comparingLong(EvidenceEvent::sequence));
        return EntityGraphBuilder.of(evidence);
    }

    private static String escapeWildcard(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?");
    }
}
