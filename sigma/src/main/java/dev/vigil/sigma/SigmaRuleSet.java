package dev.vigil.sigma;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Problem;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An immutable, compiled set of Sigma rules: detection rules, correlation rules and global filters, ready to be run by
 * any number of {@link SigmaDetector}s on any number of threads.
 *
 * <p>Loading never stops at a bad rule: each file or document that cannot be used is recorded in the {@link
 * LoadReport} with its file and the reason, and everything else loads.
 */
public final class SigmaRuleSet {
    private final RuleIndex index;
    private final FieldSlots slots;
    private final List<RuleRef> rules;
    private final List<dev.vigil.sigma.correlation.CorrelationRule> correlations;
    private final FieldMapping mapping;
    /** {@link #mapCorrelationField} by rule and field; the detectors of all threads share it. */
    private final Map<String, List<String>> correlationFields = new ConcurrentHashMap<>();

    private final LoadReport report;

    private SigmaRuleSet(
            RuleIndex index,
            FieldSlots slots,
            List<RuleRef> rules,
            List<dev.vigil.sigma.correlation.CorrelationRule> correlations,
            FieldMapping mapping,
            LoadReport report) {
        this.index = index;
        this.slots = slots;
        this.rules = List.copyOf(rules);
        this.correlations = List.copyOf(correlations);
        this.mapping = mapping;
        this.report = report;
    }

    public static Builder builder() {
        return new Builder();
    }

    public LoadReport report() {
        return report;
    }

    /** Every loaded rule (detections first, in load order, then correlations). */
    public List<RuleRef> rules() {
        return rules;
    }

    /** The number of detection rules (not correlations or filters). */
    public int detectionRuleCount() {
        return index.ruleCount();
    }

    /**
     * How many events met the route of all rules, each rule checked against their log source, because more distinct
     * log sources had been seen than the candidate index keeps routes for: a sign of crafted or unusually varied log
     * sources, and of slower matching (the detections are the same).
     */
    public long eventsOnUncachedRoute() {
        return index.eventsOnUncachedRoute();
    }

    RuleIndex index() {
        return index;
    }

    FieldSlots slots() {
        return slots;
    }

    List<dev.vigil.sigma.correlation.CorrelationRule> correlations() {
        return correlations;
    }

    /**
     * Maps a field named by a correlation to the data's fields for the events of the rule it refers to as {@code
     * rule}: a correlation has no log source of its own, so the field mapping steps that apply are those of the
     * referenced detection rule's log source (none for a referenced correlation).
     */
    List<String> mapCorrelationField(String rule, String field) {
        // Rule and field both come from the correlations, so the cache is as small as they are.
        return correlationFields.computeIfAbsent(rule + '\u0000' + field, k -> {
            for (int i = 0; i < index.ruleCount(); i++) {
                CompiledRule r = index.rule(i);
                if (r.ref().isNamed(rule)) {
                    return List.copyOf(mapping.map(field, r.product(), r.category(), r.service()));
                }
            }
            return List.copyOf(mapping.map(field, null, null, null));
        });
    }

    /** A correlation document kept for the detector, which compiles it with its state store. */
    record CorrelationSource(String file, Map<String, Object> document) {}

    /**
     * Collects rule sources, then compiles them. Sources are compiled in the order given; files within a directory in
     * path order, so the same input always gives the same rule order and the same output order.
     */
    public static final class Builder {
        private final List<Source> sources = new ArrayList<>();
        private final List<Problem> errors = new ArrayList<>();
        private FieldMapping mapping = FieldMapping.identity();
        private Map<String, List<String>> placeholders = Map.of();

        private Builder() {}

        private record Source(String name, String text) {}

        public Builder fieldMapping(FieldMapping mapping) {
            this.mapping = requireNonNull(mapping, "mapping");
            return this;
        }

        /** Values of {@code %name%} placeholders for the {@code expand} modifier. */
        public Builder placeholders(Map<String, List<String>> placeholders) {
            Map<String, List<String>> copy = new HashMap<>();
            placeholders.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            this.placeholders = Collections.unmodifiableMap(copy);
            return this;
        }

        /** Adds a rule file, or every {@code .yml}/{@code .yaml} file under a directory. */
        public Builder add(Path path) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    files.filter(Files::isRegularFile)
                            .filter(p -> {
                                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                                return n.endsWith(".yml") || n.endsWith(".yaml");
                            })
                            .sorted()
                            .forEach(this::addFile);
                } catch (IOException | java.io.UncheckedIOException e) {
                    errors.add(new Problem(path.toString(), 0, "cannot list rule directory: " + e.getMessage()));
                }
            } else if (Files.isRegularFile(path)) {
                addFile(path);
            } else {
                errors.add(new Problem(path.toString(), 0, "no such rule file or directory"));
            }
            return this;
        }

        private void addFile(Path file) {
            try {
                long size = Files.size(file);
                if (size > SigmaYaml.MAX_CODE_POINTS * 4L) {
                    errors.add(new Problem(file.toString(), 0, "rule file is larger than the 16 MiB limit"));
                    return;
                }
                byte[] bytes = Files.readAllBytes(file);
                String text = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(bytes))
                        .toString();
                sources.add(new Source(file.toString(), text));
            } catch (CharacterCodingException e) {
                errors.add(new Problem(file.toString(), 0, "rule file is not valid UTF-8"));
            } catch (IOException e) {
                errors.add(new Problem(file.toString(), 0, "cannot read rule file: " + e.getMessage()));
            }
        }

        /** Adds rules from YAML text; {@code source} names it in reports and detections. */
        public Builder addYaml(String source, String yaml) {
            sources.add(new Source(requireNonNull(source, "source"), requireNonNull(yaml, "yaml")));
            return this;
        }

        public SigmaRuleSet build() {
            List<Problem> errs = new ArrayList<>(errors);
            List<Problem> warnings = new ArrayList<>();
            int failed = errs.size();

            // Pass 1: parse every document and sort it into detections, correlations and filters.
            record RuleDocument(String file, int doc, int docs, Map<String, Object> content) {}
            List<RuleDocument> detections = new ArrayList<>();
            List<RuleDocument> filters = new ArrayList<>();
            List<CorrelationSource> correlations = new ArrayList<>();
            // Files parse independently, so they parse in parallel (the common pool; the results keep the sources'
            // order). Parsing is about half of a load; a fresh JVM on C1 alone (rules check) has the other cores free
            // and loads the SigmaHQ corpus in about a tenth less time; with C2 compiling on them it makes no
            // difference.
            List<Parsed> parsed = sources.parallelStream().map(Builder::parse).toList();
            for (int si = 0; si < sources.size(); si++) {
                Source s = sources.get(si);
                if (parsed.get(si).problem() != null) {
                    errs.add(parsed.get(si).problem());
                    failed++;
                    continue;
                }
                List<SigmaYaml.Document> docs = parsed.get(si).docs();
                for (SigmaYaml.Document d : docs) {
                    Map<String, Object> c = d.content();
                    RuleDocument p = new RuleDocument(s.name(), d.index(), docs.size(), c);
                    if (c.containsKey("correlation")) {
                        correlations.add(new CorrelationSource(s.name(), c));
                    } else if (c.containsKey("filter") && !c.containsKey("detection")) {
                        filters.add(p);
                    } else if (c.containsKey("detection")) {
                        detections.add(p);
                    } else {
                        errs.add(new Problem(
                                s.name(),
                                docs.size() > 1 ? d.index() : 0,
                                "not a Sigma rule: no 'detection', 'correlation' or 'filter' section"));
                        failed++;
                    }
                }
            }

            // Pass 2: validate filters.
            record Filter(
                    String file,
                    RuleCompiler.Header header,
                    List<String> refs,
                    boolean all,
                    Map<String, Object> body) {}
            List<Filter> validFilters = new ArrayList<>();
            int loadedFilters = 0;
            for (RuleDocument p : filters) {
                List<String> w = new ArrayList<>();
                try {
                    Map<String, Object> doc = new LinkedHashMap<>(p.content());
                    RuleCompiler.Header h = RuleCompiler.header(doc, p.file(), w);
                    if (!(doc.get("filter") instanceof Map<?, ?> f)) {
                        throw new SigmaException("'filter' must be a map");
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> body = (Map<String, Object>) f;
                    Object rulesRef = body.get("rules");
                    List<String> refs = new ArrayList<>();
                    boolean all = false;
                    if (rulesRef instanceof String str
                            && (str.equalsIgnoreCase("any") || str.equalsIgnoreCase("all"))) {
                        all = true;
                    } else if (rulesRef instanceof List<?> list && !list.isEmpty()) {
                        list.forEach(r -> refs.add(String.valueOf(r)));
                    } else if (rulesRef instanceof String str) {
                        refs.add(str);
                    } else {
                        throw new SigmaException("filter.rules must list the rules (ids or names) it applies to");
                    }
                    // Compile once on its own to report errors against the filter itself.
                    new RuleCompiler(new FieldSlots(), mapping, placeholders).compileFilter(h, body, w);
                    validFilters.add(new Filter(p.file(), h, refs, all, body));
                    loadedFilters++;
                    w.forEach(m -> warnings.add(new Problem(p.file(), 0, m)));
                } catch (SigmaException e) {
                    errs.add(new Problem(p.file(), p.docs() > 1 ? p.doc() : 0, e.getMessage()));
                    failed++;
                }
            }

            // Pass 3: compile detection rules with the filters that name them.
            FieldSlots slots = new FieldSlots();
            RuleCompiler compiler = new RuleCompiler(slots, mapping, placeholders);
            List<CompiledRule> compiled = new ArrayList<>();
            List<RuleRef> refs = new ArrayList<>();
            Map<String, String> ids = new HashMap<>();
            for (RuleDocument p : detections) {
                List<String> w = new ArrayList<>();
                try {
                    RuleCompiler.Header h = RuleCompiler.header(p.content(), p.file(), w);
                    List<Map<String, Object>> applicable = new ArrayList<>();
                    for (Filter f : validFilters) {
                        if (filterApplies(f.header(), f.refs(), f.all(), h)) {
                            applicable.add(f.body());
                        }
                    }
                    Node node = compiler.compile(h, p.content().get("detection"), applicable, w);
                    // Triggers first: the evaluation order puts the children that supplied them last.
                    List<List<CompiledRule.Trigger>> triggers = RuleCompiler.triggerGroups(node);
                    compiled.add(new CompiledRule(
                            compiled.size(),
                            h.ref(),
                            h.product(),
                            h.category(),
                            h.service(),
                            EvaluationOrder.of(node),
                            triggers));
                    refs.add(h.ref());
                    if (!h.ref().id().isEmpty()) {
                        String before = ids.putIfAbsent(h.ref().id(), p.file());
                        if (before != null) {
                            w.add("rule id " + h.ref().id() + " is also used by " + before);
                        }
                    }
                } catch (SigmaException e) {
                    errs.add(new Problem(p.file(), p.docs() > 1 ? p.doc() : 0, e.getMessage()));
                    failed++;
                } catch (RuntimeException e) {
                    errs.add(new Problem(p.file(), p.docs() > 1 ? p.doc() : 0, "cannot compile rule: " + e));
                    failed++;
                }
                for (String m : w) {
                    warnings.add(new Problem(p.file(), 0, m));
                }
            }

            // Pass 4: correlation rules are validated and compiled by the correlation engine.
            CorrelationCheck check = CorrelationCheck.validate(correlations, refs, mapping);
            errs.addAll(check.errors());
            failed += check.errors().size();
            refs.addAll(check.refs());

            int loaded = compiled.size() + check.valid().size() + loadedFilters;
            return new SigmaRuleSet(
                    new RuleIndex(compiled, slots),
                    slots,
                    refs,
                    check.valid(),
                    mapping,
                    new LoadReport(loaded, failed, errs, warnings));
        }

        /** A source's documents, or why it could not be read. */
        private record Parsed(List<SigmaYaml.Document> docs, Problem problem) {}

        private static Parsed parse(Source s) {
            try {
                return new Parsed(SigmaYaml.load(s.name(), s.text()), null);
            } catch (SigmaException e) {
                return new Parsed(null, new Problem(s.name(), 0, e.getMessage()));
            } catch (RuntimeException e) {
                // A YAML engine failure we did not anticipate must still not stop the other files.
                return new Parsed(null, new Problem(s.name(), 0, "invalid YAML: " + e));
            }
        }

        private static boolean filterApplies(
                RuleCompiler.Header filter, List<String> refs, boolean all, RuleCompiler.Header rule) {
            if ((filter.product() != null && !filter.product().equals(rule.product()))
                    || (filter.category() != null && !filter.category().equals(rule.category()))
                    || (filter.service() != null && !filter.service().equals(rule.service()))) {
                return false;
            }
            if (all) {
                return true;
            }
            for (String r : refs) {
                if (rule.ref().isNamed(r) || r.equals(rule.ref().title())) {
                    return true;
                }
            }
            return false;
        }
    }
}
