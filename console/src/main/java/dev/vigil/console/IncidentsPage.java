package dev.vigil.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AttackTactic;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.EntityType;
import dev.vigil.core.alert.Severity;
import dev.vigil.incidents.Case;
import dev.vigil.incidents.CaseStatus;
import dev.vigil.incidents.EntityGraph;
import dev.vigil.incidents.Incident;
import dev.vigil.incidents.IncidentStep;
import dev.vigil.incidents.SlaStatus;
import dev.vigil.meta.ConsoleRole;
import dev.vigil.meta.ConsoleUser;
import dev.vigil.meta.IncidentQuery;
import dev.vigil.meta.IncidentRepository;
import dev.vigil.meta.IncidentSummary;
import dev.vigil.meta.StoredIncident;
import dev.vigil.store.AlertEvidence;
import dev.vigil.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Incidents: the list of a tenant's incidents (filters by case status and least severity, pages of 25) and the
 * incident page, where analysts work a case.
 *
 * <p><b>Design.</b> Incidents and their cases come from the metadata store ({@link IncidentRepository}), which binds the
 * tenant of the URL in every statement: an id of another tenant's incident is simply not found, so the page, its
 * fragment and its case actions answer 404 exactly as for an id that never existed. The entity graph, which needs the
 * stored events around the incident, comes from {@link IncidentViews} (the server builds it the same way for its API).
 * The incident page shows the header (severity, risk, case status, SLA), the timeline of steps, the attack chain as one
 * column per ATT&amp;CK tactic in kill-chain order, the graph (ECharts, from JSON in a {@code data-chart} attribute) and
 * the evidence events as raw records; every value from logs goes through JTE's escaping, and the graph's labels are
 * drawn on a canvas, never parsed as HTML.
 *
 * <p>Case actions (start work, change status, assign, comment, tag) are one POST route with an {@code action} field. The
 * {@link Case} state machine decides what is allowed; the repository stores the result with its case audit entries in
 * one transaction, and the console's audit log records who did it from where. Viewers see the case but get no forms,
 * and their POSTs are refused by the gate (403). The case box is an htmx fragment, so an action swaps only it.
 *
 * <p>From the alert queue, {@code /alerts/{id}/incident} finds the incident an alert belongs to: the incident whose step
 * started with that alert or counts it as a repeat (same rule, same entities, within the step's time span), following
 * merges to the incident that absorbed it.
 */
public final class IncidentsPage implements ConsolePage {
    static final int PAGE_SIZE = 25;
    static final int MAX_EVIDENCE_PER_STEP = 20;
    static final int MAX_EVIDENCE = 200;
    private static final int MAX_ID_CHARS = 128;
    private static final int MAX_CANDIDATES = 200;
    private static final int MAX_MERGE_HOPS = 16;
    private static final int MAX_LIST_ENTITIES = 3;
    private static final ObjectMapper PRETTY = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /** One row of the list: the summary and the first few hosts and users of the incident. */
    public record ListRow(IncidentSummary summary, List<String> hosts, List<String> users) {}

    public record ListModel(String status, String severity, int page, long total, List<ListRow> rows) {
        public boolean hasNext() {
            return (long) (page + 1) * PAGE_SIZE < total;
        }

        public String filters() {
            return "status=" + Html.q(status) + "&severity=" + Html.q(severity);
        }
    }

    /** One column of the attack chain: a tactic, whether a step reached it, and the techniques and steps seen. */
    public record TacticColumn(AttackTactic tactic, boolean reached, List<String> techniques, List<String> steps) {}

    /** Evidence events of one step, in sequence order. */
    public record EvidenceGroup(int step, IncidentStep source, List<EvidenceRow> events, int missing) {}

    public record EvidenceRow(long seq, Instant time, String summary, String raw) {}

    /** The case box: the case, its SLA timers, the moves allowed from its status and whom it may be assigned to. */
    public record CaseModel(
            String incidentId, Case kase, SlaStatus sla, List<CaseStatus> next, List<String> assignees, String notice) {
        public boolean isNew() {
            return kase.status() == CaseStatus.NEW;
        }
    }

    public record Detail(
            StoredIncident stored,
            List<TacticColumn> chain,
            String furthest,
            String graph,
            int graphNodes,
            int graphEdges,
            boolean graphTruncated,
            List<EvidenceGroup> evidence,
            CaseModel kase) {
        public Incident incident() {
            return stored.incident();
        }
    }

    @Override
    public void register(ConsoleRouter router) {
        router.tenantGet(
                "/incidents", Access.VIEW, r -> r.render("incidents.jte", "nav.incidents", "incidents", list(r)));
        router.tenantGet("/incidents/table", Access.VIEW, r -> r.fragment("incidents_table.jte", list(r)));
        router.tenantGet("/incidents/{id}", Access.VIEW, this::detail);
        router.tenantGet("/incidents/{id}/case", Access.VIEW, r -> r.fragment("incident_case.jte", caseModel(r, "")));
        router.tenantPost("/incidents/{id}/case", Access.TRIAGE, this::changeCase);
        router.tenantGet("/alerts/{alert}/incident", Access.VIEW, this::incidentOfAlert);
    }

    // ---------------------------------------------------------------- the list

    private static ListModel list(PageRequest r) {
        String status = r.query("status", 32);
        String severity = r.query("severity", 16);
        int page = AlertsPage.parsePage(r.query("page", 6));
        IncidentQuery q = IncidentQuery.all().withPage(PAGE_SIZE, page * PAGE_SIZE);
        if (!status.isEmpty()) {
            q = q.withStatuses(statusFilter(status));
        }
        if (!severity.isEmpty()) {
            q = q.withMinSeverity(Severity.fromSigmaLevel(severity));
        }
        IncidentRepository repo = r.services().metadata().incidents();
        IncidentSummary.Page found = repo.list(r.tenant(), q);
        List<ListRow> rows = new ArrayList<>();
        for (IncidentSummary s : found.items()) {
            List<EntityRef> entities = repo.find(r.tenant(), s.id())
                    .map(i -> i.incident().entities())
                    .orElse(List.of());
            rows.add(new ListRow(s, firstOfType(entities, EntityType.HOST), firstOfType(entities, EntityType.USER)));
        }
        return new ListModel(status, severity, page, found.total(), rows);
    }

    /** {@code open} (new or in progress), {@code resolved} (any resolution) or one status's wire name. */
    static Set<CaseStatus> statusFilter(String text) {
        return switch (text) {
            case "open" -> Set.of(CaseStatus.NEW, CaseStatus.IN_PROGRESS);
            case "resolved" ->
                Set.of(
                        CaseStatus.RESOLVED_TRUE_POSITIVE,
                        CaseStatus.RESOLVED_FALSE_POSITIVE,
                        CaseStatus.RESOLVED_BENIGN);
            default -> Set.of(CaseStatus.parse(text));
        };
    }

    private static List<String> firstOfType(List<EntityRef> entities, EntityType type) {
        List<String> out = new ArrayList<>();
        for (EntityRef e : entities) {
            if (e.type() == type && out.size() < MAX_LIST_ENTITIES) {
                out.add(e.value());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- one incident

    private static StoredIncident find(PageRequest r) {
        String id = r.ctx().pathParam("id");
        if (id.length() > MAX_ID_CHARS) {
            throw new ConsoleException(404, "no such incident");
        }
        return r.services()
                .metadata()
                .incidents()
                .find(r.tenant(), id)
                .orElseThrow(() -> new ConsoleException(404, "no such incident"));
    }

    private void detail(PageRequest r) {
        StoredIncident stored = find(r);
        Incident incident = stored.incident();
        EntityGraph graph = r.services().incidents().graph(incident);
        Detail model = new Detail(
                stored,
                chain(incident),
                incident.attackChain().furthest().map(AttackTactic::shortName).orElse(""),
                graphChart(graph),
                graph.nodes().size(),
                graph.edges().size(),
                graph.truncated(),
                evidence(r, incident),
                caseModel(r, stored, ""));
        r.renderTitled("incident.jte", incident.title(), "incidents", model);
    }

    /** Every tactic in kill-chain order, with the techniques and step titles that reached it. */
    static List<TacticColumn> chain(Incident incident) {
        Map<AttackTactic, Set<String>> techniques = new EnumMap<>(AttackTactic.class);
        Map<AttackTactic, Set<String>> steps = new EnumMap<>(AttackTactic.class);
        for (IncidentStep s : incident.steps()) {
            for (AttackTactic t : s.tactics()) {
                techniques.computeIfAbsent(t, k -> new TreeSet<>()).addAll(s.techniques());
                steps.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(s.title());
            }
        }
        List<TacticColumn> out = new ArrayList<>();
        for (AttackTactic t : AttackTactic.values()) {
            out.add(new TacticColumn(
                    t,
                    steps.containsKey(t),
                    List.copyOf(techniques.getOrDefault(t, Set.of())),
                    List.copyOf(steps.getOrDefault(t, Set.of()))));
        }
        return out;
    }

    /**
     * The graph as console.js draws it: ECharts graph series data, nodes with a category per entity type and edges
     * labelled with their kind. Labels are text for the canvas.
     */
    static String graphChart(EntityGraph graph) {
        List<String> categories = new ArrayList<>();
        for (EntityGraph.NodeType t : EntityGraph.NodeType.values()) {
            categories.add(t.name().toLowerCase(Locale.ROOT));
        }
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (EntityGraph.Node n : graph.nodes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n.id());
            m.put("name", n.label());
            m.put("value", n.value());
            m.put("category", n.type().ordinal());
            nodes.add(m);
        }
        List<Map<String, Object>> links = new ArrayList<>();
        for (EntityGraph.Edge e : graph.edges()) {
            links.add(Map.of(
                    "source",
                    e.from(),
                    "target",
                    e.to(),
                    "label",
                    e.kind().name().toLowerCase(Locale.ROOT),
                    "events",
                    e.events().size()));
        }
        return Html.json(Map.of("kind", "graph", "categories", categories, "nodes", nodes, "links", links));
    }

    private static List<EvidenceGroup> evidence(PageRequest r, Incident incident) {
        Set<Long> wanted = new LinkedHashSet<>();
        for (IncidentStep s : incident.steps()) {
            int n = 0;
            for (Long seq : s.evidence()) {
                if (n++ >= MAX_EVIDENCE_PER_STEP || wanted.size() >= MAX_EVIDENCE) {
                    break;
                }
                wanted.add(seq);
            }
        }
        Map<Long, StoredEvent> bySeq = new HashMap<>();
        for (StoredEvent e : r.services().events().events(incident.tenant(), wanted)) {
            bySeq.put(e.seq(), e);
        }
        List<EvidenceGroup> out = new ArrayList<>();
        Set<Long> shown = new HashSet<>();
        int index = 0;
        for (IncidentStep s : incident.steps()) {
            index++;
            List<EvidenceRow> rows = new ArrayList<>();
            int missing = 0;
            for (Long seq : s.evidence()) {
                StoredEvent e = bySeq.get(seq);
                if (e == null) {
                    // Beyond the caps, or removed by retention since the alert.
                    missing++;
                } else if (shown.add(seq)) {
                    rows.add(new EvidenceRow(seq, e.event().timestamp(), SearchPage.summary(e), raw(e)));
                }
            }
            out.add(new EvidenceGroup(index, s, rows, missing));
        }
        return out;
    }

    private static String raw(StoredEvent e) {
        Object original = e.event().original();
        try {
            return PRETTY.writeValueAsString(original == null ? e.event().fields() : original);
        } catch (JsonProcessingException ex) {
            return String.valueOf(original);
        }
    }

    // ---------------------------------------------------------------- the case

    private static CaseModel caseModel(PageRequest r, String notice) {
        return caseModel(r, find(r), notice);
    }

    private static CaseModel caseModel(PageRequest r, StoredIncident stored, String notice) {
        Case kase = stored.kase();
        return new CaseModel(
                stored.incident().id(),
                kase,
                kase.sla(r.services().incidents().sla(), r.services().clock().instant()),
                List.copyOf(new TreeSet<>(kase.status().next())),
                assignees(r, r.tenant()),
                notice);
    }

    /** Users who may triage in the tenant, offered as assignees (any name is accepted: a team name works too). */
    private static List<String> assignees(PageRequest r, TenantId tenant) {
        List<String> out = new ArrayList<>();
        for (ConsoleUser u : r.auth().accounts().users()) {
            boolean seesTenant =
                    u.role() == ConsoleRole.PLATFORM_ADMIN || u.tenants().contains(tenant);
            if (!u.disabled() && seesTenant && u.role().mayTriage()) {
                out.add(u.name());
            }
        }
        return out;
    }

    private void changeCase(PageRequest r) {
        StoredIncident stored = find(r);
        String id = stored.incident().id();
        String actor = r.user().user().name();
        Instant now = r.services().clock().instant();
        String action = r.form("action", 16);
        UnaryOperator<Case> change;
        String details;
        switch (action) {
            case "start" -> {
                change = c -> c.transition(CaseStatus.IN_PROGRESS, actor, now);
                details = "status: " + stored.kase().status().wireName() + " -> in_progress";
            }
            case "status" -> {
                CaseStatus to = CaseStatus.parse(r.form("status", 32));
                change = c -> c.transition(to, actor, now);
                details = "status: " + stored.kase().status().wireName() + " -> " + to.wireName();
            }
            case "assign" -> {
                String assignee = r.form("assignee", Case.MAX_ACTOR_CHARS).strip();
                change = c -> c.assign(assignee.isEmpty() ? null : assignee, actor, now);
                details = "assignee: " + (assignee.isEmpty() ? "(none)" : assignee);
            }
            case "comment" -> {
                String text = r.form("comment", Case.MAX_COMMENT_CHARS);
                change = c -> c.comment(text, actor, now);
                details = "comment: " + abbreviate(text.strip(), 200);
            }
            case "tag" -> {
                String tag = r.form("tag", Case.MAX_TAG_CHARS).strip();
                change = c -> c.addTag(tag, actor, now);
                details = "tag added: " + tag;
            }
            case "untag" -> {
                String tag = r.form("tag", Case.MAX_TAG_CHARS).strip();
                change = c -> c.removeTag(tag, actor, now);
                details = "tag removed: " + tag;
            }
            default ->
                throw new ConsoleException(
                        400, "unknown case action '" + action + "': use start, status, assign, comment, tag or untag");
        }
        // The Case refuses what its state machine or limits forbid (IllegalArgumentException: 400 with its message).
        r.services().metadata().incidents().updateCase(r.tenant(), id, change);
        r.audit("incident.case", id, details);
        if (r.htmx()) {
            r.fragment("incident_case.jte", caseModel(r, r.messages().t("incident.case.saved")));
        } else {
            r.redirect("/t/" + r.tenant().value() + "/incidents/" + Html.q(id));
        }
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    // ---------------------------------------------------------------- from an alert to its incident

    private void incidentOfAlert(PageRequest r) {
        String alertId = r.ctx().pathParam("alert");
        if (alertId.length() > MAX_ID_CHARS) {
            throw new ConsoleException(404, "no such alert");
        }
        AlertEvidence evidence = r.services()
                .events()
                .alert(r.tenant(), alertId)
                .orElseThrow(() -> new ConsoleException(404, "no such alert in this tenant"));
        String incidentId = incidentOf(r.services().metadata().incidents(), r.tenant(), evidence.alert())
                .orElseThrow(() -> new ConsoleException(404, r.messages().t("incident.noneForAlert")));
        r.redirect("/t/" + r.tenant().value() + "/incidents/" + Html.q(incidentId));
    }

    /** The incident holding the alert (as a step or a repeat), after following merges; empty when none does. */
    static Optional<String> incidentOf(IncidentRepository repo, TenantId tenant, Alert alert) {
        IncidentQuery around = new IncidentQuery(
                Set.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(alert.time()),
                Optional.of(alert.time().plusMillis(1)),
                true,
                MAX_CANDIDATES,
                0);
        Set<EntityRef> alertEntities = Set.copyOf(alert.entities());
        for (IncidentSummary s : repo.list(tenant, around).items()) {
            Optional<StoredIncident> candidate = repo.find(tenant, s.id());
            if (candidate.isPresent() && holds(candidate.get().incident(), alert, alertEntities)) {
                return Optional.of(followMerges(repo, tenant, candidate.get()));
            }
        }
        return Optional.empty();
    }

    private static boolean holds(Incident incident, Alert alert, Set<EntityRef> alertEntities) {
        for (IncidentStep s : incident.steps()) {
            if (s.alertId().equals(alert.id())) {
                return true;
            }
            boolean repeat = s.detectorId().equals(alert.detectorId())
                    && !alert.time().isBefore(s.firstSeen())
                    && !alert.time().isAfter(s.lastSeen())
                    && Set.copyOf(s.entities()).equals(alertEntities);
            if (repeat) {
                return true;
            }
        }
        return false;
    }

    private static String followMerges(IncidentRepository repo, TenantId tenant, StoredIncident start) {
        StoredIncident current = start;
        for (int hop = 0; hop < MAX_MERGE_HOPS && current.mergedInto().isPresent(); hop++) {
            Optional<StoredIncident> next =
                    repo.find(tenant, current.mergedInto().get());
            if (next.isEmpty()) {
                break;
            }
            current = next.get();
        }
        return current.incident().id();
    }
}
