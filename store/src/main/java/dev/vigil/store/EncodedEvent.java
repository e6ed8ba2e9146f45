package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.SerializableString;
import dev.vigil.core.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The JSON an event was read from ({@link EventJson#decode}), with where its fields and its original lie in it, so the
 * store can copy those two values into its staging rows instead of encoding them again: they are the same bytes
 * {@link EventJson} would write, and encoding them was a third of the pipeline thread's time.
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

    /**
     * @param originalFrom -1 (and {@code originalTo} -1) exactly when the event has no original
     */
    EncodedEvent(byte[] json, int fieldsFrom, int fieldsTo, int originalFrom, int originalTo, Event decoded) {
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
    }

    /** Whether {@code event} has the very fields and original these bytes were decoded into. */
    boolean encodes(Event event) {
        return event.fields() == fields && event.original() == original;
    }

    /** The fields' JSON, for {@link com.fasterxml.jackson.core.JsonGenerator#writeRawValue}. */
    RawJson fieldsJson() {
        return new RawJson(json, fieldsFrom, fieldsTo);
    }

    /** The original's JSON; only when the event has an original. */
    RawJson originalJson() {
        if (originalFrom < 0) {
            throw new IllegalStateException("the event has no original");
        }
        return new RawJson(json, originalFrom, originalTo);
    }

    /**
     * A span of JSON bytes as a {@link SerializableString}, the type through which a
     * generator writes pre-encoded content raw. Only the unquoted forms are meaningful: quoting would turn the JSON
     * into a string.
     */
    static final class RawJson implements SerializableString {
        private final byte[] json;
        private final int from;
        private final int to;

        RawJson(byte[] json, int from, int to) {
            this.json = json;
            this.from = from;
            this.to = to;
        }

        /** The text form, for generators that write characters; the store's writes bytes. */
        @Override
        public String getValue() {
            return new String(json, from, to - from, StandardCharsets.UTF_8);
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return java.util.Arrays.copyOfRange(json, from, to);
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            int length = to - from;
            if (offset + length > buffer.length) {
                return -1;
            }
            System.arraycopy(json, from, buffer, offset, length);
            return length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            String text = getValue();
            if (offset + text.length() > buffer.length) {
                return -1;
            }
            text.getChars(0, text.length(), buffer, offset);
            return text.length();
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(json, from, to - from);
            return to - from;
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            int length = to - from;
            if (length > buffer.remaining()) {
                return -1;
            }
            buffer.put(json, from, length);
            return length;
        }

        @Override
        public char[] asQuotedChars() {
            throw quoted();
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw quoted();
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            throw quoted();
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            throw quoted();
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) {
            throw quoted();
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) {
            throw quoted();
        }

        @Override
        public String toString() {
            return getValue();
        }

        private static UnsupportedOperationException quoted() {
            return new UnsupportedOperationException("raw JSON is written as it is, never as a quoted string");
        }
    }
}
