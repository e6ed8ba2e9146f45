package dev.vigil.incidents;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** An analyst's note on a case; {@code text} is stored as written and must be escaped wherever it is shown. */
public record CaseComment(int number, String author, Instant at, String text) {
    public CaseComment {
        requireNonNull(author, "author");
        requireNonNull(at, "at");
        requireNonNull(text, "text");
    }
}
