package dev.vigil.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The footer of a Parquet file as {@link ParquetFileWriter} writes it, read back so that the file's row groups can be
 * copied into another: the row groups with their chunks' offsets, sizes, entry counts and statistics, and the schema
 * and column orders as raw bytes (the writer compares them with its own). Strict by design: a field the writer never
 * writes (an offset index, key-value metadata, a compression codec, an encoding other than plain and RLE levels) makes
 * the file one this class refuses, because copying its pages while rewriting only the fields known here would lose or
 * falsify what the field says.
 *
 * @param schema the schema list's bytes (its list header and elements)
 * @param columnOrders the column orders list's bytes, empty when absent
 */
record ParquetFooter(
        int version,
        byte[] schema,
        long rows,
        List<ParquetFileWriter.RowGroup> rowGroups,
        String createdBy,
        byte[] columnOrders) {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    /** Far beyond any footer of the store's files (about 1.5 KiB per row group); bounds what a damaged file costs. */
    private static final int MAX_FOOTER_BYTES = 64 << 20;

    private static final int ENCODING_PLAIN = 0;
    private static final int ENCODING_RLE = 3;

    /** Reads the footer at the end of {@code file}, checking that every row group lies inside the file's data. */
    static ParquetFooter read(FileChannel file, List<ParquetFileWriter.Column> schema)
            throws IOException, ParquetFormatException {
        long size = file.size();
        if (size < 12) {
            throw new ParquetFormatException("a file of " + size + " bytes is no Parquet file");
        }
        ByteBuffer head = readFully(file, 0, 4);
        ByteBuffer tail = readFully(file, size - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
        int footerLength = tail.getInt(0);
        if (!Arrays.equals(head.array(), MAGIC) || !Arrays.equals(Arrays.copyOfRange(tail.array(), 4, 8), MAGIC)) {
            throw new ParquetFormatException("no Parquet magic number at its start and end");
        }
        if (footerLength < 0 || footerLength > MAX_FOOTER_BYTES || footerLength > size - 12) {
            throw new ParquetFormatException("a footer of " + footerLength + " bytes in a file of " + size);
        }
        long footerStart = size - 8 - footerLength;
        byte[] bytes = readFully(file, footerStart, footerLength).array();
        ParquetFooter footer = parse(bytes, 0, bytes.length, schema);
        long rows = 0;
        long dataEnd = MAGIC.length;
        for (ParquetFileWriter.RowGroup g : footer.rowGroups()) {
            // Subtracted, not added: sizes come from the file, and a sum could wrap past Long.MAX_VALUE. In file order
            // and apart, as the writer puts them: a damaged footer naming one group's bytes twice would copy its rows
            // twice.
            if (g.offset() < dataEnd || g.offset() > footerStart || g.size() > footerStart - g.offset()) {
                throw new ParquetFormatException("a row group at " + g.offset() + " of " + g.size()
                        + " bytes, not after the previous one (ending at " + dataEnd + ") and before the footer at "
                        + footerStart);
            }
            dataEnd = g.offset() + g.size();
            rows += g.rows();
        }
        if (rows != footer.rows()) {
            throw new ParquetFormatException("row groups of " + rows + " rows in a file of " + footer.rows());
        }
        return footer;
    }

    /** Parses the footer's Thrift bytes; the row groups are checked for their shape, not against a file's size. */
    static ParquetFooter parse(byte[] bytes, int from, int to, List<ParquetFileWriter.Column> schema)
            throws ParquetFormatException {
        ThriftCompactReader t = new ThriftCompactReader(bytes, from, to);
        int version = -1;
        byte[] schemaBytes = null;
        long rows = -1;
        List<ParquetFileWriter.RowGroup> rowGroups = null;
        String createdBy = null;
        byte[] columnOrders = new byte[0];
        t.beginStruct();
        int type;
        while ((type = t.nextField()) != ThriftCompactReader.TYPE_STOP) {
            switch (field(t, type)) {
                case 1 << 8 | ThriftCompactReader.TYPE_I32 -> version = t.readI32();
                case 2 << 8 | ThriftCompactReader.TYPE_LIST -> schemaBytes = rawValue(t, type, bytes);
                case 3 << 8 | ThriftCompactReader.TYPE_I64 -> rows = t.readI64();
                case 4 << 8 | ThriftCompactReader.TYPE_LIST -> rowGroups = rowGroups(t, schema);
                case 6 << 8 | ThriftCompactReader.TYPE_BINARY ->
                    createdBy = new String(t.readBinary(), StandardCharsets.UTF_8);
                case 7 << 8 | ThriftCompactReader.TYPE_LIST -> columnOrders = rawValue(t, type, bytes);
                default -> throw unexpected("file metadata", t, type);
            }
        }
        if (version < 0 || schemaBytes == null || rows < 0 || rowGroups == null) {
            throw new ParquetFormatException("file metadata without its version, schema, rows or row groups");
        }
        return new ParquetFooter(version, schemaBytes, rows, List.copyOf(rowGroups), createdBy, columnOrders);
    }

    private static List<ParquetFileWriter.RowGroup> rowGroups(
            ThriftCompactReader t, List<ParquetFileWriter.Column> schema) throws ParquetFormatException {
        int count = t.readListHeader();
        expectElements(t, ThriftCompactReader.TYPE_STRUCT, "row groups");
        List<ParquetFileWriter.RowGroup> groups = new ArrayList<>(); // not presized: the count is the file's word
        for (int i = 0; i < count; i++) {
            groups.add(rowGroup(t, schema));
        }
        return groups;
    }

    private static ParquetFileWriter.RowGroup rowGroup(ThriftCompactReader t, List<ParquetFileWriter.Column> schema)
            throws ParquetFormatException {
        List<ParquetFileWriter.ChunkMeta> chunks = null;
        long byteSize = -1;
        long rows = -1;
        long offset = -1;
        long compressedSize = -1;
        t.beginStruct();
        int type;
        while ((type = t.nextField()) != ThriftCompactReader.TYPE_STOP) {
            switch (field(t, type)) {
                case 1 << 8 | ThriftCompactReader.TYPE_LIST -> {
                    int count = t.readListHeader();
                    expectElements(t, ThriftCompactReader.TYPE_STRUCT, "column chunks");
                    if (count != schema.size()) {
                        throw new ParquetFormatException(
                                "a row group of " + count + " column chunks for " + schema.size() + " columns");
                    }
                    chunks = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        chunks.add(columnChunk(t, schema.get(i)));
                    }
                }
                case 2 << 8 | ThriftCompactReader.TYPE_I64 -> byteSize = t.readI64();
                case 3 << 8 | ThriftCompactReader.TYPE_I64 -> rows = t.readI64();
                case 5 << 8 | ThriftCompactReader.TYPE_I64 -> offset = t.readI64();
                case 6 << 8 | ThriftCompactReader.TYPE_I64 -> compressedSize = t.readI64();
                default -> throw unexpected("row group", t, type);
            }
        }
        if (chunks == null || rows < 0 || rows > Integer.MAX_VALUE || byteSize < 0 || compressedSize != byteSize) {
            throw new ParquetFormatException("a row group without its chunks, rows or sizes");
        }
        // The chunks follow each other from the group's offset: the group is one span of bytes to copy.
        long next = offset;
        for (ParquetFileWriter.ChunkMeta c : chunks) {
            if (c.offset() != next || c.size() > Long.MAX_VALUE - next) {
                throw new ParquetFormatException("a column chunk at " + c.offset() + " where " + next + " was due");
            }
            next += c.size();
        }
        if (next - offset != byteSize) {
            throw new ParquetFormatException(
                    "a row group of " + byteSize + " bytes whose chunks take " + (next - offset));
        }
        return new ParquetFileWriter.RowGroup(List.copyOf(chunks), offset, byteSize, (int) rows);
    }

    private static ParquetFileWriter.ChunkMeta columnChunk(ThriftCompactReader t, ParquetFileWriter.Column column)
            throws ParquetFormatException {
        long fileOffset = -1;
        ParquetFileWriter.ChunkMeta meta = null;
        t.beginStruct();
        int type;
        while ((type = t.nextField()) != ThriftCompactReader.TYPE_STOP) {
            switch (field(t, type)) {
                case 2 << 8 | ThriftCompactReader.TYPE_I64 -> fileOffset = t.readI64();
                case 3 << 8 | ThriftCompactReader.TYPE_STRUCT -> meta = columnMetaData(t, column);
                default -> throw unexpected("column chunk", t, type);
            }
        }
        if (meta == null || fileOffset != meta.offset()) {
            throw new ParquetFormatException("column " + column.name() + ": a chunk without metadata, or at "
                    + fileOffset + " with pages at " + (meta == null ? "?" : meta.offset()));
        }
        return meta;
    }

    private static ParquetFileWriter.ChunkMeta columnMetaData(ThriftCompactReader t, ParquetFileWriter.Column column)
            throws ParquetFormatException {
        int physicalType = -1;
        int codec = -1;
        long entries = -1;
        long uncompressed = -1;
        long compressed = -1;
        long dataPageOffset = -1;
        long nullCount = -1;
        byte[] min = null;
        byte[] max = null;
        boolean plainAndRle = false;
        t.beginStruct();
        int type;
        while ((type = t.nextField()) != ThriftCompactReader.TYPE_STOP) {
            switch (field(t, type)) {
                case 1 << 8 | ThriftCompactReader.TYPE_I32 -> physicalType = t.readI32();
                case 2 << 8 | ThriftCompactReader.TYPE_LIST -> {
                    int count = t.readListHeader();
                    expectElements(t, ThriftCompactReader.TYPE_I32, "encodings");
                    // Refused at once, not after the loop: the rest of a longer list would be left unread.
                    plainAndRle = count == 2 && t.readI32() == ENCODING_PLAIN && t.readI32() == ENCODING_RLE;
                    if (!plainAndRle) {
                        throw new ParquetFormatException(
                                "column " + column.name() + ": encodings other than plain values and RLE levels");
                    }
                }
                case 3 << 8 | ThriftCompactReader.TYPE_LIST -> t.skip(type); // the schema check covers the path
                case 4 << 8 | ThriftCompactReader.TYPE_I32 -> codec = t.readI32();
                case 5 << 8 | ThriftCompactReader.TYPE_I64 -> entries = t.readI64();
                case 6 << 8 | ThriftCompactReader.TYPE_I64 -> uncompressed = t.readI64();
                case 7 << 8 | ThriftCompactReader.TYPE_I64 -> compressed = t.readI64();
                case 9 << 8 | ThriftCompactReader.TYPE_I64 -> dataPageOffset = t.readI64();
                case 12 << 8 | ThriftCompactReader.TYPE_STRUCT -> {
                    t.beginStruct();
                    int st;
                    while ((st = t.nextField()) != ThriftCompactReader.TYPE_STOP) {
                        switch (field(t, st)) {
                            // 1 and 2 are the deprecated max and min, written equal to 5 and 6
                            case 1 << 8 | ThriftCompactReader.TYPE_BINARY, 2 << 8 | ThriftCompactReader.TYPE_BINARY ->
                                t.skip(st);
                            case 3 << 8 | ThriftCompactReader.TYPE_I64 -> nullCount = t.readI64();
                            case 5 << 8 | ThriftCompactReader.TYPE_BINARY -> max = t.readBinary();
                            case 6 << 8 | ThriftCompactReader.TYPE_BINARY -> min = t.readBinary();
                            default -> throw unexpected("statistics", t, st);
                        }
                    }
                }
                default -> throw unexpected("column metadata", t, type);
            }
        }
        String name = "column " + column.name() + ": ";
        if (physicalType != column.type().physicalType) {
            throw new ParquetFormatException(name + "physical type " + physicalType);
        }
        if (codec != 0) {
            throw new ParquetFormatException(name + "compressed (codec " + codec + ")");
        }
        if (!plainAndRle) {
            throw new ParquetFormatException(name + "encodings other than plain values and RLE levels");
        }
        if (entries < 0 || nullCount < 0 || dataPageOffset < 0 || compressed < 0 || compressed != uncompressed) {
            throw new ParquetFormatException(name + "a chunk without its counts, offset or size");
        }
        if ((min == null) != (max == null)) {
            throw new ParquetFormatException(name + "a minimum without a maximum");
        }
        int width = column.type() == ParquetFileWriter.ColumnType.INT16 ? 4 : 8;
        boolean hasStats = min != null;
        if (hasStats && (min.length != width || max.length != width)) {
            throw new ParquetFormatException(name + "statistics of " + min.length + " bytes");
        }
        return new ParquetFileWriter.ChunkMeta(
                dataPageOffset,
                compressed,
                entries,
                nullCount,
                hasStats,
                hasStats ? littleEndian(min) : 0,
                hasStats ? littleEndian(max) : 0);
    }

    /** A field's id and type in one int, for one switch over both. */
    private static int field(ThriftCompactReader t, int type) {
        return t.fieldId() << 8 | type;
    }

    private static byte[] rawValue(ThriftCompactReader t, int type, byte[] bytes) throws ParquetFormatException {
        int start = t.position();
        t.skip(type);
        return Arrays.copyOfRange(bytes, start, t.position());
    }

    private static void expectElements(ThriftCompactReader t, int type, String what) throws ParquetFormatException {
        if (t.listElementType() != type) {
            throw new ParquetFormatException(what + " of Thrift type " + t.listElementType());
        }
    }

    private static ParquetFormatException unexpected(String where, ThriftCompactReader t, int type) {
        return new ParquetFormatException(
                "field " + t.fieldId() + " (Thrift type " + type + ") in the " + where + ", which Vigil never writes");
    }

    /** A signed statistic from its plain bytes: four (INT32, sign-extended) or eight, little-endian. */
    private static long littleEndian(byte[] b) {
        ByteBuffer buffer = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        return b.length == 4 ? buffer.getInt() : buffer.getLong();
    }

    private static ByteBuffer readFully(FileChannel file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                throw new java.io.EOFException("the file ended at " + (position + buffer.position()));
            }
        }
        return buffer.clear();
    }
}
