package dev.vigil.server;

import dev.vigil.core.Event;
import dev.vigil.store.EncodedEvent;
import dev.vigil.store.EventJson;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * What one write-ahead log record holds: the time Vigil received the event (8 bytes, epoch milliseconds) followed by
 * the event in {@link EventJson}. Events are logged after parsing, so the reply to a sender can name the lines it
 * rejected, and a replay never parses again.
 */
final class WalPayload {
    /** Thread-safe and immutable; shared by the inputs (encoding) and the pipeline (decoding). */
    private static final EventJson JSON = new EventJson();

    private WalPayload() {}

    /** A record's event, with the JSON it was read from ({@link EncodedEvent}: the store copies it). */
    record Decoded(Instant received, Event event, EncodedEvent encoded) {}

    /**
     * A record, and what decoding it gives when that is the event itself ({@link EventJson#encode}): the pipeline can
     * then take it without decoding ({@link EventHandoff}).
     *
     * @param decoded null when decoding the record gives another event (a number of another type, say)
     */
    record Logged(byte[] record, Decoded decoded) {}

    static Logged encode(Instant received, Event event) {
        EventJson.Encoded encoded = JSON.encode(event, 8);
        byte[] out = encoded.bytes();
        long millis = received.toEpochMilli();
        ByteBuffer.wrap(out).putLong(millis);
        // The record keeps milliseconds, so the event handed over does too.
        Decoded decoded =
                encoded.encoded() == null ? null : new Decoded(Instant.ofEpochMilli(millis), event, encoded.encoded());
        return new Logged(out, decoded);
    }

    /** When the event of a record was received, in epoch milliseconds; {@link Long#MIN_VALUE} for a damaged record. */
    static long receivedMillis(byte[] payload) {
        return payload.length < 9 ? Long.MIN_VALUE : ByteBuffer.wrap(payload).getLong();
    }

    static Decoded decode(byte[] payload) {
        if (payload.length < 9) {
            throw new IllegalArgumentException("record of " + payload.length + " bytes is too short");
        }
        long millis = ByteBuffer.wrap(payload).getLong();
        EventJson.Decoded decoded = JSON.decode(payload, 8, payload.length - 8);
        return new Decoded(Instant.ofEpochMilli(millis), decoded.event(), decoded.encoded());
    }
}
