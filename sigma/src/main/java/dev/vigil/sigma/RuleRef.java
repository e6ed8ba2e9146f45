package dev.vigil.sigma;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a detection reports about the rule behind it: identity and the metadata analysts sort by. {@code name} is the
 * rule's optional {@code name:} (correlations refer to rules by it or by id).
 */
public record RuleRef(String id, String name, String title, String level, List<String> tags, String file) {
    public RuleRef {
        requireNonNull(title, "title");
        tags = tags == null ? List.of() : List.copyOf(tags);
        level = level == null ? "medium" : level;
        id = id == null ? "" : id;
        file = file == null ? "" : file;
    }

    /** Whether a correlation's {@code rules:} entry names this rule (by id or by name). */
    public boolean isNamed(String reference) {
        return reference.equals(id) || reference.equals(name);
    }
}
