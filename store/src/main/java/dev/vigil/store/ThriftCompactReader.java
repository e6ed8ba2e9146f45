package dev.vigil.store;

import java.util.Arrays;

/**
 * Reads Apache Thrift's compact protocol, the encoding of a Parquet footer, as far as {@link ParquetFooter} needs: the
 * fields of a struct one by one, with any field or value it does not want skipped. Every length and count is checked
 * against the bytes that are left, and nesting is bounded, so a damaged footer gives a {@link
 * ParquetFormatException} rather than an exhausted heap or stack.
 */
final class ThriftCompactReader {
    static final int TYPE_STOP = 0;
    static final int TYPE_BOOLEAN_TRUE = 1;
    static final int TYPE_BOOLEAN_FALSE = 2;
    static final int TYPE_BYTE = 3;
    static final int TYPE_I16 = 4;
    static final int TYPE_I32 = 5;
    static final int TYPE_I64 = 6;
    static final int TYPE_DOUBLE = 7;
    static final int TYPE_BINARY = 8;
    static final int TYPE_LIST = 9;
    static final int TYPE_SET = 10;
    static final int TYPE_MAP = 11;
    static final int TYPE_STRUCT = 12;
    private static final int MAX_DEPTH = 32;

    private final byte[] bytes;
    private final int end;
    private int position;
    /** The last field id read in each open struct, innermost last. */
    private final short[] lastFieldIds = new short[MAX_DEPTH];

    private int depth = -1;
    /** Lists, sets and maps being skipped, which count toward {@link #MAX_DEPTH} with the structs. */
    private int containers;

    private int fieldId;
    private int listElementType;

    ThriftCompactReader(byte[] bytes, int from, int to) {
        if (from < 0 || to > bytes.length || from > to) {
            throw new IllegalArgumentException("bytes " + from + ".." + to + " of " + bytes.length);
        }
        this.bytes = bytes;
        this.position = from;
        this.end = to;
    }

    /** Enters a struct: the outermost message, a struct field just read or a struct element of a list. */
    void beginStruct() throws ParquetFormatException {
        if (++depth + containers >= MAX_DEPTH) {
            throw new ParquetFormatException("values nested deeper than " + MAX_DEPTH);
        }
        lastFieldIds[depth] = 0;
    }

    /**
     * The type of the current struct's next field ({@link #fieldId()} gives its id), or {@link #TYPE_STOP} at the end
     * of the struct, which this leaves.
     */
    int nextField() throws ParquetFormatException {
        if (depth < 0) {
            throw new IllegalStateException("not in a struct");
        }
        int header = readByte();
        int type = header & 0x0F;
        if (type == TYPE_STOP) {
            depth--;
            return TYPE_STOP;
        }
        int delta = header >>> 4;
        fieldId = delta == 0 ? (short) zigzag32(readVarint32()) : lastFieldIds[depth] + delta;
        lastFieldIds[depth] = (short) fieldId;
        return type;
    }

    int fieldId() {
        return fieldId;
    }

    /** The offset of the next byte to be read. */
    int position() {
        return position;
    }

    int readI32() throws ParquetFormatException {
        return zigzag32(readVarint32());
    }

    long readI64() throws ParquetFormatException {
        long v = readVarint64();
        return (v >>> 1) ^ -(v & 1);
    }

    byte[] readBinary() throws ParquetFormatException {
        int length = readLength();
        byte[] value = Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return value;
    }

    /** A list's element count; {@link #listElementType()} gives their type. */
    int readListHeader() throws ParquetFormatException {
        int header = readByte();
        listElementType = header & 0x0F;
        int size = header >>> 4;
        if (size == 15) {
            size = readVarint32();
        }
        // Every element takes at least one byte, except booleans in a few writers; none here is that large.
        if (size < 0 || size > end - position) {
            throw new ParquetFormatException(
                    "a list of " + (size & 0xFFFFFFFFL) + " elements in " + (end - position) + " bytes");
        }
        return size;
    }

    int listElementType() {
        return listElementType;
    }

    /** Skips a value of {@code type}: a field's value just announced by {@link #nextField}, or a list element. */
    void skip(int type) throws ParquetFormatException {
        switch (type) {
            case TYPE_BOOLEAN_TRUE, TYPE_BOOLEAN_FALSE -> {
                // a field's boolean lives in its header; as a list element it takes one byte (handled by skipList)
            }
            case TYPE_BYTE -> readByte();
            case TYPE_I16, TYPE_I32, TYPE_I64 -> readVarint64();
            case TYPE_DOUBLE -> advance(8);
            case TYPE_BINARY -> advance(readLength());
            case TYPE_LIST, TYPE_SET -> {
                int size = readListHeader();
                int elementType = listElementType;
                nest();
                for (int i = 0; i < size; i++) {
                    skipElement(elementType);
                }
                containers--;
            }
            case TYPE_MAP -> {
                int size = readVarint32();
                if (size < 0 || size > end - position) {
                    throw new ParquetFormatException("a map of " + (size & 0xFFFFFFFFL) + " entries");
                }
                nest();
                if (size > 0) {
                    int types = readByte();
                    for (int i = 0; i < size; i++) {
                        skipElement(types >>> 4);
                        skipElement(types & 0x0F);
                    }
                }
                containers--;
            }
            case TYPE_STRUCT -> {
                beginStruct();
                int t;
                while ((t = nextField()) != TYPE_STOP) {
                    skip(t);
                }
            }
            default -> throw new ParquetFormatException("unknown Thrift type " + type + " at byte " + position);
        }
    }

    /** Skips one element of a list, set or map, whose booleans take a byte each. */
    void skipElement(int type) throws ParquetFormatException {
        if (type == TYPE_BOOLEAN_TRUE || type == TYPE_BOOLEAN_FALSE) {
            readByte();
        } else {
            skip(type);
        }
    }

    /** Enters a list, set or map being skipped: they nest as deep as structs may, so skipping recurses boundedly. */
    private void nest() throws ParquetFormatException {
        if (++containers + depth >= MAX_DEPTH) {
            throw new ParquetFormatException("values nested deeper than " + MAX_DEPTH);
        }
    }

    private int readLength() throws ParquetFormatException {
        int length = readVarint32();
        if (length < 0 || length > end - position) {
            throw new ParquetFormatException("a value of " + (length & 0xFFFFFFFFL) + " bytes in " + (end - position));
        }
        return length;
    }

    private void advance(int n) throws ParquetFormatException {
        if (n > end - position) {
            throw new ParquetFormatException("the footer ends inside a value");
        }
        position += n;
    }

    private int readByte() throws ParquetFormatException {
        if (position >= end) {
            throw new ParquetFormatException("the footer ends early");
        }
        return bytes[position++] & 0xFF;
    }

    private int readVarint32() throws ParquetFormatException {
        long v = readVarint64();
        if ((v >>> 32) != 0) {
            throw new ParquetFormatException("a 32-bit value of " + v);
        }
        return (int) v;
    }

    private long readVarint64() throws ParquetFormatException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new ParquetFormatException("a varint longer than ten bytes");
    }

    private static int zigzag32(int v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
