package dev.vigil.attack;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The ATT&CK tags of one rule or alert, resolved. Tags outside the {@code attack.} namespace are not part of it.
 *
 * @param resolved the tags that name an active ATT&CK object, in the order given
 * @param unresolved the {@code attack.} tags that name nothing active, each with the reason
 */
public record TagResolution(List<ResolvedTag> resolved, List<UnresolvedTag> unresolved) {
    public TagResolution {
        resolved = List.copyOf(resolved);
        unresolved = List.copyOf(unresolved);
    }

    /**
     * An {@code attack.} tag that names nothing active in the knowledge base.
     *
     * @param tag the tag as written
     * @param reason why, e.g. {@code no technique T9999 in ATT&CK 18.1}
     */
    public record UnresolvedTag(String tag, String reason) {
        public UnresolvedTag {
            requireNonNull(tag, "tag");
            requireNonNull(reason, "reason");
        }
    }
}
