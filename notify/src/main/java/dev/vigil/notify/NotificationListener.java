package dev.vigil.notify;

/**
 * Hears what happens to notifications, e.g. to count them in Micrometer. Called from the dispatcher's and the
 * channels' worker threads, so implementations are thread-safe and quick; all methods default to doing nothing.
 */
public interface NotificationListener {
    /** A channel accepted {@code n}. */
    default void sent(String channel, Notification n) {}

    /** An attempt failed; {@code willRetry} says whether another follows after {@code delayMillis}. */
    default void failed(String channel, Notification n, String reason, boolean willRetry) {}

    /** Another attempt is scheduled (the {@code attempt}th, 2-based) after {@code delayMillis}. */
    default void retried(String channel, Notification n, int attempt, long delayMillis) {}

    /** {@code n} went to the dead-letter store after its last attempt failed, or because the channel's queue was full. */
    default void deadLettered(String channel, Notification n, String reason) {}

    /** {@code n} was over the channel's rate limit and is counted in its next summary. */
    default void rateLimited(String channel, Notification n) {}

    /** A notification could not be stored as a dead letter (the store failed or is full). */
    default void lost(String channel, Notification n, String reason) {}

    NotificationListener NONE = new NotificationListener() {};
}
