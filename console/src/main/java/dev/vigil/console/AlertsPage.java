package dev.vigil.console;

import dev.vigil.core.alert.Alert;
import dev.vigil.meta.AlertTriage;
import dev.vigil.meta.ConsoleAccounts;
import dev.vigil.store.AlertFilter;
import dev.vigil.store.AlertPage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The alert queue: filters (level, rule, time range), pages of 50, and bulk triage (acknowledge, false positive) with a
 * comment, stored in the metadata and audited. The table is an htmx fragment, so filtering and triage swap only it.
 */
public final class AlertsPage implements ConsolePage {
    static final int PAGE_SIZE = 50;
    private static final int MAX_SELECTED = PAGE_SIZE;

    public record Row(Alert alert, AlertTriage triage) {
        public String status() {
            return triage == null ? "new" : triage.status().wireName();
        }
    }

    public record Model(String range, String level, String rule, int page, long total, List<Row> rows, String notice) {
        public boolean hasNext() {
            return (long) (page + 1) * PAGE_SIZE < total;
        }

        /** The query string of these filters, for paging links and the fragment URL. */
        public String filters() {
            return "range=" + Html.q(range) + "&level=" + Html.q(level) + "&rule=" + Html.q(rule);
        }
    }

    @Override
    public void register(ConsoleRouter router) {
        router.tenantGet("/alerts", Access.VIEW, r -> r.render("alerts.jte", "nav.alerts", "alerts", model(r, "")));
        router.tenantGet("/alerts/table", Access.VIEW, r -> r.fragment("alerts_table.jte", model(r, "")));
        router.tenantPost("/alerts/triage", Access.TRIAGE, this::triage);
    }

    private static Model model(PageRequest r, String notice) {
        String level = r.query("level", 16);
        if (!level.isEmpty()) {
            Levels.rank(level);
        }
        String rule = r.query("rule", 256);
        int page = parsePage(r.query("page", 6));
        TimeRange range =
                TimeRange.parse(r.query("range", 8), r.services().clock().instant());
        AlertFilter filter = new AlertFilter(
                level.isEmpty() ? null : dev.vigil.core.alert.Severity.fromSigmaLevel(level),
                rule.isEmpty() ? null : rule,
                null);
        AlertPage alerts =
                r.services().events().alerts(r.tenant(), range.from(), range.to(), filter, PAGE_SIZE, page * PAGE_SIZE);
        Map<String, AlertTriage> triage = r.auth()
                .accounts()
                .triageOf(r.tenant(), alerts.alerts().stream().map(Alert::id).toList());
        List<Row> rows = new ArrayList<>();
        for (Alert a : alerts.alerts()) {
            rows.add(new Row(a, triage.get(a.id())));
        }
        return new Model(range.key(), level, rule, page, alerts.total(), rows, notice);
    }

    static int parsePage(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        try {
            int p = Integer.parseInt(text);
            if (p < 0 || p > 10_000) {
                throw new ConsoleException(400, "page must be 0 to 10000");
            }
            return p;
        } catch (NumberFormatException e) {
            throw new ConsoleException(400, "page must be a number, got '" + text + "'");
        }
    }

    private void triage(PageRequest r) {
        List<String> ids = r.forms("alert", MAX_SELECTED, ConsoleAccounts.MAX_ALERT_ID_CHARS);
        AlertTriage.Status status = AlertTriage.Status.parse(r.form("status", 32));
        String comment = r.form("comment", ConsoleAccounts.MAX_COMMENT_CHARS).strip();
        if (ids.isEmpty()) {
            throw new ConsoleException(400, r.messages().t("alerts.error.none"));
        }
        for (String id : ids) {
            // Only alerts of this tenant may be triaged here: an id from elsewhere is as unknown as a made-up one.
            if (r.services().events().alert(r.tenant(), id).isEmpty()) {
                throw new ConsoleException(404, "no alert '" + id + "' in this tenant");
            }
        }
        r.auth()
                .accounts()
                .triage(r.tenant(), ids, status, comment, r.user().user().name());
        r.audit("alert.triage", String.join(",", ids), status.wireName() + (comment.isEmpty() ? "" : ": " + comment));
        if (r.htmx()) {
            r.fragment("alerts_table.jte", model(r, r.messages().t("alerts.triaged", ids.size())));
        } else {
            r.redirect(r.frame("nav.alerts", "alerts").base() + "/alerts");
        }
    }
}
