package dev.vigil.sigma;

import dev.vigil.core.LogSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routes an event to the rules that can match it, in two steps.
 *
 * <p><b>Log source.</b> A rule sees only events of its log source: its product, category and service must each be
 * absent from the rule or present on the event. An event whose product is unknown (generic JSON Vigil cannot place)
 * meets every rule, so hunting over unlabelled data still works; an event of a known product meets only its own rules.
 *
 * <p><b>Candidates.</b> Most rules cannot match unless some literal occurs in some field: {@code Image|endswith:
 * '\\rundll32.exe'} needs "\rundll32.exe" in Image. For each log-source route, the literals of all its rules are
 * compiled into one Aho-Corasick automaton per field; one pass over the event's fields yields the rules whose literals
 * occur, and only those (plus the few rules without a necessary literal) are evaluated. A rule whose condition ANDs
 * two parts that each need a literal is filed under both sets, as two groups: it becomes a candidate only when each
 * group saw one of its literals (a bit per group in a per-event mask). Routes are built on first use of a log source
 * and cached; there are few distinct log sources.
 */
final class RuleIndex {
    private final List<CompiledRule> rules;
    private final FieldSlots slots;
    private final Map<LogSource, Route> routes = new ConcurrentHashMap<>();

    private final int[] requiredGroups;

    RuleIndex(List<CompiledRule> rules, FieldSlots slots) {
        this.rules = List.copyOf(rules);
        this.slots = slots;
        this.requiredGroups = new int[rules.size()];
        for (CompiledRule r : rules) {
            requiredGroups[r.index()] =
                    r.triggerGroups() == null ? 1 : (1 << r.triggerGroups().size()) - 1;
        }
    }

    int ruleCount() {
        return rules.size();
    }

    CompiledRule rule(int index) {
        return rules.get(index);
    }

    Route route(LogSource source) {
        Route r = routes.get(source);
        if (r == null) {
            r = routes.computeIfAbsent(source, this::buildRoute);
        }
        return r;
    }

    static boolean applies(CompiledRule rule, LogSource event) {
        if (event.product() == null) {
            return true;
        }
        if (rule.product() != null && !rule.product().equals(event.product())) {
            return false;
        }
        if (rule.category() != null && !event.categories().contains(rule.category())) {
            return false;
        }
        return rule.service() == null || event.services().contains(rule.service());
    }

    private Route buildRoute(LogSource source) {
        List<Integer> always = new ArrayList<>();
        Map<String, FieldIndexBuilder> byField = new LinkedHashMap<>();
        FieldIndexBuilder keywords = new FieldIndexBuilder();
        int count = 0;
        for (CompiledRule rule : rules) {
            if (!applies(rule, source)) {
                continue;
            }
            count++;
            if (rule.triggerGroups() == null) {
                always.add(rule.index());
                continue;
            }
            for (int g = 0; g < rule.triggerGroups().size(); g++) {
                for (CompiledRule.Trigger t : rule.triggerGroups().get(g)) {
                    FieldIndexBuilder b = t.field() == null
                            ? keywords
                            : byField.computeIfAbsent(t.field(), f -> new FieldIndexBuilder());
                    b.add(t.literal(), hit(rule.index(), g));
                }
            }
        }
        int n = byField.size();
        int[] fieldSlots = new int[n];
        AhoCorasick[] automata = new AhoCorasick[n];
        int[][][] patternRules = new int[n][][];
        int i = 0;
        for (Map.Entry<String, FieldIndexBuilder> e : byField.entrySet()) {
            fieldSlots[i] = slots.slot(e.getKey());
            automata[i] = e.getValue().automaton();
            patternRules[i] = e.getValue().patternRules();
            i++;
        }
        AhoCorasick keywordAutomaton = keywords.isEmpty() ? null : keywords.automaton();
        return new Route(
                count,
                always.stream().mapToInt(Integer::intValue).toArray(),
                fieldSlots,
                automata,
                patternRules,
                keywordAutomaton,
                keywordAutomaton == null ? null : SkipScanner.of(keywords.literals(), keywordAutomaton),
                keywords.isEmpty() ? null : keywords.patternRules(),
                keywords.literals().stream().anyMatch(RuleIndex::integerText),
                keywords.literals().stream().anyMatch(l -> "true".contains(l) || "false".contains(l)));
    }

    /**
     * What a pattern's occurrence tells the detector: rule {@code rule}'s trigger group {@code group} is satisfied.
     * The low bits hold the group (see {@link RuleCompiler#MAX_TRIGGER_GROUPS}).
     */
    static int hit(int rule, int group) {
        return rule << GROUP_BITS | group;
    }

    static final int GROUP_BITS = 1;

    static {
        if (RuleCompiler.MAX_TRIGGER_GROUPS > 1 << GROUP_BITS) {
            throw new AssertionError("GROUP_BITS too small for MAX_TRIGGER_GROUPS");
        }
    }

    /** The mask of groups rule {@code index} needs before it is a candidate. */
    int requiredGroups(int index) {
        return requiredGroups[index];
    }

    /** Whether {@code literal} can occur in the text of an integer (digits and a minus sign). */
    static boolean integerText(String literal) {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if ((c < '0' || c > '9') && c != '-') {
                return false;
            }
        }
        return true;
    }

    /**
     * The candidate index of one log source. {@code keywordScanner}: the same literals as {@code keywordAutomaton}, for
     * a faster scan, or null when they are too short for it to pay. {@code keywordsInIntegers}, {@code
     * keywordsInBooleans}: whether some keyword can occur in the text of an integer or a boolean at all (otherwise
     * such values are not turned into text and scanned).
     */
    record Route(
            int ruleCount,
            int[] always,
            int[] fieldSlots,
            AhoCorasick[] automata,
            int[][][] patternRules,
            AhoCorasick keywordAutomaton,
            SkipScanner keywordScanner,
            int[][] keywordPatternRules,
            boolean keywordsInIntegers,
            boolean keywordsInBooleans) {}

    private static final class FieldIndexBuilder {
        private final AhoCorasick.Builder automaton = AhoCorasick.builder();
        private final List<TreeSet<Integer>> rulesByPattern = new ArrayList<>(); // hits (see RuleIndex.hit)
        private final List<String> literals = new ArrayList<>(); // by pattern id

        void add(String literal, int hit) {
            int id = automaton.add(literal);
            while (rulesByPattern.size() <= id) {
                rulesByPattern.add(new TreeSet<>());
                literals.add(literal);
            }
            rulesByPattern.get(id).add(hit);
        }

        boolean isEmpty() {
            return rulesByPattern.isEmpty();
        }

        List<String> literals() {
            return literals;
        }

        AhoCorasick automaton() {
            return automaton.build();
        }

        int[][] patternRules() {
            int[][] out = new int[rulesByPattern.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = rulesByPattern.get(i).stream()
                        .mapToInt(Integer::intValue)
                        .toArray();
            }
            return out;
        }
    }
}
