package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes a Parquet file row by row, uncompressed and plain-encoded: the store's batch files, which DuckDB reads; their
 * merges copy their row groups into one file ({@link #appendFile}) until DuckDB's merge compresses them.
 *
 * <p><b>Why Vigil writes these files itself.</b> A batch file was a JSON staging file that DuckDB parsed and wrote out
 * as Parquet with {@code COPY}; on a syslog stream that was about a fifth of the server's CPU, the largest single part,
 * and DuckDB offers no cheaper way in from Java (its appender cost as much, see docs/benchmarks.md). Apache Parquet's
 * own Java writer needs Hadoop's libraries. The subset written here is small and fixed: optional columns of strings,
 * 64-bit integers, timestamps, 16-bit integers and booleans, and optional lists of strings; version 1 data pages with
 * run-length encoded levels and plain values; no compression, since the merges that follow compress; min/max statistics
 * for the integer columns (which DuckDB prunes row groups by) and null counts for all. The schema it writes is the one
 * DuckDB writes for the same SQL types (converted types, a logical type for timestamps), so the store's files read
 * alike whichever wrote them; a test checks both against each other.
 *
 * <p>Usage: {@link #begin} a file, one call per column value of a row (a column not given in a row is null), then
 * {@link #endRow}; {@link #finish} writes the footer. Pages end at a row boundary past {@link #PAGE_BYTES} of values,
 * row groups past {@link #ROW_GROUP_ROWS} rows or {@link #ROW_GROUP_BYTES} bytes, so memory stays bounded by one row
 * group. A writer is reused file after file, keeping its buffers (up to {@link #KEPT_BUFFER_BYTES} each) so that a
 * stream of batches does not grow them again every time. Not thread-safe.
 */
final class ParquetFileWriter {
    /** What a column holds, as Parquet types and DuckDB's matching SQL type. */
    enum ColumnType {
        /** VARCHAR: BYTE_ARRAY, UTF8. */
        STRING(6, 0),
        /** BIGINT: INT64, INT_64. */
        INT64(2, 18),
        /** TIMESTAMP (without time zone): INT64 microseconds, TIMESTAMP_MICROS. */
        TIMESTAMP_MICROS(2, 10),
        /** SMALLINT: INT32, INT_16. */
        INT16(1, 16),
        /** BOOLEAN. */
        BOOLEAN(0, -1),
        /** VARCHAR[]: an optional three-level LIST of optional UTF8 elements. */
        STRING_LIST(6, 0);

        final int physicalType;
        final int convertedType;

        ColumnType(int physicalType, int convertedType) {
            this.physicalType = physicalType;
            this.convertedType = convertedType;
        }
    }

    record Column(String name, ColumnType type) {
        Column {
            requireNonNull(name, "name");
            requireNonNull(type, "type");
        }
    }

    /** Plain values buffered per page before it is closed at the next row boundary. */
    static final int PAGE_BYTES = 1 << 20;
    /** DuckDB's own default row group size. */
    static final int ROW_GROUP_ROWS = 122_880;
    /** Buffered column data that closes a row group early, so that wide rows do not hold a large one in memory. */
    static final long ROW_GROUP_BYTES = 32L << 20;
    /** A buffer larger than this after a file is let go, so one batch of huge events is not held for good. */
    static final int KEPT_BUFFER_BYTES = 8 << 20;

    private static final int ENCODING_PLAIN = 0;
    private static final int ENCODING_RLE = 3;
    private static final int REQUIRED = 0;
    private static final int OPTIONAL = 1;
    private static final int REPEATED = 2;
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private OutputStream out;
    private final int pageBytes;
    private final int rowGroupRows;
    private final List<Column> schema;
    private final ColumnWriter[] columns;
    private final ByteSink scratch = new ByteSink(1024);
    private final List<RowGroup> rowGroups = new ArrayList<>();
    private long position;
    private int rowsInGroup;
    private long totalRows;
    /** This writer's footer for a file with no rows: the schema {@link #appendFile} requires of a part. */
    private final ParquetFooter ownFooter;

    ParquetFileWriter(List<Column> schema) {
        this(schema, PAGE_BYTES, ROW_GROUP_ROWS);
    }

    /** With smaller pages and row groups, for tests. */
    ParquetFileWriter(List<Column> schema, int pageBytes, int rowGroupRows) {
        if (pageBytes < 1 || rowGroupRows < 1) {
            throw new IllegalArgumentException("pages of " + pageBytes + " bytes, row groups of " + rowGroupRows);
        }
        this.pageBytes = pageBytes;
        this.rowGroupRows = rowGroupRows;
        this.schema = List.copyOf(schema);
        if (this.schema.isEmpty()) {
            throw new IllegalArgumentException("a Parquet file needs a column");
        }
        columns = new ColumnWriter[this.schema.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new ColumnWriter(this.schema.get(i).type());
        }
        ownFooter = emptyFileFooter();
    }

    /**
     * Starts a file; a file begun before and not finished is abandoned.
     *
     * @param out where the file goes, from its first byte; buffered by the caller, not closed here
     */
    void begin(OutputStream out) throws IOException {
        this.out = requireNonNull(out, "out");
        for (ColumnWriter c : columns) {
            c.clear();
        }
        rowGroups.clear();
        position = 0;
        rowsInGroup = 0;
        totalRows = 0;
        write(MAGIC, 0, MAGIC.length);
    }

    /** A string value; {@code utf8} must be well-formed UTF-8 (DuckDB checks). */
    void string(int column, byte[] utf8, int from, int length) {
        ColumnWriter c = column(column, ColumnType.STRING);
        c.present();
        c.values.int32(length);
        c.values.write(utf8, from, length);
    }

    /** A string value, from text that must hold no lone surrogate (it would be written as '?'). */
    void string(int column, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        string(column, utf8, 0, utf8.length);
    }

    void int64(int column, long value) {
        ColumnWriter c = columns[column];
        if (c.type != ColumnType.INT64 && c.type != ColumnType.TIMESTAMP_MICROS) {
            throw wrongType(column, "a 64-bit integer");
        }
        c.present();
        c.values.int64(value);
        c.stats(value);
    }

    void int16(int column, short value) {
        ColumnWriter c = column(column, ColumnType.INT16);
        c.present();
        c.values.int32(value);
        c.stats(value);
    }

    void bool(int column, boolean value) {
        ColumnWriter c = column(column, ColumnType.BOOLEAN);
        c.present();
        c.bit(value);
    }

    /** A list of strings (empty is not null); each must hold no lone surrogate. */
    void stringList(int column, Collection<String> values) {
        ColumnWriter c = column(column, ColumnType.STRING_LIST);
        if (c.written) {
            throw new IllegalStateException("column " + schema.get(column).name() + " given twice in a row");
        }
        c.written = true;
        if (values.isEmpty()) {
            c.rep.add(0);
            c.def.add(1);
            c.entries++;
            c.nullCount++; // as parquet-mr counts: every level entry below the maximum definition level
            return;
        }
        int rep = 0;
        for (String v : values) {
            byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
            c.rep.add(rep);
            c.def.add(3);
            c.entries++;
            c.values.int32(utf8.length);
            c.values.write(utf8, 0, utf8.length);
            rep = 1;
        }
    }

    /** Ends the row: columns not given in it are null. */
    void endRow() throws IOException {
        long buffered = 0;
        for (ColumnWriter c : columns) {
            if (!c.written) {
                c.absent();
            }
            c.written = false;
            if (c.values.size() >= pageBytes) {
                c.finishPage(scratch);
            }
            buffered += c.chunk.size() + c.values.size();
        }
        rowsInGroup++;
        totalRows++;
        if (rowsInGroup >= rowGroupRows || buffered >= ROW_GROUP_BYTES) {
            flushRowGroup();
        }
    }

    long rows() {
        return totalRows;
    }

    /**
     * The least and greatest value of an integer column over the row groups written so far, or null when it has no
     * value in them.
     */
    long[] range(int column) {
        long[] range = null;
        for (RowGroup g : rowGroups) {
            ChunkMeta c = g.chunks().get(column);
            if (c.hasStats()) {
                range = range == null
                        ? new long[] {c.min(), c.max()}
                        : new long[] {Math.min(range[0], c.min()), Math.max(range[1], c.max())};
            }
        }
        return range;
    }

    /** Writes the last row group and the footer; the stream is flushed, not closed. A file may have no rows. */
    void finish() throws IOException {
        closeRowGroup();
        ByteSink footer = footer(rowGroups, totalRows);
        footer.writeTo(out);
        position += footer.size();
        out.flush();
        out = null;
        for (ColumnWriter c : columns) {
            c.trim();
        }
    }

    /**
     * Reads the footer of {@code part} and checks that this writer can {@link #appendFile append} it: a file a writer
     * of this schema wrote, uncompressed and whole.
     *
     * @throws ParquetFormatException when it is not such a file (another writer or schema, compressed, damaged)
     */
    ParquetFooter readPart(FileChannel part) throws IOException, ParquetFormatException {
        ParquetFooter footer = ParquetFooter.read(part, schema);
        ParquetFooter own = ownFooter;
        if (footer.version() != own.version()
                || !java.util.Arrays.equals(footer.schema(), own.schema())
                || !java.util.Arrays.equals(footer.columnOrders(), own.columnOrders())
                || !own.createdBy().equals(footer.createdBy())) {
            throw new ParquetFormatException("written by " + footer.createdBy() + " or for another schema");
        }
        return footer;
    }

    /**
     * Appends the row groups of {@code part}, whose footer {@link #readPart} gave, copied byte for byte: its pages hold
     * no file offsets, so the copied bytes with their footer entries moved by the copy's offset are the same rows,
     * neither decoded nor encoded again (the store's merges of its uncompressed files, see {@link EventStore}). Call it
     * after {@link #begin} or a row's end, any number of times; {@link #finish} writes the footer of all the rows.
     *
     * @param target the channel the stream given to {@link #begin} writes to, at its end: the stream is flushed and the
     *     bytes copied by the kernel ({@link FileChannel#transferTo}, Linux's {@code copy_file_range}), not through
     *     this process's memory
     * @return the rows appended
     */
    long appendFile(FileChannel part, ParquetFooter footer, FileChannel target) throws IOException {
        requireNonNull(target, "target");
        closeRowGroup();
        out.flush();
        for (RowGroup g : footer.rowGroups()) {
            long delta = position - g.offset();
            for (long at = g.offset(), end = g.offset() + g.size(); at < end; ) {
                long n = part.transferTo(at, end - at, target);
                if (n <= 0) {
                    throw new java.io.EOFException("the file ended at " + at);
                }
                position += n;
                at += n;
            }
            rowGroups.add(g.movedBy(delta));
            totalRows += g.rows();
        }
        return footer.rows();
    }

    /** The bytes written to the current file so far. */
    long position() {
        return position;
    }

    /** Writes the open row group out, checking that a file is begun and no row is half given. */
    private void closeRowGroup() throws IOException {
        if (out == null) {
            throw new IllegalStateException("no file begun");
        }
        for (ColumnWriter c : columns) {
            if (c.written) {
                throw new IllegalStateException("a row was begun and not ended");
            }
        }
        if (rowsInGroup > 0) {
            flushRowGroup();
        }
    }

    private ColumnWriter column(int column, ColumnType type) {
        ColumnWriter c = columns[column];
        if (c.type != type) {
            throw wrongType(column, type.name());
        }
        return c;
    }

    private IllegalArgumentException wrongType(int column, String what) {
        Column c = schema.get(column);
        return new IllegalArgumentException("column " + c.name() + " holds " + c.type() + ", not " + what);
    }

    private void flushRowGroup() throws IOException {
        List<ChunkMeta> chunks = new ArrayList<>(columns.length);
        long groupStart = position;
        for (ColumnWriter c : columns) {
            c.finishPage(scratch);
            long offset = position;
            write(c.chunk);
            chunks.add(new ChunkMeta(offset, c.chunk.size(), c.chunkEntries, c.nullCount, c.hasStats, c.min, c.max));
            c.resetChunk();
        }
        rowGroups.add(new RowGroup(chunks, groupStart, position - groupStart, rowsInGroup));
        rowsInGroup = 0;
    }

    private void write(ByteSink bytes) throws IOException {
        bytes.writeTo(out);
        position += bytes.size();
    }

    private void write(byte[] bytes, int from, int length) throws IOException {
        out.write(bytes, from, length);
        position += length;
    }

    /** A column chunk as the footer describes it: where its pages lie, how many level entries, its statistics. */
    record ChunkMeta(long offset, long size, long entries, long nullCount, boolean hasStats, long min, long max) {
        ChunkMeta movedBy(long delta) {
            return new ChunkMeta(offset + delta, size, entries, nullCount, hasStats, min, max);
        }
    }

    /** A row group: its chunks, one per column and contiguous, from {@code offset} for {@code size} bytes. */
    record RowGroup(List<ChunkMeta> chunks, long offset, long size, int rows) {
        RowGroup movedBy(long delta) {
            List<ChunkMeta> moved = new ArrayList<>(chunks.size());
            for (ChunkMeta c : chunks) {
                moved.add(c.movedBy(delta));
            }
            return new RowGroup(moved, offset + delta, size, rows);
        }
    }

    /** A file's end: the metadata of these row groups, its length and the magic number. */
    ByteSink footer(List<RowGroup> rowGroups, long totalRows) {
        ByteSink footer = new ByteSink(4096 + 256 * columns.length * Math.max(1, rowGroups.size()));
        writeFileMetaData(new ThriftCompactWriter(footer), rowGroups, totalRows);
        int footerLength = footer.size();
        footer.int32(footerLength);
        footer.write(MAGIC, 0, MAGIC.length);
        return footer;
    }

    /** The footer of a file of this schema with no rows: what {@link #appendFile} checks a part's schema against. */
    private ParquetFooter emptyFileFooter() {
        ByteSink bytes = new ByteSink(1024);
        writeFileMetaData(new ThriftCompactWriter(bytes), List.of(), 0);
        try {
            return ParquetFooter.parse(bytes.bytes(), 0, bytes.size(), schema);
        } catch (ParquetFormatException e) {
            throw new IllegalStateException("this writer's own footer does not read back", e);
        }
    }

    private void writeFileMetaData(ThriftCompactWriter t, List<RowGroup> rowGroups, long totalRows) {
        int leaves = columns.length;
        int elements = 1;
        for (Column c : schema) {
            elements += c.type() == ColumnType.STRING_LIST ? 3 : 1;
        }
        t.beginMessage().i32(1, 1).beginList(2, ThriftCompactWriter.TYPE_STRUCT, elements);
        t.beginStructElement()
                .i32(3, REQUIRED)
                .string(4, "schema")
                .i32(5, schema.size())
                .endStruct();
        for (Column c : schema) {
            if (c.type() == ColumnType.STRING_LIST) {
                t.beginStructElement()
                        .i32(3, OPTIONAL)
                        .string(4, c.name())
                        .i32(5, 1)
                        .i32(6, 3) // LIST
                        .endStruct();
                t.beginStructElement()
                        .i32(3, REPEATED)
                        .string(4, "list")
                        .i32(5, 1)
                        .endStruct();
                t.beginStructElement()
                        .i32(1, c.type().physicalType)
                        .i32(3, OPTIONAL)
                        .string(4, "element")
                        .i32(6, c.type().convertedType)
                        .endStruct();
                continue;
            }
            t.beginStructElement()
                    .i32(1, c.type().physicalType)
                    .i32(3, OPTIONAL)
                    .string(4, c.name());
            if (c.type().convertedType >= 0) {
                t.i32(6, c.type().convertedType);
            }
            if (c.type() == ColumnType.TIMESTAMP_MICROS) {
                // LogicalType.TIMESTAMP {isAdjustedToUTC: false, unit: MICROS}: DuckDB's TIMESTAMP, not TIMESTAMPTZ.
                t.beginStruct(10)
                        .beginStruct(8)
                        .bool(1, false)
                        .beginStruct(2)
                        .beginStruct(2)
                        .endStruct()
                        .endStruct()
                        .endStruct()
                        .endStruct();
            }
            t.endStruct();
        }
        t.i64(3, totalRows).beginList(4, ThriftCompactWriter.TYPE_STRUCT, rowGroups.size());
        for (RowGroup g : rowGroups) {
            t.beginStructElement().beginList(1, ThriftCompactWriter.TYPE_STRUCT, leaves);
            for (int i = 0; i < leaves; i++) {
                writeColumnChunk(t, schema.get(i), g.chunks().get(i));
            }
            t.i64(2, g.size())
                    .i64(3, g.rows())
                    .i64(5, g.offset())
                    .i64(6, g.size())
                    .endStruct();
        }
        t.string(6, "Vigil").beginList(7, ThriftCompactWriter.TYPE_STRUCT, leaves);
        for (int i = 0; i < leaves; i++) {
            t.beginStructElement().beginStruct(1).endStruct().endStruct(); // TypeDefinedOrder
        }
        t.endMessage();
    }

    private static void writeColumnChunk(ThriftCompactWriter t, Column column, ChunkMeta chunk) {
        t.beginStructElement().i64(2, chunk.offset()).beginStruct(3);
        t.i32(1, column.type().physicalType)
                .beginList(2, ThriftCompactWriter.TYPE_I32, 2)
                .i32Element(ENCODING_PLAIN)
                .i32Element(ENCODING_RLE);
        if (column.type() == ColumnType.STRING_LIST) {
            t.beginList(3, ThriftCompactWriter.TYPE_BINARY, 3)
                    .binaryElement(column.name().getBytes(StandardCharsets.UTF_8))
                    .binaryElement("list".getBytes(StandardCharsets.US_ASCII))
                    .binaryElement("element".getBytes(StandardCharsets.US_ASCII));
        } else {
            t.beginList(3, ThriftCompactWriter.TYPE_BINARY, 1)
                    .binaryElement(column.name().getBytes(StandardCharsets.UTF_8));
        }
        t.i32(4, 0) // UNCOMPRESSED
                .i64(5, chunk.entries())
                .i64(6, chunk.size())
                .i64(7, chunk.size())
                .i64(9, chunk.offset())
                .beginStruct(12);
        if (chunk.hasStats()) {
            byte[] min = statBytes(column.type(), chunk.min());
            byte[] max = statBytes(column.type(), chunk.max());
            t.binary(1, max)
                    .binary(2, min)
                    .i64(3, chunk.nullCount())
                    .binary(5, max)
                    .binary(6, min);
        } else {
            t.i64(3, chunk.nullCount());
        }
        t.endStruct().endStruct().endStruct();
    }

    /** A statistic as plain encoding writes the value: four bytes for INT32, eight for INT64, little-endian. */
    private static byte[] statBytes(ColumnType type, long v) {
        byte[] bytes = new byte[type == ColumnType.INT16 ? 4 : 8];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (v >>> (8 * i));
        }
        return bytes;
    }

    /** One column's pages of the current row group, and the page being filled. */
    private static final class ColumnWriter {
        final ColumnType type;
        final int maxRepetition;
        final ByteSink values = new ByteSink(1 << 12);
        final LevelEncoder def;
        final LevelEncoder rep;
        final ByteSink chunk = new ByteSink(1 << 12);
        boolean written;
        /** Level entries (values and nulls) in the open page and in the chunk's closed pages. */
        int entries;

        long chunkEntries;
        long nullCount;
        boolean hasStats;
        long min;
        long max;
        private int bits;
        private int bitCount;

        ColumnWriter(ColumnType type) {
            this.type = type;
            maxRepetition = type == ColumnType.STRING_LIST ? 1 : 0;
            def = new LevelEncoder();
            rep = new LevelEncoder();
        }

        void present() {
            if (written) {
                throw new IllegalStateException("a column given twice in a row");
            }
            written = true;
            def.add(1);
            entries++;
        }

        void absent() {
            if (maxRepetition > 0) {
                rep.add(0);
            }
            def.add(0);
            entries++;
            nullCount++;
        }

        void stats(long v) {
            if (!hasStats) {
                hasStats = true;
                min = v;
                max = v;
            } else if (v < min) {
                min = v;
            } else if (v > max) {
                max = v;
            }
        }

        void bit(boolean v) {
            if (v) {
                bits |= 1 << bitCount;
            }
            if (++bitCount == 8) {
                values.write(bits);
                bits = 0;
                bitCount = 0;
            }
        }

        /** Closes the open page into the chunk: header, repetition and definition levels, values. */
        void finishPage(ByteSink scratch) {
            if (entries == 0) {
                return;
            }
            if (bitCount > 0) {
                values.write(bits);
                bits = 0;
                bitCount = 0;
            }
            scratch.reset();
            if (maxRepetition > 0) {
                rep.writeTo(scratch);
            }
            def.writeTo(scratch);
            int body = scratch.size() + values.size();
            new ThriftCompactWriter(chunk)
                    .beginMessage()
                    .i32(1, 0) // DATA_PAGE
                    .i32(2, body)
                    .i32(3, body)
                    .beginStruct(5)
                    .i32(1, entries)
                    .i32(2, ENCODING_PLAIN)
                    .i32(3, ENCODING_RLE)
                    .i32(4, ENCODING_RLE)
                    .endStruct()
                    .endMessage();
            chunk.write(scratch);
            chunk.write(values);
            values.reset();
            chunkEntries += entries;
            entries = 0;
        }

        void resetChunk() {
            chunk.reset();
            chunkEntries = 0;
            nullCount = 0;
            hasStats = false;
        }

        /** Forgets everything of an abandoned file. */
        void clear() {
            resetChunk();
            values.reset();
            def.clear();
            rep.clear();
            written = false;
            entries = 0;
            bits = 0;
            bitCount = 0;
        }

        void trim() {
            values.trim(KEPT_BUFFER_BYTES);
            chunk.trim(KEPT_BUFFER_BYTES);
        }
    }

    /**
     * Repetition or definition levels in Parquet's run-length/bit-packed hybrid, as runs only: a page's levels are
     * long runs (a column null in every row, present in every row) far more often than not. Every level here is at
     * most 3 (bit width 2), so a run's value takes one byte.
     */
    private static final class LevelEncoder {
        private final ByteSink runs = new ByteSink(64);
        private int value = -1;
        private int runLength;

        void add(int level) {
            if (level == value) {
                runLength++;
                return;
            }
            flushRun();
            value = level;
            runLength = 1;
        }

        /** Writes the page's levels, prefixed by their length as version 1 data pages want, and starts over. */
        void writeTo(ByteSink out) {
            flushRun();
            out.int32(runs.size());
            out.write(runs);
            clear();
        }

        void clear() {
            runs.reset();
            value = -1;
            runLength = 0;
        }

        private void flushRun() {
            if (runLength > 0) {
                runs.varint(runLength << 1);
                runs.write(value);
            }
        }
    }
}
