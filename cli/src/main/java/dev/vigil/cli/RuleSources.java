package dev.vigil.cli;

import dev.vigil.rules.BuiltinRulePack;
import dev.vigil.sigma.BoundedYaml;
import dev.vigil.sigma.FieldMapping;
import dev.vigil.sigma.SigmaException;
import dev.vigil.sigma.SigmaRuleSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/** Where the command line gets rules, field mappings and placeholders from. */
final class RuleSources {
    private RuleSources() {}

    /** Adds the rule pack that ships with Vigil (listed in its index). */
    static int addBuiltinPack(SigmaRuleSet.Builder builder) {
        try {
            return BuiltinRulePack.addTo(builder);
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new CliException(e.getMessage(), 2);
        }
    }

    /** Reads a pySigma-style processing pipeline file into a field mapping. */
    static FieldMapping pipeline(Path file) {
        try {
            return FieldMapping.fromPipelineYaml(readBounded(file, "pipeline"), file.toString());
        } catch (SigmaException e) {
            throw new CliException(e.getMessage(), 2);
        }
    }

    /** Reads a placeholders file: a map from placeholder name to a value or a list of values. */
    static Map<String, List<String>> placeholders(Path file) {
        Map<String, Object> doc = yamlMap(file, "placeholders");
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : doc.entrySet()) {
            if (e.getValue() instanceof List<?> list) {
                List<String> values = new ArrayList<>();
                list.forEach(v -> values.add(String.valueOf(v)));
                out.put(e.getKey(), values);
            } else if (e.getValue() != null && !(e.getValue() instanceof Map<?, ?>)) {
                out.put(e.getKey(), List.of(String.valueOf(e.getValue())));
            } else {
                throw new CliException(file + ": placeholder '" + e.getKey() + "' must be a value or a list", 2);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static String readBounded(Path file, String what) {
        try {
            if (Files.size(file) > 4L * 1024 * 1024) {
                throw new CliException(file + ": " + what + " file is larger than 4 MiB", 2);
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("cannot read " + what + " file " + file + ": " + e.getMessage(), 2);
        }
    }

    private static Map<String, Object> yamlMap(Path file, String what) {
        String text = readBounded(file, what);
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file.toString())
                .setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(50)
                .setCodePointLimit(4 * 1024 * 1024)
                .build();
        try {
            Object o = BoundedYaml.load(settings, text);
            if (!(o instanceof Map<?, ?> m)) {
                throw new CliException(file + ": a " + what + " file must be a YAML map", 2);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<Object, Object>) m).forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        } catch (YamlEngineException e) {
            throw new CliException(file + ": invalid YAML: " + e.getMessage().replace('\n', ' '), 2);
        }
    }
}
