package dev.vigil.sigma;

/** A rule that cannot be loaded; the message says why in terms of the rule (field, modifier, condition). */
public final class SigmaException extends Exception {
    private static final long serialVersionUID = 1L;

    public SigmaException(String message) {
        super(message);
    }

    public SigmaException(String message, Throwable cause) {
        super(message, cause);
    }
}
