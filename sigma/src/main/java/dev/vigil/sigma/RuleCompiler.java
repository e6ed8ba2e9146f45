package dev.vigil.sigma;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compiles the {@code detection} section of one rule (with the global filters that name it) into a {@link Node} tree
 * and derives the rule's candidate-index triggers.
 */
final class RuleCompiler {
    private static final Set<String> LEVELS = Set.of("informational", "low", "medium", "high", "critical");

    private final FieldSlots slots;
    private final FieldMapping mapping;
    private final Map<String, List<String>> placeholders;

    RuleCompiler(FieldSlots slots, FieldMapping mapping, Map<String, List<String>> placeholders) {
        this.slots = slots;
        this.mapping = mapping;
        this.placeholders = placeholders;
    }

    /** The validated metadata of a detection rule or filter document. */
    record Header(RuleRef ref, String product, String category, String service) {}

    static Header header(Map<String, Object> doc, String file, List<String> warnings) throws SigmaException {
        Object title = doc.get("title");
        if (!(title instanceof String t) || t.isBlank()) {
            throw new SigmaException("'title' is missing or not a string");
        }
        Object id = doc.get("id");
        if (id != null && !(id instanceof String)) {
            throw new SigmaException("'id' must be a string");
        }
        Object name = doc.get("name");
        Object level = doc.get("level");
        String lvl = null;
        if (level != null) {
            lvl = String.valueOf(level).toLowerCase(Locale.ROOT);
            if (!LEVELS.contains(lvl)) {
                warnings.add("'level: " + level + "' is not one of " + LEVELS + "; treated as medium");
                lvl = "medium";
            }
        }
        List<String> tags = new ArrayList<>();
        if (doc.get("tags") instanceof List<?> list) {
            for (Object o : list) {
                tags.add(String.valueOf(o));
            }
        } else if (doc.get("tags") != null) {
            throw new SigmaException("'tags' must be a list");
        }
        Object ls = doc.get("logsource");
        if (!(ls instanceof Map<?, ?> logsource)) {
            throw new SigmaException("'logsource' is missing or not a map");
        }
        String product = lower(logsource.get("product"));
        String category = lower(logsource.get("category"));
        String service = lower(logsource.get("service"));
        if (product == null && category == null && service == null) {
            warnings.add("'logsource' names no product, category or service; the rule sees every event");
        }
        Object status = doc.get("status");
        RuleRef ref = new RuleRef(
                (String) id,
                name == null ? null : String.valueOf(name),
                t.strip(),
                lvl,
                tags,
                file,
                status == null ? null : String.valueOf(status));
        return new Header(ref, product, category, service);
    }

    private static String lower(Object o) {
        return o == null ? null : String.valueOf(o).toLowerCase(Locale.ROOT).strip();
    }

    /**
     * Compiles a detection section. {@code filters}: each global filter that applies, as its {@code filter} map; its
     * condition is ANDed with the rule's (as pySigma does: the filter's condition says what must hold for a match to
     * stand, so filters that exclude are written {@code condition: not selection}).
     */
    Node compile(Header header, Object detection, List<Map<String, Object>> filters, List<String> warnings)
            throws SigmaException {
        if (!(detection instanceof Map<?, ?> det)) {
            throw new SigmaException("'detection' is missing or not a map");
        }
        Node rule = compileDetection(header, det, "detection", warnings);
        if (filters.isEmpty()) {
            return rule;
        }
        List<Node> parts = new ArrayList<>();
        parts.add(rule);
        for (Map<String, Object> f : filters) {
            parts.add(compileDetection(header, f, "filter", warnings));
        }
        return new Node.And(parts.toArray(new Node[0]));
    }

    /** Compiles a global filter's {@code filter} section on its own, to report its errors against the filter. */
    Node compileFilter(Header header, Map<String, Object> filter, List<String> warnings) throws SigmaException {
        return compileDetection(header, filter, "filter", warnings);
    }

    private Node compileDetection(Header header, Map<?, ?> det, String section, List<String> warnings)
            throws SigmaException {
        Object cond = det.get("condition");
        List<String> conditions = new ArrayList<>();
        if (cond instanceof String s) {
            conditions.add(s);
        } else if (cond instanceof List<?> list && !list.isEmpty()) {
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw new SigmaException(section + ".condition: every condition must be a string");
                }
                conditions.add(s);
            }
        } else {
            throw new SigmaException(section + ".condition is missing");
        }
        ValueCompiler values = new ValueCompiler(
                slots, placeholders, warnings, f -> mapField(header, f).get(0));
        Map<String, Node> selections = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : det.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (name.equals("condition")
                    || name.equals("timeframe")
                    || (section.equals("filter") && name.equals("rules"))) {
                if (name.equals("timeframe")) {
                    throw new SigmaException(section + ".timeframe is Sigma v1 aggregation; use a correlation rule");
                }
                continue;
            }
            try {
                selections.put(name, selection(header, values, e.getValue()));
            } catch (SigmaException ex) {
                throw new SigmaException(section + "." + name + ": " + ex.getMessage(), ex);
            }
        }
        List<Node> alternatives = new ArrayList<>();
        for (String c : conditions) {
            alternatives.add(resolve(Condition.parse(c), selections, c));
        }
        return alternatives.size() == 1 ? alternatives.get(0) : new Node.Or(alternatives.toArray(new Node[0]));
    }

    private Node selection(Header header, ValueCompiler values, Object def) throws SigmaException {
        if (def instanceof Map<?, ?> map) {
            return mapSelection(header, values, map);
        }
        if (def instanceof List<?> list) {
            if (list.isEmpty()) {
                throw new SigmaException("empty list");
            }
            boolean maps = list.get(0) instanceof Map<?, ?>;
            if (maps) {
                List<Node> alternatives = new ArrayList<>();
                for (Object o : list) {
                    if (!(o instanceof Map<?, ?> m)) {
                        throw new SigmaException("a list mixes maps and plain values");
                    }
                    alternatives.add(mapSelection(header, values, m));
                }
                return alternatives.size() == 1 ? alternatives.get(0) : new Node.Or(alternatives.toArray(new Node[0]));
            }
            for (Object o : list) {
                if (o instanceof Map<?, ?> || o instanceof List<?>) {
                    throw new SigmaException("a list mixes maps and plain values");
                }
            }
            return values.compile(null, null, List.of("contains"), list);
        }
        if (def instanceof String || def instanceof Number || def instanceof Boolean) {
            return values.compile(null, null, List.of("contains"), def);
        }
        throw new SigmaException(def == null ? "is empty" : "must be a map or a list");
    }

    private Node mapSelection(Header header, ValueCompiler values, Map<?, ?> map) throws SigmaException {
        if (map.isEmpty()) {
            throw new SigmaException("empty map");
        }
        List<Node> items = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            String[] parts = key.split("\\|", -1);
            String field = parts[0];
            List<String> modifiers = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].isEmpty()) {
                    throw new SigmaException("'" + key + "' has an empty modifier");
                }
                modifiers.add(parts[i].toLowerCase(Locale.ROOT));
            }
            if (field.isEmpty()) {
                // A keyword item with modifiers ('|all': [...]): full-text, substring by default.
                if (!modifiers.contains("re")
                        && !modifiers.contains("contains")
                        && !modifiers.contains("startswith")
                        && !modifiers.contains("endswith")) {
                    modifiers.add(0, "contains");
                }
                items.add(values.compile(null, null, modifiers, e.getValue()));
                continue;
            }
            List<String> targets = mapField(header, field);
            List<Node> perTarget = new ArrayList<>();
            for (String target : targets) {
                perTarget.add(values.compile(target, field, modifiers, e.getValue()));
            }
            items.add(perTarget.size() == 1 ? perTarget.get(0) : new Node.Or(perTarget.toArray(new Node[0])));
        }
        return items.size() == 1 ? items.get(0) : new Node.And(items.toArray(new Node[0]));
    }

    private List<String> mapField(Header header, String field) {
        return mapping.map(field, header.product(), header.category(), header.service());
    }

    private Node resolve(Condition c, Map<String, Node> selections, String text) throws SigmaException {
        return switch (c) {
            case Condition.And and -> {
                List<Node> parts = new ArrayList<>();
                for (Condition t : and.terms()) {
                    parts.add(resolve(t, selections, text));
                }
                yield new Node.And(parts.toArray(new Node[0]));
            }
            case Condition.Or or -> {
                List<Node> parts = new ArrayList<>();
                for (Condition t : or.terms()) {
                    parts.add(resolve(t, selections, text));
                }
                yield new Node.Or(parts.toArray(new Node[0]));
            }
            case Condition.Not not -> new Node.Not(resolve(not.term(), selections, text));
            case Condition.Ref ref -> {
                Node n = selections.get(ref.name());
                if (n == null) {
                    throw new SigmaException("condition '" + text + "' names '" + ref.name()
                            + "', which is not a search identifier of the detection");
                }
                yield n;
            }
            case Condition.Quantified q -> {
                List<Node> matched = new ArrayList<>();
                for (Map.Entry<String, Node> e : selections.entrySet()) {
                    String name = e.getKey();
                    boolean hit = q.pattern() == null ? !name.startsWith("_") : namePattern(q.pattern(), name);
                    if (hit) {
                        matched.add(e.getValue());
                    }
                }
                if (matched.isEmpty()) {
                    throw new SigmaException("condition '" + text + "': '"
                            + (q.pattern() == null ? "them" : q.pattern()) + "' matches no search identifier");
                }
                Node[] array = matched.toArray(new Node[0]);
                yield array.length == 1 ? array[0] : q.all() ? new Node.And(array) : new Node.Or(array);
            }
        };
    }

    private static boolean namePattern(String pattern, String name) {
        return new StringPredicate.GlobMatcher(Glob.parse(pattern)).test(name);
    }

    /** The most trigger groups a rule is filed under (each is one bit of a per-event mask in the detector). */
    static final int MAX_TRIGGER_GROUPS = 2;

    /** The rule's triggers: a set of (field, literal) of which one occurs whenever the rule matches, or null. */
    static List<CompiledRule.Trigger> triggers(Node node) {
        List<List<CompiledRule.Trigger>> groups = triggerGroups(node);
        return groups == null ? null : groups.get(0);
    }

    /**
     * Up to {@link #MAX_TRIGGER_GROUPS} trigger sets, best first, each necessary on its own: the rule can match only
     * when, for every set, one of its (field, literal) occurs. Two children of an AND give two independent sets, so a
     * rule such as {@code Image|endswith: '\\rundll32.exe'} and {@code CommandLine|contains: 'javascript:'} becomes a
     * candidate only when both literals occur, not whenever rundll32 runs. Null when the rule has no necessary literal.
     */
    static List<List<CompiledRule.Trigger>> triggerGroups(Node node) {
        return switch (node) {
            case Node.Text t -> t.triggers() == null ? null : List.of(lits(t.field(), t.triggers()));
            case Node.Keyword k -> k.triggers() == null ? null : List.of(lits(null, k.triggers()));
            case Node.Or or -> {
                // Each child needs one of its own best set; the OR needs one of their union.
                List<CompiledRule.Trigger> all = new ArrayList<>();
                for (Node c : or.children()) {
                    List<CompiledRule.Trigger> t = triggers(c);
                    if (t == null) {
                        yield null;
                    }
                    all.addAll(t);
                }
                yield List.of(all);
            }
            case Node.And and -> {
                List<List<CompiledRule.Trigger>> all = new ArrayList<>();
                for (Node c : and.children()) {
                    List<List<CompiledRule.Trigger>> t = triggerGroups(c);
                    if (t != null) {
                        all.addAll(t);
                    }
                }
                if (all.isEmpty()) {
                    yield null;
                }
                // Stable: among equal sets the first child's wins, as before groups.
                all.sort(TRIGGER_ORDER);
                yield List.copyOf(all.subList(0, Math.min(MAX_TRIGGER_GROUPS, all.size())));
            }
            default -> null;
        };
    }

    /** Prefers trigger sets whose shortest literal is longest (fewer chance hits), then smaller sets. */
    private static final Comparator<List<CompiledRule.Trigger>> TRIGGER_ORDER =
            Comparator.<List<CompiledRule.Trigger>>comparingInt(t -> -Math.min(
                            8,
                            t.stream().mapToInt(x -> x.literal().length()).min().orElse(0)))
                    .thenComparingInt(List::size);

    private static List<CompiledRule.Trigger> lits(String field, String[] literals) {
        List<CompiledRule.Trigger> out = new ArrayList<>(literals.length);
        for (String l : literals) {
            out.add(new CompiledRule.Trigger(field, l));
        }
        return out;
    }
}
