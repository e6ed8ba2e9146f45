package dev.vigil.intel;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import java.util.TreeSet;

/**
 * What an indicator is evidence of: ATT&CK technique ids ({@code T1059.001}), malware, campaigns and threat actors by
 * name. Sets are sorted, so equal references print and compare the same whatever the import order.
 */
public record IntelReferences(
        Set<String> attackTechniques, Set<String> malware, Set<String> campaigns, Set<String> threatActors) {
    public static final IntelReferences NONE = new IntelReferences(Set.of(), Set.of(), Set.of(), Set.of());

    public IntelReferences {
        attackTechniques = sorted(attackTechniques);
        malware = sorted(malware);
        campaigns = sorted(campaigns);
        threatActors = sorted(threatActors);
    }

    private static Set<String> sorted(Set<String> values) {
        requireNonNull(values, "values");
        return values.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSortedSet(new TreeSet<>(values));
    }

    public boolean isEmpty() {
        return attackTechniques.isEmpty() && malware.isEmpty() && campaigns.isEmpty() && threatActors.isEmpty();
    }

    /** The union of both. */
    public IntelReferences union(IntelReferences other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        return new IntelReferences(
                union(attackTechniques, other.attackTechniques),
                union(malware, other.malware),
                union(campaigns, other.campaigns),
                union(threatActors, other.threatActors));
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        if (b.isEmpty() || a.containsAll(b)) {
            return a;
        }
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
