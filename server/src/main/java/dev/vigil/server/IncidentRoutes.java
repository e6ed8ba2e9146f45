package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.alert.AttackTactic;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.EntityType;
import dev.vigil.core.alert.Severity;
import dev.vigil.incidents.AttackChain;
import dev.vigil.incidents.Case;
import dev.vigil.incidents.CaseAuditEntry;
import dev.vigil.incidents.CaseComment;
import dev.vigil.incidents.CaseStatus;
import dev.vigil.incidents.EntityGraph;
import dev.vigil.incidents.Incident;
import dev.vigil.incidents.IncidentStep;
import dev.vigil.incidents.SlaPolicy;
import dev.vigil.incidents.SlaStatus;
import dev.vigil.incidents.Suppression;
import dev.vigil.meta.IncidentQuery;
import dev.vigil.meta.IncidentSummary;
import dev.vigil.meta.Principal;
import dev.vigil.meta.Role;
import dev.vigil.meta.StoredIncident;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/incidents} and {@code /api/v1/suppressions}: incidents with their timeline, attack chain, entities and
 * entity graph, and the case work on them. Reading needs a read token; changing a case or a suppression an admin token
 * of the same tenant, whose id is recorded as the actor in the audit trail.
 */
final class IncidentRoutes implements ApiRoutes {
    private static final int MAX_BODY = 64 << 10;

    private final IncidentService incidents;
    private final IncidentGraphs graphs;
    private final SlaPolicy sla;
    private final Clock clock;

    IncidentRoutes(IncidentService incidents, IncidentGraphs graphs, Clock clock) {
        this.incidents = requireNonNull(incidents, "incidents");
        this.graphs = requireNonNull(graphs, "graphs");
        this.sla = graphs.sla();
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public void register(RoutesConfig routes, ApiSupport api) {
        routes.get("/api/v1/incidents", ctx -> list(ctx, api));
        routes.get("/api/v1/incidents/{id}", ctx -> one(ctx, api));
        routes.get("/api/v1/incidents/{id}/graph", ctx -> graph(ctx, api));
        routes.post("/api/v1/incidents/{id}/case", ctx -> updateCase(ctx, api));
        routes.get("/api/v1/suppressions", ctx -> listSuppressions(ctx, api));
        routes.post("/api/v1/suppressions", ctx -> addSuppression(ctx, api));
        routes.delete("/api/v1/suppressions/{id}", ctx -> deleteSuppression(ctx, api));
    }

    private void list(Context ctx, ApiSupport api) {
        Principal p = api.authenticate(ctx, Role.READ);
        IncidentQuery q = IncidentQuery.all()
                .withPage(
                        ApiSupport.intParam(ctx, "limit", 50, 1, IncidentQuery.MAX_LIMIT),
                        ApiSupport.intParam(ctx, "offset", 0, 0, 1_000_000));
        String status = ctx.queryParam("status");
        if (status != null && !status.isBlank()) {
            Set<CaseStatus> statuses = EnumSet.noneOf(CaseStatus.class);
            for (String s : status.split(",")) {
                statuses.add(caseStatus(s));
            }
            q = q.withStatuses(statuses);
        }
        String severity = ctx.queryParam("severity");
        if (severity != null && !severity.isBlank()) {
            q = q.withMinSeverity(severity(severity));
        }
        String assignee = ctx.queryParam("assignee");
        if (assignee != null && !assignee.isBlank()) {
            q = q.withAssignee(assignee.strip());
        }
        if (ctx.queryParam("from") != null || ctx.queryParam("to") != null) {
            Instant now = clock.instant();
            Instant to = TimeParams.parse("to", ctx.queryParam("to"), now, now);
            q = q.withTimeRange(TimeParams.parse("from", ctx.queryParam("from"), now, Instant.EPOCH), to);
        }
        IncidentSummary.Page page = incidents.repository().list(p.tenant(), q);
        List<Map<String, Object>> items = new ArrayList<>();
        for (IncidentSummary s : page.items()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("title", s.title());
            m.put("severity", s.severity().sigmaLevel());
            m.put("status", s.status().wireName());
            m.put("assignee", s.assignee().orElse(null));
            m.put("risk", s.risk());
            m.put("first_seen", s.firstSeen().toString());
            m.put("last_seen", s.lastSeen().toString());
            m.put("alert_count", s.alertCount());
            m.put("merged_into", s.mergedInto().orElse(null));
            items.add(m);
        }
        api.respond(ctx, 200, Map.of("total", page.total(), "incidents", items));
    }

    private StoredIncident find(Principal p, Context ctx) {
        return incidents
                .repository()
                .find(p.tenant(), ctx.pathParam("id"))
                .orElseThrow(() -> new ApiException(404, "no such incident"));
    }

    private void one(Context ctx, ApiSupport api) {
        Principal p = api.authenticate(ctx, Role.READ);
        StoredIncident stored = find(p, ctx);
        Map<String, Object> out = incidentJson(stored);
        out.put("graph", graphJson(graphs.graph(stored.incident())));
        api.respond(ctx, 200, out);
    }

    private void graph(Context ctx, ApiSupport api) {
        Principal p = api.authenticate(ctx, Role.READ);
        api.respond(ctx, 200, graphJson(graphs.graph(find(p, ctx).incident())));
    }

    private void updateCase(Context ctx, ApiSupport api) throws IOException {
        Principal p = api.authenticate(ctx, Role.ADMIN);
        String id = ctx.pathParam("id");
        find(p, ctx);
        JsonNode body = body(ctx, api);
        String actor = "token:" + p.tokenId();
        Instant now = clock.instant();
        try {
            incidents.repository().updateCase(p.tenant(), id, c -> {
                Case changed = c;
                if (body.hasNonNull("assignee")) {
                    changed = changed.assign(body.get("assignee").asText(), actor, now);
                }
                if (body.hasNonNull("status")) {
                    changed = changed.transition(caseStatus(body.get("status").asText()), actor, now);
                }
                for (JsonNode t : body.path("add_tags")) {
                    changed = changed.addTag(t.asText(), actor, now);
                }
                for (JsonNode t : body.path("remove_tags")) {
                    changed = changed.removeTag(t.asText(), actor, now);
                }
                if (body.hasNonNull("comment")) {
                    changed = changed.comment(body.get("comment").asText(), actor, now);
                }
                return changed;
            });
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ApiException(400, e.getMessage());
        }
        api.respond(ctx, 200, incidentJson(find(p, ctx)));
    }

    private void listSuppressions(Context ctx, ApiSupport api) {
        Principal p = api.authenticate(ctx, Role.READ);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Suppression s : incidents.suppressions(p.tenant())) {
            out.add(suppressionJson(s));
        }
        api.respond(ctx, 200, Map.of("suppressions", out));
    }

    private void addSuppression(Context ctx, ApiSupport api) throws IOException {
        Principal p = api.authenticate(ctx, Role.ADMIN);
        JsonNode body = body(ctx, api);
        Instant now = clock.instant();
        Optional<EntityRef> entity = Optional.empty();
        if (body.hasNonNull("entity")) {
            JsonNode e = body.get("entity");
            EntityType type;
            try {
                type = EntityType.valueOf(e.path("type").asText("").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                throw new ApiException(400, "entity.type: one of " + java.util.Arrays.toString(EntityType.values()));
            }
            entity = Optional.of(EntityRef.of(type, e.path("value").asText(""))
                    .orElseThrow(() -> new ApiException(400, "entity.value: not a usable " + type)));
        }
        Optional<Instant> expires = Optional.empty();
        if (body.hasNonNull("expires_in_hours")) {
            long hours = body.get("expires_in_hours").asLong();
            if (hours < 1 || hours > 24 * 366) {
                throw new ApiException(400, "expires_in_hours: 1 to 8784");
            }
            expires = Optional.of(now.plus(Duration.ofHours(hours)));
        }
        Suppression s;
        try {
            s = new Suppression(
                    "sup-" + UUID.randomUUID(),
                    p.tenant(),
                    Optional.ofNullable(
                            body.hasNonNull("rule") ? body.get("rule").asText() : null),
                    entity,
                    body.path("reason").asText(""),
                    "token:" + p.tokenId(),
                    now,
                    expires);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        api.respond(ctx, 201, suppressionJson(incidents.addSuppression(s)));
    }

    private void deleteSuppression(Context ctx, ApiSupport api) {
        Principal p = api.authenticate(ctx, Role.ADMIN);
        if (!incidents.deleteSuppression(p.tenant(), ctx.pathParam("id"), "token:" + p.tokenId())) {
            throw new ApiException(404, "no such suppression");
        }
        ctx.status(204);
    }

    private static JsonNode body(Context ctx, ApiSupport api) throws IOException {
        byte[] bytes = RequestBodies.read(ctx, MAX_BODY);
        JsonNode node;
        try {
            node = api.json().readTree(bytes);
        } catch (IOException e) {
            throw new ApiException(400, "the body is not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(400, "the body must be a JSON object");
        }
        return node;
    }

    private static CaseStatus caseStatus(String text) {
        try {
            return CaseStatus.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "status: " + e.getMessage());
        }
    }

    private static Severity severity(String text) {
        try {
            return Severity.fromSigmaLevel(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "severity: " + e.getMessage());
        }
    }

    private Map<String, Object> incidentJson(StoredIncident stored) {
        Incident i = stored.incident();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("title", i.title());
        m.put("severity", i.severity().sigmaLevel());
        m.put("risk", i.risk());
        m.put("first_seen", i.firstSeen().toString());
        m.put("last_seen", i.lastSeen().toString());
        m.put("alert_count", i.alertCount());
        m.put("merged_into", stored.mergedInto().orElse(null));
        m.put("merged_from", i.mergedFrom());
        m.put("entities", entitiesJson(i.entities()));
        AttackChain chain = i.attackChain();
        Map<String, Object> attack = new LinkedHashMap<>();
        attack.put("tactics", tacticsJson(chain.covered()));
        attack.put("furthest", chain.furthest().map(AttackTactic::shortName).orElse(null));
        attack.put("stage", chain.furthest().map(t -> t.ordinal() + 1).orElse(0));
        attack.put("stages", AttackTactic.values().length);
        m.put("attack_chain", attack);
        List<Map<String, Object>> timeline = new ArrayList<>();
        for (IncidentStep s : i.steps()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("alert", s.alertId());
            step.put("time", s.firstSeen().toString());
            step.put("last_seen", s.lastSeen().toString());
            step.put("count", s.count());
            step.put("title", s.title());
            step.put(
                    "detector", Map.of("kind", s.detectorKind().name().toLowerCase(Locale.ROOT), "id", s.detectorId()));
            step.put("severity", s.severity().sigmaLevel());
            step.put("tactics", tacticsJson(s.tactics()));
            step.put("techniques", s.techniques());
            step.put("entities", entitiesJson(s.entities()));
            step.put("events", s.evidence());
            timeline.add(step);
        }
        m.put("timeline", timeline);
        m.put("dropped_steps", i.droppedSteps());
        m.put("case", caseJson(stored.kase()));
        return m;
    }

    private Map<String, Object> caseJson(Case c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", c.status().wireName());
        m.put("severity", c.severity().sigmaLevel());
        m.put("assignee", c.assignee().orElse(null));
        m.put("tags", c.tags());
        m.put("created", c.createdAt().toString());
        m.put("acknowledged", c.acknowledgedAt().map(Instant::toString).orElse(null));
        m.put("resolved", c.resolvedAt().map(Instant::toString).orElse(null));
        SlaStatus s = c.sla(sla, clock.instant());
        m.put(
                "sla",
                Map.of(
                        "acknowledge_due", s.acknowledgeDue().toString(),
                        "resolve_due", s.resolveDue().toString(),
                        "acknowledge_breached", s.acknowledgeBreached(),
                        "resolve_breached", s.resolveBreached()));
        List<Map<String, Object>> comments = new ArrayList<>();
        for (CaseComment cc : c.comments()) {
            comments.add(Map.of(
                    "number", cc.number(), "author", cc.author(), "at", cc.at().toString(), "text", cc.text()));
        }
        m.put("comments", comments);
        List<Map<String, Object>> audit = new ArrayList<>();
        for (CaseAuditEntry a : c.audit()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("actor", a.actor());
            e.put("at", a.at().toString());
            e.put("field", a.field());
            e.put("old", a.oldValue());
            e.put("new", a.newValue());
            audit.add(e);
        }
        m.put("audit", audit);
        return m;
    }

    private static List<String> tacticsJson(List<AttackTactic> tactics) {
        List<String> out = new ArrayList<>();
        for (AttackTactic t : tactics) {
            out.add(t.shortName());
        }
        return out;
    }

    private static List<Map<String, Object>> entitiesJson(List<EntityRef> entities) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (EntityRef e : entities) {
            out.add(Map.of("type", e.type().name().toLowerCase(Locale.ROOT), "value", e.value()));
        }
        return out;
    }

    private static Map<String, Object> graphJson(EntityGraph g) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (EntityGraph.Node n : g.nodes()) {
            nodes.add(Map.of(
                    "id",
                    n.id(),
                    "type",
                    n.type().name().toLowerCase(Locale.ROOT),
                    "value",
                    n.value(),
                    "label",
                    n.label()));
        }
        List<Map<String, Object>> edges = new ArrayList<>();
        for (EntityGraph.Edge e : g.edges()) {
            edges.add(Map.of(
                    "from",
                    e.from(),
                    "to",
                    e.to(),
                    "kind",
                    e.kind().name().toLowerCase(Locale.ROOT),
                    "events",
                    e.events()));
        }
        m.put("nodes", nodes);
        m.put("edges", edges);
        m.put("truncated", g.truncated());
        return m;
    }

    private static Map<String, Object> suppressionJson(Suppression s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("rule", s.ruleId().orElse(null));
        m.put(
                "entity",
                s.entity()
                        .map(e -> Map.of("type", e.type().name().toLowerCase(Locale.ROOT), "value", e.value()))
                        .orElse(null));
        m.put("reason", s.reason());
        m.put("author", s.author());
        m.put("created", s.createdAt().toString());
        m.put("expires", s.expiresAt().map(Instant::toString).orElse(null));
        return m;
    }
}
