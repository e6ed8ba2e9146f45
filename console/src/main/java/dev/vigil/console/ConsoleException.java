package dev.vigil.console;

/** Ends a console request with an HTTP status and a message shown to the user (never attacker-chosen markup). */
public final class ConsoleException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ConsoleException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
