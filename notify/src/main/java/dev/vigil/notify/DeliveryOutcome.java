package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** What one delivery attempt on a channel came to. The dispatcher decides from it whether to retry. */
public sealed interface DeliveryOutcome {
    /** The receiver accepted the message. */
    record Delivered() implements DeliveryOutcome {}

    /**
     * A failure that may pass: a network error, a timeout, HTTP 5xx or 429, a vendor's rate-limit code, SMTP 4xx.
     *
     * @param reason what happened, for logs and the dead-letter store
     * @param retryAfter how long the receiver asked us to wait, or {@code null}
     */
    record Retryable(String reason, Duration retryAfter) implements DeliveryOutcome {
        public Retryable {
            requireNonNull(reason, "reason");
        }
    }

    /** A failure that retrying cannot fix: HTTP 4xx, a refused signature or credentials, SMTP 5xx. */
    record Failed(String reason) implements DeliveryOutcome {
        public Failed {
            requireNonNull(reason, "reason");
        }
    }

    static DeliveryOutcome delivered() {
        return new Delivered();
    }

    static DeliveryOutcome retryable(String reason) {
        return new Retryable(reason, null);
    }

    static DeliveryOutcome failed(String reason) {
        return new Failed(reason);
    }
}
