package dev.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.ProblemCollector;
import dev.vigil.core.testing.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each regression {@code .evtx} gives the same events (flat fields, log source, time, record) as its {@code .json}. */
class EvtxJsonEquivalenceTest {
    /**
     * Pairs whose JSON was not rendered from their EVTX: this one's JSON has a 9-digit fraction in SystemTime and
     * {@code Explorer.exe} where the EVTX record says {@code Explorer.EXE} (the vigil-evtx corpus test documents it).
     */
    private static final java.util.Set<String> JSON_NOT_FROM_EVTX =
            java.util.Set.of("rules/windows/process_creation/proc_creation_win_susp_right_to_left_override/"
                    + "ad691d92-15f2-4181-9aa4-723c74f9ddc3.evtx");

    @Test
    void evtxAndJsonGiveTheSameEvents() throws IOException {
        Path root = Corpus.require("sigma/regression_data");
        List<Path> evtxFiles;
        try (Stream<Path> walk = Files.walk(root)) {
            evtxFiles =
                    walk.filter(p -> p.toString().endsWith(".evtx")).sorted().toList();
        }
        assertThat(evtxFiles).hasSizeGreaterThan(150);
        EventReader reader = new EventReader(ReadOptions.DEFAULT);
        List<String> mismatches = new ArrayList<>();
        int pairs = 0;
        for (Path evtx : evtxFiles) {
            Path json = evtx.resolveSibling(evtx.getFileName().toString().replaceFirst("\\.evtx$", ".json"));
            if (!Files.exists(json)) {
                continue;
            }
            pairs++;
            ProblemCollector problems = new ProblemCollector(10);
            List<Event> fromEvtx = new ArrayList<>();
            List<Event> fromJson = new ArrayList<>();
            ReadSummary summary = reader.read(evtx, fromEvtx::add, problems);
            assertThat(summary.format()).isEqualTo(EventFormat.EVTX);
            reader.read(json, fromJson::add, problems);
            assertThat(problems.problems()).as(evtx.toString()).isEmpty();
            String diff = diff(fromEvtx, fromJson);
            if (diff != null
                    && !JSON_NOT_FROM_EVTX.contains(root.relativize(evtx).toString())) {
                mismatches.add(root.relativize(evtx) + ": " + diff);
            }
        }
        assertThat(pairs).isGreaterThan(150);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void gzipCompressedEvtxIsReadUnderItsOwnName(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path root = Corpus.require("sigma/regression_data");
        Path evtx;
        try (Stream<Path> walk = Files.walk(root.resolve("rules/windows/process_creation"))) {
            evtx = walk.filter(p -> p.toString().endsWith(".evtx"))
                    .sorted()
                    .findFirst()
                    .orElseThrow();
        }
        Path gz = dir.resolve("events.evtx.gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(evtx, out);
        }
        List<Event> plain = new ArrayList<>();
        List<Event> unzipped = new ArrayList<>();
        ProblemCollector problems = new ProblemCollector(10);
        EventReaders.read(evtx, ReadOptions.DEFAULT, plain::add, problems);
        ReadSummary s = EventReaders.read(gz, ReadOptions.DEFAULT, unzipped::add, problems);
        assertThat(s.compressed()).isTrue();
        assertThat(s.format()).isEqualTo(EventFormat.EVTX);
        assertThat(problems.problems()).isEmpty();
        assertThat(unzipped).isNotEmpty().hasSameSizeAs(plain);
        assertThat(unzipped.get(0).fields()).isEqualTo(plain.get(0).fields());
        assertThat(unzipped.get(0).source().source()).isEqualTo(gz.toString());
        try (Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("vigil-")
                                    && p.toString().endsWith(".evtx"))
                            .filter(p -> {
                                try {
                                    return Files.size(p) == Files.size(evtx);
                                } catch (IOException e) {
                                    return false;
                                }
                            }))
                    .as("temporary copy deleted")
                    .isEmpty();
        }
    }

    @Test
    void aNonEvtxFileForcedToEvtxIsReported(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("x.json"), "{}");
        ProblemCollector problems = new ProblemCollector(10);
        EventReaders.read(f, ReadOptions.DEFAULT.withFormat(EventFormat.EVTX), e -> {}, problems);
        assertThat(problems.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("not an EVTX file"));
    }

    private static String diff(List<Event> evtx, List<Event> json) {
        if (evtx.size() != json.size()) {
            return evtx.size() + " events from EVTX, " + json.size() + " from JSON";
        }
        for (int i = 0; i < evtx.size(); i++) {
            Event a = evtx.get(i);
            Event b = json.get(i);
            Map<String, Object> fa = a.fields();
            Map<String, Object> fb = b.fields();
            if (!fa.equals(fb)) {
                StringBuilder sb = new StringBuilder("event " + (i + 1) + ":");
                fa.forEach((k, v) -> {
                    if (!fb.containsKey(k)) {
                        sb.append(" only in EVTX ")
                                .append(k)
                                .append('=')
                                .append(v)
                                .append(';');
                    } else if (!java.util.Objects.equals(v, fb.get(k))) {
                        sb.append(' ')
                                .append(k)
                                .append(": EVTX ")
                                .append(show(v))
                                .append(" JSON ")
                                .append(show(fb.get(k)))
                                .append(';');
                    }
                });
                fb.forEach((k, v) -> {
                    if (!fa.containsKey(k)) {
                        sb.append(" only in JSON ")
                                .append(k)
                                .append('=')
                                .append(v)
                                .append(';');
                    }
                });
                return sb.toString();
            }
            LogSource la = a.logSource();
            if (!la.equals(b.logSource())
                    || !java.util.Objects.equals(a.timestamp(), b.timestamp())
                    || a.source().record() != b.source().record()) {
                return "event " + (i + 1) + ": log source, time or record differ";
            }
        }
        return null;
    }

    private static String show(Object v) {
        return v == null ? "null" : v + " (" + v.getClass().getSimpleName() + ")";
    }
}
