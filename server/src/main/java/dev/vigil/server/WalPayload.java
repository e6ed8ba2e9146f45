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

    static byte[] encode(Instant received, Event event) {
        byte[] out = JSON.toBytes(event, 8);
        ByteBuffer.wrap(out).putLong(received.toEpochMilli());
        return out;
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
