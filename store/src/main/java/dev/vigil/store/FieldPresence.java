package dev.vigil.store;

import java.util.Set;

/**
 * What {@link EventStore#fieldPresence} answers: how many events match, and the fields asked for that none of them
 * has (as far as the promoted columns can tell; see there).
 */
public record FieldPresence(long total, Set<String> absent) {
    public FieldPresence {
        absent = Set.copyOf(absent);
    }

    /** Whether some matching event may have {@code field}: false only when it is known to be absent. */
    public boolean mayHave(String field) {
        return !absent.contains(field);
    }
}
