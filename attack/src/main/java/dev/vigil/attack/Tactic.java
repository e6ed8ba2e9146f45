package dev.vigil.attack;

import static java.util.Objects.requireNonNull;

/**
 * An ATT&CK tactic: the adversary's goal (Execution, Persistence …).
 *
 * @param stixId the STIX id ({@code x-mitre-tactic--…})
 * @param attackId the ATT&CK id, e.g. {@code TA0002}
 * @param name the display name, e.g. {@code Execution}
 * @param shortname the kill-chain phase name techniques refer to, e.g. {@code execution}; also the Navigator's tactic key
 * @param order the tactic's 0-based position in the matrix (Reconnaissance first, Impact last)
 * @param url the tactic's page on the ATT&CK site, or an empty string
 */
public record Tactic(String stixId, String attackId, String name, String shortname, int order, String url) {
    public Tactic {
        requireNonNull(stixId, "stixId");
        requireNonNull(attackId, "attackId");
        requireNonNull(name, "name");
        requireNonNull(shortname, "shortname");
        requireNonNull(url, "url");
    }
}
