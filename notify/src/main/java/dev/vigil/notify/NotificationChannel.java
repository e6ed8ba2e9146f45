package dev.vigil.notify;

/**
 * Somewhere notifications go: a webhook, a mailbox, a SIEM, a chat group.
 *
 * <p>{@link #deliver} makes exactly one attempt and reports how it went; retries, backoff, rate limits and dead
 * letters are the {@link NotificationDispatcher}'s, so every channel gets the same behaviour. It is called from the
 * channel's own worker threads and may block for up to its configured timeouts; implementations are thread-safe.
 */
public interface NotificationChannel extends AutoCloseable {
    /** The name routes refer to, unique among the configured channels. */
    String name();

    /** One attempt to deliver {@code notification}, rendered in {@code locale} and {@code zone}. */
    DeliveryOutcome deliver(Notification notification, RenderOptions options);

    /** Releases connections; the default holds none. */
    @Override
    default void close() {}
}
