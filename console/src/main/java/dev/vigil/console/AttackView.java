package dev.vigil.console;

import dev.vigil.attack.AttackKnowledgeBase;

/** The ATT&amp;CK knowledge base the server loaded ({@code attack.bundle}), for the coverage page and heat maps. */
@FunctionalInterface
public interface AttackView {
    /** The knowledge base, or {@code null} when no bundle is configured (pages then show technique ids only). */
    AttackKnowledgeBase knowledgeBase();

    /** A server without an ATT&amp;CK bundle. */
    static AttackView none() {
        return () -> null;
    }
}
