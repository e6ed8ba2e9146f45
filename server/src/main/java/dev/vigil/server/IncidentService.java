package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.incidents.Incident;
import dev.vigil.incidents.IncidentConfig;
import dev.vigil.incidents.IncidentEngine;
import dev.vigil.incidents.IncidentUpdate;
import dev.vigil.incidents.Suppression;
import dev.vigil.incidents.SuppressionEvent;
import dev.vigil.meta.IncidentRepository;
import dev.vigil.meta.MetadataStore;
import dev.vigil.meta.Tenant;
import dev.vigil.store.AlertFilter;
import dev.vigil.store.AlertPage;
import dev.vigil.store.EventStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the alerts the pipeline commits into incidents: the {@link IncidentEngine} groups them, this service saves each
 * changed incident (its last state per batch), records merges and expired suppressions, and tells listeners
 * (notifications) about openings and severity raises.
 *
 * <p>The engine's state lives in memory. After a restart the service feeds it the stored alerts of the last grouping
 * window again, oldest first, with listeners muted: incident ids derive from the tenant and the first alert, so the
 * replay rebuilds the same incidents and the saves only rewrite what is already there (case fields are kept by the
 * repository).
 */
final class IncidentService implements Consumer<List<Alert>> {
    private static final Logger LOG = LoggerFactory.getLogger(IncidentService.class);
    private static final int WARM_UP_PAGE = 1000;
    private static final int WARM_UP_MAX_ALERTS = 200_000;

    private final IncidentEngine engine;
    private final IncidentRepository repository;
    private final MetadataStore meta;
    private final EventStore store;
    private final Clock clock;
    private final List<Consumer<IncidentUpdate>> listeners = new CopyOnWriteArrayList<>();
    private boolean muted;

    IncidentService(IncidentConfig config, MetadataStore meta, EventStore store, Clock clock) {
        this.engine = new IncidentEngine(requireNonNull(config, "config"));
        this.meta = requireNonNull(meta, "meta");
        this.repository = meta.incidents();
        this.store = requireNonNull(store, "store");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Called with each opening, added alert, merge and severity raise after it is saved. */
    void onUpdate(Consumer<IncidentUpdate> listener) {
        listeners.add(listener);
    }

    /** Loads suppressions and replays the stored alerts of the last window into the engine. */
    synchronized void warmUp() {
        Instant now = clock.instant();
        Instant from = now.minus(engine.config().window());
        muted = true;
        try {
            for (Tenant t : meta.tenants()) {
                for (Suppression s : repository.activeSuppressions(t.id(), now)) {
                    engine.addSuppression(s);
                }
                List<Alert> recent = new ArrayList<>();
                for (int offset = 0; offset < WARM_UP_MAX_ALERTS; offset += WARM_UP_PAGE) {
                    AlertPage page =
                            store.alerts(t.id(), from, now.plusSeconds(1), AlertFilter.ALL, WARM_UP_PAGE, offset);
                    recent.addAll(page.alerts());
                    if (page.alerts().size() < WARM_UP_PAGE) {
                        break;
                    }
                }
                if (!recent.isEmpty()) {
                    LOG.info(
                            "incidents of {}: replaying {} alerts of the last {}",
                            t.id(),
                            recent.size(),
                            engine.config().window());
                    accept(recent);
                }
            }
        } finally {
            muted = false;
        }
    }

    /** Groups a committed batch's alerts (the pipeline's alert listener). */
    @Override
    public synchronized void accept(List<Alert> alerts) {
        List<Alert> ordered = new ArrayList<>(alerts);
        ordered.sort(Comparator.comparing(Alert::time).thenComparing(Alert::id));
        List<IncidentUpdate> updates = new ArrayList<>();
        List<SuppressionEvent> expired = new ArrayList<>();
        for (Alert a : ordered) {
            IncidentEngine.Outcome outcome = engine.process(a);
            updates.addAll(outcome.updates());
            expired.addAll(outcome.suppressionEvents());
        }
        persist(updates, expired);
    }

    /** Closes incidents whose window passed without alerts; the maintenance timer calls this. */
    synchronized void advance() {
        Instant now = clock.instant();
        List<IncidentUpdate> updates = new ArrayList<>();
        List<SuppressionEvent> expired = new ArrayList<>();
        for (Tenant t : meta.tenants()) {
            IncidentEngine.Outcome outcome = engine.advance(t.id(), now);
            updates.addAll(outcome.updates());
            expired.addAll(outcome.suppressionEvents());
        }
        persist(updates, expired);
    }

    synchronized Suppression addSuppression(Suppression s) {
        repository.saveSuppression(s);
        engine.addSuppression(s);
        return s;
    }

    synchronized boolean deleteSuppression(TenantId tenant, String id, String actor) {
        Instant now = clock.instant();
        Optional<SuppressionEvent> deleted = engine.deleteSuppression(tenant, id, actor, now);
        boolean stored = repository.deleteSuppression(tenant, id, actor, now);
        return deleted.isPresent() || stored;
    }

    synchronized List<Suppression> suppressions(TenantId tenant) {
        return engine.suppressions(tenant);
    }

    IncidentRepository repository() {
        return repository;
    }

    private void persist(List<IncidentUpdate> updates, List<SuppressionEvent> expired) {
        Instant now = clock.instant();
        Map<String, Incident> latest = new LinkedHashMap<>();
        for (IncidentUpdate u : updates) {
            latest.put(u.incident().id(), u.incident());
        }
        for (Incident i : latest.values()) {
            repository.save(i, now);
        }
        for (IncidentUpdate u : updates) {
            if (u.kind() == IncidentUpdate.Kind.MERGED) {
                for (String absorbed : u.mergedIds()) {
                    repository.markMerged(
                            u.incident().tenant(), absorbed, u.incident().id(), now);
                }
            }
        }
        for (SuppressionEvent e : expired) {
            repository.recordExpiry(e);
        }
        if (muted) {
            return;
        }
        for (IncidentUpdate u : updates) {
            for (Consumer<IncidentUpdate> l : listeners) {
                try {
                    l.accept(u);
                } catch (RuntimeException e) {
                    LOG.warn("an incident listener failed", e);
                }
            }
        }
    }
}
