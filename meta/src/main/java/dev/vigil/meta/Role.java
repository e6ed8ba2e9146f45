package dev.vigil.meta;

import java.util.Locale;

/** What an API token may do within its tenant. */
public enum Role {
    /** Send events, nothing else (the role of log shippers). */
    INGEST,
    /** Search events and read alerts and settings. */
    READ,
    /** Everything within the tenant: ingest, read, change rule settings, manage tokens. */
    ADMIN;

    /** Whether a token of this role may do what {@code needed} is required for. */
    public boolean allows(Role needed) {
        return this == ADMIN || this == needed;
    }

    /** The lower-case name used in the command line and the API ({@code ingest}, {@code read}, {@code admin}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code ingest}, {@code read} or {@code admin} in any case, with a clear message otherwise. */
    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.name().equalsIgnoreCase(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "': use ingest, read or admin");
    }
}
