package dev.vigil.sigma;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a detection reports about the rule behind it: identity and the metadata analysts sort by. {@code name} is the
 * rule's optional {@code name:} (correlations refer to rules by it or by id); {@code status} its optional {@code
 * status:} (stable, test, experimental, deprecated, unsupported), which says how far an alert is to be trusted.
 */
public record RuleRef(
        String id, String name, String title, String level, List<String> tags, String file, String status) {
    public RuleRef {
        requireNonNull(title, "title");
        tags = tags == null ? List.of() : List.copyOf(tags);
        level = level == null ? "medium" : level;
        id = id == null ? "" : id;
        file = file == null ? "" : file;
    }

    /** A rule reference without a status. */
    public RuleRef(String id, String name, String title, String level, List<String> tags, String file) {
        this(id, name, title, level, tags, file, null);
    }

    /** Whether a correlation's {@code rules:} entry names this rule (by id or by name). */
    public boolean isNamed(String reference) {
        return reference.equals(id) || reference.equals(name);
    }
}
