package dev.vigil.attack;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which ATT&CK techniques a set of detection rules covers, and how many rules each.
 *
 * <p>Scoring rules, chosen to be predictable: a rule counts once for every technique or sub-technique its tags name
 * (a revoked id counts for its replacement). A rule tagged {@code attack.t1059.001} counts for {@code T1059.001} only,
 * not for its parent {@code T1059}: a parent is scored by the rules tagged with the parent itself (the Navigator can
 * show aggregate scores of sub-techniques if wanted). Under which tactic a rule counts: the technique's tactics that the
 * rule also names in tactic tags, or, when it names none of them, all of the technique's tactics.
 */
public final class Coverage {
    private final AttackKnowledgeBase kb;
    private final int ruleCount;
    private final List<TechniqueCoverage> techniques;
    private final Map<String, TechniqueCoverage> byId;
    private final List<TacticCoverage> tactics;
    private final List<UnresolvedRuleTag> unresolved;
    private final int rulesWithTechniques;

    private Coverage(
            AttackKnowledgeBase kb,
            int ruleCount,
            List<TechniqueCoverage> techniques,
            List<TacticCoverage> tactics,
            List<UnresolvedRuleTag> unresolved,
            int rulesWithTechniques) {
        this.kb = kb;
        this.ruleCount = ruleCount;
        this.techniques = List.copyOf(techniques);
        Map<String, TechniqueCoverage> m = new HashMap<>();
        techniques.forEach(t -> m.put(t.technique().attackId(), t));
        this.byId = Map.copyOf(m);
        this.tactics = List.copyOf(tactics);
        this.unresolved = List.copyOf(unresolved);
        this.rulesWithTechniques = rulesWithTechniques;
    }

    /** Computes the coverage of {@code rules} against the knowledge base. */
    public static Coverage compute(AttackKnowledgeBase kb, List<RuleTags> rules) {
        requireNonNull(kb, "kb");
        requireNonNull(rules, "rules");
        Map<Technique, Map<Tactic, Set<RuleTags>>> cells = new HashMap<>();
        Map<Technique, Set<RuleTags>> perTechnique = new HashMap<>();
        Map<Tactic, Set<RuleTags>> perTactic = new HashMap<>();
        List<UnresolvedRuleTag> unresolved = new ArrayList<>();
        int withTechniques = 0;
        for (RuleTags rule : rules) {
            TagResolution r = kb.resolveAll(rule.tags());
            r.unresolved().forEach(u -> unresolved.add(new UnresolvedRuleTag(rule, u.tag(), u.reason())));
            Set<Tactic> named = new LinkedHashSet<>();
            List<Technique> ts = new ArrayList<>();
            for (ResolvedTag t : r.resolved()) {
                switch (t.kind()) {
                    case TACTIC -> named.addAll(t.tactics());
                    case TECHNIQUE, SUBTECHNIQUE -> kb.technique(t.attackId()).ifPresent(ts::add);
                    default -> {}
                }
            }
            named.forEach(t ->
                    perTactic.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(rule));
            if (!ts.isEmpty()) {
                withTechniques++;
            }
            for (Technique t : ts) {
                perTechnique.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(rule);
                List<Tactic> under =
                        t.tactics().stream().filter(named::contains).toList();
                for (Tactic tactic : under.isEmpty() ? t.tactics() : under) {
                    cells.computeIfAbsent(t, k -> new HashMap<>())
                            .computeIfAbsent(tactic, k -> new LinkedHashSet<>())
                            .add(rule);
                    perTactic
                            .computeIfAbsent(tactic, k -> new LinkedHashSet<>())
                            .add(rule);
                }
            }
        }
        List<TechniqueCoverage> covered = new ArrayList<>();
        for (Technique t : kb.techniques()) {
            Set<RuleTags> rs = perTechnique.get(t);
            if (rs == null) {
                continue;
            }
            Map<Tactic, List<RuleTags>> byTactic = new LinkedHashMap<>();
            cells.getOrDefault(t, Map.of()).entrySet().stream()
                    .sorted(Comparator.comparingInt(e -> e.getKey().order()))
                    .forEach(e -> byTactic.put(e.getKey(), List.copyOf(e.getValue())));
            covered.add(new TechniqueCoverage(t, List.copyOf(rs), byTactic));
        }
        List<TacticCoverage> tacticCoverage = new ArrayList<>();
        for (Tactic tactic : kb.tactics()) {
            int total = 0;
            int hit = 0;
            for (Technique t : kb.techniques()) {
                if (t.tactics().contains(tactic)) {
                    total++;
                    if (cells.getOrDefault(t, Map.of()).containsKey(tactic)) {
                        hit++;
                    }
                }
            }
            tacticCoverage.add(new TacticCoverage(
                    tactic, hit, total, perTactic.getOrDefault(tactic, Set.of()).size()));
        }
        return new Coverage(kb, rules.size(), covered, tacticCoverage, unresolved, withTechniques);
    }

    /** The knowledge base the coverage was computed against. */
    public AttackKnowledgeBase knowledgeBase() {
        return kb;
    }

    /** The number of rules given. */
    public int ruleCount() {
        return ruleCount;
    }

    /** The number of rules with at least one tag naming an active technique or sub-technique. */
    public int rulesWithTechniques() {
        return rulesWithTechniques;
    }

    /** The covered techniques and sub-techniques, ordered by ATT&CK id. */
    public List<TechniqueCoverage> techniques() {
        return techniques;
    }

    /** The coverage of one technique, if any rule covers it. */
    public Optional<TechniqueCoverage> technique(String attackId) {
        return Optional.ofNullable(byId.get(attackId.toUpperCase(java.util.Locale.ROOT)));
    }

    /** The number of active techniques and sub-techniques covered by at least one rule. */
    public int techniquesCovered() {
        return techniques.size();
    }

    /** The number of active techniques and sub-techniques in the knowledge base. */
    public int techniquesTotal() {
        return kb.techniques().size();
    }

    /** Every tactic, in matrix order, with its coverage. */
    public List<TacticCoverage> tactics() {
        return tactics;
    }

    /** The {@code attack.} tags of the rules that name nothing active, with their rules. */
    public List<UnresolvedRuleTag> unresolved() {
        return unresolved;
    }

    /**
     * An {@code attack.} tag of a rule that resolves to nothing.
     *
     * @param rule the rule
     * @param tag the tag
     * @param reason why it does not resolve
     */
    public record UnresolvedRuleTag(RuleTags rule, String tag, String reason) {
        public UnresolvedRuleTag {
            requireNonNull(rule, "rule");
            requireNonNull(tag, "tag");
            requireNonNull(reason, "reason");
        }
    }
}
