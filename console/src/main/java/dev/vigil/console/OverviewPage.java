package dev.vigil.console;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.incidents.CaseStatus;
import dev.vigil.meta.IncidentQuery;
import dev.vigil.meta.IncidentSummary;
import dev.vigil.search.Query;
import dev.vigil.store.AlertAttackCounts;
import dev.vigil.store.AlertFilter;
import dev.vigil.store.AlertLevelBucket;
import dev.vigil.store.EventStore;
import dev.vigil.store.FieldCounts;
import dev.vigil.store.FieldPresence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The situation at a glance: one tenant's ({@code /t/{tenant}/overview}) or the roll-up of all the user may see. */
public final class OverviewPage implements ConsolePage {
    private static final int TOP_VALUES = 5;
    private static final int OPEN_INCIDENTS_SHOWN = 5;
    static final List<String> HOST_FIELDS = List.of("Computer", "host.name");
    static final List<String> USER_FIELDS = List.of("User", "user.name", "TargetUserName");
    static final List<String> SOURCE_FIELDS = List.of("source.ip", "IpAddress", "SourceIp");

    /** A top-N list of a field, each value linking to a search for it. */
    public record Top(String field, List<SearchPage.Value> values) {}

    public record Model(
            String range,
            double eventsPerSecond,
            long queueDepth,
            long events,
            long alerts,
            String alertChart,
            List<FieldCounts.Bucket> topRules,
            Top hosts,
            Top users,
            Top sources,
            List<Alert> recent,
            AttackHeat attack,
            IncidentSummary.Page openIncidents) {}

    /** One tenant's line in the roll-up. */
    public record TenantRow(String tenant, long events, long alerts, long highOrCritical, long openIncidents) {}

    /** Incidents whose case is new or in progress, most recently active first. */
    static IncidentSummary.Page openIncidents(ConsoleServices s, TenantId tenant, int limit) {
        return s.metadata()
                .incidents()
                .list(
                        tenant,
                        IncidentQuery.all()
                                .withStatuses(Set.of(CaseStatus.NEW, CaseStatus.IN_PROGRESS))
                                .withPage(limit, 0));
    }

    public record Rollup(
            String range,
            double eventsPerSecond,
            long queueDepth,
            List<TenantRow> rows,
            String alertChart,
            AttackHeat attack) {}

    @Override
    public void register(ConsoleRouter router) {
        router.tenantGet("/overview", Access.VIEW, this::tenant);
        router.get("/overview", Access.VIEW, this::rollup);
    }

    void tenant(PageRequest r) {
        r.render("overview.jte", "nav.overview", "overview", model(r.services(), r.tenant(), r.query("range", 8)));
    }

    static Model model(ConsoleServices s, TenantId tenant, String rangeKey) {
        TimeRange range = TimeRange.parse(rangeKey, s.clock().instant());
        EventStore store = s.events();
        Duration bucket = EventStore.histogramBucket(range.from(), range.to());
        List<AlertLevelBucket> levels = store.alertHistogram(tenant, range.from(), range.to(), bucket);
        long alerts = levels.stream().mapToLong(AlertLevelBucket::count).sum();
        // The event total and which host, user and address fields the range has in one scan, then one count-by per
        // family for the first name it has, not one per name.
        List<String> fields = new ArrayList<>(HOST_FIELDS);
        fields.addAll(USER_FIELDS);
        fields.addAll(SOURCE_FIELDS);
        FieldPresence counts = store.fieldPresence(tenant, new Query.MatchAll(), range.from(), range.to(), fields);
        return new Model(
                range.key(),
                s.pipeline().eventsPerSecond(),
                s.pipeline().queueDepth(),
                counts.total(),
                alerts,
                Charts.alertsByLevel(levels, range.from(), range.to(), bucket),
                store.topAlertRules(tenant, range.from(), range.to(), 8).buckets(),
                top(store, counts, tenant, range, HOST_FIELDS),
                top(store, counts, tenant, range, USER_FIELDS),
                top(store, counts, tenant, range, SOURCE_FIELDS),
                store.alerts(tenant, range.from(), range.to(), AlertFilter.ALL, 10, 0)
                        .alerts(),
                AttackHeat.of(
                        store.alertAttackCounts(tenant, range.from(), range.to()),
                        s.attack().knowledgeBase()),
                openIncidents(s, tenant, OPEN_INCIDENTS_SHOWN));
    }

    /** The top values of the first of {@code fields} that any event has (Windows and ECS name the same thing apart). */
    private static Top top(
            EventStore store, FieldPresence presence, TenantId tenant, TimeRange range, List<String> fields) {
        for (String field : fields) {
            if (!presence.mayHave(field)) {
                continue;
            }
            FieldCounts counts =
                    store.countBy(tenant, new Query.MatchAll(), range.from(), range.to(), field, TOP_VALUES);
            if (!counts.buckets().isEmpty()) {
                List<SearchPage.Value> values = new ArrayList<>();
                for (FieldCounts.Bucket b : counts.buckets()) {
                    String q = SearchPage.refine(new Query.MatchAll(), field, b.value());
                    values.add(new SearchPage.Value(
                            b.value(),
                            b.count(),
                            "/t/" + tenant.value() + "/search?range=" + Html.q(range.key()) + "&q=" + Html.q(q)));
                }
                return new Top(field, values);
            }
        }
        return new Top(fields.get(0), List.of());
    }

    void rollup(PageRequest r) {
        ConsoleServices s = r.services();
        TimeRange range = TimeRange.parse(r.query("range", 8), s.clock().instant());
        Duration bucket = EventStore.histogramBucket(range.from(), range.to());
        List<TenantRow> rows = new ArrayList<>();
        List<AlertLevelBucket> all = new ArrayList<>();
        List<AlertAttackCounts> attack = new ArrayList<>();
        for (TenantId t : r.user().tenants()) {
            List<AlertLevelBucket> levels = s.events().alertHistogram(t, range.from(), range.to(), bucket);
            all.addAll(levels);
            attack.add(s.events().alertAttackCounts(t, range.from(), range.to()));
            long high = levels.stream()
                    .filter(b -> Levels.rank(b.level()) >= Levels.rank("high"))
                    .mapToLong(AlertLevelBucket::count)
                    .sum();
            rows.add(new TenantRow(
                    t.value(),
                    s.events().count(t, new Query.MatchAll(), range.from(), range.to()),
                    levels.stream().mapToLong(AlertLevelBucket::count).sum(),
                    high,
                    openIncidents(s, t, 1).total()));
        }
        r.render(
                "rollup.jte",
                "nav.rollup",
                "rollup",
                new Rollup(
                        range.key(),
                        s.pipeline().eventsPerSecond(),
                        s.pipeline().queueDepth(),
                        rows,
                        Charts.alertsByLevel(all, range.from(), range.to(), bucket),
                        AttackHeat.of(AttackHeat.sum(attack), s.attack().knowledgeBase())));
    }
}
