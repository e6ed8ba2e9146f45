package dev.vigil.store;

import java.nio.charset.StandardCharsets;

/**
 * Writes Apache Thrift's compact protocol, the encoding of a Parquet file's page headers and footer: only what {@link
 * ParquetFileWriter} needs (structs, lists, i32, i64, binary, booleans). Fields must be written in increasing id order
 * within a struct, as Thrift's own writers do; the compact protocol stores each field id as a delta from the previous.
 */
final class ThriftCompactWriter {
    private static final int TYPE_BOOLEAN_TRUE = 1;
    private static final int TYPE_BOOLEAN_FALSE = 2;
    static final int TYPE_I32 = 5;
    static final int TYPE_I64 = 6;
    static final int TYPE_BINARY = 8;
    static final int TYPE_LIST = 9;
    static final int TYPE_STRUCT = 12;
    private static final int MAX_DEPTH = 16;

    private final ByteSink out;
    /** The last field id written in each open struct, innermost last. */
    private final short[] lastFieldIds = new short[MAX_DEPTH];

    private int depth;

    ThriftCompactWriter(ByteSink out) {
        this.out = out;
    }

    /** Opens the outermost struct (a page header or the file's metadata). */
    ThriftCompactWriter beginMessage() {
        depth = 0;
        lastFieldIds[0] = 0;
        return this;
    }

    /** Closes the outermost struct. */
    void endMessage() {
        if (depth != 0) {
            throw new IllegalStateException(depth + " structs left open");
        }
        out.write(0);
    }

    ThriftCompactWriter i32(int id, int value) {
        fieldHeader(id, TYPE_I32);
        varint(zigzag(value));
        return this;
    }

    ThriftCompactWriter i64(int id, long value) {
        fieldHeader(id, TYPE_I64);
        varint(zigzag(value));
        return this;
    }

    ThriftCompactWriter bool(int id, boolean value) {
        fieldHeader(id, value ? TYPE_BOOLEAN_TRUE : TYPE_BOOLEAN_FALSE);
        return this;
    }

    ThriftCompactWriter binary(int id, byte[] value) {
        fieldHeader(id, TYPE_BINARY);
        binaryValue(value);
        return this;
    }

    ThriftCompactWriter string(int id, String value) {
        return binary(id, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Opens a struct field; its fields follow, then {@link #endStruct}. */
    ThriftCompactWriter beginStruct(int id) {
        fieldHeader(id, TYPE_STRUCT);
        push();
        return this;
    }

    /** Opens a struct that is an element of a list. */
    ThriftCompactWriter beginStructElement() {
        push();
        return this;
    }

    ThriftCompactWriter endStruct() {
        out.write(0);
        depth--;
        return this;
    }

    /** Opens a list field of {@code size} elements of {@code elementType}; the elements follow. */
    ThriftCompactWriter beginList(int id, int elementType, int size) {
        fieldHeader(id, TYPE_LIST);
        if (size < 15) {
            out.write((size << 4) | elementType);
        } else {
            out.write(0xF0 | elementType);
            varint(size);
        }
        return this;
    }

    ThriftCompactWriter i32Element(int value) {
        varint(zigzag(value));
        return this;
    }

    ThriftCompactWriter binaryElement(byte[] value) {
        binaryValue(value);
        return this;
    }

    private void binaryValue(byte[] value) {
        varint(value.length);
        out.write(value, 0, value.length);
    }

    private void push() {
        if (++depth >= MAX_DEPTH) {
            throw new IllegalStateException("structs nested deeper than " + MAX_DEPTH);
        }
        lastFieldIds[depth] = 0;
    }

    private void fieldHeader(int id, int type) {
        int delta = id - lastFieldIds[depth];
        if (delta > 0 && delta <= 15) {
            out.write((delta << 4) | type);
        } else if (delta > 0) {
            out.write(type);
            varint(zigzag(id));
        } else {
            throw new IllegalStateException("field " + id + " after field " + lastFieldIds[depth]);
        }
        lastFieldIds[depth] = (short) id;
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static int zigzag(int v) {
        return (v << 1) ^ (v >> 31);
    }

    private void varint(long v) {
        out.varint(v);
    }

    /** An i32's zigzag form, a size or a length as the unsigned 32-bit number it is. */
    private void varint(int v) {
        out.varint(v & 0xFFFFFFFFL);
    }
}
