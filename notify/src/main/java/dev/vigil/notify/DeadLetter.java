package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A notification a channel could not deliver, kept for an operator to inspect and re-drive.
 *
 * @param id unique in its store
 * @param channel the channel that failed
 * @param options the language and zone the route asked for, reused on re-drive
 * @param notification what was to be sent
 * @param reason the last failure
 * @param attempts how many attempts were made (0 when the channel's queue was full)
 * @param failedAt when it was given up
 */
public record DeadLetter(
        String id,
        String channel,
        RenderOptions options,
        Notification notification,
        String reason,
        int attempts,
        Instant failedAt) {
    public DeadLetter {
        requireNonNull(id, "id");
        requireNonNull(channel, "channel");
        requireNonNull(options, "options");
        requireNonNull(notification, "notification");
        requireNonNull(reason, "reason");
        requireNonNull(failedAt, "failedAt");
    }
}
