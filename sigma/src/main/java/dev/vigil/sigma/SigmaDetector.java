package dev.vigil.sigma;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import dev.vigil.core.ProblemSink;
import dev.vigil.sigma.correlation.CorrelationEngine;
import dev.vigil.sigma.correlation.CorrelationStateStore;
import dev.vigil.sigma.correlation.InMemoryCorrelationStateStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * Runs a {@link SigmaRuleSet} over a stream of events. Detection rules are stateless; correlations keep their windows
 * in this detector, so use one detector per stream (per thread, or per key in a Flink operator). Not thread-safe.
 */
public final class SigmaDetector {
    private final SigmaRuleSet rules;
    private final RuleIndex index;
    private final EvalContext ctx;
    private final boolean[] marked;
    /** Per rule, the trigger groups that saw a literal in the current event; zero again after each event. */
    private final int[] groupsSeen;
    /** The rules with a non-zero {@code groupsSeen}. */
    private int[] touched = new int[64];

    private int touchedCount;

    private long rulesEvaluated;
    private final CorrelationEngine correlations;
    private final boolean[] suppressed;
    private final List<RuleRef> matched = new ArrayList<>();
    private int[] matchedIndexes = new int[16];
    private int matchedCount;
    private int[] candidates;
    private int candidateCount;

    /** A detector whose correlation windows live in memory; correlation warnings are dropped. */
    public SigmaDetector(SigmaRuleSet rules) {
        this(rules, p -> {});
    }

    /** A detector whose correlation windows live in memory, reporting state warnings (caps reached) to {@code warnings}. */
    public SigmaDetector(SigmaRuleSet rules, ProblemSink warnings) {
        this(rules, new InMemoryCorrelationStateStore(warnings), warnings);
    }

    /** A detector whose correlation windows live in {@code state} (e.g. keyed state of a stream processor). */
    public SigmaDetector(SigmaRuleSet rules, CorrelationStateStore state, ProblemSink warnings) {
        this.rules = requireNonNull(rules, "rules");
        this.index = rules.index();
        this.ctx = new EvalContext(rules.slots());
        this.marked = new boolean[index.ruleCount()];
        this.groupsSeen = new int[index.ruleCount()];
        this.candidates = new int[64];
        try {
            this.correlations = rules.correlations().isEmpty()
                    ? null
                    : new CorrelationEngine(rules.correlations(), state, rules::mapCorrelationField, warnings);
        } catch (SigmaException e) {
            // The rule set validated its correlations when it was built.
            throw new IllegalStateException(e);
        }
        this.suppressed = new boolean[index.ruleCount()];
        if (correlations != null) {
            for (int i = 0; i < suppressed.length; i++) {
                suppressed[i] = correlations.suppressesStandalone(index.rule(i).ref());
            }
        }
    }

    /**
     * How many rule conditions this detector has evaluated (the candidates the index let through), for measuring the
     * candidate index: divided by the events processed, the candidates per event.
     */
    public long rulesEvaluated() {
        return rulesEvaluated;
    }

    /**
     * How many times a correlation left an event out for this reason (see {@link CorrelationEngine#skipped}); 0 when
     * the rule set has no correlations. Safe to call from any thread, for monitoring.
     */
    public long correlationSkipped(CorrelationEngine.SkipReason reason) {
        return correlations == null ? 0 : correlations.skipped(reason);
    }

    /** Reports what correlations had to skip (events without time, late events, missing group-by values). */
    public void finish() {
        if (correlations != null) {
            correlations.reportSummary();
        }
    }

    /** The detections of one event, in rule order, correlations after the rules. */
    public List<Detection> process(Event event) {
        List<Detection> out = new ArrayList<>(2);
        process(event, out::add);
        return out;
    }

    public void process(Event event, Consumer<Detection> out) {
        requireNonNull(event, "event");
        matchInto(event);
        emitMatched(event, out);
    }

    /**
     * The stateless half of {@link #process}: which rules match {@code event}, in rule order. Matching needs no
     * correlation state, so a stream can be matched by several detectors of the same rule set on several threads (one
     * detector per thread) and then handed, in stream order, to {@link #emit} of the one detector that keeps the
     * stream's correlation windows. {@code process(e, out)} is {@code emit(e, match(e), out)}.
     */
    public Matches match(Event event) {
        requireNonNull(event, "event");
        matchInto(event);
        int[] indexes = new int[matched.size()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = matchedIndexes[i];
        }
        return new Matches(rules, indexes);
    }

    /**
     * The stateful half of {@link #process}: the detections of the rules in {@code matches} (but those only counted by
     * correlations), then the correlations {@code event} completes. Events must come in stream order.
     *
     * @throws IllegalArgumentException when {@code matches} comes from a detector of another rule set
     */
    public void emit(Event event, Matches matches, Consumer<Detection> out) {
        requireNonNull(event, "event");
        if (matches.rules != rules) {
            throw new IllegalArgumentException("matches of another rule set");
        }
        matched.clear();
        for (int r : matches.indexes) {
            matched.add(index.rule(r).ref());
        }
        matchedCount = matches.indexes.length;
        System.arraycopy(matches.indexes, 0, ensureMatchedCapacity(matchedCount), 0, matchedCount);
        emitMatched(event, out);
    }

    /** The rules one event matched, from {@link #match}; opaque, valid for detectors of the same rule set. */
    public static final class Matches {
        private final SigmaRuleSet rules;
        private final int[] indexes;

        private Matches(SigmaRuleSet rules, int[] indexes) {
            this.rules = rules;
            this.indexes = indexes;
        }

        public boolean isEmpty() {
            return indexes.length == 0;
        }

        public int size() {
            return indexes.length;
        }

        /**
         * These matches but the rules {@code dropped} accepts: a tenant's disabled rules and filters, applied before
         * {@link #emit} so that what they remove counts for no correlation either.
         */
        public Matches without(Predicate<RuleRef> dropped) {
            int[] kept = new int[indexes.length];
            int n = 0;
            for (int r : indexes) {
                if (!dropped.test(rules.index().rule(r).ref())) {
                    kept[n++] = r;
                }
            }
            return n == indexes.length ? this : new Matches(rules, Arrays.copyOf(kept, n));
        }
    }

    private int[] ensureMatchedCapacity(int n) {
        if (matchedIndexes.length < n) {
            matchedIndexes = Arrays.copyOf(matchedIndexes, Math.max(n, matchedIndexes.length * 2));
        }
        return matchedIndexes;
    }

    /** Fills {@code matched} and {@code matchedIndexes} with the rules that match {@code event}. */
    private void matchInto(Event event) {
        ctx.reset(event);
        RuleIndex.Route route = index.route(event.logSource());
        matched.clear();
        matchedCount = 0;
        if (route.ruleCount() > 0) {
            collectCandidates(route);
            boolean check = route.checkLogSource();
            for (int i = 0; i < candidateCount; i++) {
                CompiledRule rule = index.rule(candidates[i]);
                if (check && !RuleIndex.applies(rule, event.logSource())) {
                    continue;
                }
                rulesEvaluated++;
                if (rule.matcher().eval(ctx)) {
                    matched.add(rule.ref());
                    ensureMatchedCapacity(matchedCount + 1)[matchedCount++] = rule.index();
                }
            }
        }
    }

    private void emitMatched(Event event, Consumer<Detection> out) {
        for (int i = 0; i < matchedCount; i++) {
            int r = matchedIndexes[i];
            if (!suppressed[r]) {
                out.accept(new Detection(
                        index.rule(r).ref(),
                        event.timestamp(),
                        event,
                        null,
                        event.source() == null ? List.of() : List.of(event.source()),
                        false));
            }
        }
        if (correlations != null) {
            // Every event advances event time, so windows expire even when nothing matched.
            correlations.process(event, matched).forEach(out);
        }
    }

    private void collectCandidates(RuleIndex.Route route) {
        candidateCount = 0;
        touchedCount = 0;
        for (int r : route.always()) {
            mark(r);
        }
        int[] fieldSlots = route.fieldSlots();
        for (int f = 0; f < fieldSlots.length; f++) {
            // The raw value, folded to lower case as it is scanned: most scanned fields lead to no candidate, and
            // lower-casing every one of them up front (a copy per value) was a fifth of the detector's time.
            Object v = ctx.raw(fieldSlots[f]);
            if (v == Event.MISSING || v == null) {
                continue;
            }
            AhoCorasick automaton = route.automata()[f];
            markPattern.patternRules = route.patternRules()[f];
            if (v instanceof String s) {
                automaton.forEachMatchLowerCased(s, markPattern);
            } else if (v instanceof List<?> list) {
                for (Object element : list) {
                    if (element != null) {
                        automaton.forEachMatchLowerCased(Values.text(element), markPattern);
                    }
                }
            } else {
                automaton.forEachMatchLowerCased(Values.text(v), markPattern);
            }
        }
        if (route.keywordAutomaton() != null) {
            AhoCorasick ac = route.keywordAutomaton();
            SkipScanner scanner = route.keywordScanner();
            markPattern.patternRules = route.keywordPatternRules();
            int minLength = ac.minPatternLength();
            boolean integers = route.keywordsInIntegers();
            boolean booleans = route.keywordsInBooleans();
            ctx.event().forEachValue(v -> {
                // null list elements hold no text (see Node.Keyword); values too short for every keyword, and integers
                // and booleans when no keyword could occur in their text, need no scan: checking that before
                // Values.text saves turning each integer of the event into a string.
                if (v != null
                        && !tooShort(v, minLength)
                        && (integers || !isInteger(v))
                        && (booleans || !(v instanceof Boolean))) {
                    if (scanner != null) {
                        scanner.forEachMatchLowerCased(Values.text(v), markPattern);
                    } else {
                        ac.forEachMatchLowerCased(Values.text(v), markPattern);
                    }
                }
            });
        }
        // A rule is a candidate once every trigger group of it saw a literal.
        for (int i = 0; i < touchedCount; i++) {
            int r = touched[i];
            if (groupsSeen[r] == index.requiredGroups(r)) {
                mark(r);
            }
            groupsSeen[r] = 0;
        }
        Arrays.sort(candidates, 0, candidateCount);
        for (int i = 0; i < candidateCount; i++) {
            marked[candidates[i]] = false;
        }
    }

    /** Whether the text of {@code v} is certainly shorter than {@code minLength}. */
    static boolean tooShort(Object v, int minLength) {
        if (v instanceof String s) {
            return s.length() < minLength;
        }
        // The longest integer text is "-9223372036854775808" (20 chars); "false" is the longest boolean.
        return (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) && minLength > 20
                || v instanceof Boolean && minLength > 5;
    }

    /** Whether {@link Values#text} writes {@code v} as an integer: digits and perhaps a minus sign. */
    static boolean isInteger(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
    }

    /**
     * Marks the hits of each pattern id a scan reports, in the pattern table of the field being scanned. One instance
     * per detector, re-aimed at each field's table, rather than a capturing lambda per field and event: those were
     * two fifths of the bytes the detector allocated per event.
     */
    private final class PatternMarker implements IntConsumer {
        int[][] patternRules;

        @Override
        public void accept(int patternId) {
            markAll(patternRules[patternId]);
        }
    }

    private final PatternMarker markPattern = new PatternMarker();

    /** Records the hits of one pattern occurrence (see {@link RuleIndex#hit}). */
    private void markAll(int[] hitsOfPattern) {
        for (int hit : hitsOfPattern) {
            int r = hit >>> RuleIndex.GROUP_BITS;
            int seen = groupsSeen[r];
            if (seen == 0) {
                if (touchedCount == touched.length) {
                    touched = Arrays.copyOf(touched, touchedCount * 2);
                }
                touched[touchedCount++] = r;
            }
            groupsSeen[r] = seen | 1 << (hit & ((1 << RuleIndex.GROUP_BITS) - 1));
        }
    }

    private void mark(int rule) {
        if (!marked[rule]) {
            marked[rule] = true;
            if (candidateCount == candidates.length) {
                candidates = Arrays.copyOf(candidates, candidateCount * 2);
            }
            candidates[candidateCount++] = rule;
        }
    }

    SigmaRuleSet ruleSet() {
        return rules;
    }
}
