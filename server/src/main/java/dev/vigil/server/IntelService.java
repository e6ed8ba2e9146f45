package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertConfidence;
import dev.vigil.core.alert.AlertEntities;
import dev.vigil.core.alert.DetectorKind;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.EntityType;
import dev.vigil.core.alert.Severity;
import dev.vigil.intel.EventObservables;
import dev.vigil.intel.ImportResult;
import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorIndex;
import dev.vigil.intel.IndicatorLookup;
import dev.vigil.intel.IndicatorMatch;
import dev.vigil.intel.IndicatorSource;
import dev.vigil.intel.IndicatorType;
import dev.vigil.intel.IntelMatcher;
import dev.vigil.intel.csv.CsvMapping;
import dev.vigil.meta.MetadataStore;
import dev.vigil.meta.Tenant;
import dev.vigil.search.Query;
import dev.vigil.store.EventStore;
import dev.vigil.store.SearchResult;
import dev.vigil.store.StoredEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's threat-intelligence knowledge base: indicators live in the metadata database (global ones and each
 * tenant's own), and in memory as one immutable {@link IndicatorIndex} that the pipeline matches every event against.
 *
 * <p>An import parses a file with the intel module's importers, merges each indicator with the one already known under
 * the same key (two feeds, one indicator with both sources), stores them, swaps in a new index, and then retro-hunts:
 * the indicators that were not known before are looked for in the stored events of the last {@code retro_hunt_days}.
 * The retro-hunt asks the store for candidate events by text (or by address range for CIDR indicators) and confirms each
 * with the same matcher the pipeline uses, so both raise the same alert with the same id for the same event.
 *
 * <p>Imports made by another process (the {@code vigil intel import} command on the same data directory) raise the
 * database's intel version; {@link #refreshIfChanged()} notices and reloads.
 */
final class IntelService {
    private static final Logger LOG = LoggerFactory.getLogger(IntelService.class);
    private static final int RETRO_HUNT_BATCH = 100;
    private static final int RETRO_HUNT_MAX_EVENTS = 100_000;
    private static final int RETRO_HUNT_PAGE = 1000;

    /** What one import did, retro-hunt included. */
    record ImportReport(ImportResult result, int stored, int merged, long eventsSearched, int retroHuntAlerts) {}

    private final MetadataStore meta;
    private final EventStore store;
    private final Clock clock;
    private final Duration retroHunt;
    private final IntelMatcher matcher = new IntelMatcher(EventObservables.defaults(), Clock.systemUTC());
    private volatile IndicatorIndex index = IndicatorIndex.builder().build();
    private volatile long loadedVersion = -1;
    private volatile Consumer<List<Alert>> retroHuntListener = alerts -> {};

    IntelService(MetadataStore meta, EventStore store, Duration retroHunt, Clock clock) {
        this.meta = requireNonNull(meta, "meta");
        this.store = requireNonNull(store, "store");
        this.retroHunt = requireNonNull(retroHunt, "retroHunt");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Where retro-hunt alerts go after they are stored (incidents, notifications). */
    void onRetroHuntAlerts(Consumer<List<Alert>> listener) {
        this.retroHuntListener = requireNonNull(listener, "listener");
    }

    IndicatorLookup index() {
        return index;
    }

    /** Loads every stored indicator into a new index. */
    synchronized void load() {
        long version = meta.intelVersion();
        index = IntelImports.load(meta, LOG::warn);
        loadedVersion = version;
        LOG.info("threat intel: {} indicators loaded", index.size());
    }

    /**
     * Reloads when another process (the {@code vigil intel import} command) changed the indicators, and retro-hunts
     * the ones that are new. The maintenance thread calls this every few seconds.
     */
    synchronized void refreshIfChanged() {
        if (meta.intelVersion() == loadedVersion) {
            return;
        }
        IndicatorIndex before = index;
        load();
        List<Indicator> fresh = new ArrayList<>();
        index.forEach(i -> {
            if (!before.contains(i.key())) {
                fresh.add(i);
            }
        });
        if (!fresh.isEmpty() && retroHunt.toDays() > 0) {
            long[] searched = {0};
            int alerts = retroHunt(fresh, searched);
            LOG.info(
                    "retro-hunt of {} new indicators: {} events searched, {} alerts",
                    fresh.size(),
                    searched[0],
                    alerts);
        }
    }

    /**
     * Imports one file's indicators into {@code scope} (a tenant, or {@code null} for global ones), then retro-hunts
     * the new ones.
     *
     * @param csv the column mapping of a CSV file (ignored for the other formats)
     */
    synchronized ImportReport importFile(
            String source, IntelImports.Format format, byte[] bytes, TenantId scope, CsvMapping csv) {
        return importParsed(IntelImports.parse(source, format, bytes, scope, csv));
    }

    /** Stores what an importer produced (merging with known indicators), reloads, and retro-hunts the new ones. */
    synchronized ImportReport importParsed(ImportResult result) {
        IntelImports.Stored stored = IntelImports.store(meta, index, result);
        load();
        long[] searched = {0};
        int alerts = retroHunt.toDays() > 0 ? retroHunt(stored.fresh(), searched) : 0;
        return new ImportReport(result, stored.stored(), stored.merged(), searched[0], alerts);
    }

    /**
     * Looks for the new indicators in the stored events of the retro-hunt window and stores an alert per match.
     *
     * @return the alerts stored
     */
    private int retroHunt(List<Indicator> fresh, long[] searched) {
        if (fresh.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        IndicatorIndex delta = IndicatorIndex.builder().addAll(fresh).build();
        List<TenantId> tenants = new ArrayList<>();
        boolean anyGlobal = fresh.stream().anyMatch(Indicator::isGlobal);
        for (Tenant t : meta.tenants()) {
            if (anyGlobal || fresh.stream().anyMatch(i -> t.id().equals(i.tenant()))) {
                tenants.add(t.id());
            }
        }
        int stored = 0;
        for (TenantId tenant : tenants) {
            List<Alert> alerts = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            for (int from = 0; from < fresh.size() && searched[0] < RETRO_HUNT_MAX_EVENTS; from += RETRO_HUNT_BATCH) {
                Query candidates =
                        candidates(fresh.subList(from, Math.min(fresh.size(), from + RETRO_HUNT_BATCH)), tenant);
                if (candidates == null) {
                    continue;
                }
                for (int offset = 0; searched[0] < RETRO_HUNT_MAX_EVENTS; offset += RETRO_HUNT_PAGE) {
                    SearchResult page = store.search(
                            tenant, candidates, now.minus(retroHunt), now.plusSeconds(1), RETRO_HUNT_PAGE, offset);
                    for (StoredEvent e : page.events()) {
                        searched[0]++;
                        if (seen.add(e.seq())) {
                            alerts.addAll(alerts(e.event(), e.seq(), e.received(), delta, now, true));
                        }
                    }
                    if (page.events().size() < RETRO_HUNT_PAGE) {
                        break;
                    }
                }
            }
            if (searched[0] >= RETRO_HUNT_MAX_EVENTS) {
                LOG.warn(
                        "retro-hunt stopped after {} candidate events; narrow the window (intel.retro_hunt_days)",
                        RETRO_HUNT_MAX_EVENTS);
            }
            if (!alerts.isEmpty()) {
                store.writeAlerts(alerts);
                stored += alerts.size();
                retroHuntListener.accept(alerts);
            }
        }
        return stored;
    }

    /** Events that may hold one of these indicators: their text contains the value, or an address in the range. */
    private static Query candidates(List<Indicator> batch, TenantId tenant) {
        List<Query> any = new ArrayList<>();
        for (Indicator i : batch) {
            if (!i.isGlobal() && !i.tenant().equals(tenant)) {
                continue;
            }
            if (i.type() == IndicatorType.CIDR) {
                for (String field : EventObservables.defaults().table().keySet()) {
                    if (EventObservables.defaults().table().get(field) == EventObservables.Kind.ADDRESS) {
                        any.add(new Query.Cidr(field, i.value()));
                    }
                }
            } else {
                any.add(new Query.Term(null, i.value()));
            }
        }
        return any.isEmpty() ? null : new Query.Or(any);
    }

    /** The indicator alerts of one event (the pipeline calls this for every event it stores). */
    List<Alert> alerts(Event event, long seq, Instant received) {
        IndicatorIndex current = index;
        if (current.size() == 0) {
            return List.of();
        }
        return alerts(event, seq, received, current, null, false);
    }

    private List<Alert> alerts(
            Event event, long seq, Instant received, IndicatorLookup lookup, Instant at, boolean retroHunt) {
        List<IndicatorMatch> matches = at == null ? matcher.match(event, lookup) : matcher.match(event, lookup, at);
        if (matches.isEmpty()) {
            return List.of();
        }
        Map<Indicator.Key, IndicatorMatch> first = new LinkedHashMap<>();
        for (IndicatorMatch m : matches) {
            if (event.tenant().equals(m.indicator().tenant()) || m.indicator().isGlobal()) {
                first.putIfAbsent(m.indicator().key(), m);
            }
        }
        List<Alert> out = new ArrayList<>(first.size());
        for (IndicatorMatch m : first.values()) {
            out.add(alert(event, seq, received, m, retroHunt));
        }
        return out;
    }

    static Alert alert(Event event, long seq, Instant received, IndicatorMatch m, boolean retroHunt) {
        Indicator i = m.indicator();
        String type = i.type().name().toLowerCase(Locale.ROOT);
        String detectorId = "intel:" + type + ":" + i.value();
        String title = "Threat-intel match: " + type.replace('_', ' ') + " " + i.value();
        int confidence =
                i.confidence() == IndicatorSource.UNKNOWN_CONFIDENCE ? 50 : AlertConfidence.clamp(i.confidence());
        Alert.Builder a = Alert.builder()
                .id(AlertIds.of(event.tenant(), detectorId, title, seq))
                .tenant(event.tenant())
                .time(event.timestamp() != null ? event.timestamp() : received)
                .severity(severity(i))
                .detectorKind(DetectorKind.INTEL)
                .detector(detectorId, title)
                .confidence(confidence)
                .entities(AlertEntities.extract(event))
                .techniques(i.references().attackTechniques())
                .evidence(seq)
                .detail("field", m.field())
                .detail("value", m.value())
                .detail("indicator", indicatorDetails(i));
        entityOf(i.type(), m.value()).ifPresent(a::entity);
        if (retroHunt) {
            a.detail("retro_hunt", true);
        }
        return a.build();
    }

    /** High for confident indicators and those tied to malware, medium otherwise, low for weak ones. */
    static Severity severity(Indicator i) {
        int c = i.confidence();
        if (c >= 80 || (!i.references().malware().isEmpty() && c != 0)) {
            return Severity.HIGH;
        }
        if (c == IndicatorSource.UNKNOWN_CONFIDENCE || c >= 40) {
            return Severity.MEDIUM;
        }
        return Severity.LOW;
    }

    private static java.util.Optional<EntityRef> entityOf(IndicatorType type, String value) {
        EntityType t = switch (type) {
            case IPV4, IPV6, CIDR -> EntityType.IP;
            case DOMAIN -> EntityType.DOMAIN;
            case URL -> EntityType.URL;
            case MD5, SHA1, SHA256 -> EntityType.FILE_HASH;
            case FILE_NAME -> EntityType.FILE;
            case EMAIL -> null;
        };
        return t == null ? java.util.Optional.empty() : EntityRef.of(t, value);
    }

    static Map<String, Object> indicatorDetails(Indicator i) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("type", i.type().name().toLowerCase(Locale.ROOT));
        d.put("value", i.value());
        d.put("scope", i.isGlobal() ? "global" : i.tenant().value());
        d.put("tlp", i.tlp().label());
        List<Map<String, Object>> sources = new ArrayList<>();
        for (IndicatorSource s : i.sources()) {
            Map<String, Object> m = new HashMap<>();
            m.put("feed", s.feed());
            m.put("id", s.externalId());
            m.put("confidence", (long) s.confidence());
            sources.add(m);
        }
        d.put("sources", sources);
        d.put("tags", List.copyOf(i.tags()));
        d.put("malware", List.copyOf(i.references().malware()));
        d.put("campaigns", List.copyOf(i.references().campaigns()));
        d.put("threat_actors", List.copyOf(i.references().threatActors()));
        d.put("valid_until", i.validUntil() == null ? null : i.validUntil().toString());
        String description = i.description();
        d.put("description", description.length() > 500 ? description.substring(0, 500) + "…" : description);
        return d;
    }

    /** Problems of an import as the API and the CLI print them. */
    static List<String> describe(List<Problem> problems, int max) {
        List<String> out = new ArrayList<>();
        for (Problem p : problems) {
            if (out.size() == max) {
                out.add("… and " + (problems.size() - max) + " more");
                break;
            }
            out.add(p.toString());
        }
        return out;
    }
}
