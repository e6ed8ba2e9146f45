package dev.vigil.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Problem;
import dev.vigil.core.alert.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesDeadLetterStoreTest {
    @TempDir
    Path dir;

    private final List<Problem> problems = new ArrayList<>();

    private static DeadLetter letter(String id, Notification n) {
        return new DeadLetter(
                id,
                "soar",
                new RenderOptions(MessageLocale.ZH_CN, ZoneId.of("Asia/Shanghai")),
                n,
                "HTTP 400: bad",
                1,
                Instant.parse("2026-11-26T03:00:00Z"));
    }

    @Test
    void lettersSurviveReopeningExactly() throws Exception {
        JsonLinesDeadLetterStore store = new JsonLinesDeadLetterStore(dir, 10, problems::add);
        store.add(letter("1", Samples.hostile()));
        store.add(letter("2", Samples.alert("globex", "g", Severity.LOW, "r")));

        JsonLinesDeadLetterStore reopened = new JsonLinesDeadLetterStore(dir, 10, problems::add);
        assertThat(reopened.list())
                .containsExactly(
                        letter("1", Samples.hostile()), letter("2", Samples.alert("globex", "g", Severity.LOW, "r")));
        assertThat(problems).isEmpty();
        // One line per letter: the hostile CRLF values are JSON-escaped.
        assertThat(Files.readAllLines(dir.resolve(JsonLinesDeadLetterStore.FILE)))
                .hasSize(2);
    }

    @Test
    void removingRewritesTheFileAndAFullStoreEvictsTheOldest() throws Exception {
        JsonLinesDeadLetterStore store = new JsonLinesDeadLetterStore(dir, 3, problems::add);
        for (int i = 1; i <= 3; i++) {
            assertThat(store.add(letter("l" + i, Samples.alert("acme", "a" + i, Severity.HIGH, "r"))))
                    .isEmpty();
        }
        assertThat(store.add(letter("l4", Samples.alert("acme", "a4", Severity.HIGH, "r"))))
                .map(DeadLetter::id)
                .contains("l1");
        assertThat(store.remove(List.of("l3", "missing")))
                .extracting(DeadLetter::id)
                .containsExactly("l3");
        assertThat(new JsonLinesDeadLetterStore(dir, 3, problems::add).list())
                .extracting(DeadLetter::id)
                .containsExactly("l2", "l4");
    }

    @Test
    void unreadableLinesAreReportedWithTheirNumberAndTheRestIsKept() throws Exception {
        JsonLinesDeadLetterStore store = new JsonLinesDeadLetterStore(dir, 10, problems::add);
        store.add(letter("good", Samples.hostile()));
        Path file = dir.resolve(JsonLinesDeadLetterStore.FILE);
        Files.writeString(
                file,
                "{not json\n" + Files.readString(file) + "{\"id\":\"x\",\"channel\":\"c\"}\n",
                StandardCharsets.UTF_8);

        JsonLinesDeadLetterStore reopened = new JsonLinesDeadLetterStore(dir, 10, problems::add);
        assertThat(reopened.list()).extracting(DeadLetter::id).containsExactly("good");
        assertThat(reopened.skippedOnOpen()).isEqualTo(2);
        assertThat(problems).extracting(Problem::location).containsExactly(1L, 3L);
        assertThat(problems.get(1).message()).contains("field 'locale' is missing");
        assertThat(problems.getFirst().source()).isEqualTo(file.toString());
    }
}
