package dev.vigil.attack;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What coverage needs to know about one detection rule: its identity, title, tags and level. The command line builds
 * these from a Sigma rule set; anything with tags in Sigma's {@code attack.*} convention will do.
 *
 * @param ruleId the rule's id (may be empty)
 * @param title the rule's title
 * @param tags the rule's tags, e.g. {@code attack.execution}, {@code attack.t1059.001}
 * @param level the rule's level ({@code informational} … {@code critical})
 */
public record RuleTags(String ruleId, String title, List<String> tags, String level) {
    public RuleTags {
        requireNonNull(ruleId, "ruleId");
        requireNonNull(title, "title");
        tags = List.copyOf(tags);
        requireNonNull(level, "level");
    }
}
