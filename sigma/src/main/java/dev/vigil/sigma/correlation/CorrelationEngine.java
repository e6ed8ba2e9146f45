package dev.vigil.sigma.correlation;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.SourceRef;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.RuleRef;
import dev.vigil.sigma.SigmaException;
import dev.vigil.sigma.Values;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Evaluates Sigma correlation rules over a stream of events and the detection rules each event matched.
 *
 * <h2>Design</h2>
 *
 * <p><b>Sliding windows.</b> The specification asks that "the time frame should not be restricted to boundaries if this
 * is not required by the given backend" and lists fixed (tumbling) boundaries as a backend limitation that "could cause
 * false negatives": a burst that straddles an hour boundary is missed by hourly buckets. This engine has no such
 * limitation, so windows slide: for every contributing event {@code x} of a group, its window is every contributing
 * event {@code y} of the same group with {@code x.time - timespan <= y.time <= x.time} (both edges included: an event
 * exactly {@code timespan} after the first is in the window, one nanosecond later it is not). When an event {@code e}
 * arrives, the windows that contain it are evaluated: its own and, when it arrived out of order, those of the later
 * events up to {@code e.time + timespan}, earliest first. The condition is thus tested on event time, not arrival
 * order, and a late event counts in the windows it belongs to.
 *
 * <p>Conditions are tested as each window is evaluated, so {@code lt}, {@code lte} and {@code neq} conditions (and
 * ranges that include 1) hold already for the first event of a group: "fewer than 5 logins within an hour" fires on
 * the first login. That is what a per-event windowed query computes too; absence of events over a whole period is not
 * something an event-driven engine can report.
 *
 * <p><b>Reset after a fire.</b> When a window satisfies the condition, the correlation fires once and the window's
 * entries are dropped with every older one, as most SIEM backends do (a threshold alert re-arms). Otherwise every
 * further event of a burst of 1,000 failed logins would repeat the detection of the first 100. Entries after the
 * window (events that arrived before it, out of order) stay and count for the next one.
 *
 * <p><b>Group-by.</b> The group key is the list of the group-by values, each read from the event under the field that
 * the correlation's {@code aliases} give for the matched rule (else the group-by name itself), mapped through the
 * {@code fieldMapping} for that rule (whose log source can decide the mapping), and compared as text, as rules compare
 * values. An event lacking a group-by field (absent, or null) is not correlated by that correlation: the
 * specification requires the group-by values to "all have the same value", which an absent value cannot satisfy, and
 * the query backends pySigma generates for (Splunk {@code stats ... by}, Elasticsearch terms aggregations, ...) drop
 * such events too. These events are counted and reported once per correlation. For a chained correlation, a group-by
 * value is first taken from the group-by values of the inner correlation's detection, then from the event.
 *
 * <p><b>Bounded state.</b> A window keeps one compact entry per contributing event (time, rule index for temporal
 * types, the distinct value or the number for value types, the source reference): exact sliding windows over
 * out-of-order events need each entry's time. Entries older than the watermark minus the timespan are dropped as they
 * can no longer be in a window of an accepted event; the store expires whole groups the same way and caps groups per
 * correlation and entries per group (see {@link InMemoryCorrelationStateStore}). A detection lists at most {@value
 * #MAX_SOURCES} sources.
 *
 * <p><b>Chains and output.</b> Correlations are evaluated in dependency order; a correlation's detection counts as a
 * match of its name or id for the correlations that refer to it, for the same event. Detections of a correlation that
 * is referenced only by correlations with {@code generate: false} are not returned (the specification's default: only
 * the outermost correlation produces output), like the matches of detection rules, see {@link
 * #suppressesStandalone(RuleRef)}.
 *
 * <p><b>Temporal conditions.</b> temporal counts the distinct referenced rules seen in the window (default condition:
 * all of them); temporal_ordered counts the longest chain of rules seen in the order of {@code rules:}. A boolean
 * condition (see {@link TemporalExpression}) is evaluated over the set of rules seen in the window; for
 * temporal_ordered the rules seen must also have occurred in {@code rules:} order. A {@code not} is decided when the
 * window is evaluated: a rule that arrives later does not retract a detection.
 *
 * <p>Not thread-safe: one engine per stream (per Flink subtask).
 */
public final class CorrelationEngine {
    /** The most source references listed in one correlation detection. */
    public static final int MAX_SOURCES = 100;

    /** Why a correlation left an event out; a small fixed set, so monitoring can name each one. */
    public enum SkipReason {
        /** The event has no timestamp, so it cannot be placed in a time window. */
        NO_TIMESTAMP("no timestamp"),
        /** The event came after the watermark had passed its time by more than the allowed lateness. */
        TOO_LATE("too late"),
        /** The event has no value for a group-by field. */
        NO_GROUP_BY_VALUE("no group-by value"),
        /** A value-aggregating correlation met a value that is not a number. */
        NON_NUMERIC_VALUE("non-numeric value"),
        /** A group window was full; its oldest entry was dropped to make room. */
        ENTRY_CAP("entry cap");

        private final String label;

        SkipReason(String label) {
            this.label = label;
        }

        /** A short lower-case name, for a metric tag or a report. */
        public String label() {
            return label;
        }
    }

    private static final class Counter {
        long count;
        boolean reported;
    }

    private static final class Compiled {
        final CorrelationRule rule;
        final String key;
        final long span;
        final List<String> refs;
        final Compiled[] targets;
        final Map<String, Counter> skipped = new LinkedHashMap<>();
        boolean output = true;

        Compiled(CorrelationRule rule) {
            this.rule = rule;
            this.key = rule.key();
            this.span = nanos(rule.timespan());
            this.refs = rule.ruleReferences();
            this.targets = new Compiled[refs.size()];
        }
    }

    private record Input(int rule, Map<String, Object> innerGroupBy, Object source) {}

    private final List<Compiled> order;
    private final CorrelationStateStore store;
    private final CorrelationFieldMapping fieldMapping;
    private final ProblemSink warnings;
    private final Set<String> detectionRuleReferences;
    private long withoutTimestamp;
    /** Skips by reason over all correlations; read by monitoring threads while the engine's thread adds. */
    private final LongAdder[] skippedTotals = new LongAdder[SkipReason.values().length];

    /** An engine with the identity field mapping. */
    public CorrelationEngine(List<CorrelationRule> rules, CorrelationStateStore store, ProblemSink warnings)
            throws SigmaException {
        this(rules, store, CorrelationFieldMapping.IDENTITY, warnings);
    }

    /**
     * Resolves the references between correlations and checks them.
     *
     * @param rules the correlation rules
     * @param store where windows are kept
     * @param fieldMapping maps a rule-level field name (group-by, alias target, condition field) to the event's field
     *     names, per referenced rule; {@code null} for the identity
     * @param warnings receives the problems met while correlating (skipped events, evictions), once per kind and
     *     correlation
     * @throws SigmaException when two correlations share a name or id, or correlations refer to each other in a cycle
     */
    public CorrelationEngine(
            List<CorrelationRule> rules,
            CorrelationStateStore store,
            CorrelationFieldMapping fieldMapping,
            ProblemSink warnings)
            throws SigmaException {
        this.store = requireNonNull(store, "store");
        this.fieldMapping = fieldMapping == null ? CorrelationFieldMapping.IDENTITY : fieldMapping;
        this.warnings = requireNonNull(warnings, "warnings");
        Arrays.setAll(skippedTotals, i -> new LongAdder());
        List<Compiled> all = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (CorrelationRule r : rules) {
            Compiled c = new Compiled(r);
            if (!keys.add(c.key)) {
                throw new SigmaException(r + ": another correlation has the same id or name '" + c.key + "'");
            }
            all.add(c);
        }
        Set<String> detectionRefs = new LinkedHashSet<>();
        Map<Compiled, List<Compiled>> referencedBy = new HashMap<>(); // identity keys
        for (Compiled c : all) {
            for (int i = 0; i < c.refs.size(); i++) {
                String ref = c.refs.get(i);
                for (Compiled other : all) {
                    if (other.rule.ref().isNamed(ref)) {
                        c.targets[i] = other;
                        referencedBy
                                .computeIfAbsent(other, k -> new ArrayList<>())
                                .add(c);
                        break;
                    }
                }
                if (c.targets[i] == null) {
                    detectionRefs.add(ref);
                }
            }
        }
        // As for detection rules (suppressesStandalone): a referenced correlation is output when any correlation that
        // refers to it asks for it with generate: true.
        referencedBy.forEach(
                (target, referrers) -> target.output = referrers.stream().anyMatch(r -> r.rule.generate()));
        this.detectionRuleReferences = Collections.unmodifiableSet(detectionRefs);
        this.order = topologicalOrder(all);
    }

    private static List<Compiled> topologicalOrder(List<Compiled> all) throws SigmaException {
        List<Compiled> out = new ArrayList<>();
        Map<Compiled, Integer> state = new HashMap<>(); // identity keys; 1 visiting, 2 done
        for (Compiled c : all) {
            visit(c, state, out, new ArrayList<>());
        }
        return List.copyOf(out);
    }

    private static void visit(Compiled c, Map<Compiled, Integer> state, List<Compiled> out, List<Compiled> path)
            throws SigmaException {
        Integer s = state.get(c);
        if (s != null && s == 2) {
            return;
        }
        path.add(c);
        if (s != null) {
            StringBuilder cycle = new StringBuilder();
            for (Compiled p : path.subList(path.indexOf(c), path.size())) {
                cycle.append(cycle.length() == 0 ? "" : " -> ").append(p.key);
            }
            throw new SigmaException(c.rule + ": correlations refer to each other in a cycle: " + cycle);
        }
        state.put(c, 1);
        for (Compiled t : c.targets) {
            if (t != null) {
                visit(t, state, out, path);
            }
        }
        path.remove(path.size() - 1);
        state.put(c, 2);
        out.add(c);
    }

    /**
     * The {@code rules:} references of all correlations that name no correlation: they must name detection rules,
     * which the caller checks (an unknown one is a rule that will never match).
     */
    public Set<String> detectionRuleReferences() {
        return detectionRuleReferences;
    }

    /**
     * Whether the detector should not output this rule's own detections: true when at least one correlation refers to
     * it and every correlation that does has {@code generate: false} (the specification's default). Works for
     * detection rules and for correlations.
     */
    public boolean suppressesStandalone(RuleRef rule) {
        boolean referenced = false;
        for (Compiled c : order) {
            for (String ref : c.refs) {
                if (rule.isNamed(ref)) {
                    if (c.rule.generate()) {
                        return false;
                    }
                    referenced = true;
                }
            }
        }
        return referenced;
    }

    /** How many times an event that matched a referenced rule had no timestamp and was not correlated. */
    public long eventsWithoutTimestamp() {
        return withoutTimestamp;
    }

    /**
     * How many times a correlation left an event out for this reason, over all correlations (an event left out by
     * two correlations counts twice). Safe to call from any thread, for monitoring; the total may lag the engine's
     * thread by the events it is processing.
     */
    public long skipped(SkipReason reason) {
        return skippedTotals[reason.ordinal()].sum();
    }

    /**
     * Reports, for each correlation, how many events it skipped and why (no timestamp, too late, missing group-by
     * field, non-numeric value, window cap), as one problem per correlation and reason with the total so far.
     */
    public void reportSummary() {
        for (Compiled c : order) {
            for (Map.Entry<String, Counter> e : c.skipped.entrySet()) {
                warnings.report(new Problem(
                        source(c), 0, c.rule + ": " + e.getValue().count + " events skipped: " + e.getKey()));
            }
        }
    }

    /**
     * Feeds one event: call it once per event, in arrival order, with the detection rules that matched it (possibly
     * none).
     *
     * @return the correlation detections this event completes, chained ones included, in dependency order of the
     *     correlations and then group order; empty most of the time
     */
    public List<Detection> process(Event event, List<RuleRef> matchedRules) {
        requireNonNull(event, "event");
        requireNonNull(matchedRules, "matchedRules");
        Instant ts = event.timestamp();
        long time = ts == null ? 0 : nanos(ts);
        Instant watermark = ts == null ? store.watermark() : store.observe(ts);
        if (matchedRules.isEmpty()) {
            return List.of();
        }
        boolean late = ts != null && watermark != null && ts.isBefore(watermark);
        boolean countedWithoutTimestamp = false;
        long floor = watermark == null ? Long.MIN_VALUE : nanos(watermark);
        Map<Compiled, List<Detection>> fired = new HashMap<>();
        List<Detection> out = new ArrayList<>();
        for (Compiled c : order) {
            List<Input> inputs = inputs(c, event, matchedRules, fired);
            if (inputs.isEmpty()) {
                continue;
            }
            if (ts == null) {
                if (!countedWithoutTimestamp) {
                    withoutTimestamp++;
                    countedWithoutTimestamp = true;
                }
                skip(c, event, SkipReason.NO_TIMESTAMP, "no timestamp, so it cannot be placed in a time window");
                continue;
            }
            if (late) {
                skip(
                        c,
                        event,
                        SkipReason.TOO_LATE,
                        "event time " + ts + " is before the watermark " + watermark + " (allowed lateness)");
                continue;
            }
            List<Detection> detections = evaluate(c, event, time, floor, inputs);
            if (!detections.isEmpty()) {
                fired.put(c, detections);
                if (c.output) {
                    out.addAll(detections);
                }
            }
        }
        return out;
    }

    private List<Input> inputs(Compiled c, Event event, List<RuleRef> matched, Map<Compiled, List<Detection>> fired) {
        List<Input> inputs = new ArrayList<>(2);
        for (int i = 0; i < c.refs.size(); i++) {
            Compiled target = c.targets[i];
            if (target != null) {
                List<Detection> ds = fired.get(target);
                if (ds != null) {
                    for (Detection d : ds) {
                        inputs.add(new Input(i, d.groupBy(), d.sources()));
                    }
                }
            } else {
                for (RuleRef r : matched) {
                    if (r.isNamed(c.refs.get(i))) {
                        inputs.add(new Input(i, null, event.source()));
                        break;
                    }
                }
            }
        }
        return inputs;
    }

    private List<Detection> evaluate(Compiled c, Event event, long time, long floor, List<Input> inputs) {
        CorrelationRule r = c.rule;
        boolean temporal = r.type().isTemporal();
        // group key -> entries this event adds to that group (one per event, or one per rule for temporal types)
        Map<List<Object>, List<WindowState.Entry>> byGroup = new LinkedHashMap<>();
        Map<List<Object>, Map<String, Object>> groupValues = new HashMap<>();
        for (Input in : inputs) {
            String ref = c.refs.get(in.rule());
            Map<String, Object> values = new LinkedHashMap<>();
            Object[] key = new Object[r.groupBy().size()];
            boolean complete = true;
            for (int g = 0; g < key.length; g++) {
                String name = r.groupBy().get(g);
                Object v = groupValue(r, name, ref, event, in.innerGroupBy());
                if (v == Event.MISSING || v == null) {
                    complete = false;
                    skip(c, event, SkipReason.NO_GROUP_BY_VALUE, "no value for group-by field '" + name + "'");
                    break;
                }
                key[g] = comparable(v);
                values.put(name, v);
            }
            if (!complete) {
                continue;
            }
            Object value = null;
            if (r.type() == CorrelationRule.Type.VALUE_COUNT) {
                value = distinctValue(r, ref, event);
                if (value == null) {
                    continue;
                }
            } else if (r.type().isNumeric()) {
                Object raw = read(event, ref, resolve(r, r.fields().get(0), ref));
                if (raw == Event.MISSING || raw == null) {
                    continue;
                }
                Double d = number(raw);
                if (d == null) {
                    skip(
                            c,
                            event,
                            SkipReason.NON_NUMERIC_VALUE,
                            "value '" + raw + "' of field '" + r.fields().get(0) + "' is not a number");
                    continue;
                }
                value = d;
            }
            List<Object> groupKey = Collections.unmodifiableList(Arrays.asList(key));
            List<WindowState.Entry> entries = byGroup.computeIfAbsent(groupKey, k -> new ArrayList<>(1));
            if (temporal) {
                boolean seen = false;
                for (WindowState.Entry e : entries) {
                    seen |= e.rule() == in.rule();
                }
                if (seen) {
                    continue;
                }
            } else if (!entries.isEmpty()) {
                continue; // an event counts once per group
            }
            entries.add(new WindowState.Entry(time, in.rule(), value, in.source()));
            groupValues.putIfAbsent(groupKey, Collections.unmodifiableMap(values));
        }
        List<Detection> detections = new ArrayList<>(0);
        for (Map.Entry<List<Object>, List<WindowState.Entry>> g : byGroup.entrySet()) {
            if (g.getValue().isEmpty()) {
                continue;
            }
            WindowState window = store.window(c.key, g.getKey(), r.timespan());
            window.pruneBefore(saturatedSubtract(floor, c.span));
            for (WindowState.Entry e : g.getValue()) {
                if (window.add(e)) {
                    skip(
                            c,
                            event,
                            SkipReason.ENTRY_CAP,
                            "a group window reached its entry cap; the oldest entry was dropped");
                }
            }
            List<WindowState.Entry> firing = firingWindow(c, window.entries(), time);
            if (firing != null) {
                detections.add(new Detection(
                        r.ref(), event.timestamp(), event, groupValues.get(g.getKey()), sources(firing), true));
                window.pruneThrough(firing.get(firing.size() - 1).time());
                if (window.size() == 0) {
                    store.remove(c.key, g.getKey());
                }
            }
        }
        return detections;
    }

    /** The entries of the earliest window containing {@code time} that satisfies the condition, or null. */
    private static List<WindowState.Entry> firingWindow(Compiled c, List<WindowState.Entry> entries, long time) {
        int n = entries.size();
        int first = lowerBound(entries, time);
        long last = saturatedAdd(time, c.span);
        long previousEnd = Long.MIN_VALUE;
        for (int hi = first; hi < n && entries.get(hi).time() <= last; hi++) {
            long end = entries.get(hi).time();
            if (end == previousEnd) {
                continue;
            }
            previousEnd = end;
            int to = hi;
            while (to + 1 < n && entries.get(to + 1).time() == end) {
                to++;
            }
            int from = lowerBound(entries, saturatedSubtract(end, c.span));
            List<WindowState.Entry> slice = entries.subList(from, to + 1);
            if (holds(c, slice)) {
                return List.copyOf(slice);
            }
        }
        return null;
    }

    private static boolean holds(Compiled c, List<WindowState.Entry> w) {
        CorrelationRule r = c.rule;
        return switch (r.type()) {
            case EVENT_COUNT -> r.threshold().test(w.size());
            case VALUE_COUNT -> {
                Set<Object> distinct = new HashSet<>();
                for (WindowState.Entry e : w) {
                    distinct.add(e.value());
                }
                yield r.threshold().test(distinct.size());
            }
            case VALUE_SUM -> r.threshold().test(sum(w));
            case VALUE_AVG -> r.threshold().test(sum(w) / w.size());
            case VALUE_PERCENTILE, VALUE_MEDIAN -> r.threshold().test(percentile(w, r.percentile()));
            case TEMPORAL, TEMPORAL_ORDERED -> temporalHolds(c, w);
        };
    }

    private static boolean temporalHolds(Compiled c, List<WindowState.Entry> w) {
        CorrelationRule r = c.rule;
        boolean[] seen = new boolean[c.refs.size()];
        int distinct = 0;
        for (WindowState.Entry e : w) {
            if (!seen[e.rule()]) {
                seen[e.rule()] = true;
                distinct++;
            }
        }
        boolean ordered = r.type() == CorrelationRule.Type.TEMPORAL_ORDERED;
        if (r.expression() != null) {
            if (!r.expression().test(ref -> seen[c.refs.indexOf(ref)])) {
                return false;
            }
            return !ordered || longestOrderedChain(w, seen) == distinct;
        }
        return r.threshold().test(ordered ? longestOrderedChain(w, seen) : distinct);
    }

    /**
     * The most rules (among those {@code allowed}) that occur in the window in {@code rules:} order: a rule index
     * sequence i1 < i2 < ... with occurrence times t1 <= t2 <= .... Entries of equal time may chain in either order.
     */
    private static int longestOrderedChain(List<WindowState.Entry> w, boolean[] allowed) {
        int[] best = new int[allowed.length]; // best[i]: longest chain ending with rule i so far
        int i = 0;
        while (i < w.size()) {
            int j = i;
            while (j < w.size() && w.get(j).time() == w.get(i).time()) {
                j++;
            }
            // entries of one instant: process rule indices ascending so that they can chain among themselves
            List<Integer> rules = new ArrayList<>();
            for (int k = i; k < j; k++) {
                rules.add(w.get(k).rule());
            }
            Collections.sort(rules);
            for (int rule : rules) {
                if (!allowed[rule]) {
                    continue;
                }
                int before = 0;
                for (int p = 0; p < rule; p++) {
                    before = Math.max(before, best[p]);
                }
                best[rule] = Math.max(best[rule], before + 1);
            }
            i = j;
        }
        int max = 0;
        for (int b : best) {
            max = Math.max(max, b);
        }
        return max;
    }

    private static double sum(List<WindowState.Entry> w) {
        double s = 0;
        for (WindowState.Entry e : w) {
            s += (Double) e.value();
        }
        return s;
    }

    /** The p-th percentile by linear interpolation between closest ranks (numpy's default, R type 7). */
    static double percentile(List<WindowState.Entry> w, double p) {
        double[] v = new double[w.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (Double) w.get(i).value();
        }
        Arrays.sort(v);
        double rank = p / 100.0 * (v.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return v[lo] + (v[hi] - v[lo]) * (rank - lo);
    }

    private static List<SourceRef> sources(List<WindowState.Entry> window) {
        LinkedHashSet<SourceRef> out = new LinkedHashSet<>();
        for (WindowState.Entry e : window) {
            if (e.source() instanceof SourceRef s) {
                out.add(s);
            } else if (e.source() instanceof List<?> list) {
                for (Object o : list) {
                    if (out.size() >= MAX_SOURCES) {
                        break;
                    }
                    out.add((SourceRef) o);
                }
            }
            if (out.size() >= MAX_SOURCES) {
                break;
            }
        }
        return List.copyOf(out);
    }

    private Object groupValue(
            CorrelationRule r, String name, String ref, Event event, Map<String, Object> innerGroupBy) {
        String field = resolve(r, name, ref);
        if (innerGroupBy != null) {
            Object v = innerGroupBy.get(field);
            if (v != null) {
                return v;
            }
        }
        return read(event, ref, field);
    }

    /** The value of a correlation's field in an event of the referenced rule {@code ref}, or {@link Event#MISSING}. */
    private Object read(Event event, String ref, String field) {
        for (String name : fieldMapping.map(ref, field)) {
            Object v = event.field(name);
            if (v != Event.MISSING) {
                return v;
            }
        }
        return Event.MISSING;
    }

    /** The distinct-value key of value_count: the value, or the list of values for several fields; null if absent. */
    private Object distinctValue(CorrelationRule r, String ref, Event event) {
        List<Object> values = new ArrayList<>(r.fields().size());
        for (String f : r.fields()) {
            Object v = read(event, ref, resolve(r, f, ref));
            if (v == Event.MISSING || v == null) {
                return null;
            }
            values.add(comparable(v));
        }
        return values.size() == 1 ? values.get(0) : List.copyOf(values);
    }

    /**
     * A value as group keys and distinct values compare it: its text, as rules match it, so that EventID 4625 read
     * from JSON (a number) and from XML (text) is one group; a list as the list of its elements' texts.
     */
    private static Object comparable(Object v) {
        if (v instanceof List<?> list) {
            List<String> texts = new ArrayList<>(list.size());
            for (Object e : list) {
                texts.add(e == null ? null : Values.text(e));
            }
            return Collections.unmodifiableList(texts);
        }
        return Values.text(v);
    }

    /** The field that a group-by name or condition field stands for in events of the referenced rule (aliases). */
    private static String resolve(CorrelationRule r, String name, String ref) {
        Map<String, String> alias = r.aliases().get(name);
        if (alias != null) {
            String field = alias.get(ref);
            if (field != null) {
                return field;
            }
        }
        return name;
    }

    /** A finite number from an event value, read as rules read numbers ({@link Values#number}); else null. */
    private static Double number(Object raw) {
        Double d = Values.number(raw);
        return d != null && Double.isFinite(d) ? d : null;
    }

    private void skip(Compiled c, Event event, SkipReason why, String reason) {
        skippedTotals[why.ordinal()].increment();
        // Reported once per correlation and kind; the reasons that name a time or a value are one kind each.
        String kind = why == SkipReason.TOO_LATE || why == SkipReason.NON_NUMERIC_VALUE ? why.label() : reason;
        Counter counter = c.skipped.computeIfAbsent(kind, k -> new Counter());
        counter.count++;
        if (!counter.reported) {
            counter.reported = true;
            SourceRef s = event.source();
            warnings.report(new Problem(
                    s != null ? s.source() : source(c),
                    s != null ? s.record() : 0,
                    c.rule + ": event skipped: " + reason
                            + " (reported once per correlation and kind; the rest are counted: in the summary at"
                            + " the end of a hunt, as vigil_correlation_events_skipped in the server)"));
        }
    }

    private static String source(Compiled c) {
        String file = c.rule.ref().file();
        return file.isEmpty() ? c.key : file;
    }

    private static int lowerBound(List<WindowState.Entry> entries, long time) {
        int lo = 0;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries.get(mid).time() < time) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static long nanos(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException e) {
            return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    static long saturatedSubtract(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }
}
