package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import dev.vigil.intel.ImportResult;
import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorJson;
import dev.vigil.intel.IndicatorType;
import dev.vigil.intel.IndicatorValues;
import dev.vigil.intel.csv.CsvMapping;
import dev.vigil.meta.Principal;
import dev.vigil.meta.Role;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/intel/...}: importing indicator files (STIX 2.x bundles, MISP events, CSV lists) into the tenant's or,
 * for the system tenant's admins, the global knowledge base, and looking values up. Matches are alerts of kind
 * {@code intel} ({@code /api/v1/alerts?kind=intel}).
 */
final class IntelRoutes implements ApiRoutes {
    private static final int MAX_PROBLEMS = 100;

    private final IntelService intel;
    private final long maxBytes;
    private final Clock clock;
    private final IndicatorJson json = new IndicatorJson();

    IntelRoutes(IntelService intel, long maxBytes, Clock clock) {
        this.intel = requireNonNull(intel, "intel");
        this.maxBytes = maxBytes;
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public void register(RoutesConfig routes, ApiSupport api) {
        routes.post("/api/v1/intel/import", ctx -> importFile(ctx, api));
        routes.get("/api/v1/intel/lookup", ctx -> lookup(ctx, api));
    }

    private void importFile(Context ctx, ApiSupport api) {
        Principal p = api.authenticate(ctx, Role.ADMIN);
        String scopeParam = Optional.ofNullable(ctx.queryParam("scope")).orElse("tenant");
        TenantId scope;
        if (scopeParam.equals("global")) {
            if (!p.isGlobalAdmin()) {
                throw new ApiException(403, "only admins of the system tenant import global indicators");
            }
            scope = null;
        } else if (scopeParam.equals("tenant")) {
            scope = p.tenant();
        } else {
            throw new ApiException(400, "scope: tenant or global");
        }
        String format = ctx.queryParam("format");
        if (format == null) {
            throw new ApiException(400, "format: required (stix, misp or csv)");
        }
        IntelImports.Format f;
        CsvMapping csv;
        try {
            f = IntelImports.Format.parse(format);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        try {
            csv = IntelImports.csvMapping(ctx.queryParam("csv"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "csv: " + e.getMessage());
        }
        String source = Optional.ofNullable(ctx.queryParam("source")).orElse("api-upload");
        byte[] body = RequestBodies.read(ctx, maxBytes);
        IntelService.ImportReport report = intel.importFile(source, f, body, scope, csv);
        api.respond(ctx, 200, reportJson(report));
    }

    static Map<String, Object> reportJson(IntelService.ImportReport report) {
        ImportResult r = report.result();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", r.source());
        out.put("indicators", r.indicators().size());
        out.put("read", r.read());
        out.put("imported", r.imported());
        out.put("rejected", r.rejected());
        out.put("unsupported", r.unsupported());
        out.put("skipped", r.skipped());
        out.put("stored", report.stored());
        out.put("merged_with_known", report.merged());
        out.put("problems", IntelService.describe(r.problems(), MAX_PROBLEMS));
        out.put("retro_hunt", Map.of("events_searched", report.eventsSearched(), "alerts", report.retroHuntAlerts()));
        return out;
    }

    private void lookup(Context ctx, ApiSupport api) {
        Principal p = api.authenticate(ctx, Role.READ);
        String value = ctx.queryParam("value");
        if (value == null || value.isBlank() || value.length() > 4096) {
            throw new ApiException(400, "value: required, at most 4096 characters");
        }
        IndicatorType type;
        try {
            type = ctx.queryParam("type") != null
                    ? IndicatorType.valueOf(ctx.queryParam("type").toUpperCase(Locale.ROOT))
                    : IndicatorValues.guessType(value.strip())
                            .orElseThrow(() -> new ApiException(400, "value: cannot tell its type; give type="));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "type: one of " + java.util.Arrays.toString(IndicatorType.values()));
        }
        List<Object> found = new ArrayList<>();
        for (Indicator i : intel.index().match(type, value.strip(), p.tenant(), clock.instant())) {
            found.add(json.toTree(i));
        }
        api.respond(ctx, 200, Map.of("type", type.name().toLowerCase(Locale.ROOT), "indicators", found));
    }
}
