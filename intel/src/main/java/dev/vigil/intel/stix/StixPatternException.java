package dev.vigil.intel.stix;

/** A STIX pattern that does not parse; the message names the position and what was expected. */
public final class StixPatternException extends Exception {
    private static final long serialVersionUID = 1L;

    public StixPatternException(String message) {
        super(message);
    }
}
