package dev.vigil.notify;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Where undeliverable notifications wait for an operator. Implementations are thread-safe and bounded. */
public interface DeadLetterStore {
    /**
     * Stores {@code letter}. A full store evicts its oldest letter to make room and returns it, so the caller can count
     * it as lost.
     */
    Optional<DeadLetter> add(DeadLetter letter) throws IOException;

    /** The stored letters, oldest first. */
    List<DeadLetter> list();

    /** Removes and returns the letters with these ids (those that exist), in store order, e.g. to re-drive them. */
    List<DeadLetter> remove(Collection<String> ids) throws IOException;
}
