package dev.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.ProblemCollector;
import dev.vigil.core.WindowsLogSources;
import dev.vigil.core.testing.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Reads every JSON event file of the Sigma regression data. */
class RegressionDataTest {
    @Test
    void everyJsonFileReadsAsWindowsEvents() throws IOException {
        Path root = Corpus.require("sigma/regression_data");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(150);

        EventReader reader = new EventReader(ReadOptions.DEFAULT);
        ProblemCollector problems = new ProblemCollector(20);
        Set<String> categories = WindowsLogSources.knownCategories();
        int categoryChecked = 0;
        for (Path file : files) {
            List<Event> events = new ArrayList<>();
            ReadSummary summary = reader.read(file, events::add, problems);
            assertThat(summary.format()).as(file.toString()).isIn(EventFormat.JSON_OBJECTS, EventFormat.JSON_LINES);
            assertThat(events).as(file.toString()).isNotEmpty();
            for (Event e : events) {
                assertThat(e.fields().get("EventID")).as(file + " EventID").isInstanceOf(Long.class);
                assertThat(e.fields().get("Channel")).as(file + " Channel").isInstanceOf(String.class);
                assertThat(e.fields()).containsKeys("Computer", "Provider_Name", "EventRecordID");
                assertThat(e.timestamp()).as(file + " timestamp").isNotNull();
                assertThat(e.source().source()).isEqualTo(file.toString());
                assertThat(e.source().record()).isEqualTo(e.fields().get("EventRecordID"));
                assertThat(e.logSource().product()).isEqualTo("windows");
                assertThat(e.original()).isInstanceOf(java.util.Map.class);
            }
            // rules/windows/<...>/<category>/<rule folder>/<uuid>.json: a Sysmon event there has that category
            String folder = file.getParent().getParent().getFileName().toString();
            if (categories.contains(folder)) {
                List<Event> sysmon = events.stream()
                        .filter(e -> WindowsLogSources.SYSMON_CHANNEL.equals(
                                        e.fields().get("Channel"))
                                || Long.valueOf(4688).equals(e.fields().get("EventID")))
                        .toList();
                if (!sysmon.isEmpty()) {
                    assertThat(sysmon)
                            .as("%s: an event of category %s", file, folder)
                            .anySatisfy(
                                    e -> assertThat(e.logSource().categories()).contains(folder));
                    categoryChecked++;
                }
            }
        }
        assertThat(problems.problems()).isEmpty();
        assertThat(categoryChecked).isGreaterThan(100);
        assertThat(reader.eventsRead()).isGreaterThan(files.size());
        assertThat(reader.filesRead()).isEqualTo(files.size());
    }

    @Test
    void sysmonProcessCreationSample() throws IOException {
        Path dir = Corpus.require("sigma/regression_data/rules/windows/process_creation");
        Path file;
        try (Stream<Path> walk = Files.walk(dir)) {
            file = walk.filter(p -> p.toString().endsWith(".json"))
                    .sorted()
                    .findFirst()
                    .orElseThrow();
        }
        List<Event> events = new ArrayList<>();
        EventReaders.read(file, ReadOptions.DEFAULT, events::add, p -> {
            throw new AssertionError(p.toString());
        });
        Event e = events.stream()
                .filter(x -> Long.valueOf(1).equals(x.fields().get("EventID")))
                .findFirst()
                .orElseThrow();
        assertThat(e.logSource().categories()).contains("process_creation");
        assertThat(e.logSource().services()).containsExactly("sysmon");
        assertThat(e.fields()).containsKeys("Image", "CommandLine", "ParentImage", "ProcessID", "ThreadID");
        assertThat(e.fields().get("Provider_Name")).isEqualTo("Microsoft-Windows-Sysmon");
        assertThat(java.time.Instant.parse((String) e.fields().get("TimeCreated_SystemTime")))
                .isEqualTo(e.timestamp());
    }
}
