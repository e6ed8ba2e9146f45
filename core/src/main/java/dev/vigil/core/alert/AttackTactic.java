package dev.vigil.core.alert;

import java.util.Locale;
import java.util.Optional;

/**
 * The fourteen tactics of the MITRE ATT&amp;CK Enterprise matrix, declared in kill-chain order (reconnaissance first,
 * impact last) so that {@link #compareTo} says how far along an attack got. Only identifiers and short names live here;
 * resolving names, descriptions and techniques belongs to the ATT&amp;CK knowledge module.
 */
public enum AttackTactic {
    RECONNAISSANCE("TA0043", "reconnaissance"),
    RESOURCE_DEVELOPMENT("TA0042", "resource-development"),
    INITIAL_ACCESS("TA0001", "initial-access"),
    EXECUTION("TA0002", "execution"),
    PERSISTENCE("TA0003", "persistence"),
    PRIVILEGE_ESCALATION("TA0004", "privilege-escalation"),
    DEFENSE_EVASION("TA0005", "defense-evasion"),
    CREDENTIAL_ACCESS("TA0006", "credential-access"),
    DISCOVERY("TA0007", "discovery"),
    LATERAL_MOVEMENT("TA0008", "lateral-movement"),
    COLLECTION("TA0009", "collection"),
    COMMAND_AND_CONTROL("TA0011", "command-and-control"),
    EXFILTRATION("TA0010", "exfiltration"),
    IMPACT("TA0040", "impact");

    private final String id;
    private final String shortName;

    AttackTactic(String id, String shortName) {
        this.id = id;
        this.shortName = shortName;
    }

    /** The ATT&amp;CK identifier, e.g. {@code TA0002}. */
    public String id() {
        return id;
    }

    /** The ATT&amp;CK short name, e.g. {@code credential-access}. */
    public String shortName() {
        return shortName;
    }

    /**
     * The tactic named by an identifier ({@code TA0006}, any case) or a short name with hyphens or underscores as Sigma
     * tags write it ({@code credential_access}, {@code credential-access}).
     */
    public static Optional<AttackTactic> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (AttackTactic tactic : values()) {
            if (tactic.shortName.equals(t) || tactic.id.toLowerCase(Locale.ROOT).equals(t)) {
                return Optional.of(tactic);
            }
        }
        return Optional.empty();
    }
}
