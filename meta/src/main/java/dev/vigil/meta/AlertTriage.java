package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.Locale;

/** The latest triage decision on one alert: its status, the analyst's comment, who and when. */
public record AlertTriage(TenantId tenant, String alertId, Status status, String comment, String user, Instant at) {
    public AlertTriage {
        requireNonNull(tenant, "tenant");
        requireNonNull(alertId, "alertId");
        requireNonNull(status, "status");
        requireNonNull(comment, "comment");
        requireNonNull(user, "user");
        requireNonNull(at, "at");
    }

    /** Where an alert stands. Alerts without a triage row are {@code NEW}. */
    public enum Status {
        NEW,
        ACKNOWLEDGED,
        FALSE_POSITIVE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Status parse(String text) {
            for (Status s : values()) {
                if (s.wireName().equals(text) || s.name().equals(text)) {
                    return s;
                }
            }
            throw new IllegalArgumentException(
                    "unknown triage status '" + text + "': use new, acknowledged or false-positive");
        }
    }
}
