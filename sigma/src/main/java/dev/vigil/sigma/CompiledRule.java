package dev.vigil.sigma;

import java.util.List;

/**
 * A detection rule ready to run: its metadata, log source, compiled condition and the literals the candidate index
 * files it under: {@code triggerGroups} holds up to {@link RuleCompiler#MAX_TRIGGER_GROUPS} sets, each of which must
 * have one literal present for the rule to match ({@code null} when the rule has no necessary literal and must see
 * every event of its log source).
 */
record CompiledRule(
        int index,
        RuleRef ref,
        String product,
        String category,
        String service,
        Node matcher,
        List<List<Trigger>> triggerGroups) {

    /** A lower-cased literal that occurs in {@code field} (any field when null) whenever the rule matches. */
    record Trigger(String field, String literal) {}

    /** The best trigger set, or null. */
    List<Trigger> triggers() {
        return triggerGroups == null ? null : triggerGroups.get(0);
    }
}
