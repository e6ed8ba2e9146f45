package dev.vigil.sigma;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.constructor.json.ConstructYamlJsonFloat;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * Reads Sigma YAML with bounds, since rule files come from outside: at most 50 aliases per document (an alias bomb
 * fails fast), no recursive keys, no duplicate keys, at most 4 MiB of text per file, at most 64 levels of nested
 * collections ({@link BoundedYaml}), and the JSON schema so that only plain {@code true}/{@code false}/{@code null} and
 * JSON numbers are typed ({@code 0x1410} and {@code 2024-01-01} stay text, as rule authors mean them), decimals
 * keeping the text they were written as ({@link WrittenDecimal}).
 *
 * <p>Multi-document files are supported, including the Sigma 1 collection actions {@code global} (merged into every
 * following document), {@code reset} and {@code repeat}.
 */
final class SigmaYaml {
    static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

    private SigmaYaml() {}

    /** The JSON schema, but a float is a {@link WrittenDecimal}: its number with the text it was written as. */
    private static final class DecimalsAsWritten extends JsonSchema {
        @Override
        public Map<Tag, ConstructNode> getSchemaTagConstructors() {
            Map<Tag, ConstructNode> constructors = new HashMap<>(super.getSchemaTagConstructors());
            ConstructYamlJsonFloat floats = new ConstructYamlJsonFloat();
            constructors.put(
                    Tag.FLOAT,
                    node -> new WrittenDecimal(
                            ((ScalarNode) node).getValue(), ((Number) floats.construct(node)).doubleValue()));
            return constructors;
        }
    }

    /** One YAML document with its 1-based position in the file. */
    record Document(int index, Map<String, Object> content) {}

    static List<Document> load(String source, String text) throws SigmaException {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(source)
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(50)
                .setCodePointLimit(MAX_CODE_POINTS)
                .setSchema(new DecimalsAsWritten())
                .build();
        List<Document> out = new ArrayList<>();
        Map<String, Object> global = null;
        Map<String, Object> previous = null;
        int index = 0;
        try {
            for (Object doc : BoundedYaml.loadAll(settings, text)) {
                index++;
                if (doc == null) {
                    continue;
                }
                if (!(doc instanceof Map<?, ?> raw)) {
                    throw new SigmaException("document " + index + " is not a map");
                }
                Map<String, Object> map = stringKeys(raw);
                Object action = map.get("action");
                if ("global".equals(action)) {
                    map.remove("action");
                    global = map;
                    continue;
                }
                if ("reset".equals(action)) {
                    global = null;
                    continue;
                }
                if ("repeat".equals(action)) {
                    if (previous == null) {
                        throw new SigmaException("document " + index + ": 'action: repeat' with nothing to repeat");
                    }
                    map.remove("action");
                    map = merge(previous, map);
                } else if (global != null) {
                    map = merge(global, map);
                }
                previous = map;
                out.add(new Document(index, map));
            }
        } catch (YamlEngineException e) {
            throw new SigmaException("invalid YAML: " + oneLine(e.getMessage()), e);
        } catch (IllegalStateException | IllegalArgumentException | ClassCastException e) {
            throw new SigmaException("invalid YAML: " + oneLine(String.valueOf(e.getMessage())), e);
        }
        return out;
    }

    private static String oneLine(String s) {
        return s.replace("\r", "").replaceAll("\\s*\\n\\s*", " ").strip();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(Map<?, ?> raw) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            Object v = e.getValue();
            out.put(String.valueOf(e.getKey()), v instanceof Map<?, ?> m ? stringKeys(m) : v);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        for (Map.Entry<String, Object> e : over.entrySet()) {
            Object b = out.get(e.getKey());
            if (b instanceof Map<?, ?> bm && e.getValue() instanceof Map<?, ?> om) {
                out.put(e.getKey(), merge((Map<String, Object>) bm, (Map<String, Object>) om));
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
