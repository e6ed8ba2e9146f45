package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.attack.AttackKnowledgeBase;
import dev.vigil.attack.Coverage;
import dev.vigil.attack.NavigatorLayer;
import dev.vigil.attack.RuleTags;
import dev.vigil.attack.TacticCoverage;
import dev.vigil.attack.Technique;
import dev.vigil.meta.MetadataStore;
import dev.vigil.meta.Principal;
import dev.vigil.meta.Role;
import dev.vigil.sigma.RuleRef;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/attack/...}: the ATT&amp;CK coverage of the rules a tenant has enabled, as a Navigator layer and as a
 * summary per tactic, and technique lookups. Without a configured bundle ({@code attack.bundle}) these answer 503 with
 * the setting to fix.
 */
final class AttackRoutes implements ApiRoutes {
    private final Optional<AttackKnowledgeBase> attack;
    private final List<RuleRef> rules;
    private final MetadataStore meta;

    AttackRoutes(Optional<AttackKnowledgeBase> attack, List<RuleRef> rules, MetadataStore meta) {
        this.attack = requireNonNull(attack, "attack");
        this.rules = List.copyOf(rules);
        this.meta = requireNonNull(meta, "meta");
    }

    @Override
    public void register(RoutesConfig routes, ApiSupport api) {
        routes.get("/api/v1/attack/coverage", ctx -> coverage(ctx, api));
        routes.get("/api/v1/attack/layer", ctx -> layer(ctx, api));
        routes.get("/api/v1/attack/techniques/{id}", ctx -> technique(ctx, api));
    }

    private AttackKnowledgeBase knowledgeBase() {
        return attack.orElseThrow(() -> new ApiException(
                503, "no ATT&CK bundle is configured: set attack.bundle to an Enterprise ATT&CK STIX 2.1 bundle"));
    }

    /** The coverage of the rules this tenant has enabled. */
    private Coverage tenantCoverage(Principal p) {
        Set<String> disabled = meta.disabledRules(p.tenant());
        List<RuleTags> enabled = new ArrayList<>();
        for (RuleRef r : rules) {
            if (!disabled.contains(r.id())) {
                enabled.add(new RuleTags(r.id(), r.title(), r.tags(), r.level()));
            }
        }
        return Coverage.compute(knowledgeBase(), enabled);
    }

    private void coverage(Context ctx, ApiSupport api) {
        Principal p = api.authenticate(ctx, Role.READ);
        Coverage c = tenantCoverage(p);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attack_version", c.knowledgeBase().version());
        out.put("rules", c.ruleCount());
        out.put("rules_with_techniques", c.rulesWithTechniques());
        out.put("techniques_covered", c.techniquesCovered());
        out.put("techniques_total", c.techniquesTotal());
        List<Map<String, Object>> tactics = new ArrayList<>();
        for (TacticCoverage t : c.tactics()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", t.tactic().attackId());
            m.put("shortname", t.tactic().shortname());
            m.put("name", t.tactic().name());
            m.put("techniques_covered", t.techniquesCovered());
            m.put("techniques_total", t.techniquesTotal());
            m.put("rules", t.rules());
            tactics.add(m);
        }
        out.put("tactics", tactics);
        List<Map<String, Object>> techniques = new ArrayList<>();
        c.techniques().forEach(tc -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", tc.technique().attackId());
            m.put("name", tc.technique().fullName(c.knowledgeBase()));
            m.put("rules", tc.rules().size());
            techniques.add(m);
        });
        out.put("techniques", techniques);
        api.respond(ctx, 200, out);
    }

    private void layer(Context ctx, ApiSupport api) {
        Principal p = api.authenticate(ctx, Role.READ);
        String json = NavigatorLayer.toJson(
                tenantCoverage(p),
                NavigatorLayer.Options.named("Vigil rules of " + p.tenant().value()));
        ctx.status(200).contentType("application/json").result(json);
    }

    private void technique(Context ctx, ApiSupport api) {
        api.authenticate(ctx, Role.READ);
        AttackKnowledgeBase kb = knowledgeBase();
        String id = ctx.pathParam("id").strip().toUpperCase(java.util.Locale.ROOT);
        Technique t = kb.technique(id).orElseThrow(() -> new ApiException(404, "no active technique " + id));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.attackId());
        out.put("name", t.fullName(kb));
        out.put("tactics", t.tactics().stream().map(x -> x.shortname()).toList());
        out.put("platforms", t.platforms());
        out.put("subtechnique", t.subtechnique());
        out.put("url", t.url());
        api.respond(ctx, 200, out);
    }
}
