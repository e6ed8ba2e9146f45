package dev.vigil.console;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.DetectorKind;
import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorType;
import dev.vigil.search.Query;
import dev.vigil.store.AlertFilter;
import dev.vigil.store.AlertPage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Threat intelligence of one tenant ({@code /t/{tenant}/intel}): the feeds and their last pulls, an indicator search
 * over the global indicators and the tenant's own, and the recent indicator matches (alerts of kind intel), each
 * linking to a search for the value that matched. Other tenants' indicators and feeds never appear.
 */
public final class IntelPage implements ConsolePage {
    static final int PAGE_SIZE = 50;
    static final int MATCHES = 20;

    /** An indicator as the page shows it. */
    public record Row(Indicator indicator, boolean live, String tlpClass, List<String> techniques) {}

    /** A recent match and the search that finds the events holding the value. */
    public record Match(Alert alert, String field, String value, String searchUrl) {}

    public record Model(
            String range,
            String q,
            String type,
            String source,
            List<String> types,
            long visible,
            IndicatorSearch.Result result,
            List<Row> rows,
            int page,
            boolean morePages,
            List<IntelView.Feed> feeds,
            long matchesTotal,
            List<Match> matches) {
        /** The query string of the search, for paging links. */
        public String filters() {
            return "range=" + Html.q(range) + "&q=" + Html.q(q) + "&type=" + Html.q(type) + "&source=" + Html.q(source);
        }
    }

    @Override
    public void register(ConsoleRouter router) {
        router.tenantGet("/intel", Access.VIEW, this::page);
    }

    void page(PageRequest r) {
        r.render("intel.jte", "nav.intel", "intel", model(r.services(), r.tenant(), r));
    }

    static Model model(ConsoleServices s, TenantId tenant, PageRequest r) {
        String q = r.query("q", 2048);
        String typeParam = r.query("type", 16);
        String source = r.query("source", 256);
        int page = AlertsPage.parsePage(r.query("page", 6));
        IndicatorType type = parseType(typeParam);
        Instant now = s.clock().instant();
        TimeRange range = TimeRange.parse(r.query("range", 8), now);
        IndicatorSearch search = new IndicatorSearch(s.intel().indicators());
        IndicatorSearch.Result result =
                search.search(tenant, new IndicatorSearch.Query(q, type, source), now, page * PAGE_SIZE, PAGE_SIZE);
        List<Row> rows = new ArrayList<>();
        for (Indicator i : result.page()) {
            rows.add(new Row(
                    i,
                    i.isLiveAt(now),
                    "tlp-" + i.tlp().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    List.copyOf(i.references().attackTechniques())));
        }
        long shown = (long) page * PAGE_SIZE + result.page().size();
        boolean more = shown < Math.min(result.total(), IndicatorSearch.MAX_COLLECTED);
        List<IntelView.Feed> feeds = s.intel().feeds().stream()
                .filter(f -> f.tenant() == null || f.tenant().equals(tenant.value()))
                .toList();
        AlertPage matches = s.events()
                .alerts(tenant, range.from(), range.to(), new AlertFilter(null, null, DetectorKind.INTEL), MATCHES, 0);
        List<Match> out = new ArrayList<>();
        for (Alert a : matches.alerts()) {
            String field = a.details().get("field") instanceof String f ? f : "";
            String value = a.details().get("value") instanceof String v ? v : "";
            String url = field.isEmpty() || value.isEmpty()
                    ? "/t/" + tenant.value() + "/alerts?range=" + Html.q(range.key()) + "&rule="
                            + Html.q(a.detectorId())
                    : "/t/" + tenant.value() + "/search?range=" + Html.q(range.key()) + "&q="
                            + Html.q(SearchPage.refine(new Query.MatchAll(), field, value));
            out.add(new Match(a, field, value, url));
        }
        return new Model(
                range.key(),
                q,
                type == null ? "" : type.name().toLowerCase(Locale.ROOT),
                source,
                Arrays.stream(IndicatorType.values())
                        .map(t -> t.name().toLowerCase(Locale.ROOT))
                        .toList(),
                search.count(tenant),
                result,
                rows,
                page,
                more,
                feeds,
                matches.total(),
                out);
    }

    private static IndicatorType parseType(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return IndicatorType.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConsoleException(
                    400,
                    "type: one of " + Arrays.toString(IndicatorType.values()).toLowerCase(Locale.ROOT));
        }
    }
}
