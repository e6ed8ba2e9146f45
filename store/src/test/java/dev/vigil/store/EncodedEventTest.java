package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EncodedEventTest {
    private final EventJson codec = new EventJson();
    private static final Instant RECEIVED = Instant.parse("2026-11-27T05:00:00.123456Z");

    /** The event's JSON behind a header of {@code header} bytes, as a log record holds it. */
    private byte[] record(Event event, int header) {
        byte[] json = codec.toBytes(event);
        byte[] out = new byte[header + json.length];
        for (int i = 0; i < header; i++) {
            out[i] = (byte) ('{' + i); // bytes a span that slipped would show
        }
        System.arraycopy(json, 0, out, header, json.length);
        return out;
    }

    @Test
    void theSpansHoldExactlyTheJsonOfTheFieldsAndTheOriginal() {
        long seed = 20261127L;
        Random random = new Random(seed);
        for (int i = 0; i < 3_000; i++) {
            Event event = RandomEvents.event(random, TenantId.of("t" + random.nextInt(3)));
            int header = random.nextInt(3) * 8;
            byte[] record = record(event, header);
            EventJson.Decoded decoded = codec.decode(record, header, record.length - header);

            Event back = decoded.event();
            EncodedEvent encoded = decoded.encoded();
            assertThat(encoded).as("event %d of seed %d", i, seed).isNotNull();
            assertThat(fieldsJson(encoded))
                    .as("fields of event %d of seed %d", i, seed)
                    .isEqualTo(codec.valueToJson(back.fields()));
            if (back.original() != null) {
                assertThat(originalJson(encoded))
                        .as("original of event %d of seed %d", i, seed)
                        .isEqualTo(codec.valueToJson(back.original()));
            }
            assertThat(encoded.encodes(back)).isTrue();
        }
    }

    @Test
    void onlyTheEventDecodedWithTheBytesIsEncodedByThem() {
        Event event = Event.builder()
                .tenant(TenantId.of("acme"))
                .field("CommandLine", "cmd.exe /c whoami")
                .original("raw line")
                .build();
        byte[] record = record(event, 8);
        EventJson.Decoded decoded = codec.decode(record, 8, record.length - 8);
        Event back = decoded.event();

        assertThat(decoded.encoded().encodes(back.withSource(new SourceRef("ingest", 42))))
                .as("a new source shares fields and original")
                .isTrue();
        Event rebuilt = Event.builder()
                .tenant(back.tenant())
                .fields(new LinkedHashMap<>(back.fields()))
                .original(back.original())
                .build();
        assertThat(decoded.encoded().encodes(rebuilt))
                .as("equal fields, but not the ones decoded")
                .isFalse();
        assertThat(decoded.encoded().encodes(event))
                .as("the event that was encoded, not decoded")
                .isFalse();
    }

    /** A batch file row's JSON is the same byte for byte whether it copies the record's spans or encodes again. */
    @Test
    void aRowsJsonIsTheSameWithTheRecordsBytesOrWithout() throws IOException {
        long seed = 5_27L;
        Random random = new Random(seed);
        for (int i = 0; i < 2_000; i++) {
            Event event = RandomEvents.event(random, TenantId.of("t"));
            byte[] record = record(event, 8);
            EventJson.Decoded decoded = codec.decode(record, 8, record.length - 8);
            Event back = decoded.event().withSource(new SourceRef("ingest", i + 1));

            EventRow.RowEncoder copied = new EventRow.RowEncoder(codec);
            EventRow.RowEncoder encodedAgain = new EventRow.RowEncoder(codec);
            copied.encodeJson(new StoredEvent(i + 1, RECEIVED, back, decoded.encoded()));
            encodedAgain.encodeJson(new StoredEvent(i + 1, RECEIVED, back));
            assertThat(copied.fieldsText())
                    .as("fields of event %d of seed %d", i, seed)
                    .isEqualTo(encodedAgain.fieldsText());
            assertThat(copied.originalText())
                    .as("original of event %d of seed %d", i, seed)
                    .isEqualTo(encodedAgain.originalText());
        }
    }

    @Test
    void anEventWithoutOriginalHasNoOriginalSpan() {
        Event event = Event.builder().tenant(TenantId.of("acme")).field("a", 1L).build();
        EventJson.Decoded decoded = codec.decode(record(event, 0), 0, record(event, 0).length);
        assertThat(decoded.event().original()).isNull();
        assertThat(decoded.encoded().encodes(decoded.event())).isTrue();
        assertThat(fieldsJson(decoded.encoded())).isEqualTo("{\"a\":1}");
    }

    private static String fieldsJson(EncodedEvent encoded) {
        return span(encoded, encoded.fieldsFrom(), encoded.fieldsTo());
    }

    private static String originalJson(EncodedEvent encoded) {
        return span(encoded, encoded.originalFrom(), encoded.originalTo());
    }

    private static String span(EncodedEvent encoded, int from, int to) {
        return new String(encoded.bytes(), from, to - from, StandardCharsets.UTF_8);
    }
}
