package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Matching on one detector and emitting on another (as the server does to match on several threads) gives exactly
 * the detections of {@link SigmaDetector#process}, correlations included.
 */
class MatchEmitTest {
    private static final String RULES = """
            title: failed logon
            id: 00000000-0000-0000-0000-000000000001
            name: failed_logon
            logsource: {product: windows, service: security}
            detection:
                selection: {EventID: 4625}
                condition: selection
            ---
            title: admin named
            id: 00000000-0000-0000-0000-000000000002
            logsource: {product: windows, service: security}
            detection:
                selection: {TargetUserName|contains: admin}
                condition: selection
            ---
            title: many failed logons
            id: 00000000-0000-0000-0000-000000000003
            correlation:
                type: event_count
                rules: [failed_logon]
                group-by: [IpAddress]
                timespan: 1m
                condition: {gte: 3}
            """;
    private static final LogSource SECURITY = new LogSource("windows", Set.of(), Set.of("security"));

    @Test
    void matchThenEmitEqualsProcess() {
        SigmaRuleSet rules = SigmaRuleSet.builder().addYaml("rules.yml", RULES).build();
        assertThat(rules.report().failed()).isZero();
        SigmaDetector whole = new SigmaDetector(rules);
        SigmaDetector matcher = new SigmaDetector(rules);
        SigmaDetector owner = new SigmaDetector(rules);
        Random random = new Random(42);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            t = t.plusSeconds(random.nextInt(20));
            Event e = Event.builder()
                    .tenant(TenantId.DEFAULT)
                    .field("EventID", random.nextBoolean() ? 4625L : 4624L)
                    .field("TargetUserName", random.nextInt(4) == 0 ? "administrator" : "bob")
                    .field("IpAddress", "10.0.0." + random.nextInt(3))
                    .logSource(SECURITY)
                    .timestamp(t)
                    .source(new SourceRef("s", i))
                    .build();
            whole.process(e, d -> expected.add(describe(d)));
            owner.emit(e, matcher.match(e), d -> actual.add(describe(d)));
        }
        assertThat(expected).anyMatch(s -> s.startsWith("many failed logons"));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void matchesOfAnotherRuleSetAreRefused() {
        SigmaRuleSet a = SigmaRuleSet.builder().addYaml("a.yml", RULES).build();
        SigmaRuleSet b = SigmaRuleSet.builder().addYaml("b.yml", RULES).build();
        Event e = Event.builder().field("EventID", 4625L).logSource(SECURITY).build();
        SigmaDetector.Matches m = new SigmaDetector(a).match(e);
        assertThat(m.size()).isEqualTo(1);
        assertThatThrownBy(() -> new SigmaDetector(b).emit(e, m, d -> {})).isInstanceOf(IllegalArgumentException.class);
    }

    private static String describe(Detection d) {
        return d.rule().title() + " " + d.timestamp() + " " + d.groupBy() + " " + d.sources();
    }
}
