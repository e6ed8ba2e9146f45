package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A stored console session. {@code idSha256} is the hex SHA-256 of the random id held in the browser's cookie: a copy
 * of the database does not let anyone take over sessions.
 */
public record ConsoleSession(
        String idSha256, String userName, String csrfToken, Instant created, Instant lastSeen, String client) {
    public ConsoleSession {
        requireNonNull(idSha256, "idSha256");
        requireNonNull(userName, "userName");
        requireNonNull(csrfToken, "csrfToken");
        requireNonNull(created, "created");
        requireNonNull(lastSeen, "lastSeen");
        requireNonNull(client, "client");
    }
}
