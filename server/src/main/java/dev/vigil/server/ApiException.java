package dev.vigil.server;

/** An API error with its HTTP status and a message safe to show to the caller. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient String retryAfterSeconds;

    ApiException(int status, String message) {
        this(status, message, null);
    }

    ApiException(int status, String message, String retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int status() {
        return status;
    }

    String retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
