package dev.vigil.sigma;

import dev.vigil.core.LogSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

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
 * group saw one of its literals (a bit per group in a per-event mask). Routes are built on the first event of a routing
 * key (below) and cached.
 *
 * <p><b>Bounds.</b> Log sources come from the data: a JSON event names its own ({@code "logsource": {...}}), a CEF
 * header its vendor, a Zeek or Suricata record its path or type, so an attacker who can send events can make new ones
 * at will, and an unbounded cache of routes (each a few megabytes of automata for a broad source) would let a few
 * thousand crafted events exhaust the heap. Two things bound it. A log source is first reduced to what can change the
 * rules it meets ({@link #routingKey}): a product no rule names, and categories and services no rule names, change
 * nothing, and without a product every rule applies whatever the rest says. And routes are cached only up to {@link
 * #MAX_ROUTES} routing keys and about {@link #MAX_ROUTE_BYTES} of automata (both checked before a route is added, so
 * the last route may pass the bytes, and threads adding at once the count by a few); past that, an event of a new
 * routing key meets the route of all rules, filtered rule by rule against its log source ({@link
 * Route#checkLogSource}): the same detections, at the price of scanning for every rule's literals. The log sources
 * themselves are remembered with their route only when short ({@link #MAX_REMEMBERED_CHARS}) and up to {@link
 * #MAX_LOG_SOURCES}: a made-up product can be as long as a record.
 */
final class RuleIndex {
    /** The most routing keys with a route of their own. */
    static final int MAX_ROUTES = 512;

    /** The most bytes of automata the cached routes may hold (estimated, see {@link AhoCorasick#footprintBytes}). */
    static final long MAX_ROUTE_BYTES = 256L << 20;

    /**
     * The most log sources remembered with their route, so that the routing key is worked out once per source; only
     * sources of at most {@link #MAX_REMEMBERED_CHARS} characters, since a crafted one can be as long as a record.
     */
    static final int MAX_LOG_SOURCES = 4096;

    static final int MAX_REMEMBERED_CHARS = 256;

    private final List<CompiledRule> rules;
    private final FieldSlots slots;
    private final Map<LogSource, Route> byLogSource = new ConcurrentHashMap<>();
    private final Map<LogSource, Route> byRoutingKey = new ConcurrentHashMap<>();
    private final AtomicLong cachedRouteBytes = new AtomicLong();
    private volatile Route allRulesChecked;
    private final LongAdder eventsOnUncachedRoute = new LongAdder();
    private final Set<String> products = new HashSet<>();
    private final Set<String> categories = new HashSet<>();
    private final Set<String> services = new HashSet<>();
    /** The product of a routing key whose event names a product no rule names: a name no rule uses either. */
    private final String unnamedProduct;

    private final int[] requiredGroups;

    RuleIndex(List<CompiledRule> rules, FieldSlots slots) {
        this.rules = List.copyOf(rules);
        this.slots = slots;
        this.requiredGroups = new int[rules.size()];
        for (CompiledRule r : rules) {
            requiredGroups[r.index()] =
                    r.triggerGroups() == null ? 1 : (1 << r.triggerGroups().size()) - 1;
            if (r.product() != null) {
                products.add(r.product());
            }
            if (r.category() != null) {
                categories.add(r.category());
            }
            if (r.service() != null) {
                services.add(r.service());
            }
        }
        String unnamed = "\u0000unnamed";
        while (products.contains(unnamed)) {
            unnamed += "\u0000";
        }
        this.unnamedProduct = unnamed;
    }

    int ruleCount() {
        return rules.size();
    }

    CompiledRule rule(int index) {
        return rules.get(index);
    }

    Route route(LogSource source) {
        Route r = byLogSource.get(source);
        if (r != null) {
            return counted(r);
        }
        LogSource key = routingKey(source);
        r = byRoutingKey.get(key);
        if (r == null) {
            if (byRoutingKey.size() < MAX_ROUTES && cachedRouteBytes.get() < MAX_ROUTE_BYTES) {
                r = byRoutingKey.computeIfAbsent(key, k -> {
                    Route built = buildRoute(k, false);
                    cachedRouteBytes.addAndGet(built.footprintBytes());
                    return built;
                });
            } else {
                r = allRulesChecked();
            }
        }
        if (byLogSource.size() < MAX_LOG_SOURCES && chars(source) <= MAX_REMEMBERED_CHARS) {
            byLogSource.putIfAbsent(source, r);
        }
        return counted(r);
    }

    private Route counted(Route r) {
        if (r.checkLogSource()) {
            eventsOnUncachedRoute.increment();
        }
        return r;
    }

    /** How many routings found no cached route and took the route of all rules (past the bounds). */
    long eventsOnUncachedRoute() {
        return eventsOnUncachedRoute.sum();
    }

    private static int chars(LogSource source) {
        int n = source.product() == null ? 0 : source.product().length();
        for (String c : source.categories()) {
            n += c.length();
        }
        for (String s : source.services()) {
            n += s.length();
        }
        return n;
    }

    /**
     * What of {@code source} can change the rules it meets: {@link #applies} gives the same answer for the key as for
     * the source, for every rule of this index. Without a product every rule applies, so the rest is dropped; a
     * product no rule names becomes a name no rule uses; categories and services no rule names are dropped.
     */
    LogSource routingKey(LogSource source) {
        if (source.product() == null) {
            return LogSource.UNKNOWN;
        }
        String product = products.contains(source.product()) ? source.product() : unnamedProduct;
        return new LogSource(product, named(source.categories(), categories), named(source.services(), services));
    }

    private static Set<String> named(Set<String> values, Set<String> named) {
        if (named.containsAll(values)) {
            return values;
        }
        Set<String> kept = new HashSet<>(values);
        kept.retainAll(named);
        return kept;
    }

    /**
     * The route of every rule, each candidate checked against the event's own log source: the uncached fallback. It
     * shares the automata of the cached route of events without a product when there is one.
     */
    private Route allRulesChecked() {
        Route r = allRulesChecked;
        if (r == null) {
            synchronized (this) {
                r = allRulesChecked;
                if (r == null) {
                    Route all = byRoutingKey.get(LogSource.UNKNOWN);
                    r = all == null ? buildRoute(LogSource.UNKNOWN, true) : all.checkingLogSource();
                    allRulesChecked = r;
                }
            }
        }
        return r;
    }

    /** The routing keys with a cached route of their own (for tests). */
    int cachedRoutes() {
        return byRoutingKey.size();
    }

    /** The log sources remembered with their route (for tests). */
    int rememberedLogSources() {
        return byLogSource.size();
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

    private Route buildRoute(LogSource source, boolean checkLogSource) {
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
                keywords.literals().stream().anyMatch(l -> "true".contains(l) || "false".contains(l)),
                checkLogSource);
    }

    /** The bytes of a table of int rows: a reference per row and the rows' cells (null rows are empty). */
    static long intTableBytes(int[][] table) {
        long bytes = 4L * table.length;
        for (int[] row : table) {
            bytes += row == null ? 0 : 4L * row.length;
        }
        return bytes;
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
     * such values are not turned into text and scanned). {@code checkLogSource}: the route holds rules of other log
     * sources too, so each candidate must be checked with {@link #applies} against the event's log source.
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
            boolean keywordsInBooleans,
            boolean checkLogSource) {
        /** An estimate of the heap the route takes: its automata, scanner and pattern tables (object headers aside). */
        long footprintBytes() {
            long bytes = keywordAutomaton == null ? 0 : keywordAutomaton.footprintBytes();
            bytes += keywordScanner == null ? 0 : keywordScanner.footprintBytes();
            bytes += keywordPatternRules == null ? 0 : intTableBytes(keywordPatternRules);
            for (int f = 0; f < automata.length; f++) {
                bytes += automata[f].footprintBytes() + intTableBytes(patternRules[f]);
            }
            return bytes + 4L * always.length;
        }

        /** This route with each candidate checked against the event's log source. */
        Route checkingLogSource() {
            return new Route(
                    ruleCount,
                    always,
                    fieldSlots,
                    automata,
                    patternRules,
                    keywordAutomaton,
                    keywordScanner,
                    keywordPatternRules,
                    keywordsInIntegers,
                    keywordsInBooleans,
                    true);
        }
    }

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
