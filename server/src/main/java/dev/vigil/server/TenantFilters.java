package dev.vigil.server;

import dev.vigil.core.Event;
import dev.vigil.sigma.BoundedYaml;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.FieldMapping;
import dev.vigil.sigma.LoadReport;
import dev.vigil.sigma.RuleRef;
import dev.vigil.sigma.SigmaDetector;
import dev.vigil.sigma.SigmaRuleSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * One tenant's Sigma filters, applied after the shared rule set has matched.
 *
 * <p>The global rule set is compiled once for every tenant, so a tenant's own filters cannot be compiled into it. A
 * Sigma filter says "for these rules, on this log source, keep only events where this condition holds" (its
 * condition is usually {@code not selection}). Each filter is turned into an ordinary detection rule with the same
 * log source and the negated condition, so that rule matching an event means exactly "this filter drops the event";
 * a filter whose log source does not fit the event does not match and so drops nothing, as the specification wants.
 * These rules run on the small set of events that some rule matched, through the engine's own matcher.
 */
final class TenantFilters {
    private final SigmaDetector detector;
    private final Map<String, List<String>> rulesByFilterId;
    private final List<String> errors;

    private TenantFilters(SigmaDetector detector, Map<String, List<String>> rulesByFilterId, List<String> errors) {
        this.detector = detector;
        this.rulesByFilterId = rulesByFilterId;
        this.errors = List.copyOf(errors);
    }

    static final TenantFilters NONE = new TenantFilters(null, Map.of(), List.of());

    /** Compiles the named filter documents; a filter that cannot be used is reported in {@link #errors()}. */
    static TenantFilters compile(Map<String, String> filters, FieldMapping mapping) {
        if (filters.isEmpty()) {
            return NONE;
        }
        SigmaRuleSet.Builder builder = SigmaRuleSet.builder().fieldMapping(mapping);
        Map<String, List<String>> targets = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (Map.Entry<String, String> f : filters.entrySet()) {
            try {
                Map<String, Object> rule = asRule(f.getKey(), f.getValue(), targets);
                builder.addYaml("filter:" + f.getKey(), dump(rule));
            } catch (IllegalArgumentException e) {
                errors.add("filter " + f.getKey() + ": " + e.getMessage());
            }
        }
        SigmaRuleSet set = builder.build();
        LoadReport report = set.report();
        report.errors().forEach(p -> errors.add(p.toString()));
        return new TenantFilters(new SigmaDetector(set), targets, errors);
    }

    List<String> errors() {
        return errors;
    }

    /** Whether one of the filters that matched the event drops {@code rule}'s match of it. */
    boolean drops(RuleRef rule, List<Detection> filterMatchesOfEvent) {
        for (Detection f : filterMatchesOfEvent) {
            for (String target : rulesByFilterId.getOrDefault(f.rule().id(), List.of())) {
                if (rule.isNamed(target)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The filters that would drop {@code event}, evaluated once per event that matched something. */
    List<Detection> matching(Event event) {
        return detector == null ? List.of() : detector.process(event);
    }

    boolean isEmpty() {
        return detector == null;
    }

    private static Map<String, Object> asRule(String name, String yaml, Map<String, List<String>> targets) {
        Object doc;
        try {
            doc = BoundedYaml.load(
                    LoadSettings.builder()
                            .setSchema(new JsonSchema())
                            .setMaxAliasesForCollections(20)
                            .setAllowDuplicateKeys(false)
                            .setCodePointLimit(256 * 1024)
                            .build(),
                    yaml);
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException("invalid YAML: " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a filter is a YAML mapping with logsource and filter");
        }
        if (!(map.get("filter") instanceof Map<?, ?> filter)) {
            throw new IllegalArgumentException("missing 'filter' section");
        }
        if (!(filter.get("rules") instanceof List<?> rules) || rules.isEmpty()) {
            throw new IllegalArgumentException("filter.rules must list the ids or names of the rules it applies to");
        }
        if (!(filter.get("condition") instanceof String condition)) {
            throw new IllegalArgumentException("filter.condition must be a string");
        }
        Map<String, Object> detection = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : filter.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!key.equals("rules") && !key.equals("condition")) {
                detection.put(key, e.getValue());
            }
        }
        detection.put("condition", "not (" + condition + ")");
        String id = UUID.nameUUIDFromBytes(("vigil-filter:" + name).getBytes(StandardCharsets.UTF_8))
                .toString();
        List<String> ruleRefs = new ArrayList<>();
        rules.forEach(r -> ruleRefs.add(String.valueOf(r)));
        targets.put(id, ruleRefs);
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("title", "tenant filter " + name);
        rule.put("id", id);
        rule.put("logsource", map.get("logsource") instanceof Map<?, ?> ls ? ls : Map.of());
        rule.put("detection", detection);
        return rule;
    }

    private static String dump(Map<String, Object> rule) {
        return new Dump(DumpSettings.builder().build()).dumpToString(rule);
    }
}
