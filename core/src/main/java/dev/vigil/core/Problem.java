package dev.vigil.core;

import static java.util.Objects.requireNonNull;

/**
 * Something in the input that Vigil could not use: a corrupt record, an invalid line, a rule that does not compile.
 * It names where (a file or input, and a line or record number when there is one) and what, so a user can find it.
 *
 * @param source the file or input name
 * @param location the 1-based line or record number, or 0 when the problem concerns the whole source
 * @param message what is wrong, readable by a person
 */
public record Problem(String source, long location, String message) {
    public Problem {
        requireNonNull(source, "source");
        requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return location > 0 ? source + ":" + location + ": " + message : source + ": " + message;
    }
}
