package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Field mappings let the same rules run on differently named data, e.g. winlogbeat's ECS fields. */
class FieldMappingTest {
    private static final String RULE = """
            title: Encoded PowerShell
            logsource:
              product: windows
              category: process_creation
            detection:
              selection:
                Image|endswith: '\\powershell.exe'
                CommandLine|contains: ' -enc '
                ParentImage|fieldref|neq: Image
              condition: selection
            level: high
            """;

    private static Map<String, Object> pipeline(String conditionProduct) {
        return Map.of(
                "name",
                "ecs",
                "transformations",
                List.of(Map.of(
                        "type", "field_name_mapping",
                        "mapping",
                                Map.of(
                                        "CommandLine", "process.command_line",
                                        "Image", List.of("process.executable", "winlog.event_data.Image"),
                                        "ParentImage", "process.parent.executable"),
                        "rule_conditions", List.of(Map.of("type", "logsource", "product", conditionProduct)))));
    }

    private static Event ecs() {
        return Event.builder()
                .logSource(new LogSource("windows", java.util.Set.of("process_creation"), java.util.Set.of()))
                .original(Map.of(
                        "process",
                        Map.of(
                                "command_line", "powershell.exe -nop -enc SQBFAFgA",
                                "executable", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                                "parent", Map.of("executable", "C:\\Windows\\explorer.exe"))))
                .build();
    }

    @Test
    void rulesRunOnEcsNamedData() throws SigmaException {
        SigmaRuleSet set = SigmaRuleSet.builder()
                .fieldMapping(FieldMapping.fromPipeline(pipeline("windows"), "ecs.yml"))
                .addYaml("r.yml", RULE)
                .build();
        assertThat(set.report().errors()).isEmpty();
        assertThat(new SigmaDetector(set).process(ecs())).hasSize(1);
    }

    @Test
    void transformationsApplyOnlyToRulesOfTheirLogSource() throws SigmaException {
        SigmaRuleSet set = SigmaRuleSet.builder()
                .fieldMapping(FieldMapping.fromPipeline(pipeline("linux"), "ecs.yml"))
                .addYaml("r.yml", RULE)
                .build();
        assertThat(new SigmaDetector(set).process(ecs())).isEmpty();
    }

    @Test
    void prefixAndSuffixTransformations() throws SigmaException {
        FieldMapping m = FieldMapping.fromPipeline(
                Map.of(
                        "transformations",
                        List.of(
                                Map.of("type", "field_name_prefix_mapping", "mapping", Map.of("Target", "target.")),
                                Map.of("type", "field_name_prefix", "prefix", "winlog."),
                                Map.of(
                                        "type",
                                        "field_name_suffix",
                                        "suffix",
                                        ".keyword",
                                        "field_name_conditions",
                                        List.of(Map.of("type", "include_fields", "fields", List.of("winlog.Image")))))),
                "p.yml");
        assertThat(m.map("TargetUser", null, null, null)).containsExactly("winlog.target.User");
        assertThat(m.map("Image", null, null, null)).containsExactly("winlog.Image.keyword");
    }

    @Test
    void unsupportedTransformationsAreRefusedByName() {
        assertThatThrownBy(() -> FieldMapping.fromPipeline(
                        Map.of("transformations", List.of(Map.of("type", "drop_detection_item"))), "p.yml"))
                .isInstanceOf(SigmaException.class)
                .hasMessageContaining("p.yml")
                .hasMessageContaining("drop_detection_item");
    }
}
