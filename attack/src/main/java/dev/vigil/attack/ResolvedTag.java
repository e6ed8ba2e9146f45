package dev.vigil.attack;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A Sigma tag resolved to the ATT&CK object it names.
 *
 * @param tag the tag as written, e.g. {@code attack.t1059.001}
 * @param kind what it names
 * @param attackId the ATT&CK id of the object, e.g. {@code T1059.001}
 * @param name the object's name (for a sub-technique, parent and own name: {@code Command and Scripting Interpreter:
 *     PowerShell})
 * @param tactics for a tactic itself, for a technique its kill-chain tactics in matrix order; empty otherwise
 * @param url the object's page on the ATT&CK site, or an empty string
 * @param revokedId when the tag named a revoked object, its id (the tag then resolves to the replacement); else empty
 */
public record ResolvedTag(
        String tag, Kind kind, String attackId, String name, List<Tactic> tactics, String url, String revokedId) {
    public ResolvedTag {
        requireNonNull(tag, "tag");
        requireNonNull(kind, "kind");
        requireNonNull(attackId, "attackId");
        requireNonNull(name, "name");
        tactics = List.copyOf(tactics);
        requireNonNull(url, "url");
        requireNonNull(revokedId, "revokedId");
    }

    /** What a tag can name. */
    public enum Kind {
        TACTIC,
        TECHNIQUE,
        SUBTECHNIQUE,
        GROUP,
        SOFTWARE,
        MITIGATION,
        CAMPAIGN,
        DATA_SOURCE,
        DATA_COMPONENT,
        DETECTION_STRATEGY
    }
}
