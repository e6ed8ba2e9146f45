package dev.vigil.sigma.correlation;

import dev.vigil.core.Event;
import dev.vigil.core.ProblemCollector;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.SourceRef;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.RuleRef;
import dev.vigil.sigma.SigmaException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Builders shared by the correlation tests. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private Fixtures() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    static CorrelationRule correlation(String text) {
        try {
            return CorrelationRule.parse(yaml(text), "test.yml");
        } catch (SigmaException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** A detection rule whose id is {@code id-<name>}. */
    static RuleRef rule(String name) {
        return new RuleRef("id-" + name, name, "Rule " + name, "low", List.of(), "rules.yml");
    }

    /** An event at {@code T0 + millis}, record {@code record}, with alternating field names and values. */
    static Event event(long millis, long record, Object... fieldsAndValues) {
        return eventAt(T0.plusMillis(millis), record, fieldsAndValues);
    }

    static Event eventAt(Instant time, long record, Object... fieldsAndValues) {
        Event.Builder b = Event.builder().timestamp(time).source(new SourceRef("f", record));
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            b.field((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return b.build();
    }

    /** An engine over an in-memory store, recording what it reports. */
    static final class Harness {
        final ProblemCollector problems = new ProblemCollector(1000);
        final InMemoryCorrelationStateStore store;
        final CorrelationEngine engine;

        Harness(String... correlations) {
            this(Duration.ofMinutes(5), 100_000, Function.identity(), correlations);
        }

        Harness(Duration lateness, int maxGroups, Function<String, String> mapping, String... correlations) {
            this(p -> new InMemoryCorrelationStateStore(lateness, maxGroups, 10_000, p), mapping, correlations);
        }

        /** Over the store {@code stores} makes, given the harness's problem collector. */
        Harness(
                Function<ProblemSink, InMemoryCorrelationStateStore> stores,
                Function<String, String> mapping,
                String... correlations) {
            store = stores.apply(problems);
            List<CorrelationRule> rules = new ArrayList<>();
            for (String c : correlations) {
                rules.add(correlation(c));
            }
            try {
                engine = new CorrelationEngine(rules, store, CorrelationFieldMapping.of(mapping), problems);
            } catch (SigmaException e) {
                throw new AssertionError(e.getMessage(), e);
            }
        }

        List<Detection> feed(Event event, RuleRef... matched) {
            return engine.process(event, Arrays.asList(matched));
        }

        /** Feeds the events one by one, all matching {@code rule}, and returns the 1-based numbers that fired. */
        List<Integer> firingPositions(RuleRef rule, Event... events) {
            List<Integer> fired = new ArrayList<>();
            for (int i = 0; i < events.length; i++) {
                if (!feed(events[i], rule).isEmpty()) {
                    fired.add(i + 1);
                }
            }
            return fired;
        }
    }
}
