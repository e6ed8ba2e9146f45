package dev.vigil.sigma;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps the field names rules use to the field names of the data, so one rule set runs over differently named logs (for
 * example Sysmon's {@code CommandLine} to winlogbeat's {@code process.command_line}).
 *
 * <p>Read from a subset of pySigma's processing-pipeline YAML: a {@code transformations} list whose items have a
 * {@code type} of
 *
 * <ul>
 *   <li>{@code field_name_mapping} with {@code mapping: {RuleField: dataField}} (a list of data fields means "any of
 *       them");
 *   <li>{@code field_name_prefix_mapping} with {@code mapping: {rulePrefix: dataPrefix}};
 *   <li>{@code field_name_prefix} with {@code prefix: "..."} (prepended to every field);
 *   <li>{@code field_name_suffix} with {@code suffix: "..."};
 * </ul>
 *
 * each optionally limited by {@code rule_conditions} of {@code type: logsource} (product, category, service) joined by
 * {@code rule_cond_op} ({@code and}, the default, or {@code or}), and by {@code field_name_conditions} of type {@code
 * include_fields}/{@code exclude_fields} with a {@code fields} list. Other transformation types are refused with a
 * message naming them, rather than ignored.
 */
public final class FieldMapping {
    private static final FieldMapping IDENTITY = new FieldMapping(List.of());

    private final List<Step> steps;

    private FieldMapping(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /** No renaming: rules read the fields by the names they use. */
    public static FieldMapping identity() {
        return IDENTITY;
    }

    /**
     * Reads a pipeline from its YAML text (bounded as rule files are); {@code source} (the file name) prefixes every
     * error. The caller reads the file: the engine does no I/O of its own.
     */
    public static FieldMapping fromPipelineYaml(String yaml, String source) throws SigmaException {
        List<SigmaYaml.Document> docs;
        try {
            docs = SigmaYaml.load(source, yaml);
        } catch (SigmaException e) {
            throw new SigmaException(source + ": " + e.getMessage(), e);
        }
        if (docs.size() != 1) {
            throw new SigmaException(
                    source + ": a pipeline file holds one YAML map, not " + docs.size() + " documents");
        }
        return fromPipeline(docs.get(0).content(), source);
    }

    /** Reads a pipeline document (already parsed YAML); {@code source} names it in messages. */
    public static FieldMapping fromPipeline(Map<String, Object> document, String source) throws SigmaException {
        requireNonNull(document, "document");
        Object list = document.get("transformations");
        if (!(list instanceof List<?> items)) {
            throw new SigmaException(source + ": a pipeline needs a 'transformations' list");
        }
        List<Step> steps = new ArrayList<>();
        int n = 0;
        for (Object item : items) {
            n++;
            String where = source + ": transformations[" + n + "]";
            if (!(item instanceof Map<?, ?> map)) {
                throw new SigmaException(where + " must be a map");
            }
            Object type = map.get("type");
            if (!(type instanceof String t)) {
                throw new SigmaException(where + " needs a 'type'");
            }
            List<Map<String, String>> conditions = conditions(where, map.get("rule_conditions"));
            boolean anyCondition = "or".equalsIgnoreCase(String.valueOf(map.get("rule_cond_op")));
            List<String> include = fieldList(where, map.get("field_name_conditions"), "include_fields");
            List<String> exclude = fieldList(where, map.get("field_name_conditions"), "exclude_fields");
            switch (t) {
                case "field_name_mapping" ->
                    steps.add(new Step(
                            Kind.EXACT,
                            mapping(where, map.get("mapping")),
                            null,
                            conditions,
                            anyCondition,
                            include,
                            exclude));
                case "field_name_prefix_mapping" ->
                    steps.add(new Step(
                            Kind.PREFIX,
                            mapping(where, map.get("mapping")),
                            null,
                            conditions,
                            anyCondition,
                            include,
                            exclude));
                case "field_name_prefix" ->
                    steps.add(new Step(
                            Kind.ADD_PREFIX,
                            Map.of(),
                            text(where, map.get("prefix"), "prefix"),
                            conditions,
                            anyCondition,
                            include,
                            exclude));
                case "field_name_suffix" ->
                    steps.add(new Step(
                            Kind.ADD_SUFFIX,
                            Map.of(),
                            text(where, map.get("suffix"), "suffix"),
                            conditions,
                            anyCondition,
                            include,
                            exclude));
                default ->
                    throw new SigmaException(where + ": transformation type '" + t + "' is not supported"
                            + " (supported: field_name_mapping, field_name_prefix_mapping, field_name_prefix,"
                            + " field_name_suffix)");
            }
        }
        return new FieldMapping(steps);
    }

    /** Combines pipelines: this one's renaming first, then {@code next}'s. */
    public FieldMapping then(FieldMapping next) {
        List<Step> all = new ArrayList<>(steps);
        all.addAll(next.steps);
        return new FieldMapping(all);
    }

    boolean isIdentity() {
        return steps.isEmpty();
    }

    /** The data fields a rule field maps to, for a rule of the given log source; never empty. */
    List<String> map(String field, String product, String category, String service) {
        List<String> names = List.of(field);
        for (Step s : steps) {
            if (!s.applies(product, category, service)) {
                continue;
            }
            List<String> next = new ArrayList<>();
            for (String name : names) {
                next.addAll(s.apply(name));
            }
            names = next;
        }
        return names;
    }

    private enum Kind {
        EXACT,
        PREFIX,
        ADD_PREFIX,
        ADD_SUFFIX
    }

    private record Step(
            Kind kind,
            Map<String, List<String>> mapping,
            String affix,
            List<Map<String, String>> conditions,
            boolean anyCondition,
            List<String> include,
            List<String> exclude) {

        boolean applies(String product, String category, String service) {
            if (conditions.isEmpty()) {
                return true;
            }
            for (Map<String, String> c : conditions) {
                boolean ok = eq(c.get("product"), product)
                        && eq(c.get("category"), category)
                        && eq(c.get("service"), service);
                if (ok && anyCondition) {
                    return true;
                }
                if (!ok && !anyCondition) {
                    return false;
                }
            }
            return !anyCondition;
        }

        private static boolean eq(String wanted, String actual) {
            return wanted == null || wanted.equalsIgnoreCase(actual == null ? "" : actual);
        }

        List<String> apply(String name) {
            if ((!include.isEmpty() && !include.contains(name)) || exclude.contains(name)) {
                return List.of(name);
            }
            return switch (kind) {
                case EXACT -> mapping.getOrDefault(name, List.of(name));
                case PREFIX -> {
                    for (Map.Entry<String, List<String>> e : mapping.entrySet()) {
                        if (name.startsWith(e.getKey())) {
                            List<String> out = new ArrayList<>();
                            for (String to : e.getValue()) {
                                out.add(to + name.substring(e.getKey().length()));
                            }
                            yield out;
                        }
                    }
                    yield List.of(name);
                }
                case ADD_PREFIX -> List.of(affix + name);
                case ADD_SUFFIX -> List.of(name + affix);
            };
        }
    }

    private static Map<String, List<String>> mapping(String where, Object o) throws SigmaException {
        if (!(o instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new SigmaException(where + " needs a non-empty 'mapping'");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String from = String.valueOf(e.getKey());
            if (e.getValue() instanceof String to) {
                out.put(from, List.of(to));
            } else if (e.getValue() instanceof List<?> list && !list.isEmpty()) {
                List<String> tos = new ArrayList<>();
                for (Object x : list) {
                    tos.add(String.valueOf(x));
                }
                out.put(from, tos);
            } else {
                throw new SigmaException(where + ": mapping of '" + from + "' must be a field name or a list");
            }
        }
        return out;
    }

    private static String text(String where, Object o, String key) throws SigmaException {
        if (!(o instanceof String s)) {
            throw new SigmaException(where + " needs a '" + key + "' string");
        }
        return s;
    }

    private static List<Map<String, String>> conditions(String where, Object o) throws SigmaException {
        if (o == null) {
            return List.of();
        }
        if (!(o instanceof List<?> list)) {
            throw new SigmaException(where + ": 'rule_conditions' must be a list");
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (Object c : list) {
            if (!(c instanceof Map<?, ?> m) || !"logsource".equals(m.get("type"))) {
                throw new SigmaException(where + ": only rule conditions of type 'logsource' are supported");
            }
            Map<String, String> ls = new LinkedHashMap<>();
            for (String k : List.of("product", "category", "service")) {
                if (m.get(k) != null) {
                    ls.put(k, String.valueOf(m.get(k)).toLowerCase(Locale.ROOT));
                }
            }
            out.add(ls);
        }
        return out;
    }

    private static List<String> fieldList(String where, Object conditions, String type) throws SigmaException {
        if (conditions == null) {
            return List.of();
        }
        if (!(conditions instanceof List<?> list)) {
            throw new SigmaException(where + ": 'field_name_conditions' must be a list");
        }
        List<String> out = new ArrayList<>();
        for (Object c : list) {
            if (c instanceof Map<?, ?> m && type.equals(m.get("type")) && m.get("fields") instanceof List<?> fields) {
                fields.forEach(f -> out.add(String.valueOf(f)));
            }
        }
        return out;
    }
}
