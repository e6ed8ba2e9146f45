package dev.vigil.sigma.correlation;

import static java.util.Objects.requireNonNull;

import dev.vigil.sigma.RuleRef;
import dev.vigil.sigma.SigmaException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed, validated Sigma correlation rule (Sigma correlation specification v2.1.0, plus the v2.2.0 boolean temporal
 * conditions, see {@link TemporalExpression}).
 *
 * <p>{@link #parse(Map, String)} checks every field of the {@code correlation:} section and fails with a {@link
 * SigmaException} whose message names the field, e.g. {@code correlation.timespan: '5x' is not a duration}. What it
 * accepts:
 *
 * <ul>
 *   <li>{@code type}: {@code event_count}, {@code value_count}, {@code temporal}, {@code temporal_ordered}, {@code
 *       value_sum}, {@code value_avg}, {@code value_percentile} (spec v2.1.0) and {@code value_median} (pySigma's
 *       {@code VALUE_MEDIAN}; the 50th percentile).
 *   <li>{@code rules}: a list of rule ids or names (a single string is accepted as a one-element list). May be omitted
 *       only for temporal types with a boolean condition, which then names the rules.
 *   <li>{@code group-by}: mandatory as in the specification; an empty list means one group for all events.
 *   <li>{@code timespan}: a positive integer and a unit: {@code s m h d} from the specification, and {@code w}, {@code
 *       M} (30.436875 days) and {@code y} (365.2425 days) as pySigma accepts them.
 *   <li>{@code condition}: a map of one or more of {@code gt gte lt lte eq neq} (several are joined by AND, the
 *       specification's range form), numbers, plus {@code field} (mandatory for the {@code value_*} types; a list of
 *       fields for {@code value_count} counts distinct combinations) and {@code percentile} (0..100, for {@code
 *       value_percentile} only, default 50). Temporal types default to {@code gte: <number of rules>} and also accept
 *       a boolean expression string.
 *   <li>{@code aliases}: alias name to a map of rule reference to field name; every rule reference must be one of
 *       {@code rules}.
 *   <li>{@code generate}: boolean, default false.
 * </ul>
 */
public final class CorrelationRule {
    /** The correlation types. */
    public enum Type {
        EVENT_COUNT,
        VALUE_COUNT,
        TEMPORAL,
        TEMPORAL_ORDERED,
        VALUE_SUM,
        VALUE_AVG,
        VALUE_PERCENTILE,
        VALUE_MEDIAN;

        /** The name used in YAML, e.g. {@code event_count}. */
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean isTemporal() {
            return this == TEMPORAL || this == TEMPORAL_ORDERED;
        }

        boolean needsField() {
            return this != EVENT_COUNT && !isTemporal();
        }

        boolean isNumeric() {
            return this == VALUE_SUM || this == VALUE_AVG || this == VALUE_PERCENTILE || this == VALUE_MEDIAN;
        }
    }

    private static final Pattern TIMESPAN = Pattern.compile("([0-9]{1,9})([smhdwMy])");

    private final RuleRef ref;
    private final Type type;
    private final List<String> rules;
    private final List<String> groupBy;
    private final Duration timespan;
    private final Map<String, Map<String, String>> aliases;
    private final boolean generate;
    private final Threshold threshold;
    private final TemporalExpression expression;
    private final List<String> fields;
    private final double percentile;

    private CorrelationRule(
            RuleRef ref,
            Type type,
            List<String> rules,
            List<String> groupBy,
            Duration timespan,
            Map<String, Map<String, String>> aliases,
            boolean generate,
            Threshold threshold,
            TemporalExpression expression,
            List<String> fields,
            double percentile) {
        this.ref = ref;
        this.type = type;
        this.rules = rules;
        this.groupBy = groupBy;
        this.timespan = timespan;
        this.aliases = aliases;
        this.generate = generate;
        this.threshold = threshold;
        this.expression = expression;
        this.fields = fields;
        this.percentile = percentile;
    }

    /**
     * Parses one YAML document (already loaded into maps and lists) holding a correlation rule.
     *
     * @param yamlDocument the document; it must have {@code title} and {@code correlation}
     * @param file the file it came from, for {@link RuleRef#file()} and messages
     * @throws SigmaException naming the field that is missing or wrong
     */
    public static CorrelationRule parse(Map<String, Object> yamlDocument, String file) throws SigmaException {
        requireNonNull(yamlDocument, "yamlDocument");
        String title = string(yamlDocument, "title", "title", true);
        String id = string(yamlDocument, "id", "id", false);
        String name = string(yamlDocument, "name", "name", false);
        String level = string(yamlDocument, "level", "level", false);
        if (level != null) {
            // As RuleCompiler has a detection rule's level: any case, and medium when it is none of the five.
            level = level.toLowerCase(Locale.ROOT);
            if (!List.of("informational", "low", "medium", "high", "critical").contains(level)) {
                level = "medium";
            }
        }
        List<String> tags = stringList(yamlDocument.get("tags"), "tags", false);
        Object section = yamlDocument.get("correlation");
        if (section == null) {
            throw new SigmaException("correlation: missing");
        }
        if (!(section instanceof Map<?, ?> c)) {
            throw new SigmaException("correlation: must be a map, not " + describe(section));
        }
        Type type = type(c.get("type"));
        Duration timespan = timespan(c.get("timespan"));
        Object groupByValue = c.get("group-by");
        if (groupByValue == null && !c.containsKey("group-by")) {
            throw new SigmaException("correlation.group-by: missing");
        }
        List<String> groupBy =
                groupByValue == null ? List.of() : stringList(groupByValue, "correlation.group-by", true);
        if (new LinkedHashSet<>(groupBy).size() != groupBy.size()) {
            throw new SigmaException("correlation.group-by: duplicate field in " + groupBy);
        }
        Object generateValue = yamlDocument.containsKey("generate")
                ? yamlDocument.get("generate")
                : c.get("generate"); // pySigma reads it inside the correlation section; the spec puts it at the top
        if (generateValue != null && !(generateValue instanceof Boolean)) {
            throw new SigmaException("generate: must be true or false, not " + describe(generateValue));
        }
        boolean generate = Boolean.TRUE.equals(generateValue);

        Object rulesValue = c.get("rules");
        List<String> rules = rulesValue == null ? null : stringList(rulesValue, "correlation.rules", true);
        if (rules != null && new LinkedHashSet<>(rules).size() != rules.size()) {
            throw new SigmaException("correlation.rules: duplicate reference in " + rules);
        }

        Object conditionValue = c.get("condition");
        Threshold threshold = null;
        TemporalExpression expression = null;
        List<String> fields = List.of();
        double percentile = 50;
        if (conditionValue instanceof String text) {
            if (!type.isTemporal()) {
                throw new SigmaException("correlation.condition: a boolean expression is only allowed for temporal and"
                        + " temporal_ordered correlations, not " + type.yamlName());
            }
            expression = TemporalExpression.parse(text);
            List<String> named = expression.references();
            if (rules == null) {
                rules = named;
            } else {
                List<String> unreferenced = new ArrayList<>(rules);
                unreferenced.removeAll(named);
                if (!unreferenced.isEmpty()) {
                    throw new SigmaException("correlation.condition: rules " + unreferenced
                            + " are in correlation.rules but not in the condition '" + text + "'");
                }
                List<String> undefined = new ArrayList<>(named);
                undefined.removeAll(rules);
                if (!undefined.isEmpty()) {
                    throw new SigmaException(
                            "correlation.condition: " + undefined + " in '" + text + "' are not in correlation.rules");
                }
            }
        } else if (conditionValue instanceof Map<?, ?> cond) {
            threshold = Threshold.parse(cond);
            Object fieldValue = cond.get("field");
            if (fieldValue != null) {
                if (!type.needsField()) {
                    throw new SigmaException(
                            "correlation.condition.field: not allowed for a " + type.yamlName() + " correlation");
                }
                fields = stringList(fieldValue, "correlation.condition.field", true);
                if (fields.size() > 1 && type != Type.VALUE_COUNT) {
                    throw new SigmaException("correlation.condition.field: a " + type.yamlName()
                            + " correlation takes one field, not " + fields);
                }
            }
            if (cond.containsKey("percentile")) {
                if (type != Type.VALUE_PERCENTILE) {
                    throw new SigmaException(
                            "correlation.condition.percentile: only allowed for a value_percentile correlation");
                }
                Object p = cond.get("percentile");
                if (!(p instanceof Number n)
                        || !Double.isFinite(n.doubleValue())
                        || n.doubleValue() < 0
                        || n.doubleValue() > 100) {
                    throw new SigmaException(
                            "correlation.condition.percentile: '" + p + "' is not a number from 0 to 100");
                }
                percentile = n.doubleValue();
            }
        } else if (conditionValue != null) {
            throw new SigmaException("correlation.condition: must be a map (e.g. gte: 10)"
                    + " or, for temporal types, a boolean expression, not " + describe(conditionValue));
        } else if (!type.isTemporal()) {
            throw new SigmaException("correlation.condition: missing (required for " + type.yamlName() + ")");
        }
        if (rules == null) {
            throw new SigmaException("correlation.rules: missing");
        }
        if (rules.isEmpty()) {
            throw new SigmaException("correlation.rules: must name at least one rule");
        }
        if (type.needsField() && fields.isEmpty()) {
            throw new SigmaException("correlation.condition.field: missing (required for " + type.yamlName() + ")");
        }
        if (threshold == null && expression == null) {
            threshold = Threshold.atLeast(rules.size());
        }
        Map<String, Map<String, String>> aliases = aliases(c.get("aliases"), rules);
        RuleRef ref = new RuleRef(id, name, title, level, tags, file);
        return new CorrelationRule(
                ref,
                type,
                List.copyOf(rules),
                List.copyOf(groupBy),
                timespan,
                aliases,
                generate,
                threshold,
                expression,
                List.copyOf(fields),
                type == Type.VALUE_MEDIAN ? 50 : percentile);
    }

    /** The correlation's identity and metadata, as reported in its detections. */
    public RuleRef ref() {
        return ref;
    }

    /** The {@code rules:} entries, rule ids or names, in order. */
    public List<String> ruleReferences() {
        return rules;
    }

    /** Whether the referenced rules also produce their own detections ({@code generate: true}). */
    public boolean generate() {
        return generate;
    }

    public Duration timespan() {
        return timespan;
    }

    public Type type() {
        return type;
    }

    List<String> groupBy() {
        return groupBy;
    }

    Map<String, Map<String, String>> aliases() {
        return aliases;
    }

    /** The numeric condition, or null when a boolean expression decides. */
    Threshold threshold() {
        return threshold;
    }

    TemporalExpression expression() {
        return expression;
    }

    List<String> fields() {
        return fields;
    }

    double percentile() {
        return percentile;
    }

    /** The name under which the engine and the state store know this correlation. */
    String key() {
        if (!ref.id().isEmpty()) {
            return ref.id();
        }
        return ref.name() != null ? ref.name() : ref.title();
    }

    @Override
    public String toString() {
        return "correlation '" + (ref.name() != null ? ref.name() : ref.title()) + "'";
    }

    static Duration parseTimespan(String text) {
        Matcher m = TIMESPAN.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        if (n <= 0) {
            return null;
        }
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            case "M" -> Duration.ofSeconds(2_629_746L * n);
            case "y" -> Duration.ofSeconds(31_556_952L * n);
            default -> throw new IllegalStateException(m.group(2));
        };
    }

    private static Type type(Object value) throws SigmaException {
        if (value == null) {
            throw new SigmaException("correlation.type: missing");
        }
        if (value instanceof String s) {
            for (Type t : Type.values()) {
                if (t.yamlName().equals(s)) {
                    return t;
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (Type t : Type.values()) {
            names.add(t.yamlName());
        }
        throw new SigmaException("correlation.type: '" + value + "' is not a correlation type (one of " + names + ")");
    }

    private static Duration timespan(Object value) throws SigmaException {
        if (value == null) {
            throw new SigmaException("correlation.timespan: missing");
        }
        Duration d = value instanceof String s ? parseTimespan(s) : null;
        if (d == null) {
            throw new SigmaException("correlation.timespan: '" + value
                    + "' is not a duration (a positive number and a unit: s, m, h, d, w, M or y, e.g. 5m)");
        }
        return d;
    }

    private static Map<String, Map<String, String>> aliases(Object value, List<String> rules) throws SigmaException {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new SigmaException(
                    "correlation.aliases: must be a map of alias to {rule: field}, not " + describe(value));
        }
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String alias = String.valueOf(e.getKey());
            String where = "correlation.aliases." + alias;
            if (!(e.getValue() instanceof Map<?, ?> perRule) || perRule.isEmpty()) {
                throw new SigmaException(where + ": must be a non-empty map of rule name to field name");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (Map.Entry<?, ?> r : perRule.entrySet()) {
                String rule = String.valueOf(r.getKey());
                if (!rules.contains(rule)) {
                    throw new SigmaException(where + ": '" + rule + "' is not in correlation.rules " + rules);
                }
                if (!(r.getValue() instanceof String field) || field.isEmpty()) {
                    throw new SigmaException(
                            where + "." + rule + ": must be a field name, not " + describe(r.getValue()));
                }
                fields.put(rule, field);
            }
            result.put(alias, Collections.unmodifiableMap(fields));
        }
        return Collections.unmodifiableMap(result);
    }

    private static String string(Map<String, Object> map, String key, String where, boolean required)
            throws SigmaException {
        Object v = map.get(key);
        if (v == null) {
            if (required) {
                throw new SigmaException(where + ": missing");
            }
            return null;
        }
        if (!(v instanceof String s) || (required && s.isBlank())) {
            throw new SigmaException(where + ": must be a non-empty string, not " + describe(v));
        }
        return s;
    }

    private static List<String> stringList(Object value, String where, boolean required) throws SigmaException {
        if (value == null) {
            if (required) {
                throw new SigmaException(where + ": missing");
            }
            return List.of();
        }
        if (value instanceof String s) {
            if (s.isEmpty()) {
                throw new SigmaException(where + ": must not be empty");
            }
            return List.of(s);
        }
        if (!(value instanceof List<?> list)) {
            throw new SigmaException(where + ": must be a list of strings, not " + describe(value));
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof String s) || s.isEmpty()) {
                throw new SigmaException(where + ": entries must be non-empty strings, not " + describe(o));
            }
            out.add(s);
        }
        return out;
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String kind = value instanceof Map<?, ?> ? "a map" : value instanceof List<?> ? "a list" : "'" + value + "'";
        return kind;
    }
}
