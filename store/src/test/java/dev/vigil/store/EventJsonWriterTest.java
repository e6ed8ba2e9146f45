package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link EventJsonWriter} against its reference, Jackson's generator as {@link EventJson} drives it: the same bytes
 * for every event it writes, over seeded random events whose strings draw on every kind of character the two could
 * treat differently, and a fall-back (null) for the rest.
 */
class EventJsonWriterTest {
    private final EventJson codec = new EventJson();

    /** Characters where an escaping or UTF-8 rule could differ: controls, quotes, every UTF-8 length, surrogates. */
    private static final char[] POOL = {
        'a', 'Z', '0', ' ', '/', '"', '\\', '\u0000', '\u0001', '\b', '\t', '\n', '\u000b', '\f', '\r', '\u001f',
        '\u007f', '\u0080', '\u00e9', '\u00ff', '\u07ff', '\u0800', '\u2028', '\u4e2d', '\ufeff', '\uffff', '\ud83d',
        '\ude00'
    };

    @Test
    void writesTheGeneratorsBytesOrLeavesTheEventToIt() {
        Random random = new Random(20261127L);
        int written = 0;
        int leftToJackson = 0;
        int identical = 0;
        for (int i = 0; i < 20_000; i++) {
            Event event = i % 2 == 0 ? RandomEvents.event(random, TenantId.of("t" + random.nextInt(3))) : event(random);
            if (random.nextInt(4) == 0) {
                event = withDerivedFields(event, random);
            }
            byte[] reference = codec.generate(event);
            EventJsonWriter.Written written0 = EventJsonWriter.write(event, 0);
            byte[] fast = written0 == null ? null : written0.bytes();
            if (fast == null) {
                leftToJackson++;
            } else {
                written++;
                assertThat(new String(fast, java.nio.charset.StandardCharsets.UTF_8))
                        .as("event %d", i)
                        .isEqualTo(new String(reference, java.nio.charset.StandardCharsets.UTF_8));
                assertThat(fast).as("event %d", i).isEqualTo(reference);
            }
            // Whichever path wrote it, the codec gives the reference bytes, behind the room asked for.
            byte[] withHeader = codec.toBytes(event, 8);
            assertThat(Arrays.copyOfRange(withHeader, 0, 8)).containsOnly(0);
            assertThat(Arrays.copyOfRange(withHeader, 8, withHeader.length)).isEqualTo(reference);
            assertThat(codec.toBytes(event)).isEqualTo(reference);

            // The spans it reports are those decoding finds, exactly when decoding gives back the event's own values.
            EventJson.Encoded encoded = codec.encode(event, 8);
            assertThat(encoded.bytes()).as("event %d", i).isEqualTo(withHeader);
            EventJson.Decoded decoded = codec.decode(encoded.bytes(), 8, encoded.bytes().length - 8);
            boolean readsBackIdentical = sameValues(event, decoded.event());
            if (fast == null) {
                assertThat(encoded.encoded()).as("event %d", i).isNull();
            } else {
                assertThat(encoded.encoded() != null).as("event %d", i).isEqualTo(readsBackIdentical);
            }
            if (encoded.encoded() != null) {
                identical++;
                EncodedEvent spans = encoded.encoded();
                EncodedEvent reference0 = decoded.encoded();
                assertThat(spans.bytes()).isSameAs(encoded.bytes());
                assertThat(spans.encodes(event)).isTrue();
                assertThat(spans.storable()).isTrue();
                assertThat(EventJson.isStorableText(spans.bytes(), spans.fieldsFrom(), spans.fieldsTo()))
                        .isTrue();
                assertThat(new int[] {spans.fieldsFrom(), spans.fieldsTo(), spans.originalFrom(), spans.originalTo()})
                        .as("event %d", i)
                        .containsExactly(
                                reference0.fieldsFrom(),
                                reference0.fieldsTo(),
                                reference0.originalFrom(),
                                reference0.originalTo());
            }
        }
        assertThat(written).as("events written without Jackson").isGreaterThan(15_000);
        assertThat(leftToJackson).as("events with surrogates").isBetween(100, 5_000);
        assertThat(identical).as("events that read back as themselves").isBetween(5_000, written - 1_000);
    }

    /**
     * The event with some of its values also derived under other names (a prefix {@code d.}), or derived fields with
     * no own ones, or a deriver that derives nothing: an event whose fields are partly derived, as a Windows event's ECS
     * fields are.
     */
    private static Event withDerivedFields(Event event, Random random) {
        int kind = random.nextInt(3);
        Map<String, Object> own = new LinkedHashMap<>(kind == 1 ? Map.of() : event.fields());
        return Event.builder()
                .tenant(event.tenant())
                .fields(own)
                .derivedFields(new dev.vigil.core.FieldDeriver() {
                    @Override
                    public boolean mayDerive(String name) {
                        return name.startsWith("d.");
                    }

                    @Override
                    public void derive(Event e, Map<String, Object> into) {
                        if (kind == 2) {
                            return;
                        }
                        Map<String, Object> source = kind == 1 ? event.fields() : e.ownFields();
                        source.forEach((name, value) -> into.put("d." + name, value));
                    }
                })
                .original(event.original())
                .logSource(event.logSource())
                .timestamp(event.timestamp())
                .source(event.source())
                .build();
    }

    /** Whether a decoded event has the event's values, number types included (Long is not Integer). */
    private static boolean sameValues(Event event, Event decoded) {
        return event.tenant().equals(decoded.tenant())
                && event.ownFields().equals(decoded.ownFields())
                && (event.fieldDeriver() == null) == (decoded.fieldDeriver() == null)
                && ownValues(event).equals(ownValues(decoded))
                && java.util.Objects.equals(event.timestamp(), decoded.timestamp())
                && event.logSource().equals(decoded.logSource())
                && java.util.Objects.equals(event.source(), decoded.source())
                && event.fields().equals(decoded.fields())
                && java.util.Objects.equals(event.original(), decoded.original());
    }

    /** What a keyword search sees: the record's own values, in order. */
    private static List<Object> ownValues(Event event) {
        List<Object> values = new ArrayList<>();
        event.forEachValue(values::add);
        return values;
    }

    /** Nesting past what the codec reads back is left to Jackson, which refuses it as before. */
    @Test
    void deepNestingIsLeftToJackson() {
        Object nested = "leaf";
        for (int i = 0; i < EventJson.MAX_NESTING_DEPTH + 5; i++) {
            nested = List.of(nested);
        }
        Event deep =
                Event.builder().tenant(TenantId.of("acme")).field("x", nested).build();
        assertThat(EventJsonWriter.write(deep, 0)).isNull();
        assertThat(codec.encode(deep.withSource(new SourceRef("x", 1)), 0).encoded())
                .isNull();
        Object shallow = "leaf";
        for (int i = 0; i < 100; i++) {
            shallow = List.of(shallow);
        }
        Event ok =
                Event.builder().tenant(TenantId.of("acme")).field("x", shallow).build();
        assertThat(EventJsonWriter.write(ok, 0).bytes()).isEqualTo(codec.generate(ok));
    }

    /**
     * At the codec's limits (the deepest container and the longest number it reads back), an event the writer writes
     * but decoding refuses is never reported as reading back as itself; one level or digit less, it is.
     */
    @Test
    void readsBackIdenticalStopsAtTheDecodersLimits() {
        for (int levels : new int[] {EventJson.MAX_NESTING_DEPTH - 2, EventJson.MAX_NESTING_DEPTH - 1}) {
            Object nested = List.of();
            for (int i = 1; i < levels; i++) {
                nested = List.of(nested);
            }
            Event event = Event.builder()
                    .tenant(TenantId.of("acme"))
                    .field("x", nested)
                    .build();
            assertThat(assertReadsBackAsItselfExactlyWhenDecodable(event, "containers " + levels + " deep in a field"))
                    .as("decodable at %d levels", levels)
                    .isEqualTo(levels < EventJson.MAX_NESTING_DEPTH - 1);
        }
        for (int digits : new int[] {EventJson.MAX_NUMBER_LENGTH, EventJson.MAX_NUMBER_LENGTH + 1}) {
            Event event = Event.builder()
                    .tenant(TenantId.of("acme"))
                    .field("big", new java.math.BigInteger("9".repeat(digits)))
                    .build();
            assertThat(assertReadsBackAsItselfExactlyWhenDecodable(event, digits + " digits"))
                    .as("decodable with %d digits", digits)
                    .isEqualTo(digits <= EventJson.MAX_NUMBER_LENGTH);
        }
    }

    /** Returns whether the event decodes back as itself. */
    private boolean assertReadsBackAsItselfExactlyWhenDecodable(Event event, String what) {
        EventJson.Encoded encoded = codec.encode(event, 0);
        boolean decodable;
        try {
            decodable = sameValues(event, codec.fromBytes(encoded.bytes()));
        } catch (IllegalArgumentException refused) {
            decodable = false;
        }
        assertThat(encoded.encoded() != null).as(what).isEqualTo(decodable);
        return decodable;
    }

    @Test
    void anEventOfPlainTextIsWrittenWithoutJackson() {
        Event event = Event.builder()
                .tenant(TenantId.of("acme"))
                .timestamp(Instant.parse("2026-11-27T10:00:00.123456789Z"))
                .logSource(new LogSource("linux", Set.of("auth"), Set.of("sshd", "auth")))
                .source(new SourceRef("auth.log", 7))
                .field("host", "srv1")
                .field("pid", 4242L)
                .field("message", "Failed password for root from 10.0.0.1 port 22 ssh2")
                .original("<38>Nov 27 10:00:00 srv1 sshd[4242]: Failed password")
                .build();
        byte[] fast = EventJsonWriter.write(event, 0).bytes();
        assertThat(fast).isEqualTo(codec.generate(event));
        assertThat(codec.fromBytes(fast).fields()).isEqualTo(event.fields());
        assertThat(codec.encode(event, 0).encoded()).as("reads back as itself").isNotNull();
        Event withInteger =
                Event.builder().tenant(TenantId.of("acme")).field("pid", 4242).build();
        assertThat(codec.encode(withInteger, 0).encoded())
                .as("an Integer reads back as a Long")
                .isNull();
    }

    private static Event event(Random r) {
        Event.Builder b = Event.builder().tenant(TenantId.of(r.nextBoolean() ? "acme" : "t-" + r.nextInt(9)));
        for (int i = 0, n = r.nextInt(10); i < n; i++) {
            b.field(text(r, 8), value(r, 0));
        }
        if (r.nextBoolean()) {
            b.original(r.nextBoolean() ? text(r, 200) : value(r, 0));
        }
        if (r.nextInt(3) == 0) {
            b.logSource(new LogSource(r.nextBoolean() ? text(r, 6) : null, Set.of(text(r, 5)), Set.of()));
        }
        if (r.nextInt(4) == 0) {
            b.timestamp(Instant.ofEpochSecond(r.nextInt(2_000_000_000), r.nextInt(1_000_000_000)));
        }
        return b.build();
    }

    private static Object value(Random r, int depth) {
        return switch (r.nextInt(depth > 2 ? 5 : 8)) {
            case 0 -> null;
            case 1 -> r.nextLong();
            case 2 -> r.nextBoolean();
            case 3 -> number(r);
            case 4 -> r.nextInt(30) == 0 ? text(r, 50_000) : text(r, 40);
            case 5 -> {
                List<Object> list = new ArrayList<>();
                for (int i = 0, n = r.nextInt(4); i < n; i++) {
                    list.add(value(r, depth + 1));
                }
                yield list;
            }
            case 6 -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0, n = r.nextInt(4); i < n; i++) {
                    map.put(text(r, 6), value(r, depth + 1));
                }
                yield map;
            }
            default -> text(r, 12);
        };
    }

    /** Every kind of number the codec writes, edge values included. */
    private static Object number(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> r.nextInt();
            case 1 -> (short) r.nextInt();
            case 2 -> (byte) r.nextInt();
            case 3 -> Long.MIN_VALUE;
            case 4 -> r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
            case 5 ->
                List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e21, 1e-7)
                        .get(r.nextInt(6));
            case 6 -> r.nextFloat() * 1000;
            case 7 -> new java.math.BigInteger(80, r).negate();
            case 8 -> new java.math.BigDecimal(r.nextLong()).movePointLeft(r.nextInt(10));
            default -> (long) r.nextInt(100);
        };
    }

    /**
     * Mostly plain ASCII; a quarter of the strings draw on the pool, and within those one character in twenty on the
     * whole pool, surrogates included.
     */
    private static String text(Random r, int maxLength) {
        StringBuilder s = new StringBuilder();
        boolean rich = r.nextInt(4) == 0;
        for (int i = 0, n = r.nextInt(maxLength + 1); i < n; i++) {
            char c = rich
                    ? POOL[r.nextInt(r.nextInt(20) == 0 ? POOL.length : POOL.length - 2)]
                    : (char) ('a' + r.nextInt(26));
            s.append(c);
        }
        return s.toString();
    }
}
