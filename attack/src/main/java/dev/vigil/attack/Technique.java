package dev.vigil.attack;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An active ATT&CK technique or sub-technique.
 *
 * @param stixId the STIX id ({@code attack-pattern--…})
 * @param attackId the ATT&CK id, {@code T1059} or {@code T1059.001}
 * @param name the display name (for a sub-technique its own name, e.g. {@code PowerShell})
 * @param tactics the tactics of its kill-chain phases, in matrix order
 * @param platforms the platforms it applies to ({@code Windows}, {@code Linux} …)
 * @param subtechnique whether it is a sub-technique
 * @param parentId the ATT&CK id of the parent technique of a sub-technique, or an empty string
 * @param url its page on the ATT&CK site, or an empty string
 */
public record Technique(
        String stixId,
        String attackId,
        String name,
        List<Tactic> tactics,
        List<String> platforms,
        boolean subtechnique,
        String parentId,
        String url) {
    public Technique {
        requireNonNull(stixId, "stixId");
        requireNonNull(attackId, "attackId");
        requireNonNull(name, "name");
        tactics = List.copyOf(tactics);
        platforms = List.copyOf(platforms);
        requireNonNull(parentId, "parentId");
        requireNonNull(url, "url");
    }

    /** The name as analysts read it: {@code Command and Scripting Interpreter: PowerShell} for a sub-technique. */
    public String fullName(AttackKnowledgeBase kb) {
        if (!subtechnique) {
            return name;
        }
        return kb.technique(parentId).map(p -> p.name() + ": " + name).orElse(name);
    }
}
