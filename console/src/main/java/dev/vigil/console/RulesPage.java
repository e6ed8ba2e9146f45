package dev.vigil.console;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.meta.MetadataStore;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.RuleRef;
import dev.vigil.sigma.SigmaDetector;
import dev.vigil.sigma.SigmaRuleSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rules: the list the server runs with their state for this tenant (enable and disable are audited metadata changes),
 * the tenant's Sigma filters, and a bench to try a Sigma rule against pasted NDJSON events without storing anything.
 */
public final class RulesPage implements ConsolePage {
    static final int MAX_TEST_YAML_CHARS = 256 * 1024;
    static final int MAX_TEST_EVENTS_CHARS = 1024 * 1024;
    static final int MAX_TEST_EVENTS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxStringLength(64 * 1024)
                    .build())
            .build());

    public record Row(RuleRef rule, boolean enabled) {}

    /** One line of the test's outcome: an event number and the rules it matched, or the problem with that line. */
    public record TestLine(int line, List<String> matched, String problem) {}

    public record TestResult(List<String> ruleErrors, List<TestLine> lines, int events, int matchedEvents) {}

    public record Model(
            String q, List<Row> rows, Map<String, String> filters, String yaml, String ndjson, TestResult test) {}

    @Override
    public void register(ConsoleRouter router) {
        router.tenantGet(
                "/rules", Access.VIEW, r -> r.render("rules.jte", "nav.rules", "rules", model(r, "", "", null)));
        router.tenantPost("/rules/state", Access.TENANT_ADMIN, this::setState);
        router.tenantPost("/rules/test", Access.VIEW, this::test);
    }

    private static Model model(PageRequest r, String yaml, String ndjson, TestResult test) {
        String q = r.query("q", 256).strip().toLowerCase(Locale.ROOT);
        Set<String> disabled = r.services().metadata().disabledRules(r.tenant());
        List<Row> rows = new ArrayList<>();
        for (RuleRef rule : r.services().rules().rules()) {
            if (q.isEmpty() || matches(rule, q)) {
                rows.add(new Row(
                        rule,
                        !(disabled.contains(rule.id()) || rule.name() != null && disabled.contains(rule.name()))));
            }
        }
        return new Model(q, rows, r.services().metadata().filters(r.tenant()), yaml, ndjson, test);
    }

    private static boolean matches(RuleRef rule, String q) {
        return rule.title().toLowerCase(Locale.ROOT).contains(q)
                || rule.id().toLowerCase(Locale.ROOT).contains(q)
                || rule.level().equals(q)
                || rule.tags().stream().anyMatch(t -> t.toLowerCase(Locale.ROOT).contains(q));
    }

    private void setState(PageRequest r) {
        String id = r.form("rule", MetadataStore.MAX_RULE_ID_CHARS);
        boolean enable = "true".equals(r.form("enabled", 5));
        boolean known = r.services().rules().rules().stream().anyMatch(rule -> rule.isNamed(id));
        if (!known) {
            throw new ConsoleException(404, "no rule '" + id + "'");
        }
        if (r.services().metadata().setRuleEnabled(r.tenant(), id, enable)) {
            r.audit(enable ? "rule.enable" : "rule.disable", id, "");
        }
        r.redirect("/t/" + r.tenant().value() + "/rules");
    }

    private void test(PageRequest r) {
        String yaml = r.form("yaml", MAX_TEST_YAML_CHARS);
        String ndjson = r.form("events", MAX_TEST_EVENTS_CHARS);
        r.render("rules.jte", "nav.rules", "rules", model(r, yaml, ndjson, run(r, yaml, ndjson)));
    }

    /** Loads the rule(s), reads the events line by line (bad lines reported, the rest used) and runs the detector. */
    static TestResult run(PageRequest r, String yaml, String ndjson) {
        SigmaRuleSet rules = SigmaRuleSet.builder().addYaml("pasted rule", yaml).build();
        List<String> ruleErrors = new ArrayList<>();
        for (Problem p : rules.report().errors()) {
            ruleErrors.add(p.toString());
        }
        if (rules.detectionRuleCount() == 0 && ruleErrors.isEmpty()) {
            ruleErrors.add(r.messages().t("rules.test.norule"));
        }
        SigmaDetector detector = new SigmaDetector(rules, problem -> {});
        List<TestLine> lines = new ArrayList<>();
        String[] texts = ndjson.split("\n", -1);
        int events = 0;
        int matched = 0;
        for (int i = 0; i < texts.length; i++) {
            String text = texts[i].strip();
            if (text.isEmpty()) {
                continue;
            }
            if (events >= MAX_TEST_EVENTS) {
                lines.add(new TestLine(
                        i + 1, List.of(), "more than " + MAX_TEST_EVENTS + " events; the rest is ignored"));
                break;
            }
            Map<String, Object> fields;
            try {
                fields = JSON.readValue(text, new TypeReference<Map<String, Object>>() {});
            } catch (Exception e) {
                lines.add(new TestLine(i + 1, List.of(), "not a JSON object: " + firstLine(e.getMessage())));
                continue;
            }
            events++;
            Event event = Event.builder()
                    .tenant(r.tenant())
                    .fields(fields)
                    .original(fields)
                    .build();
            List<String> names = new ArrayList<>();
            for (Detection d : detector.process(event)) {
                names.add(d.rule().title());
            }
            if (!names.isEmpty()) {
                matched++;
            }
            lines.add(new TestLine(i + 1, names, null));
        }
        return new TestResult(ruleErrors, lines, events, matched);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
