package dev.vigil.incidents;

import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.Severity;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the {@link IncidentEngine} remembers about one tenant: open incidents, alerts still below the threshold,
 * per-entity risk and fan-out, suppressions and counters. Opaque outside this package; an {@link IncidentStateStore}
 * only holds one per tenant. Used from one thread.
 */
public final class TenantIncidentState {
    /** The latest alert time seen: the engine's clock for this tenant. */
    Instant watermark;

    final Map<String, WorkingIncident> open = new LinkedHashMap<>();
    final Map<EntityRef, WorkingIncident> incidentByEntity = new HashMap<>();
    final Map<StepKey, WorkingIncident> incidentByStep = new HashMap<>();
    /** Open incidents by latest alert time, to close them when the window passes; see {@link IncidentEngine}. */
    final TreeSet<WorkingIncident> openByLastSeen = new TreeSet<>(
            Comparator.comparing((WorkingIncident w) -> w.lastSeen).thenComparing(w -> w.id));

    final Map<EntityRef, EntityState> entities = new HashMap<>();
    /**
     * One entry per entity state, pushed when it is created and pushed again (with its latest time) when it is found
     * still in use at expiry; so states are forgotten between one and two windows after they were last seen.
     */
    final ArrayDeque<Touch<EntityRef>> entityTouches = new ArrayDeque<>();

    /** Pending alerts in arrival order (identity set: removal when one joins an incident is O(1)). */
    final LinkedHashSet<PendingAlert> pendingQueue = new LinkedHashSet<>();

    final Map<StepKey, PendingAlert> pendingByKey = new HashMap<>();
    int pendingCount;

    final Map<String, Suppression> suppressions = new LinkedHashMap<>();
    final Map<String, Long> suppressionHits = new HashMap<>();

    long suppressed;
    long ungrouped;
    long repeats;
    long commonEntities;
    long evictedPending;
    long closed;

    public TenantIncidentState() {}

    record Touch<T>(Instant time, T key) {}

    /** What makes two alerts repeats of one step: the same detector over the same entities. */
    record StepKey(String detectorId, List<EntityRef> entities) {
        static StepKey of(Alert alert) {
            List<EntityRef> sorted = new ArrayList<>(alert.entities());
            sorted.sort(null);
            return new StepKey(alert.detectorId(), List.copyOf(sorted));
        }
    }

    /** An alert that has not (yet) reached an incident, with its repeats. */
    static final class PendingAlert {
        final Alert alert;
        final StepKey key;
        final double risk;
        final Set<EntityRef> grouping;
        final List<Long> evidence;
        long count = 1;
        Instant lastSeen;
        boolean gone;

        PendingAlert(Alert alert, StepKey key, double risk, Set<EntityRef> grouping, int maxEvidence) {
            this.alert = alert;
            this.key = key;
            this.risk = risk;
            this.grouping = grouping;
            this.lastSeen = alert.time();
            this.evidence = new ArrayList<>(alert.evidence()
                    .subList(0, Math.min(maxEvidence, alert.evidence().size())));
        }
    }

    /** Risk and fan-out of one entity within the window. */
    static final class EntityState {
        final ArrayDeque<PendingAlert> pending = new ArrayDeque<>();
        final Set<String> anchors = new HashSet<>();
        double risk;
        boolean common;
        Instant lastSeen;
    }

    /** One step of an open incident, mutable until the incident closes. */
    static final class WorkingStep {
        final Alert first;
        final double risk;
        final List<Long> evidence;
        Instant firstSeen;
        Instant lastSeen;
        long count;
        /** The step's last snapshot; null after a change. Snapshots rebuild only changed steps. */
        IncidentStep snapshot;

        WorkingStep(Alert first, double risk, long count, Instant lastSeen, List<Long> evidence) {
            this.first = first;
            this.risk = risk;
            this.count = count;
            this.firstSeen = first.time();
            this.lastSeen = lastSeen;
            this.evidence = new ArrayList<>(evidence);
        }
    }

    /** An open incident, mutable; {@link IncidentEngine} snapshots it into an {@link Incident}. */
    static final class WorkingIncident {
        final String id;
        final LinkedHashMap<StepKey, WorkingStep> steps = new LinkedHashMap<>();
        final LinkedHashSet<EntityRef> entities = new LinkedHashSet<>();
        final Set<EntityRef> grouping = new HashSet<>();
        final List<String> mergedFrom = new ArrayList<>();
        /** The steps in timeline order; null after a step was added, so it is sorted again only then. */
        List<WorkingStep> timeline;

        Severity severity = Severity.INFORMATIONAL;
        double risk;
        Instant firstSeen;
        Instant lastSeen;
        long alertCount;
        long droppedSteps;

        WorkingIncident(String id) {
            this.id = id;
        }
    }
}
