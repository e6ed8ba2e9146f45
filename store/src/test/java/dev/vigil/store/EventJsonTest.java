package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    private final EventJson codec = new EventJson();

    @Test
    void randomEventsRoundTripToEqualEvents() {
        Random random = new Random(20261126L);
        for (int i = 0; i < 2_000; i++) {
            Event event = RandomEvents.event(random, TenantId.of("t" + random.nextInt(3)));
            Event back = codec.fromBytes(codec.toBytes(event));
            assertSameEvent(back, event);
        }
    }

    /** The codec remembers decoded log sources and tenants: look-alikes must still decode to their own. */
    @Test
    void lookAlikeLogSourcesAndTenantsDecodeToTheirOwn() {
        List<LogSource> sources = List.of(
                new LogSource(null, Set.of(), Set.of("null")),
                new LogSource("null", Set.of(), Set.of()),
                new LogSource("linux", Set.of("a", "b"), Set.of()),
                new LogSource("linux", Set.of("a\u0001b"), Set.of()),
                new LogSource("linux", Set.of("a"), Set.of("b")),
                new LogSource("linux", Set.of(), Set.of("a", "b")),
                new LogSource("Linux", Set.of("A"), Set.of()));
        for (int round = 0; round < 3; round++) {
            for (LogSource source : sources) {
                for (String tenant : List.of("acme", "acme-2", "acme_2")) {
                    Event event = Event.builder()
                            .tenant(TenantId.of(tenant))
                            .logSource(source)
                            .field("a", "b")
                            .build();
                    Event back = codec.fromBytes(codec.toBytes(event));
                    assertThat(back.logSource()).isEqualTo(source);
                    assertThat(back.tenant()).isEqualTo(TenantId.of(tenant));
                }
            }
        }
    }

    /** Lone surrogates: in values they read back as they were; in keys with U+FFFD in their place (see the class). */
    @Test
    void loneSurrogatesReadBack() {
        Event event = Event.builder()
                .field("k\ud800ey", "va\udc00lue")
                .field("pair \ud83d\ude00", "\ud83d")
                .original(Map.of("nested \udfff", List.of("\ud800")))
                .build();
        Event back = codec.fromBytes(codec.toBytes(event));
        assertThat(back.fields())
                .containsExactly(Map.entry("k\ufffdey", "va\udc00lue"), Map.entry("pair \ud83d\ude00", "\ud83d"));
        assertThat(back.original()).isEqualTo(Map.of("nested \ufffd", List.of("\ud800")));
    }

    @Test
    void integersBecomeLongsAndFloatsDoubles() {
        Event event = Event.builder()
                .field("i", 7)
                .field("f", 1.5f)
                .field("nan", Double.NaN)
                .field("inf", Double.NEGATIVE_INFINITY)
                .field("negZero", -0.0)
                .build();
        Event back = codec.fromBytes(codec.toBytes(event));
        assertThat(back.fields().get("i")).isEqualTo(7L);
        assertThat(back.fields().get("f")).isEqualTo(1.5d);
        assertThat((Double) back.fields().get("nan")).isNaN();
        assertThat(back.fields().get("inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(back.fields().get("negZero")).isEqualTo(-0.0d);
    }

    @Test
    void nullFieldsAndMissingPartsStayDistinct() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("present-null", null);
        Event event = Event.builder().fields(fields).build();
        Event back = codec.fromBytes(codec.toBytes(event));
        assertThat(back.fields()).containsEntry("present-null", null).hasSize(1);
        assertThat(back.timestamp()).isNull();
        assertThat(back.source()).isNull();
        assertThat(back.original()).isNull();
        assertThat(back.logSource()).isEqualTo(LogSource.UNKNOWN);
    }

    @Test
    void unsupportedValueTypesAreRefusedNamingTheField() {
        Event event = Event.builder().field("when", Instant.EPOCH).build();
        assertThatThrownBy(() -> codec.toBytes(event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fields.when")
                .hasMessageContaining("java.time.Instant");
        Event nested = Event.builder()
                .field(
                        "outer",
                        java.util.Map.of("list", java.util.List.of("ok", java.util.Map.of("deep", Instant.EPOCH))))
                .original(java.util.Map.of("k", java.util.Map.of(1, "v")))
                .build();
        assertThatThrownBy(() -> codec.toBytes(nested))
                .as("the path is built while the failure unwinds, through maps and lists")
                .hasMessage("cannot write fields.outer.list[1].deep: unsupported value type java.time.Instant"
                        + " (use String, Long, Double, Boolean, null, List or Map)");
        assertThatThrownBy(() -> codec.valueToJson(java.util.Map.of("k", java.util.Map.of(1, "v")), "original"))
                .hasMessage("cannot write original.k: map key 1 is not a string");
    }

    @Test
    void damagedInputIsReportedWithItsOffset() {
        byte[] good = codec.toBytes(Event.builder().field("a", "b").build());
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 3);
        assertThatThrownBy(() -> codec.fromBytes(cut))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at byte");
        assertThatThrownBy(() -> codec.fromBytes("{\"tenant\":\"a\",\"bogus\":1}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unknown member 'bogus'");
        assertThatThrownBy(() -> codec.fromBytes("{\"fields\":{}}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("missing member 'tenant'");
        for (String ownFields : new String[] {"2", "-1", "1.5", "\"1\"", "4294967297"}) {
            byte[] bad = ("{\"tenant\":\"a\",\"fields\":{\"x\":1},\"ownFields\":" + ownFields + "}")
                    .getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> codec.fromBytes(bad))
                    .as(ownFields)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ownFields");
        }
        Event split = codec.fromBytes("{\"tenant\":\"a\",\"fields\":{\"x\":1,\"d.x\":\"one\"},\"ownFields\":1}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(split.ownFields()).containsOnlyKeys("x");
        assertThat(split.field("d.x")).isEqualTo("one");
        assertThat(List.copyOf(split.fields().keySet())).containsExactly("x", "d.x");
    }

    @Test
    void nestingIsBounded() {
        String deep = "[".repeat(EventJson.MAX_NESTING_DEPTH + 10) + "]".repeat(EventJson.MAX_NESTING_DEPTH + 10);
        byte[] json = ("{\"tenant\":\"a\",\"fields\":{},\"original\":" + deep + "}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> codec.fromBytes(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("depth");
    }

    @Test
    void textOriginalAndSourceRoundTrip() {
        Event event = Event.builder()
                .tenant(TenantId.of("acme"))
                .original("Nov 26 00:00:01 host sshd[1]: Failed password for root")
                .source(new SourceRef("auth.log", 42))
                .logSource(new LogSource("linux", Set.of("auth"), Set.of("sshd", "auth")))
                .timestamp(Instant.parse("2026-11-26T00:00:01.123456789Z"))
                .build();
        assertSameEvent(codec.fromBytes(codec.toBytes(event)), event);
    }

    static void assertSameEvent(Event actual, Event expected) {
        assertThat(actual.tenant()).isEqualTo(expected.tenant());
        assertThat(actual.timestamp()).isEqualTo(expected.timestamp());
        assertThat(actual.logSource()).isEqualTo(expected.logSource());
        assertThat(actual.source()).isEqualTo(expected.source());
        assertThat(actual.fields()).isEqualTo(expected.fields());
        assertThat(new ArrayList<>(actual.fields().keySet()))
                .isEqualTo(List.copyOf(expected.fields().keySet()));
        assertThat(actual.original()).isEqualTo(expected.original());
    }

    /**
     * {@link EventJson#isStorableText} against a reference built differently: Java's strict UTF-8 decoder, then a
     * regular expression for a surrogate escape after an even run of backslashes; over seeded random byte strings of
     * the awkward kinds (backslashes, "u", hex digits, encoded surrogates, overlong and truncated sequences).
     */
    @Test
    void storableTextAgreesWithAStrictDecoderAndAnEscapePattern() {
        java.util.regex.Pattern escapedSurrogate =
                java.util.regex.Pattern.compile("(?<!\\\\)(?:\\\\\\\\)*\\\\u[dD][89a-fA-F][0-9a-fA-F]{2}");
        byte[][] pieces = {
            {'\\'},
            {'u'},
            {'d'},
            {'D'},
            {'8'},
            {'b'},
            {'f'},
            {'0'},
            {'a'},
            {'"'},
            {' '},
            {(byte) 0xC3, (byte) 0xA9}, // é
            {(byte) 0xE4, (byte) 0xB8, (byte) 0xAD}, // 中
            {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, // an emoji, four bytes
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate encoded directly
            {(byte) 0xC0, (byte) 0x80}, // overlong NUL
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // past U+10FFFF
            {(byte) 0xE4, (byte) 0xB8}, // truncated
            {(byte) 0x80}, // a lone continuation byte
            {(byte) 0xFF}
        };
        long seed = 27_11_2026L;
        Random random = new Random(seed);
        int storable = 0;
        for (int i = 0; i < 20_000; i++) {
            java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
            for (int n = random.nextInt(14); n > 0; n--) {
                byte[] piece = pieces[random.nextInt(random.nextInt(4) == 0 ? pieces.length : 12)];
                text.write(piece, 0, piece.length);
            }
            byte[] bytes = text.toByteArray();
            int from = bytes.length == 0 ? 0 : random.nextInt(Math.min(2, bytes.length));
            byte[] span = java.util.Arrays.copyOfRange(bytes, from, bytes.length);
            boolean expected;
            try {
                String decoded = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(span))
                        .toString();
                expected = !escapedSurrogate.matcher(decoded).find();
            } catch (java.nio.charset.CharacterCodingException e) {
                expected = false;
            }
            assertThat(EventJson.isStorableText(bytes, from, bytes.length))
                    .as(
                            "case %d of seed %d: %s",
                            i, seed, java.util.HexFormat.of().formatHex(span))
                    .isEqualTo(expected);
            storable += expected ? 1 : 0;
        }
        assertThat(storable).as("both answers occur").isBetween(2_000, 18_000);
    }
}
