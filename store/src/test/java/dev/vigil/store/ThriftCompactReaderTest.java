package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ThriftCompactReader} reads what {@link ThriftCompactWriter} writes, and refuses damaged bytes cleanly. */
class ThriftCompactReaderTest {

    @Test
    void readsBackEveryKindOfFieldTheWriterWrites() throws ParquetFormatException {
        ByteSink bytes = new ByteSink(64);
        new ThriftCompactWriter(bytes)
                .beginMessage()
                .i32(1, -7)
                .i64(2, Long.MIN_VALUE)
                .string(3, "Vigil")
                .bool(4, true)
                .beginList(5, ThriftCompactWriter.TYPE_I32, 20)
                .i32Element(0)
                .i32Element(1)
                .i32Element(2)
                .i32Element(3)
                .i32Element(4)
                .i32Element(5)
                .i32Element(6)
                .i32Element(7)
                .i32Element(8)
                .i32Element(9)
                .i32Element(10)
                .i32Element(11)
                .i32Element(12)
                .i32Element(13)
                .i32Element(14)
                .i32Element(15)
                .i32Element(16)
                .i32Element(17)
                .i32Element(18)
                .i32Element(-19)
                .beginStruct(40) // a field id delta above 15: the long form
                .i64(1, 42)
                .endStruct()
                .i32(41, 5)
                .endMessage();
        ThriftCompactReader t = new ThriftCompactReader(bytes.bytes(), 0, bytes.size());
        t.beginStruct();
        assertThat(t.nextField()).isEqualTo(ThriftCompactReader.TYPE_I32);
        assertThat(t.fieldId()).isEqualTo(1);
        assertThat(t.readI32()).isEqualTo(-7);
        assertThat(t.nextField()).isEqualTo(ThriftCompactReader.TYPE_I64);
        assertThat(t.readI64()).isEqualTo(Long.MIN_VALUE);
        assertThat(t.nextField()).isEqualTo(ThriftCompactReader.TYPE_BINARY);
        assertThat(new String(t.readBinary(), StandardCharsets.UTF_8)).isEqualTo("Vigil");
        assertThat(t.nextField()).isEqualTo(ThriftCompactReader.TYPE_BOOLEAN_TRUE);
        assertThat(t.fieldId()).isEqualTo(4);
        assertThat(t.nextField()).isEqualTo(ThriftCompactReader.TYPE_LIST);
        assertThat(t.readListHeader()).isEqualTo(20);
        assertThat(t.listElementType()).isEqualTo(ThriftCompactReader.TYPE_I32);
        for (int i = 0; i < 19; i++) {
            assertThat(t.readI32()).isEqualTo(i);
        }
        assertThat(t.readI32()).isEqualTo(-19);
        assertThat(t.nextField()).isEqualTo(ThriftCompactReader.TYPE_STRUCT);
        assertThat(t.fieldId()).isEqualTo(40);
        t.skip(ThriftCompactReader.TYPE_STRUCT);
        assertThat(t.nextField()).isEqualTo(ThriftCompactReader.TYPE_I32);
        assertThat(t.fieldId()).isEqualTo(41);
        assertThat(t.readI32()).isEqualTo(5);
        assertThat(t.nextField()).isEqualTo(ThriftCompactReader.TYPE_STOP);
        assertThat(t.position()).isEqualTo(bytes.size());
    }

    @Test
    void lengthsAndCountsBeyondTheBytesAreRefused() {
        // A binary field claiming 100 bytes with 2 left; a list claiming 1,000 elements; a varint that never ends.
        byte[][] damaged = {
            {0x18, 100, 'a', 'b'},
            {0x19, (byte) 0xF5, (byte) 0xE8, 0x07, 0},
            {0x15, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
            {0x1C},
        };
        for (byte[] bytes : damaged) {
            assertThatThrownBy(() -> {
                        ThriftCompactReader t = new ThriftCompactReader(bytes, 0, bytes.length);
                        t.beginStruct();
                        int type;
                        while ((type = t.nextField()) != ThriftCompactReader.TYPE_STOP) {
                            t.skip(type);
                        }
                    })
                    .isInstanceOf(ParquetFormatException.class);
        }
    }

    /**
     * Structs in structs, and lists of lists (which count toward the bound like structs), are refused past the bound:
     * skipping them cannot exhaust the stack.
     */
    @ParameterizedTest(name = "field header {0}")
    @ValueSource(bytes = {0x1C, 0x19}) // field 1, a struct (a list) holding the same, and so on
    void nestingIsBounded(byte header) {
        byte[] deep = new byte[100_000];
        java.util.Arrays.fill(deep, header);
        ThriftCompactReader t = new ThriftCompactReader(deep, 0, deep.length);
        assertThatThrownBy(() -> {
                    t.beginStruct();
                    t.skip(t.nextField());
                })
                .isInstanceOf(ParquetFormatException.class)
                .hasMessageContaining("nested deeper");
    }

    @Test
    void aListLongerThanTheBytesLeftIsRefusedBeforeAnythingIsAllocated() {
        // A list header announcing 2^31 - 1 elements of i32 (varint 0xFFFFFFFF07) in a few bytes.
        byte[] bytes = {(byte) 0xF5, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0, 0};
        ThriftCompactReader t = new ThriftCompactReader(bytes, 0, bytes.length);
        assertThatThrownBy(t::readListHeader)
                .isInstanceOf(ParquetFormatException.class)
                .hasMessageContaining("elements in");
    }

    /** Random bytes: every outcome is a value or a refusal, never another exception or a runaway allocation. */
    @Test
    void randomBytesAreReadOrRefusedNeverCrash() {
        Random random = new Random(20261127);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            try {
                ThriftCompactReader t = new ThriftCompactReader(bytes, 0, bytes.length);
                t.beginStruct();
                int type;
                while ((type = t.nextField()) != ThriftCompactReader.TYPE_STOP) {
                    t.skip(type);
                }
            } catch (ParquetFormatException expected) {
                // refused
            }
        }
    }
}
