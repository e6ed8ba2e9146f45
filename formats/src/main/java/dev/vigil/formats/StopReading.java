package dev.vigil.formats;

/**
 * Thrown by an event sink to end the read of the current input at once, for instance because the output the events
 * go to has gone (a closed pipe). Every reader lets it through to its caller, although it reports a parser's other
 * exceptions as bad input and reads on; the caller decides what happens to the inputs not yet read.
 */
public final class StopReading extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StopReading(String reason) {
        // No stack trace: this is control flow, thrown once per run.
        super(reason, null, false, false);
    }
}
