package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;

/**
 * The JSON an event was read from ({@link EventJson#decode}), with where its fields and its original lie in it, so the
 * store can copy those two values into its batch files instead of encoding them again: they are the same bytes
 * {@link EventJson} would write, and encoding them was a third of the pipeline thread's time.
 *
 * <p>The server also makes one as it encodes an event for its log ({@link EventJson#encode}), when decoding the bytes
 * would give back that very event, so its pipeline need not decode them.
 *
 * <p>The copy is used only for the event decoded with it: {@link #encodes} compares the event's fields and original by
 * identity with those decoded (an event re-made with other fields, e.g. enriched, is encoded as usual), and {@link
 * Event#withSource} and its kind share them. Immutable as long as nobody writes into the array, which is the log
 * record's own.
 */
public final class EncodedEvent {
    private final byte[] json;
    private final int fieldsFrom;
    private final int fieldsTo;
    private final int originalFrom;
    private final int originalTo;
    private final Object fields;
    private final Object original;
    private final boolean storable;

    /**
     * @param originalFrom -1 (and {@code originalTo} -1) exactly when the event has no original
     * @param storable whether the bytes are known to be text the store keeps as it is ({@link
     *     EventJson#isStorableText}), as {@link EventJsonWriter}'s always are; false when they must be checked
     */
    EncodedEvent(
            byte[] json,
            int fieldsFrom,
            int fieldsTo,
            int originalFrom,
            int originalTo,
            Event decoded,
            boolean storable) {
        this.json = requireNonNull(json, "json");
        if (fieldsFrom < 0 || fieldsTo <= fieldsFrom || fieldsTo > json.length) {
            throw new IllegalArgumentException("fields at " + fieldsFrom + ".." + fieldsTo + " of " + json.length);
        }
        if (originalFrom == -1
                ? originalTo != -1
                : originalFrom < 0 || originalTo <= originalFrom || originalTo > json.length) {
            throw new IllegalArgumentException(
                    "original at " + originalFrom + ".." + originalTo + " of " + json.length);
        }
        if ((decoded.original() == null) != (originalFrom == -1)) {
            throw new IllegalArgumentException("an original span exactly when the event has an original");
        }
        this.fieldsFrom = fieldsFrom;
        this.fieldsTo = fieldsTo;
        this.originalFrom = originalFrom;
        this.originalTo = originalTo;
        this.fields = decoded.fields();
        this.original = decoded.original();
        this.storable = storable;
    }

    /** Whether the spans are known to be storable text, so the store need not check them. */
    boolean storable() {
        return storable;
    }

    /** Whether {@code event} has the very fields and original these bytes were decoded into. */
    boolean encodes(Event event) {
        return event.fields() == fields && event.original() == original;
    }

    /** The log record's bytes, which hold the spans below; never to be written into. */
    byte[] bytes() {
        return json;
    }

    /** Where the fields' JSON starts in {@link #bytes}. */
    int fieldsFrom() {
        return fieldsFrom;
    }

    /** Where the fields' JSON ends (exclusive). */
    int fieldsTo() {
        return fieldsTo;
    }

    /** Where the original's JSON starts, or -1 when the event has no original. */
    int originalFrom() {
        return originalFrom;
    }

    /** Where the original's JSON ends (exclusive), or -1. */
    int originalTo() {
        return originalTo;
    }
}
