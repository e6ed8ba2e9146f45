package dev.vigil.console;

import dev.vigil.attack.AttackKnowledgeBase;
import dev.vigil.attack.Coverage;
import dev.vigil.attack.NavigatorLayer;
import dev.vigil.attack.RuleTags;
import dev.vigil.attack.Tactic;
import dev.vigil.attack.Technique;
import dev.vigil.attack.TechniqueCoverage;
import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.sigma.RuleRef;
import dev.vigil.store.AlertAttackCounts;
import dev.vigil.store.AlertFilter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ATT&amp;CK coverage of one tenant ({@code /t/{tenant}/attack}): the Enterprise matrix with a column per tactic in
 * kill-chain order and a cell per technique, coloured by how many of the tenant's enabled rules cover the technique or
 * one of its sub-techniques, and marked when alerts in the selected range named it; a technique's detail; and the
 * coverage as an ATT&amp;CK Navigator layer to download.
 *
 * <p>Colours are a fixed set of CSS classes ({@link #heat}), never computed styles: the Content-Security-Policy forbids
 * style attributes. The matrix is plain HTML so that it reads without scripts and prints.
 */
public final class AttackPage implements ConsolePage {
    /** Alerts read for a technique's detail (newest first); older ones are counted in the matrix but not listed. */
    static final int DETAIL_ALERTS_SCANNED = 1000;

    static final int DETAIL_ALERTS_SHOWN = 20;
    private static final Pattern TECHNIQUE_ID = Pattern.compile("T\\d{4}(\\.\\d{3})?");

    /** One technique in the matrix. */
    public record Cell(String id, String name, int rules, int subtechniques, long alerts, String heat) {}

    /** One tactic's column. */
    public record Column(Tactic tactic, long alerts, List<Cell> cells) {}

    /** A sub-technique line of the detail. */
    public record Sub(String id, String name, int rules, long alerts) {}

    public record Detail(
            Technique technique,
            String fullName,
            String url,
            List<RuleTags> rules,
            List<Sub> subtechniques,
            long alerts,
            List<Alert> recentAlerts) {}

    public record Model(
            String range,
            boolean available,
            String version,
            int rules,
            int rulesWithTechniques,
            int techniquesCovered,
            int techniquesTotal,
            List<Column> columns,
            Detail detail) {}

    @Override
    public void register(ConsoleRouter router) {
        router.tenantGet("/attack", Access.VIEW, this::page);
        router.tenantGet("/attack/layer", Access.VIEW, this::layer);
    }

    void page(PageRequest r) {
        r.render(
                "attack.jte",
                "nav.attack",
                "attack",
                model(r.services(), r.tenant(), r.query("range", 8), r.query("technique", 16)));
    }

    /** The rules this tenant has enabled, as the coverage computation wants them. */
    static List<RuleTags> enabledRules(ConsoleServices s, TenantId tenant) {
        Set<String> disabled = s.metadata().disabledRules(tenant);
        List<RuleTags> out = new ArrayList<>();
        for (RuleRef rule : s.rules().rules()) {
            boolean off = disabled.contains(rule.id()) || rule.name() != null && disabled.contains(rule.name());
            if (!off) {
                out.add(new RuleTags(rule.id(), rule.title(), rule.tags(), rule.level()));
            }
        }
        return out;
    }

    static Model model(ConsoleServices s, TenantId tenant, String rangeKey, String techniqueParam) {
        TimeRange range = TimeRange.parse(rangeKey, s.clock().instant());
        AttackKnowledgeBase kb = s.attack().knowledgeBase();
        if (kb == null) {
            return new Model(range.key(), false, "", 0, 0, 0, 0, List.of(), null);
        }
        Coverage coverage = Coverage.compute(kb, enabledRules(s, tenant));
        AlertAttackCounts counts = s.events().alertAttackCounts(tenant, range.from(), range.to());
        Map<String, List<Technique>> subs = new HashMap<>();
        for (Technique t : kb.techniques()) {
            if (t.subtechnique()) {
                subs.computeIfAbsent(t.parentId(), k -> new ArrayList<>()).add(t);
            }
        }
        List<Column> columns = new ArrayList<>();
        for (Tactic tactic : kb.tactics()) {
            List<Cell> cells = new ArrayList<>();
            for (Technique t : kb.techniques()) {
                if (!t.subtechnique() && t.tactics().contains(tactic)) {
                    List<Technique> children = subs.getOrDefault(t.attackId(), List.of());
                    int rules = rulesCovering(coverage, t, children).size();
                    long alerts = alertsNaming(counts, t, children);
                    cells.add(new Cell(t.attackId(), t.name(), rules, children.size(), alerts, heat(rules)));
                }
            }
            cells.sort(Comparator.comparing(Cell::name));
            columns.add(new Column(tactic, counts.tactic(tactic.shortname()), cells));
        }
        Detail detail = null;
        String wanted = techniqueParam.strip().toUpperCase(Locale.ROOT);
        if (!wanted.isEmpty()) {
            if (!TECHNIQUE_ID.matcher(wanted).matches()) {
                throw new ConsoleException(400, "technique: an ATT&CK id such as T1059 or T1059.001");
            }
            Technique t =
                    kb.technique(wanted).orElseThrow(() -> new ConsoleException(404, "no active technique " + wanted));
            detail = detail(s, tenant, range, kb, coverage, counts, t, subs.getOrDefault(t.attackId(), List.of()));
        }
        return new Model(
                range.key(),
                true,
                kb.version(),
                coverage.ruleCount(),
                coverage.rulesWithTechniques(),
                coverage.techniquesCovered(),
                coverage.techniquesTotal(),
                columns,
                detail);
    }

    private static Detail detail(
            ConsoleServices s,
            TenantId tenant,
            TimeRange range,
            AttackKnowledgeBase kb,
            Coverage coverage,
            AlertAttackCounts counts,
            Technique t,
            List<Technique> children) {
        List<Sub> subRows = new ArrayList<>();
        for (Technique c : children) {
            subRows.add(new Sub(
                    c.attackId(),
                    c.name(),
                    rulesCovering(coverage, c, List.of()).size(),
                    counts.technique(c.attackId())));
        }
        List<Alert> recent = new ArrayList<>();
        for (Alert a : s.events()
                .alerts(tenant, range.from(), range.to(), AlertFilter.ALL, DETAIL_ALERTS_SCANNED, 0)
                .alerts()) {
            if (recent.size() < DETAIL_ALERTS_SHOWN && names(a, t.attackId())) {
                recent.add(a);
            }
        }
        return new Detail(
                t,
                t.fullName(kb),
                Html.safeUrl(t.url()),
                new ArrayList<>(rulesCovering(coverage, t, children).values()),
                subRows,
                alertsNaming(counts, t, children),
                recent);
    }

    /** Whether the alert names the technique or one of its sub-techniques. */
    private static boolean names(Alert a, String id) {
        for (String x : a.techniques()) {
            if (x.equals(id) || x.startsWith(id + ".")) {
                return true;
            }
        }
        return false;
    }

    /** The distinct rules covering the technique or any of the given sub-techniques, by rule id. */
    private static Map<String, RuleTags> rulesCovering(Coverage coverage, Technique t, List<Technique> children) {
        Map<String, RuleTags> rules = new LinkedHashMap<>();
        Set<String> ids = new LinkedHashSet<>();
        ids.add(t.attackId());
        children.forEach(c -> ids.add(c.attackId()));
        for (String id : ids) {
            coverage.technique(id)
                    .map(TechniqueCoverage::rules)
                    .orElse(List.of())
                    .forEach(rule -> rules.putIfAbsent(rule.ruleId(), rule));
        }
        return rules;
    }

    /**
     * Alerts naming the technique plus those naming each sub-technique: an alert tagged with both a technique and one
     * of its sub-techniques counts twice, which only makes a hit look hotter, never hides one.
     */
    private static long alertsNaming(AlertAttackCounts counts, Technique t, List<Technique> children) {
        long n = counts.technique(t.attackId());
        for (Technique c : children) {
            n += counts.technique(c.attackId());
        }
        return n;
    }

    /** The CSS class for a number of covering rules: heat-0 (none), 1, 2–3, 4–7, 8 or more. */
    public static String heat(int rules) {
        int level = rules == 0 ? 0 : rules == 1 ? 1 : rules <= 3 ? 2 : rules <= 7 ? 3 : 4;
        return "heat-" + level;
    }

    private void layer(PageRequest r) {
        AttackKnowledgeBase kb = r.services().attack().knowledgeBase();
        if (kb == null) {
            throw new ConsoleException(
                    404, "no ATT&CK bundle is configured: set attack.bundle to an Enterprise ATT&CK STIX 2.1 bundle");
        }
        Coverage coverage = Coverage.compute(kb, enabledRules(r.services(), r.tenant()));
        String json = NavigatorLayer.toJson(
                coverage,
                NavigatorLayer.Options.named("Vigil rules of " + r.tenant().value()));
        r.ctx()
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"vigil-" + r.tenant().value() + "-layer.json\"");
        r.ctx().contentType("application/json").result(json);
    }
}
