package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Thrift compact protocol bytes worked out by hand from the protocol's specification. */
class ThriftCompactWriterTest {
    @Test
    void fieldsListsAndNestedStructsEncodeAsTheSpecificationSays() {
        ByteSink sink = new ByteSink(64);
        ThriftCompactWriter t = new ThriftCompactWriter(sink);
        t.beginMessage()
                .i32(1, 1) // delta 1, type i32 (5): 0x15; zigzag(1) = 2
                .i64(3, -1) // delta 2, type i64 (6): 0x26; zigzag(-1) = 1
                .bool(4, true) // delta 1, type true (1): 0x11
                .string(20, "ab") // delta 16 > 15: type byte 0x08, zigzag i16 id 20 = 40 (0x28); length 2, "ab"
                .beginStruct(21) // delta 1, struct (12): 0x1C
                .i32(2, 300) // inner ids start again from 0: delta 2: 0x25; zigzag(300) = 600 = 0xD8 0x04
                .endStruct() // stop: 0x00
                .beginList(22, ThriftCompactWriter.TYPE_I32, 2) // 0x19; size 2, i32: 0x25
                .i32Element(-2) // zigzag(-2) = 3
                .i32Element(64) // zigzag(64) = 128 = 0x80 0x01
                .beginList(23, ThriftCompactWriter.TYPE_BINARY, 15) // 0x19; 15 elements: 0xF8, then varint 15
        ;
        for (int i = 0; i < 15; i++) {
            t.binaryElement(new byte[0]); // length 0
        }
        t.endMessage(); // stop: 0x00

        byte[] expected = new byte[] {
            0x15,
            0x02,
            0x26,
            0x01,
            0x11,
            0x08,
            0x28,
            0x02,
            'a',
            'b',
            0x1C,
            0x25,
            (byte) 0xD8,
            0x04,
            0x00,
            0x19,
            0x25,
            0x03,
            (byte) 0x80,
            0x01,
            0x19,
            (byte) 0xF8,
            0x0F,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0x00
        };
        assertThat(Arrays.copyOf(sink.bytes(), sink.size())).containsExactly(expected);
    }

    @Test
    void fieldsOutOfOrderAreRefused() {
        ThriftCompactWriter t =
                new ThriftCompactWriter(new ByteSink(16)).beginMessage().i32(2, 0);
        assertThatThrownBy(() -> t.i32(2, 1)).isInstanceOf(IllegalStateException.class);
    }
}
