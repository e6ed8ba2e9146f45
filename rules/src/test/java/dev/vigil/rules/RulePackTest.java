package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.SourceRef;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.LoadReport;
import dev.vigil.sigma.RuleRef;
import dev.vigil.sigma.SigmaDetector;
import dev.vigil.sigma.SigmaRuleSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Checks the rule pack that Vigil ships: it loads without errors, it is indexed completely, every rule carries the
 * metadata analysts rely on, and every rule fires on its own test events and stays quiet on the near-misses beside
 * them ({@code src/test/resources/dev/vigil/rules/<rule path>.events.json}).
 *
 * <p>An events file is {@code {"match": [...], "nomatch": [...]}}. For a detection rule each entry is one event; for a
 * correlation each entry is a list of events processed in order by a fresh detector; for a filter document the entries
 * are single events checked against the rules the filter applies to ("nomatch" events are ones the filter suppresses).
 */
class RulePackTest {
    private static final String BASE = "/dev/vigil/rules/";
    private static final String INDEX = "index.txt";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final Pattern TECHNIQUE = Pattern.compile("attack\\.t\\d{4}(\\.\\d{3})?");
    private static final Set<String> LEVELS = Set.of("informational", "low", "medium", "high", "critical");
    private static final Set<String> STATUSES = Set.of("stable", "test", "experimental", "deprecated", "unsupported");
    private static final Set<String> TACTICS = Set.of(
            "reconnaissance",
            "resource_development",
            "initial_access",
            "execution",
            "persistence",
            "privilege_escalation",
            "defense_evasion",
            "credential_access",
            "discovery",
            "lateral_movement",
            "collection",
            "command_and_control",
            "exfiltration",
            "impact");

    /** What kind of rule file a pack entry is, judged from its YAML documents. */
    enum Kind {
        DETECTION,
        CORRELATION,
        FILTER
    }

    /** One file of the pack: its index path, YAML documents and kind. */
    record RuleFile(String path, List<Map<String, Object>> documents, Kind kind) {
        /** The document that carries the file's metadata: the rule, the outermost correlation or the filter. */
        Map<String, Object> main() {
            return documents.get(0);
        }
    }

    /** The whole pack, loaded once for all tests. */
    record Pack(List<RuleFile> files, SigmaRuleSet set) {}

    private static Pack pack;

    private static synchronized Pack pack() {
        if (pack == null) {
            List<RuleFile> files = new ArrayList<>();
            var builder = SigmaRuleSet.builder();
            for (String path : index()) {
                String text = resource(path);
                List<Map<String, Object>> documents = yamlDocuments(path, text);
                files.add(new RuleFile(path, documents, kindOf(path, documents)));
                builder = builder.addYaml(path, text);
            }
            pack = new Pack(List.copyOf(files), builder.build());
        }
        return pack;
    }

    @Test
    void packLoadsWithoutErrors() {
        LoadReport report = pack().set().report();
        report.warnings().forEach(w -> System.out.println("rule pack warning: " + w));
        if (report.failed() != 0) {
            StringBuilder message = new StringBuilder(report.failed() + " rule(s) failed to load:");
            report.errors().forEach(e -> message.append("\n  ").append(e));
            fail(message.toString());
        }
        assertThat(report.loaded()).isGreaterThanOrEqualTo(45);
    }

    @Test
    void everyFileHasLoadedRules() {
        Pack p = pack();
        Set<String> filesWithRules = new TreeSet<>();
        for (RuleRef rule : p.set().rules()) {
            filesWithRules.add(rule.file());
        }
        for (RuleFile file : p.files()) {
            if (file.kind() != Kind.FILTER) {
                assertThat(filesWithRules)
                        .as("rules loaded from %s", file.path())
                        .contains(file.path());
            }
        }
    }

    @Test
    void indexListsExactlyTheRuleFiles() throws IOException {
        List<String> index = index();
        assertThat(index).as("index.txt is sorted").isSorted();
        assertThat(index).as("index.txt has no duplicates").doesNotHaveDuplicates();
        Set<String> onDisk = ruleFilesOnClasspath();
        assertThat(new TreeSet<>(index))
                .as("index.txt versus the .yml files in the pack")
                .isEqualTo(onDisk);
        for (String path : index) {
            assertThat(RulePackTest.class.getResource(BASE + eventsPath(path)))
                    .as("test events for %s", path)
                    .isNotNull();
        }
    }

    @Test
    void atLeast45DetectionRules() {
        long detections =
                pack().files().stream().filter(f -> f.kind() == Kind.DETECTION).count();
        assertThat(detections).isGreaterThanOrEqualTo(45);
    }

    @Test
    void everyRuleHasItsMetadata() {
        for (RuleFile file : pack().files()) {
            Map<String, Object> main = file.main();
            String where = file.path();
            assertThat(text(main, "title")).as("title of %s", where).isNotBlank();
            assertThat(text(main, "id")).as("id of %s", where).matches(UUID);
            assertThat(text(main, "description")).as("description of %s", where).isNotBlank();
            if (file.kind() == Kind.FILTER) {
                continue;
            }
            assertThat(text(main, "level")).as("level of %s", where).isIn(LEVELS);
            assertThat(text(main, "status")).as("status of %s", where).isIn(STATUSES);
            assertThat(text(main, "author")).as("author of %s", where).isNotBlank();
            List<String> tags = tags(main);
            assertThat(tags).as("ATT&CK technique tags of %s", where).anyMatch(TECHNIQUE.asMatchPredicate());
            String[] parts = file.path().split("/");
            assertThat(parts).as("path <platform>/<tactic>/<file> of %s", where).hasSize(3);
            assertThat(parts[0]).as("platform folder of %s", where).isIn("windows", "linux", "generic");
            assertThat(tags)
                    .as("tactic folder of %s appears in its tags", where)
                    .contains("attack." + parts[1]);
            for (Map<String, Object> document : file.documents()) {
                assertThat(text(document, "id"))
                        .as("id of every document in %s", where)
                        .matches(UUID);
                assertThat(text(document, "title"))
                        .as("title of every document in %s", where)
                        .isNotBlank();
            }
        }
    }

    @Test
    void idsAreUnique() {
        Map<String, String> seen = new HashMap<>();
        for (RuleFile file : pack().files()) {
            for (Map<String, Object> document : file.documents()) {
                String id = text(document, "id");
                String previous = seen.put(id, file.path());
                assertThat(previous)
                        .as("id %s of %s is also used in %s", id, file.path(), previous)
                        .isNull();
            }
        }
        List<String> loadedIds = pack().set().rules().stream()
                .map(RuleRef::id)
                .filter(id -> !id.isEmpty())
                .toList();
        assertThat(loadedIds).as("ids of the loaded rules").doesNotHaveDuplicates();
    }

    @Test
    void coversAtLeastTenTactics() {
        Set<String> covered = new TreeSet<>();
        for (RuleFile file : pack().files()) {
            for (String tag : tags(file.main())) {
                String name = tag.substring("attack.".length());
                if (tag.startsWith("attack.") && TACTICS.contains(name)) {
                    covered.add(name);
                }
            }
        }
        assertThat(covered).as("ATT&CK tactics covered").hasSizeGreaterThanOrEqualTo(10);
    }

    @TestFactory
    Stream<DynamicNode> everyRuleFiresOnItsEventsAndNotOnTheNearMisses() {
        Pack p = pack();
        return p.files().stream().map(file -> DynamicContainer.dynamicContainer(file.path(), eventTests(p, file)));
    }

    private static Stream<DynamicNode> eventTests(Pack p, RuleFile file) {
        String eventsPath = eventsPath(file.path());
        JsonNode events;
        try {
            events = JSON.readTree(resource(eventsPath));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + eventsPath, e);
        }
        JsonNode match = events.path("match");
        JsonNode nomatch = events.path("nomatch");
        List<DynamicNode> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("has match and nomatch cases", () -> {
            assertThat(match.isArray() && !match.isEmpty())
                    .as("%s needs at least one \"match\" case", eventsPath)
                    .isTrue();
            assertThat(nomatch.isArray() && !nomatch.isEmpty())
                    .as("%s needs at least one \"nomatch\" case", eventsPath)
                    .isTrue();
        }));
        Predicate<Detection> fromThisFile = fromFile(file);
        for (int i = 0; i < match.size(); i++) {
            JsonNode item = match.get(i);
            String source = eventsPath + "#match[" + i + "]";
            tests.add(DynamicTest.dynamicTest("match[" + i + "]", () -> {
                List<Detection> hits = run(p.set(), item, source);
                assertThat(hits)
                        .as("%s must fire %s; detections were %s", source, file.path(), describe(hits))
                        .anyMatch(fromThisFile);
            }));
        }
        for (int i = 0; i < nomatch.size(); i++) {
            JsonNode item = nomatch.get(i);
            String source = eventsPath + "#nomatch[" + i + "]";
            tests.add(DynamicTest.dynamicTest("nomatch[" + i + "]", () -> {
                List<Detection> hits = run(p.set(), item, source);
                assertThat(hits)
                        .as("%s must not fire %s; detections were %s", source, file.path(), describe(hits))
                        .noneMatch(fromThisFile);
            }));
        }
        return tests.stream();
    }

    /** Which detections count as "this file fired". */
    private static Predicate<Detection> fromFile(RuleFile file) {
        return switch (file.kind()) {
            case DETECTION -> d -> d.rule().file().equals(file.path());
            case CORRELATION -> d -> d.correlation() && d.rule().file().equals(file.path());
            case FILTER -> {
                List<String> targets = filterTargets(file);
                yield d -> targets.stream().anyMatch(t -> d.rule().isNamed(t));
            }
        };
    }

    /** Runs one case (an event, or a list of events in order) through a fresh detector and returns every detection. */
    private static List<Detection> run(SigmaRuleSet set, JsonNode item, String source) {
        SigmaDetector detector = new SigmaDetector(set);
        List<Detection> hits = new ArrayList<>();
        if (item.isArray()) {
            for (int i = 0; i < item.size(); i++) {
                hits.addAll(detector.process(event(item.get(i), source, i + 1)));
            }
        } else {
            hits.addAll(detector.process(event(item, source, 1)));
        }
        return hits;
    }

    private static Event event(JsonNode node, String source, long record) {
        JsonNode logSource = node.path("logsource");
        Event.Builder builder = Event.builder()
                .logSource(new LogSource(
                        optionalText(logSource, "product"),
                        setOf(optionalText(logSource, "category")),
                        setOf(optionalText(logSource, "service"))))
                .source(new SourceRef(source, record));
        String timestamp = optionalText(node, "timestamp");
        if (timestamp != null) {
            builder.timestamp(Instant.parse(timestamp));
        }
        for (Map.Entry<String, JsonNode> field : node.path("fields").properties()) {
            builder.field(field.getKey(), value(field.getValue()));
        }
        return builder.build();
    }

    /** A JSON value as an event field value: String, Long, Double, Boolean, null or a List of these. */
    private static Object value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isArray()) {
            List<Object> values = new ArrayList<>();
            node.forEach(n -> values.add(value(n)));
            return values;
        }
        if (node.isObject()) {
            throw new IllegalArgumentException("event fields must be flat, got an object: " + node);
        }
        return node.asText();
    }

    private static String optionalText(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    private static Set<String> setOf(String value) {
        return value == null ? Set.of() : Set.of(value);
    }

    private static String describe(List<Detection> hits) {
        return hits.stream()
                .map(d -> d.rule().file() + " (" + d.rule().title() + (d.correlation() ? ", correlation" : "") + ")")
                .toList()
                .toString();
    }

    private static List<String> filterTargets(RuleFile file) {
        Object filter = file.main().get("filter");
        if (filter instanceof Map<?, ?> map && map.get("rules") instanceof List<?> rules) {
            return rules.stream().map(String::valueOf).toList();
        }
        throw new AssertionError(file.path() + ": a filter document needs filter.rules");
    }

    private static Kind kindOf(String path, List<Map<String, Object>> documents) {
        if (documents.isEmpty()) {
            throw new AssertionError(path + " holds no YAML document");
        }
        Map<String, Object> main = documents.get(0);
        if (main.containsKey("filter")) {
            return Kind.FILTER;
        }
        if (main.containsKey("correlation")) {
            return Kind.CORRELATION;
        }
        assertThat(documents)
                .as("%s: a detection rule file holds one document", path)
                .hasSize(1);
        return Kind.DETECTION;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> yamlDocuments(String path, String text) {
        Load load = new Load(LoadSettings.builder().setLabel(path).build());
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : load.loadAllFromString(text)) {
            if (document == null) {
                continue;
            }
            if (!(document instanceof Map<?, ?>)) {
                throw new AssertionError(path + ": every YAML document must be a mapping");
            }
            documents.add(new LinkedHashMap<>((Map<String, Object>) document));
        }
        return documents;
    }

    private static String text(Map<String, Object> document, String key) {
        Object value = document.get(key);
        return value == null ? "" : String.valueOf(value);
    }

    private static List<String> tags(Map<String, Object> document) {
        if (document.get("tags") instanceof List<?> list) {
            return list.stream()
                    .map(t -> String.valueOf(t).toLowerCase(Locale.ROOT))
                    .toList();
        }
        return List.of();
    }

    private static String eventsPath(String rulePath) {
        return rulePath.substring(0, rulePath.length() - ".yml".length()) + ".events.json";
    }

    private static List<String> index() {
        return resource(INDEX)
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    private static String resource(String path) {
        try (InputStream in = RulePackTest.class.getResourceAsStream(BASE + path)) {
            if (in == null) {
                throw new AssertionError("resource not on the classpath: " + BASE + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BASE + path, e);
        }
    }

    /** The .yml files beside index.txt on the classpath (a folder in a build, or a jar), relative to the pack root. */
    private static Set<String> ruleFilesOnClasspath() throws IOException {
        URL indexUrl = RulePackTest.class.getResource(BASE + INDEX);
        assertThat(indexUrl).as("index.txt on the classpath").isNotNull();
        URI uri;
        try {
            uri = indexUrl.toURI();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        if ("jar".equals(uri.getScheme())) {
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return ymlFiles(jar.getPath(BASE));
            }
        }
        return ymlFiles(Path.of(uri).getParent());
    }

    private static Set<String> ymlFiles(Path root) throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".yml"))
                    .forEach(f -> files.add(root.relativize(f).toString().replace('\\', '/')));
        }
        return files;
    }
}
