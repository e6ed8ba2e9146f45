package dev.vigil.sigma;

import java.util.List;

/**
 * A detection rule ready to run: its metadata, log source, compiled condition and the literals the candidate index
 * files it under ({@code null} when the rule has no necessary literal and must see every event of its log source).
 */
record CompiledRule(
        int index, RuleRef ref, String product, String category, String service, Node matcher, List<Trigger> triggers) {

    /** A lower-cased literal that occurs in {@code field} (any field when null) whenever the rule matches. */
    record Trigger(String field, String literal) {}
}
