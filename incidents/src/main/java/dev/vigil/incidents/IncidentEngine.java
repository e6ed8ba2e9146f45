package dev.vigil.incidents;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.EntityType;
import dev.vigil.core.alert.Severity;
import dev.vigil.incidents.TenantIncidentState.EntityState;
import dev.vigil.incidents.TenantIncidentState.PendingAlert;
import dev.vigil.incidents.TenantIncidentState.StepKey;
import dev.vigil.incidents.TenantIncidentState.Touch;
import dev.vigil.incidents.TenantIncidentState.WorkingIncident;
import dev.vigil.incidents.TenantIncidentState.WorkingStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Groups alerts into incidents by the entities they share, risk-based.
 *
 * <p><b>Risk.</b> Each alert carries risk: {@link IncidentConfig#risk(Severity, int) its severity's risk times a
 * confidence factor}. The risk is added to each of the alert's <i>grouping entities</i> (hosts, users, addresses …: the
 * configured types, minus common entities, see below) and stays there for the window. When an entity's risk reaches
 * the threshold, an incident opens with the alert and every pending alert that shares a grouping entity with it. A
 * critical alert opens an incident at once. An alert with no grouping entity that does not open an incident is counted
 * as ungrouped.
 *
 * <p><b>Joining and merging.</b> An incident is open while its latest alert is no older than the window; an alert
 * sharing a grouping entity with an open incident joins it, whatever its risk, and pending alerts sharing a grouping
 * entity with the joining alert come along (one hop: their own neighbours do not). When an alert shares entities with
 * several open incidents, they are merged into the one that started first (then by id); the others are reported in
 * {@link IncidentUpdate.Kind#MERGED} with their ids, for the server to mark as merged. Incidents whose window passed are
 * closed ({@link IncidentUpdate.Kind#CLOSED}) and forgotten by the engine.
 *
 * <p><b>Repeats.</b> An alert of the same detector over the same entity set as a step of an open incident (or as a
 * pending alert) increments that step's count and adds its evidence, but no risk: a noisy rule alone must not open an
 * incident by repetition.
 *
 * <p><b>Common entities.</b> A DNS server's address or a domain everyone resolves would tie everything together. The
 * engine counts, for each non-host entity, the distinct hosts seen with it within the window (for alerts without a
 * host: the distinct other addresses); beyond {@link IncidentConfig#maxHostsPerEntity()} the entity is common: it stops
 * grouping and carrying risk until it has not been seen for a window. Entities in {@link IncidentConfig#neverGroup()}
 * never group. Both still appear in incidents' entity lists.
 *
 * <p><b>Time.</b> Alerts are expected in time order per tenant; the tenant's clock is the latest alert time, so a late
 * alert is grouped as if it arrived at that time. Everything is deterministic: the same alerts in the same order give
 * the same incidents with the same ids ({@link IncidentIds}), which is what lets the server replay after a crash.
 *
 * <p><b>Suppressions</b> drop matching alerts before grouping (counted per suppression); they expire by the tenant's
 * clock, and creation, expiry and deletion are returned as {@link SuppressionEvent}s for the audit log.
 *
 * <p>No I/O, no static state: the state lives in an {@link IncidentStateStore}. Not thread-safe.
 */
public final class IncidentEngine {
    private static final double EPSILON = 1e-9;
    private static final int MAX_ENTITIES_PER_INCIDENT = 1000;

    private final IncidentConfig config;
    private final IncidentStateStore store;

    public IncidentEngine(IncidentConfig config, IncidentStateStore store) {
        this.config = requireNonNull(config, "config");
        this.store = requireNonNull(store, "store");
    }

    public IncidentEngine(IncidentConfig config) {
        this(config, new InMemoryIncidentStateStore());
    }

    public IncidentConfig config() {
        return config;
    }

    /** What became of one alert. */
    public enum Disposition {
        /** It opened or joined an incident. */
        GROUPED,
        /** It repeated a step (of an incident, or of a pending alert): counted. */
        REPEATED,
        /** Its risk is held until the threshold is reached or the window passes. */
        PENDING,
        /** A suppression matched. */
        SUPPRESSED,
        /** It has no grouping entity and is not critical. */
        UNGROUPED
    }

    /**
     * The result of {@link #process}.
     *
     * @param incidentId the incident the alert is now part of, when it is
     * @param updates the incident changes to persist and notify, in order
     * @param suppressionEvents suppressions that expired at this alert's time
     */
    public record Outcome(
            Disposition disposition,
            Optional<String> incidentId,
            List<IncidentUpdate> updates,
            List<SuppressionEvent> suppressionEvents) {
        public Outcome {
            requireNonNull(disposition, "disposition");
            requireNonNull(incidentId, "incidentId");
            updates = List.copyOf(updates);
            suppressionEvents = List.copyOf(suppressionEvents);
        }
    }

    /** Counters and sizes of one tenant's state. */
    public record Stats(
            int openIncidents,
            int pendingAlerts,
            long suppressed,
            long ungrouped,
            long repeats,
            long commonEntities,
            long evictedPending,
            long closed,
            Map<String, Long> suppressionHits) {}

    /** Groups one alert. Alerts of a tenant must come in time order (late ones are handled as of the latest time). */
    public Outcome process(Alert alert) {
        requireNonNull(alert, "alert");
        TenantIncidentState st = store.state(alert.tenant());
        Instant now = st.watermark == null || alert.time().isAfter(st.watermark) ? alert.time() : st.watermark;
        st.watermark = now;
        List<IncidentUpdate> updates = new ArrayList<>();
        List<SuppressionEvent> audits = new ArrayList<>();
        expire(st, alert.tenant(), now, alert.id(), updates, audits);

        for (Suppression s : st.suppressions.values()) {
            if (s.matches(alert)) {
                st.suppressed++;
                st.suppressionHits.merge(s.id(), 1L, Long::sum);
                return new Outcome(Disposition.SUPPRESSED, Optional.empty(), updates, audits);
            }
        }

        StepKey key = StepKey.of(alert);
        WorkingIncident repeatedIn = st.incidentByStep.get(key);
        if (repeatedIn != null) {
            WorkingStep step = repeatedIn.steps.get(key);
            step.count++;
            step.snapshot = null;
            step.lastSeen = max(step.lastSeen, alert.time());
            addEvidence(step.evidence, alert.evidence());
            repeatedIn.alertCount++;
            touch(st, repeatedIn, alert.time());
            st.repeats++;
            updates.add(update(IncidentUpdate.Kind.ALERT_REPEATED, alert, repeatedIn, List.of()));
            return new Outcome(Disposition.REPEATED, Optional.of(repeatedIn.id), updates, audits);
        }
        PendingAlert pendingRepeat = st.pendingByKey.get(key);
        if (pendingRepeat != null) {
            pendingRepeat.count++;
            pendingRepeat.lastSeen = max(pendingRepeat.lastSeen, alert.time());
            addEvidence(pendingRepeat.evidence, alert.evidence());
            st.repeats++;
            return new Outcome(Disposition.REPEATED, Optional.empty(), updates, audits);
        }

        Set<EntityRef> grouping = groupingEntities(st, alert, now);
        double risk = config.risk(alert.severity(), alert.confidence());
        List<WorkingIncident> sharing = incidentsSharing(st, grouping);
        if (!sharing.isEmpty()) {
            WorkingIncident target = sharing.get(0);
            Severity before = target.severity;
            List<String> merged = new ArrayList<>();
            for (WorkingIncident other : sharing.subList(1, sharing.size())) {
                merge(st, target, other);
                merged.add(other.id);
            }
            addStep(st, target, alert, key, risk, 1, alert.time(), alert.evidence());
            attach(st, target, grouping, merged);
            pullPending(st, target, grouping, merged);
            touch(st, target, alert.time());
            updates.add(update(
                    merged.isEmpty() ? IncidentUpdate.Kind.ALERT_ADDED : IncidentUpdate.Kind.MERGED,
                    alert,
                    target,
                    merged));
            if (target.severity.compareTo(before) > 0) {
                updates.add(update(IncidentUpdate.Kind.SEVERITY_RAISED, alert, target, List.of()));
            }
            return new Outcome(Disposition.GROUPED, Optional.of(target.id), updates, audits);
        }

        boolean critical = alert.severity() == Severity.CRITICAL && config.criticalOpensAtOnce();
        if (grouping.isEmpty() && !critical) {
            st.ungrouped++;
            return new Outcome(Disposition.UNGROUPED, Optional.empty(), updates, audits);
        }
        PendingAlert pending = new PendingAlert(alert, key, risk, grouping, config.maxEvidencePerStep());
        boolean crossed = critical;
        for (EntityRef e : grouping) {
            EntityState es = st.entities.get(e);
            es.pending.addLast(pending);
            es.risk += risk;
            crossed |= es.risk + EPSILON >= config.riskThreshold();
        }
        st.pendingQueue.addLast(pending);
        st.pendingByKey.put(key, pending);
        st.pendingCount++;
        if (!crossed) {
            evictPendingOverLimit(st);
            return new Outcome(Disposition.PENDING, Optional.empty(), updates, audits);
        }
        List<PendingAlert> members = new ArrayList<>(collectPending(st, grouping));
        if (!members.contains(pending)) {
            members.add(pending);
        }
        for (PendingAlert p : members) {
            forget(st, p);
        }
        members.sort(Comparator.comparing((PendingAlert p) -> p.alert.time()).thenComparing(p -> p.alert.id()));
        WorkingIncident incident = new WorkingIncident(
                IncidentIds.of(alert.tenant(), members.get(0).alert.id()));
        st.open.put(incident.id, incident);
        List<String> merged = new ArrayList<>();
        for (PendingAlert p : members) {
            addStep(st, incident, p.alert, p.key, p.risk, p.count, p.lastSeen, p.evidence);
            attach(st, incident, p.grouping, merged);
        }
        touch(st, incident, alert.time());
        updates.add(update(IncidentUpdate.Kind.OPENED, alert, incident, merged));
        return new Outcome(Disposition.GROUPED, Optional.of(incident.id), updates, audits);
    }

    /**
     * Moves a tenant's clock to {@code now} without an alert (a timer, when alerts stop): closes incidents whose window
     * passed and expires suppressions. Times before the tenant's clock change nothing.
     */
    public Outcome advance(TenantId tenant, Instant now) {
        TenantIncidentState st = store.state(tenant);
        if (st.watermark == null || now.isAfter(st.watermark)) {
            st.watermark = now;
        }
        List<IncidentUpdate> updates = new ArrayList<>();
        List<SuppressionEvent> audits = new ArrayList<>();
        expire(st, tenant, st.watermark, "", updates, audits);
        return new Outcome(Disposition.PENDING, Optional.empty(), updates, audits);
    }

    // ---------------------------------------------------------------- suppressions

    /** Adds (or replaces, by id) a suppression; returns the audit event. */
    public SuppressionEvent addSuppression(Suppression suppression) {
        store.state(suppression.tenant()).suppressions.put(suppression.id(), suppression);
        return new SuppressionEvent(
                SuppressionEvent.Kind.CREATED, suppression, suppression.author(), suppression.createdAt());
    }

    /** Deletes a suppression of the tenant; empty when it has none of that id. */
    public Optional<SuppressionEvent> deleteSuppression(TenantId tenant, String id, String actor, Instant at) {
        Suppression removed = store.state(tenant).suppressions.remove(id);
        return removed == null
                ? Optional.empty()
                : Optional.of(new SuppressionEvent(SuppressionEvent.Kind.DELETED, removed, actor, at));
    }

    /** The tenant's active suppressions. */
    public List<Suppression> suppressions(TenantId tenant) {
        return List.copyOf(store.state(tenant).suppressions.values());
    }

    // ---------------------------------------------------------------- views

    /** Snapshots of the tenant's open incidents, oldest first. */
    public List<Incident> openIncidents(TenantId tenant) {
        TenantIncidentState st = store.state(tenant);
        List<Incident> out = new ArrayList<>();
        for (WorkingIncident w : st.open.values()) {
            out.add(snapshot(tenant, w));
        }
        out.sort(Comparator.comparing(Incident::firstSeen).thenComparing(Incident::id));
        return out;
    }

    public Stats stats(TenantId tenant) {
        TenantIncidentState st = store.state(tenant);
        return new Stats(
                st.open.size(),
                st.pendingCount,
                st.suppressed,
                st.ungrouped,
                st.repeats,
                st.commonEntities,
                st.evictedPending,
                st.closed,
                Map.copyOf(st.suppressionHits));
    }

    // ---------------------------------------------------------------- grouping

    private Set<EntityRef> groupingEntities(TenantIncidentState st, Alert alert, Instant now) {
        List<String> anchors = new ArrayList<>();
        for (EntityRef e : alert.entities()) {
            if (e.type() == EntityType.HOST) {
                anchors.add(e.value());
            }
        }
        boolean hostless = anchors.isEmpty();
        if (hostless) {
            for (EntityRef e : alert.entities()) {
                if (e.type() == EntityType.IP) {
                    anchors.add(e.value());
                }
            }
        }
        Set<EntityRef> out = new LinkedHashSet<>();
        for (EntityRef e : alert.entities()) {
            if (!config.groupingTypes().contains(e.type())
                    || config.neverGroup().contains(e)) {
                continue;
            }
            EntityState es = st.entities.get(e);
            if (es == null) {
                es = new EntityState();
                st.entities.put(e, es);
            }
            if (es.lastSeen == null) {
                st.entityTouches.addLast(new Touch<>(now, e));
            }
            if (es.lastSeen == null || now.isAfter(es.lastSeen)) {
                es.lastSeen = now;
            }
            if (!es.common && e.type() != EntityType.HOST) {
                for (String a : anchors) {
                    if (!(hostless && a.equals(e.value()))) {
                        es.anchors.add(a);
                    }
                }
                if (es.anchors.size() > config.maxHostsPerEntity()) {
                    becomeCommon(st, e, es);
                }
            }
            if (!es.common) {
                out.add(e);
            }
        }
        return out;
    }

    private static void becomeCommon(TenantIncidentState st, EntityRef e, EntityState es) {
        es.common = true;
        es.anchors.clear();
        es.pending.clear();
        es.risk = 0;
        st.commonEntities++;
        WorkingIncident w = st.incidentByEntity.remove(e);
        if (w != null) {
            w.grouping.remove(e);
        }
    }

    private static List<WorkingIncident> incidentsSharing(TenantIncidentState st, Set<EntityRef> grouping) {
        List<WorkingIncident> out = new ArrayList<>(2);
        for (EntityRef e : grouping) {
            WorkingIncident w = st.incidentByEntity.get(e);
            if (w != null && !out.contains(w)) {
                out.add(w);
            }
        }
        out.sort(Comparator.comparing((WorkingIncident w) -> w.firstSeen).thenComparing(w -> w.id));
        return out;
    }

    /** Ties entities to an incident; an entity tied to another open incident merges that one in. */
    private void attach(TenantIncidentState st, WorkingIncident target, Set<EntityRef> grouping, List<String> merged) {
        for (EntityRef e : grouping) {
            WorkingIncident other = st.incidentByEntity.get(e);
            if (other != null && other != target) {
                WorkingIncident keep = target;
                merge(st, keep, other);
                merged.add(other.id);
            }
            st.incidentByEntity.put(e, target);
            target.grouping.add(e);
        }
    }

    private void pullPending(
            TenantIncidentState st, WorkingIncident target, Set<EntityRef> grouping, List<String> merged) {
        List<PendingAlert> members = collectPending(st, grouping);
        for (PendingAlert p : members) {
            forget(st, p);
        }
        for (PendingAlert p : members) {
            addStep(st, target, p.alert, p.key, p.risk, p.count, p.lastSeen, p.evidence);
            attach(st, target, p.grouping, merged);
        }
    }

    private static List<PendingAlert> collectPending(TenantIncidentState st, Set<EntityRef> grouping) {
        Set<PendingAlert> out = new LinkedHashSet<>();
        for (EntityRef e : grouping) {
            EntityState es = st.entities.get(e);
            if (es == null) {
                continue;
            }
            for (PendingAlert p : es.pending) {
                if (!p.gone) {
                    out.add(p);
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** Removes a pending alert from the pending structures (it joined an incident, expired or was evicted). */
    private static void forget(TenantIncidentState st, PendingAlert p) {
        if (p.gone) {
            return;
        }
        p.gone = true;
        st.pendingCount--;
        st.pendingQueue.remove(p);
        st.pendingByKey.remove(p.key, p);
        for (EntityRef e : p.grouping) {
            EntityState es = st.entities.get(e);
            if (es != null && !es.common) {
                es.risk = Math.max(0, es.risk - p.risk);
                es.pending.remove(p);
            }
        }
    }

    private void evictPendingOverLimit(TenantIncidentState st) {
        Iterator<PendingAlert> it = st.pendingQueue.iterator();
        while (st.pendingCount > config.maxPendingAlerts() && it.hasNext()) {
            PendingAlert oldest = it.next();
            it.remove();
            forget(st, oldest);
            st.evictedPending++;
        }
    }

    private void addStep(
            TenantIncidentState st,
            WorkingIncident w,
            Alert alert,
            StepKey key,
            double risk,
            long count,
            Instant lastSeen,
            List<Long> evidence) {
        w.alertCount += count;
        w.firstSeen = w.firstSeen == null ? alert.time() : min(w.firstSeen, alert.time());
        setLastSeen(st, w, lastSeen);
        w.severity = w.severity.max(alert.severity());
        WorkingStep existing = w.steps.get(key);
        if (existing != null) {
            existing.count += count;
            existing.snapshot = null;
            existing.lastSeen = max(existing.lastSeen, lastSeen);
            addEvidence(existing.evidence, evidence);
            return;
        }
        if (w.steps.size() >= config.maxStepsPerIncident()) {
            w.droppedSteps++;
            return;
        }
        w.risk += risk;
        List<Long> kept = evidence.subList(0, Math.min(evidence.size(), config.maxEvidencePerStep()));
        w.steps.put(key, new WorkingStep(alert, risk, count, lastSeen, kept));
        w.timeline = null;
        st.incidentByStep.put(key, w);
        for (EntityRef e : alert.entities()) {
            if (w.entities.size() >= MAX_ENTITIES_PER_INCIDENT) {
                break;
            }
            w.entities.add(e);
        }
    }

    private void merge(TenantIncidentState st, WorkingIncident target, WorkingIncident other) {
        st.open.remove(other.id);
        st.openByLastSeen.remove(other);
        for (Map.Entry<StepKey, WorkingStep> s : other.steps.entrySet()) {
            WorkingStep step = s.getValue();
            st.incidentByStep.remove(s.getKey(), other);
            addStep(st, target, step.first, s.getKey(), step.risk, step.count, step.lastSeen, step.evidence);
            target.alertCount -= step.count; // addStep counted it; the total is added below
        }
        target.alertCount += other.alertCount;
        target.droppedSteps += other.droppedSteps;
        for (EntityRef e : other.entities) {
            if (target.entities.size() >= MAX_ENTITIES_PER_INCIDENT) {
                break;
            }
            target.entities.add(e);
        }
        for (EntityRef e : other.grouping) {
            st.incidentByEntity.put(e, target);
            target.grouping.add(e);
        }
        target.mergedFrom.add(other.id);
        target.mergedFrom.addAll(other.mergedFrom);
        target.severity = target.severity.max(other.severity);
        target.firstSeen = min(target.firstSeen, other.firstSeen);
        setLastSeen(st, target, other.lastSeen);
    }

    private void addEvidence(List<Long> to, List<Long> more) {
        for (Long seq : more) {
            if (to.size() >= config.maxEvidencePerStep()) {
                return;
            }
            if (!to.contains(seq)) {
                to.add(seq);
            }
        }
    }

    private static void touch(TenantIncidentState st, WorkingIncident w, Instant time) {
        setLastSeen(st, w, time);
    }

    /** Moves an incident's latest time forward, keeping {@code openByLastSeen} ordered (remove, change, re-add). */
    private static void setLastSeen(TenantIncidentState st, WorkingIncident w, Instant time) {
        if (w.lastSeen != null && !time.isAfter(w.lastSeen)) {
            return;
        }
        boolean tracked = w.lastSeen != null && st.openByLastSeen.remove(w);
        w.lastSeen = time;
        if (tracked || (w.lastSeen != null && st.open.containsKey(w.id))) {
            st.openByLastSeen.add(w);
        }
    }

    // ---------------------------------------------------------------- expiry

    private void expire(
            TenantIncidentState st,
            TenantId tenant,
            Instant now,
            String alertId,
            List<IncidentUpdate> updates,
            List<SuppressionEvent> audits) {
        Instant cutoff = now.minus(config.window());
        while (!st.openByLastSeen.isEmpty()
                && st.openByLastSeen.first().lastSeen.isBefore(cutoff)) {
            WorkingIncident w = st.openByLastSeen.pollFirst();
            st.open.remove(w.id);
            for (EntityRef e : w.grouping) {
                st.incidentByEntity.remove(e, w);
            }
            for (StepKey k : w.steps.keySet()) {
                st.incidentByStep.remove(k, w);
            }
            st.closed++;
            updates.add(new IncidentUpdate(IncidentUpdate.Kind.CLOSED, snapshot(tenant, w), alertId, List.of()));
        }
        for (Iterator<PendingAlert> it = st.pendingQueue.iterator(); it.hasNext(); ) {
            PendingAlert p = it.next();
            if (!p.alert.time().isBefore(cutoff)) {
                break;
            }
            it.remove();
            forget(st, p);
        }
        while (!st.entityTouches.isEmpty()
                && st.entityTouches.peekFirst().time().isBefore(cutoff)) {
            EntityRef e = st.entityTouches.pollFirst().key();
            EntityState es = st.entities.get(e);
            if (es == null) {
                continue;
            }
            if (es.lastSeen.isBefore(cutoff) && es.pending.isEmpty()) {
                st.entities.remove(e);
            } else {
                st.entityTouches.addLast(new Touch<>(es.lastSeen, e));
            }
        }
        if (!st.suppressions.isEmpty()) {
            for (Iterator<Suppression> it = st.suppressions.values().iterator(); it.hasNext(); ) {
                Suppression s = it.next();
                if (s.expiredAt(now)) {
                    it.remove();
                    audits.add(new SuppressionEvent(
                            SuppressionEvent.Kind.EXPIRED,
                            s,
                            SuppressionEvent.SYSTEM,
                            s.expiresAt().orElseThrow()));
                }
            }
        }
    }

    // ---------------------------------------------------------------- snapshots

    private IncidentUpdate update(IncidentUpdate.Kind kind, Alert alert, WorkingIncident w, List<String> merged) {
        return new IncidentUpdate(kind, snapshot(alert.tenant(), w), alert.id(), merged);
    }

    static Incident snapshot(TenantId tenant, WorkingIncident w) {
        if (w.timeline == null) {
            List<WorkingStep> order = new ArrayList<>(w.steps.values());
            order.sort(Comparator.comparing((WorkingStep s) -> s.firstSeen).thenComparing(s -> s.first.id()));
            w.timeline = order;
        }
        List<IncidentStep> steps = new ArrayList<>(w.timeline.size());
        for (WorkingStep s : w.timeline) {
            if (s.snapshot == null) {
                Alert a = s.first;
                s.snapshot = new IncidentStep(
                        a.id(),
                        a.detectorKind(),
                        a.detectorId(),
                        a.title(),
                        a.severity(),
                        a.confidence(),
                        s.risk,
                        s.firstSeen,
                        s.lastSeen,
                        s.count,
                        a.entities(),
                        a.tactics(),
                        a.techniques(),
                        s.evidence);
            }
            steps.add(s.snapshot);
        }
        List<EntityRef> entities = List.copyOf(w.entities);
        return new Incident(
                w.id,
                tenant,
                IncidentTitles.title(steps, entities),
                w.severity,
                w.risk,
                w.firstSeen,
                w.lastSeen,
                entities,
                steps,
                w.alertCount,
                w.droppedSteps,
                w.mergedFrom);
    }

    private static Instant min(Instant a, Instant b) {
        return b.isBefore(a) ? b : a;
    }

    private static Instant max(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }
}
