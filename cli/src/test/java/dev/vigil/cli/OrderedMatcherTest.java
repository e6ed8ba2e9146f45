package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.SourceRef;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.SigmaDetector;
import dev.vigil.sigma.SigmaRuleSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link OrderedMatcher} against one detector matching the same events in order, over seeded random streams. */
class OrderedMatcherTest {
    private static final SigmaRuleSet RULES =
            SigmaRuleSet.builder().addYaml("rules.yml", """
                    title: Encoded PowerShell
                    logsource:
                      product: windows
                      category: process_creation
                    detection:
                      selection:
                        CommandLine|contains: ' -enc '
                      condition: selection
                    level: high
                    ---
                    title: Whoami
                    logsource:
                      product: windows
                      category: process_creation
                    detection:
                      selection:
                        Image|endswith: '\\whoami.exe'
                      condition: selection
                    level: low
                    ---
                    title: Either
                    logsource:
                      product: windows
                      category: process_creation
                    detection:
                      a:
                        CommandLine|contains: 'whoami'
                      b:
                        CommandLine|contains: 'enc'
                      condition: a or b
                    level: medium
                    """).build();

    private static final String[] COMMANDS = {
        "whoami /all", "powershell -enc SQBFAFgA", "notepad.exe", "cmd /c whoami", "powershell -NoProfile", ""
    };
    private static final String[] IMAGES = {
        "C:\\Windows\\System32\\whoami.exe",
        "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
        "C:\\Windows\\notepad.exe"
    };

    private static List<Event> randomEvents(Random random, int count) {
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(Event.builder()
                    .logSource(LogSource.of("windows", "process_creation", null))
                    .field("CommandLine", COMMANDS[random.nextInt(COMMANDS.length)])
                    .field("Image", IMAGES[random.nextInt(IMAGES.length)])
                    .source(new SourceRef("random", i + 1))
                    .build());
        }
        return events;
    }

    /** What a detection is compared by: its event's record and its rule. */
    private static String describe(Event event, Detection d) {
        return event.source().record() + " " + d.rule().title();
    }

    @Test
    void eventsReachTheSinkInStreamOrderWithTheMatchesOfOneDetector() {
        Random random = new Random(8_2026_1126L);
        for (int round = 0; round < 40; round++) {
            List<Event> events = randomEvents(random, random.nextInt(600));
            int threads = 1 + random.nextInt(4);
            int batch = 1 + random.nextInt(20);

            SigmaDetector reference = new SigmaDetector(RULES);
            List<String> expected = new ArrayList<>();
            for (Event e : events) {
                reference.process(e, d -> expected.add(describe(e, d)));
            }

            SigmaDetector emitter = new SigmaDetector(RULES);
            List<Event> seen = new ArrayList<>();
            List<String> actual = new ArrayList<>();
            try (OrderedMatcher matcher = new OrderedMatcher(RULES, threads, batch, (event, matches) -> {
                seen.add(event);
                emitter.emit(event, matches, d -> actual.add(describe(event, d)));
            })) {
                events.forEach(matcher::accept);
                matcher.finish();
            }
            String where =
                    "round " + round + ": " + events.size() + " events, " + threads + " threads, batches of " + batch;
            assertThat(seen).as(where).containsExactlyElementsOf(events);
            assertThat(actual).as(where).isEqualTo(expected);
        }
    }

    @Test
    void aFailingSinkStopsTheStreamWithItsException() {
        List<Event> events = randomEvents(new Random(7), 100);
        try (OrderedMatcher matcher = new OrderedMatcher(RULES, 3, 4, (event, matches) -> {
            if (event.source().record() == 50) {
                throw new IllegalStateException("sink failed at 50");
            }
        })) {
            assertThatThrownBy(() -> {
                        events.forEach(matcher::accept);
                        matcher.finish();
                    })
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("sink failed at 50");
        }
    }

    @Test
    void threadCountAndBatchSizeAreChecked() {
        assertThatThrownBy(() -> new OrderedMatcher(RULES, 0, (e, m) -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be at least 1");
        assertThatThrownBy(() -> new OrderedMatcher(RULES, 2, 0, (e, m) -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize must be at least 1");
    }
}
