package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Small helpers to compile a detection section and run it on one event. */
final class RuleTesting {
    private RuleTesting() {}

    static String rule(String detection) {
        return "title: test rule\nid: 00000000-0000-4000-8000-000000000001\nlogsource:\n  product: test\n"
                + "detection:\n" + indent(detection) + "level: high\n";
    }

    static String indent(String s) {
        return s.lines().map(l -> "  " + l).collect(Collectors.joining("\n")) + "\n";
    }

    static SigmaRuleSet compile(String detection) {
        return compile(detection, Map.of());
    }

    static SigmaRuleSet compile(String detection, Map<String, List<String>> placeholders) {
        SigmaRuleSet set = SigmaRuleSet.builder()
                .placeholders(placeholders)
                .addYaml("test.yml", rule(detection))
                .build();
        assertThat(set.report().errors()).as("load errors").isEmpty();
        return set;
    }

    static Problem error(String detection) {
        SigmaRuleSet set =
                SigmaRuleSet.builder().addYaml("bad.yml", rule(detection)).build();
        assertThat(set.report().failed()).as("rule should fail to load").isEqualTo(1);
        return set.report().errors().get(0);
    }

    static Event event(Object... kv) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            fields.put((String) kv[i], kv[i + 1]);
        }
        return Event.builder().fields(fields).build();
    }

    static boolean matches(SigmaRuleSet set, Event e) {
        return !new SigmaDetector(set).process(e).isEmpty();
    }

    static boolean matches(String detection, Object... kv) {
        return matches(compile(detection), event(kv));
    }
}
