package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.Event;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AttackTactic;
import dev.vigil.core.alert.DetectorKind;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.Severity;
import dev.vigil.inputs.DecodeResult;
import dev.vigil.inputs.HecDecoder;
import dev.vigil.inputs.HecMetadata;
import dev.vigil.inputs.HecResponse;
import dev.vigil.inputs.NdjsonDecoder;
import dev.vigil.inputs.OtlpLogsDecoder;
import dev.vigil.inputs.Rejection;
import dev.vigil.meta.IssuedToken;
import dev.vigil.meta.MetadataException;
import dev.vigil.meta.MetadataStore;
import dev.vigil.meta.Principal;
import dev.vigil.meta.Role;
import dev.vigil.meta.Tenant;
import dev.vigil.meta.TokenInfo;
import dev.vigil.search.Query;
import dev.vigil.search.QueryParser;
import dev.vigil.search.QuerySyntaxException;
import dev.vigil.sigma.RuleRef;
import dev.vigil.store.AlertEvidence;
import dev.vigil.store.AlertFilter;
import dev.vigil.store.AlertPage;
import dev.vigil.store.EventStore;
import dev.vigil.store.FieldCounts;
import dev.vigil.store.HistogramBucket;
import dev.vigil.store.SearchResult;
import dev.vigil.store.StoredEvent;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP side of the server: ingestion endpoints in the protocols shippers speak (NDJSON, Splunk HEC, OTLP/HTTP)
 * and the REST API under {@code /api/v1}.
 *
 * <p>Every route but {@code /healthz}, {@code /metrics} and the OpenAPI document needs a token; the token decides
 * the tenant, and nothing in a request can name another one (only a global administrator, an admin token of the
 * {@code system} tenant, manages tenants). Errors are JSON objects {@code {"error": "..."}}; messages never echo
 * request content without it being JSON-encoded.
 */
final class HttpApi {
    private static final int MAX_LIMIT = 10_000;

    private final MetadataStore meta;
    private final EventStore store;
    private final DurableIngest ingest;
    private final Pipeline pipeline;
    private final List<RuleRef> rules;
    private final ServerMetrics metrics;
    private final ServerConfig config;
    private final Clock clock;
    private final ObjectMapper json;
    private final NdjsonDecoder ndjson = new NdjsonDecoder();
    private final HecDecoder hec;
    private final OtlpLogsDecoder otlp = new OtlpLogsDecoder();
    private final byte[] openApi;
    private final ApiSupport api;
    private final List<ApiRoutes> extensions;
    private final Optional<dev.vigil.attack.AttackKnowledgeBase> attack;

    HttpApi(
            MetadataStore meta,
            EventStore store,
            DurableIngest ingest,
            Pipeline pipeline,
            List<RuleRef> rules,
            ServerMetrics metrics,
            ServerConfig config,
            Clock clock,
            List<ApiRoutes> extensions,
            Optional<dev.vigil.attack.AttackKnowledgeBase> attack) {
        this.attack = requireNonNull(attack, "attack");
        this.meta = requireNonNull(meta, "meta");
        this.api = new ApiSupport(meta);
        this.extensions = List.copyOf(extensions);
        this.store = requireNonNull(store, "store");
        this.ingest = requireNonNull(ingest, "ingest");
        this.pipeline = requireNonNull(pipeline, "pipeline");
        this.rules = List.copyOf(rules);
        this.metrics = requireNonNull(metrics, "metrics");
        this.config = requireNonNull(config, "config");
        this.clock = requireNonNull(clock, "clock");
        this.json = api.json();
        int maxBody = (int) Math.min(Integer.MAX_VALUE, config.http().maxBodyBytes());
        this.hec = new HecDecoder(maxBody, Math.min(maxBody, 1 << 20));
        this.openApi = resource("openapi.json");
    }

    Javalin create() {
        return create(cfg -> {});
    }

    /** The API, plus whatever {@code more} registers on the same server (the web console). */
    Javalin create(java.util.function.Consumer<io.javalin.config.JavalinConfig> more) {
        return Javalin.create(cfg -> {
            cfg.http.maxRequestSize = config.http().maxBodyBytes();
            cfg.jetty.host = config.bind();
            cfg.jetty.port = config.port();
            cfg.jetty.modifyHttpConfiguration(http -> {
                http.setIdleTimeout(config.http().idleTimeout().toMillis());
                // A sender trickling a body slower than this is a slow-loris, not a shipper.
                http.setMinRequestDataRate(1024);
                http.setSendServerVersion(false);
            });
            cfg.jetty.modifyServer(server -> {
                for (var connector : server.getConnectors()) {
                    if (connector instanceof org.eclipse.jetty.server.AbstractConnector c) {
                        c.setIdleTimeout(config.http().idleTimeout().toMillis());
                    }
                }
            });
            cfg.startup.showJavalinBanner = false;
            cfg.routes.exception(ApiException.class, (e, ctx) -> {
                if (e.retryAfterSeconds() != null) {
                    ctx.header("Retry-After", e.retryAfterSeconds());
                }
                error(ctx, e.status(), e.getMessage());
            });
            cfg.routes.exception(HandledException.class, (e, ctx) -> {});
            cfg.routes.exception(MetadataException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            cfg.routes.exception(
                    io.javalin.http.HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                org.slf4j.LoggerFactory.getLogger(HttpApi.class).error("request {} failed", ctx.path(), e);
                error(ctx, 500, "internal error; the server log has the details");
            });
            cfg.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
                }
            });

            cfg.routes.get("/healthz", this::health);
            cfg.routes.get(
                    "/metrics",
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(metrics.scrape()));
            cfg.routes.get(
                    "/api/v1/openapi.json",
                    ctx -> ctx.contentType("application/json").result(openApi));

            cfg.routes.post("/api/v1/ingest", this::ingestNdjson);
            cfg.routes.post("/services/collector", this::hecEvent);
            cfg.routes.post("/services/collector/event", this::hecEvent);
            cfg.routes.post("/services/collector/event/1.0", this::hecEvent);
            cfg.routes.post("/services/collector/raw", this::hecRaw);
            cfg.routes.post("/services/collector/raw/1.0", this::hecRaw);
            cfg.routes.get("/services/collector/health", ctx -> ctx.json(Map.of("text", "HEC is healthy", "code", 17)));
            cfg.routes.post("/v1/logs", this::otlpLogs);
            cfg.routes.post("/api/v1/otlp/v1/logs", this::otlpLogs);

            cfg.routes.get("/api/v1/events", this::searchEvents);
            cfg.routes.get("/api/v1/events/count", this::countEvents);
            cfg.routes.get("/api/v1/aggregations/terms", this::terms);
            cfg.routes.get("/api/v1/aggregations/histogram", this::histogram);
            cfg.routes.get("/api/v1/alerts", this::alerts);
            cfg.routes.get("/api/v1/alerts/{id}", this::alert);
            cfg.routes.get("/api/v1/rules", this::listRules);
            cfg.routes.put("/api/v1/rules/{id}", this::setRule);
            cfg.routes.get("/api/v1/filters", this::listFilters);
            cfg.routes.put("/api/v1/filters/{name}", this::putFilter);
            cfg.routes.delete("/api/v1/filters/{name}", this::deleteFilter);
            cfg.routes.get("/api/v1/tenants", this::listTenants);
            cfg.routes.post("/api/v1/tenants", this::createTenant);
            cfg.routes.get("/api/v1/tokens", this::listTokens);
            cfg.routes.post("/api/v1/tokens", this::createToken);
            cfg.routes.delete("/api/v1/tokens/{id}", this::revokeToken);
            for (ApiRoutes extension : extensions) {
                extension.register(cfg.routes, api);
            }
            more.accept(cfg);
        });
    }

    // ---- authentication

    private Principal authenticate(Context ctx, Role needed) {
        return api.authenticate(ctx, needed);
    }

    // ---- ingestion

    private void ingestNdjson(Context ctx) throws InterruptedException {
        Principal p = authenticate(ctx, Role.INGEST);
        byte[] body = RequestBodies.read(ctx, config.http().maxBodyBytes());
        DecodeResult result = ndjson.decode(p.tenant(), body, "api/ingest");
        List<Event> events = scoped(result.events(), p.tenant());
        long last = accept(ctx, "http-ndjson", events, result.rejected().size());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accepted", events.size());
        out.put("rejected", rejections(result.rejected()));
        out.put("sequence", last);
        respond(ctx, result.rejected().isEmpty() || !events.isEmpty() ? 200 : 400, out);
    }

    private void hecEvent(Context ctx) throws InterruptedException {
        Principal p = hecAuthenticate(ctx);
        byte[] body = RequestBodies.read(ctx, config.http().maxBodyBytes());
        DecodeResult result = hec.decodeEvent(p.tenant(), body, hecMetadata(ctx));
        hecAnswer(ctx, p, result, "hec-event");
    }

    private void hecRaw(Context ctx) throws InterruptedException {
        Principal p = hecAuthenticate(ctx);
        byte[] body = RequestBodies.read(ctx, config.http().maxBodyBytes());
        DecodeResult result = hec.decodeRaw(p.tenant(), body, hecMetadata(ctx));
        hecAnswer(ctx, p, result, "hec-raw");
    }

    private Principal hecAuthenticate(Context ctx) {
        try {
            return authenticate(ctx, Role.INGEST);
        } catch (ApiException e) {
            // Splunk's own codes, which HEC clients understand: 2 token required, 4 invalid token.
            int code = ctx.header("Authorization") == null ? 2 : 4;
            String text = code == 2 ? "Token is required" : "Invalid token";
            if (e.status() == 403) {
                code = 4;
                text = "Invalid token (role cannot ingest)";
            }
            ctx.status(e.status() == 403 ? 403 : 401).json(Map.of("text", text, "code", code));
            throw new HandledException();
        }
    }

    private void hecAnswer(Context ctx, Principal p, DecodeResult result, String input) throws InterruptedException {
        List<Event> events = scoped(result.events(), p.tenant());
        try {
            accept(ctx, input, events, result.rejected().size());
        } catch (ApiException e) {
            if (e.status() == 503 || e.status() == 429) {
                ctx.header("Retry-After", e.retryAfterSeconds());
                ctx.status(503).json(Map.of("text", "Server is busy", "code", 9));
                return;
            }
            throw e;
        }
        HecResponse r = HecDecoder.response(result);
        ctx.status(r.httpStatus()).contentType("application/json").result(r.body());
    }

    private static HecMetadata hecMetadata(Context ctx) {
        return new HecMetadata(
                firstNonNull(ctx.queryParam("channel"), ctx.header("X-Splunk-Request-Channel")),
                ctx.queryParam("host"),
                ctx.queryParam("source"),
                ctx.queryParam("sourcetype"),
                ctx.queryParam("index"));
    }

    private void otlpLogs(Context ctx) throws InterruptedException {
        Principal p = authenticate(ctx, Role.INGEST);
        byte[] body = RequestBodies.read(ctx, config.http().maxBodyBytes());
        String type = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
        boolean protobuf = type.startsWith("application/x-protobuf") || type.startsWith("application/protobuf");
        if (!protobuf && !type.startsWith("application/json")) {
            throw new ApiException(415, "OTLP/HTTP takes application/x-protobuf or application/json");
        }
        DecodeResult result = protobuf ? otlp.decodeProtobuf(p.tenant(), body) : otlp.decodeJson(p.tenant(), body);
        List<Event> events = scoped(result.events(), p.tenant());
        accept(
                ctx,
                protobuf ? "otlp-protobuf" : "otlp-json",
                events,
                result.rejected().size());
        if (protobuf) {
            ctx.contentType("application/x-protobuf")
                    .result(OtlpLogsDecoder.response(result).toByteArray());
        } else {
            ctx.contentType("application/json").result(OtlpLogsDecoder.responseJson(result));
        }
    }

    /** Durably appends, or throws 429 with Retry-After when the pipeline is behind. */
    private long accept(Context ctx, String input, List<Event> events, int rejected) throws InterruptedException {
        if (rejected > 0) {
            metrics.rejected(input, rejected);
        }
        long last = ingest.append(input, events, Duration.ofMillis(500));
        if (last < 0) {
            throw new ApiException(
                    429,
                    "the pipeline is behind; nothing from this request was accepted, send it again later",
                    Long.toString(config.pipeline().retryAfter().toSeconds()));
        }
        return last;
    }

    /** Every event of a request belongs to the token's tenant, whatever the payload says. */
    private static List<Event> scoped(List<Event> events, TenantId tenant) {
        List<Event> out = new ArrayList<>(events.size());
        for (Event e : events) {
            out.add(e.withTenant(tenant));
        }
        return out;
    }

    private static List<Map<String, Object>> rejections(List<Rejection> rejected) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Rejection r : rejected) {
            out.add(Map.of("line", r.line(), "reason", r.reason()));
        }
        return out;
    }

    // ---- search

    private record Window(Query query, Instant from, Instant to) {}

    private Window window(Context ctx) {
        Instant now = clock.instant();
        Instant to = TimeParams.parse("to", ctx.queryParam("to"), now, now);
        Instant from = TimeParams.parse("from", ctx.queryParam("from"), now, to.minus(Duration.ofHours(24)));
        if (!from.isBefore(to)) {
            throw new ApiException(400, "from must be before to");
        }
        String q = ctx.queryParam("q");
        Query query;
        try {
            query = q == null || q.isBlank() ? new Query.MatchAll() : QueryParser.parse(q);
        } catch (QuerySyntaxException e) {
            throw new ApiException(400, "q: " + e.getMessage());
        }
        return new Window(query, from, to);
    }

    private void searchEvents(Context ctx) {
        Principal p = authenticate(ctx, Role.READ);
        Window w = window(ctx);
        int limit = intParam(ctx, "limit", 100, 0, MAX_LIMIT);
        int offset = intParam(ctx, "offset", 0, 0, 1_000_000);
        SearchResult r = store.search(p.tenant(), w.query(), w.from(), w.to(), limit, offset);
        List<Map<String, Object>> events = new ArrayList<>(r.events().size());
        for (StoredEvent e : r.events()) {
            events.add(eventJson(e));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", r.total());
        out.put("events", events);
        respond(ctx, 200, out);
    }

    private void countEvents(Context ctx) {
        Principal p = authenticate(ctx, Role.READ);
        Window w = window(ctx);
        respond(ctx, 200, Map.of("count", store.count(p.tenant(), w.query(), w.from(), w.to())));
    }

    private void terms(Context ctx) {
        Principal p = authenticate(ctx, Role.READ);
        Window w = window(ctx);
        String field = ctx.queryParam("field");
        if (field == null || field.isBlank()) {
            throw new ApiException(400, "field: required");
        }
        int size = intParam(ctx, "size", 10, 1, 1000);
        FieldCounts counts = store.countBy(p.tenant(), w.query(), w.from(), w.to(), field, size);
        List<Map<String, Object>> buckets = new ArrayList<>();
        for (FieldCounts.Bucket b : counts.buckets()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", b.value());
            m.put("count", b.count());
            buckets.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("field", field);
        out.put("buckets", buckets);
        out.put("other", counts.otherCount());
        respond(ctx, 200, out);
    }

    private void histogram(Context ctx) {
        Principal p = authenticate(ctx, Role.READ);
        Window w = window(ctx);
        String interval = ctx.queryParam("interval");
        Duration bucket =
                interval == null ? EventStore.histogramBucket(w.from(), w.to()) : TimeParams.interval(interval);
        if (Duration.between(w.from(), w.to()).dividedBy(bucket) > 10_000) {
            throw new ApiException(400, "interval: more than 10,000 buckets; choose a larger interval");
        }
        List<HistogramBucket> buckets = store.histogram(p.tenant(), w.query(), w.from(), w.to(), bucket);
        List<Map<String, Object>> out = new ArrayList<>();
        for (HistogramBucket b : buckets) {
            out.add(Map.of("start", b.start().toString(), "count", b.count()));
        }
        respond(ctx, 200, Map.of("interval", bucket.toString(), "buckets", out));
    }

    private void alerts(Context ctx) {
        Principal p = authenticate(ctx, Role.READ);
        Instant now = clock.instant();
        Instant to = TimeParams.parse("to", ctx.queryParam("to"), now, now);
        Instant from = TimeParams.parse("from", ctx.queryParam("from"), now, to.minus(Duration.ofDays(7)));
        AlertFilter filter = alertFilter(ctx);
        int limit = intParam(ctx, "limit", 100, 0, MAX_LIMIT);
        int offset = intParam(ctx, "offset", 0, 0, 1_000_000);
        AlertPage page = store.alerts(p.tenant(), from, to, filter, limit, offset);
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Alert a : page.alerts()) {
            alerts.add(alertJson(a));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", page.total());
        out.put("alerts", alerts);
        respond(ctx, 200, out);
    }

    private void alert(Context ctx) {
        Principal p = authenticate(ctx, Role.READ);
        Optional<AlertEvidence> found = store.alert(p.tenant(), ctx.pathParam("id"));
        if (found.isEmpty()) {
            throw new ApiException(404, "no such alert");
        }
        Map<String, Object> out = alertJson(found.get().alert());
        List<Map<String, Object>> evidence = new ArrayList<>();
        for (StoredEvent e : found.get().events()) {
            evidence.add(eventJson(e));
        }
        out.put("evidence", evidence);
        respond(ctx, 200, out);
    }

    // ---- rules and filters

    private void listRules(Context ctx) {
        Principal p = authenticate(ctx, Role.READ);
        Set<String> disabled = meta.disabledRules(p.tenant());
        List<Map<String, Object>> out = new ArrayList<>(rules.size());
        for (RuleRef r : rules) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("title", r.title());
            m.put("level", r.level());
            m.put("tags", r.tags());
            m.put("source", r.file());
            m.put("enabled", !(disabled.contains(r.id()) || (r.name() != null && disabled.contains(r.name()))));
            out.add(m);
        }
        respond(ctx, 200, Map.of("total", out.size(), "rules", out));
    }

    private void setRule(Context ctx) {
        Principal p = authenticate(ctx, Role.ADMIN);
        String id = ctx.pathParam("id");
        if (rules.stream().noneMatch(r -> r.isNamed(id))) {
            throw new ApiException(404, "no loaded rule has the id or name " + quote(id));
        }
        Map<String, Object> body = jsonBody(ctx);
        if (!(body.get("enabled") instanceof Boolean enabled)) {
            throw new ApiException(400, "body: {\"enabled\": true|false} expected");
        }
        meta.setRuleEnabled(p.tenant(), id, enabled);
        respond(ctx, 200, Map.of("id", id, "enabled", enabled));
    }

    private void listFilters(Context ctx) {
        Principal p = authenticate(ctx, Role.READ);
        respond(ctx, 200, Map.of("filters", meta.filters(p.tenant())));
    }

    private void putFilter(Context ctx) {
        Principal p = authenticate(ctx, Role.ADMIN);
        String yaml = new String(RequestBodies.read(ctx, MetadataStore.MAX_FILTER_YAML_CHARS), StandardCharsets.UTF_8);
        String name = ctx.pathParam("name");
        Map<String, String> one = Map.of(name, yaml);
        TenantFilters compiled = TenantFilters.compile(one, dev.vigil.sigma.FieldMapping.identity());
        if (!compiled.errors().isEmpty()) {
            throw new ApiException(400, String.join("; ", compiled.errors()));
        }
        meta.putFilter(p.tenant(), name, yaml);
        respond(ctx, 200, Map.of("name", name, "stored", true));
    }

    private void deleteFilter(Context ctx) {
        Principal p = authenticate(ctx, Role.ADMIN);
        if (!meta.deleteFilter(p.tenant(), ctx.pathParam("name"))) {
            throw new ApiException(404, "no such filter");
        }
        ctx.status(204);
    }

    // ---- tenants and tokens

    private Principal globalAdmin(Context ctx) {
        Principal p = authenticate(ctx, Role.ADMIN);
        if (!p.isGlobalAdmin()) {
            throw new ApiException(403, "only an admin token of the system tenant manages tenants");
        }
        return p;
    }

    private void listTenants(Context ctx) {
        globalAdmin(ctx);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Tenant t : meta.tenants()) {
            out.add(tenantJson(t));
        }
        respond(ctx, 200, Map.of("tenants", out));
    }

    private void createTenant(Context ctx) {
        globalAdmin(ctx);
        Object name = jsonBody(ctx).get("name");
        if (!(name instanceof String n)) {
            throw new ApiException(400, "body: {\"name\": \"...\"} expected");
        }
        if (meta.tenant(n).isPresent()) {
            throw new ApiException(409, "a tenant named " + quote(n) + " exists");
        }
        respond(ctx, 201, tenantJson(meta.createTenant(n)));
    }

    /** The tenant a token request is about: the caller's own, or any for a global admin naming one. */
    private TenantId targetTenant(Principal p, String named) {
        if (named == null || named.isBlank()) {
            return p.tenant();
        }
        Optional<Tenant> t = meta.tenant(named);
        if (t.isEmpty() || (!p.isGlobalAdmin() && !t.get().id().equals(p.tenant()))) {
            // The same answer for "absent" and "not yours", so names of other tenants do not leak.
            throw new ApiException(404, "no such tenant");
        }
        return t.get().id();
    }

    private void listTokens(Context ctx) {
        Principal p = authenticate(ctx, Role.ADMIN);
        TenantId tenant = targetTenant(p, ctx.queryParam("tenant"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (TokenInfo t : meta.listTokens(tenant)) {
            out.add(tokenJson(t));
        }
        respond(ctx, 200, Map.of("tokens", out));
    }

    private void createToken(Context ctx) {
        Principal p = authenticate(ctx, Role.ADMIN);
        Map<String, Object> body = jsonBody(ctx);
        TenantId tenant = targetTenant(p, body.get("tenant") instanceof String s ? s : null);
        Role role;
        try {
            role = Role.parse(String.valueOf(body.get("role")));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "role: ingest, read or admin");
        }
        String description = body.get("description") instanceof String d ? d : "";
        IssuedToken issued = meta.createToken(tenant, role, description);
        Map<String, Object> out = tokenJson(issued.info());
        out.put("token", issued.token());
        respond(ctx, 201, out);
    }

    private void revokeToken(Context ctx) {
        Principal p = authenticate(ctx, Role.ADMIN);
        String id = ctx.pathParam("id");
        Optional<TokenInfo> t = meta.token(id);
        if (t.isEmpty() || (!p.isGlobalAdmin() && !t.get().tenant().equals(p.tenant()))) {
            throw new ApiException(404, "no such token");
        }
        meta.revokeToken(id);
        ctx.status(204);
    }

    // ---- health

    private void health(Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        Throwable failure = pipeline.failure();
        out.put("status", failure == null ? "ok" : "failing");
        out.put("applied_sequence", pipeline.appliedSequence());
        out.put("pending", pipeline.pending());
        respond(ctx, failure == null ? 200 : 503, out);
    }

    // ---- JSON helpers

    private Map<String, Object> jsonBody(Context ctx) {
        byte[] body = RequestBodies.read(ctx, 1 << 20);
        try {
            Object v = json.readValue(body, Object.class);
            if (v instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) m;
                return map;
            }
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "body: not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "body: cannot be read: " + e.getMessage());
        }
        throw new ApiException(400, "body: a JSON object expected");
    }

    private static Map<String, Object> eventJson(StoredEvent e) {
        Event ev = e.event();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("timestamp", ev.timestamp() == null ? null : ev.timestamp().toString());
        m.put("received", e.received().toString());
        Map<String, Object> ls = new LinkedHashMap<>();
        ls.put("product", ev.logSource().product());
        ls.put("category", ev.logSource().categories());
        ls.put("service", ev.logSource().services());
        m.put("logsource", ls);
        SourceRef src = ev.source();
        if (src != null) {
            m.put("source", src.source());
        }
        m.put("fields", ev.fields());
        m.put("original", ev.original());
        return m;
    }

    /** {@code severity} (or Sigma's word {@code level}): at least this severe; {@code rule}; {@code kind}. */
    private static AlertFilter alertFilter(Context ctx) {
        String severity = ctx.queryParam("severity") != null ? ctx.queryParam("severity") : ctx.queryParam("level");
        String kind = ctx.queryParam("kind");
        try {
            return new AlertFilter(
                    severity == null ? null : Severity.fromSigmaLevel(severity),
                    ctx.queryParam("rule"),
                    kind == null ? null : DetectorKind.valueOf(kind.strip().toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new ApiException(
                    400,
                    severity != null && e.getMessage() != null && e.getMessage().contains("Sigma level")
                            ? "severity: " + e.getMessage()
                            : "kind: use one of " + java.util.Arrays.toString(DetectorKind.values()));
        }
    }

    private Map<String, Object> alertJson(Alert a) {
        Map<String, Object> m = baseAlertJson(a);
        if (attack.isPresent() && !a.techniques().isEmpty()) {
            // Technique ids resolved to their names and tactics in the loaded ATT&CK release.
            List<Map<String, Object>> named = new ArrayList<>();
            for (String id : a.techniques()) {
                attack.get().technique(id).ifPresent(t -> {
                    Map<String, Object> n = new LinkedHashMap<>();
                    n.put("id", t.attackId());
                    n.put("name", t.fullName(attack.get()));
                    n.put("tactics", t.tactics().stream().map(x -> x.name()).toList());
                    n.put("url", t.url());
                    named.add(n);
                });
            }
            m.put("attack", named);
        }
        return m;
    }

    static Map<String, Object> baseAlertJson(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("time", a.time().toString());
        m.put("severity", a.severity().sigmaLevel());
        m.put(
                "detector",
                Map.of("kind", a.detectorKind().name().toLowerCase(java.util.Locale.ROOT), "id", a.detectorId()));
        m.put("title", a.title());
        m.put("confidence", a.confidence());
        List<Map<String, Object>> entities = new ArrayList<>();
        for (EntityRef e : a.entities()) {
            entities.add(Map.of("type", e.type().name().toLowerCase(java.util.Locale.ROOT), "value", e.value()));
        }
        m.put("entities", entities);
        List<String> tactics = new ArrayList<>();
        for (AttackTactic t : a.tactics()) {
            tactics.add(t.shortName());
        }
        m.put("tactics", tactics);
        m.put("techniques", a.techniques());
        m.put("events", a.evidence());
        m.put("details", a.details());
        return m;
    }

    private static Map<String, Object> tenantJson(Tenant t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id().value());
        m.put("name", t.name());
        m.put("created", t.created().toString());
        m.put("retention_days", t.retentionDays());
        return m;
    }

    private static Map<String, Object> tokenJson(TokenInfo t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.tokenId());
        m.put("tenant", t.tenant().value());
        m.put("role", t.role().wireName());
        m.put("description", t.description());
        m.put("created", t.created().toString());
        m.put("revoked", t.revokedAt().map(Instant::toString).orElse(null));
        return m;
    }

    private void respond(Context ctx, int status, Object body) {
        api.respond(ctx, status, body);
    }

    private void error(Context ctx, int status, String message) {
        api.error(ctx, status, message);
    }

    private static int intParam(Context ctx, String name, int dflt, int min, int max) {
        return ApiSupport.intParam(ctx, name, dflt, min, max);
    }

    private String quote(String s) {
        try {
            return json.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            return "\"?\"";
        }
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static byte[] resource(String name) {
        try (InputStream in = HttpApi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    /** Thrown after a handler wrote its own response, to stop it. */
    static final class HandledException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HandledException() {
            super(null, null, false, false);
        }
    }
}
