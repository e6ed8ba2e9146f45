package dev.vigil.incidents;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where an analyst's work on an incident stands. The allowed moves: new → in progress → resolved (true positive, false
 * positive or benign), and a resolved case reopens to in progress.
 */
public enum CaseStatus {
    NEW,
    IN_PROGRESS,
    RESOLVED_TRUE_POSITIVE,
    RESOLVED_FALSE_POSITIVE,
    RESOLVED_BENIGN;

    public boolean isResolved() {
        return this == RESOLVED_TRUE_POSITIVE || this == RESOLVED_FALSE_POSITIVE || this == RESOLVED_BENIGN;
    }

    /** The statuses a case in this one may move to. */
    public Set<CaseStatus> next() {
        return switch (this) {
            case NEW -> EnumSet.of(IN_PROGRESS);
            case IN_PROGRESS -> EnumSet.of(RESOLVED_TRUE_POSITIVE, RESOLVED_FALSE_POSITIVE, RESOLVED_BENIGN);
            case RESOLVED_TRUE_POSITIVE, RESOLVED_FALSE_POSITIVE, RESOLVED_BENIGN -> EnumSet.of(IN_PROGRESS);
        };
    }

    /** The lower-case name used in the API and the database ({@code in_progress}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status of a wire name, any case. */
    public static CaseStatus parse(String text) {
        for (CaseStatus s : values()) {
            if (s.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown case status '" + text
                + "': use new, in_progress, resolved_true_positive, resolved_false_positive or resolved_benign");
    }
}
