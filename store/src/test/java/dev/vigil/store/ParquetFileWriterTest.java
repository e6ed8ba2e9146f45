package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.store.ParquetFileWriter.Column;
import dev.vigil.store.ParquetFileWriter.ColumnType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Files from {@link ParquetFileWriter} read back through DuckDB (the reader the store uses) exactly as the rows
 * written, with the schema DuckDB itself writes for the same SQL types and the statistics it prunes by; over seeded
 * random rows, in one page and row group and split into many of each.
 */
class ParquetFileWriterTest {
    private static final List<Column> SCHEMA = List.of(
            new Column("tenant", ColumnType.STRING),
            new Column("seq", ColumnType.INT64),
            new Column("ts", ColumnType.TIMESTAMP_MICROS),
            new Column("nanos", ColumnType.INT16),
            new Column("tags", ColumnType.STRING_LIST),
            new Column("text", ColumnType.STRING),
            new Column("flag", ColumnType.BOOLEAN),
            new Column("never", ColumnType.STRING),
            new Column("count", ColumnType.INT64));

    @TempDir
    Path dir;

    /** One row as written: each value null (absent), or of its column's Java type. */
    private record Row(
            String tenant,
            Long seq,
            Long tsMicros,
            Short nanos,
            List<String> tags,
            String text,
            Boolean flag,
            Long count) {}

    @ParameterizedTest(name = "pages of {0} bytes, row groups of {1} rows, seed {2}")
    @CsvSource({"1048576, 122880, 20261127", "64, 7, 5", "1, 1, 11", "4096, 1000, 3"})
    void duckDbReadsBackEveryRowAsWritten(int pageBytes, int rowGroupRows, long seed) throws Exception {
        Random random = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(3_000); i < n; i++) {
            rows.add(randomRow(random, i));
        }
        // One writer for two files, as the store reuses it: the second must carry nothing of the first.
        ParquetFileWriter writer = new ParquetFileWriter(SCHEMA, pageBytes, rowGroupRows);
        List<Row> first = new ArrayList<>();
        for (int i = 0, n = random.nextInt(50); i < n; i++) {
            first.add(randomRow(random, i));
        }
        write(writer, dir.resolve("first.parquet"), first);
        Path file = dir.resolve("rows.parquet");
        write(writer, file, rows);

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            assertReadsBack(s, file, rows, "seed " + seed);

            // The SQL types DuckDB reads, and the schema DuckDB itself writes for them: files of both writers read as
            // one.
            List<String> types = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
                while (rs.next()) {
                    types.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
            assertThat(types)
                    .containsExactly(
                            "tenant VARCHAR",
                            "seq BIGINT",
                            "ts TIMESTAMP",
                            "nanos SMALLINT",
                            "tags VARCHAR[]",
                            "text VARCHAR",
                            "flag BOOLEAN",
                            "never VARCHAR",
                            "count BIGINT");
            Path duckDbs = dir.resolve("duckdb.parquet");
            s.execute("CREATE TABLE typed (tenant VARCHAR, seq BIGINT, ts TIMESTAMP, nanos SMALLINT, tags VARCHAR[],"
                    + " text VARCHAR, flag BOOLEAN, never VARCHAR, count BIGINT)");
            s.execute("COPY typed TO '" + duckDbs + "' (FORMAT parquet)");
            assertThat(schema(s, file)).isEqualTo(schema(s, duckDbs));

            // Row groups as configured, each with the min and max DuckDB prunes by, and null counts.
            int expectedGroups = (rows.size() + rowGroupRows - 1) / rowGroupRows;
            List<List<Row>> groups = new ArrayList<>();
            for (int g = 0; g < expectedGroups; g++) {
                groups.add(rows.subList(g * rowGroupRows, Math.min(rows.size(), (g + 1) * rowGroupRows)));
            }
            for (String column : List.of("seq", "ts", "nanos", "count")) {
                assertStatistics(s, file, column, groups, seed);
            }
            // A filter on the timestamps' statistics gives the rows the filter asks for.
            long cut = rows.get(rows.size() / 2).tsMicros() == null
                    ? 0
                    : rows.get(rows.size() / 2).tsMicros();
            long expectedAfter = rows.stream()
                    .filter(r -> r.tsMicros() != null && r.tsMicros() >= cut)
                    .count();
            try (ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM read_parquet('" + file + "') WHERE ts >= make_timestamp(" + cut + ")")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(expectedAfter);
            }
        }
    }

    @Test
    void aFileWithoutRowsReadsAsEmpty() throws Exception {
        Path file = dir.resolve("empty.parquet");
        write(new ParquetFileWriter(SCHEMA), file, List.of());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), count(seq) FROM read_parquet('" + file + "')")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    /** Wide rows close a row group by its bytes before its row count, so memory stays bounded. */
    @Test
    void wideRowsCloseRowGroupsByBytes() throws Exception {
        Random random = new Random(99);
        List<Row> rows = new ArrayList<>();
        String wide = "x".repeat(200_000);
        for (int i = 0; i < 400; i++) {
            rows.add(new Row(
                    "t", (long) i, 1_700_000_000_000_000L + i, null, List.of(), wide + i, random.nextBoolean(), null));
        }
        Path file = dir.resolve("wide.parquet");
        write(new ParquetFileWriter(SCHEMA), file, rows);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(
                    "SELECT count(DISTINCT row_group_id), max(row_group_num_rows) FROM parquet_metadata('" + file
                            + "')")) {
                rs.next();
                long groups = rs.getLong(1);
                assertThat(groups).isGreaterThanOrEqualTo((400L * 200_000) / ParquetFileWriter.ROW_GROUP_BYTES);
                assertThat(rs.getLong(2)).isLessThan(400);
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT count(*), sum(length(text)), min(seq), max(seq) FROM read_parquet('" + file + "')")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(400);
                long chars = rows.stream().mapToLong(r -> r.text().length()).sum();
                assertThat(rs.getLong(2)).isEqualTo(chars);
                assertThat(rs.getLong(4)).isEqualTo(399);
            }
        }
    }

    /**
     * Files appended by {@link ParquetFileWriter#appendFile} read back as their rows in order, with each part's row
     * groups and statistics kept, also between rows the merging writer wrote itself; over seeded random parts of
     * random page and row group sizes.
     */
    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"20261127", "1", "2", "3", "4", "5"})
    void appendedFilesReadBackAsTheirRowsInOrder(long seed) throws Exception {
        Random random = new Random(seed);
        List<Row> expected = new ArrayList<>();
        List<List<Row>> expectedGroups = new ArrayList<>();
        List<Path> parts = new ArrayList<>();
        List<Integer> partRows = new ArrayList<>();
        List<List<Row>> directBefore = new ArrayList<>();
        for (int p = 0, n = 1 + random.nextInt(6); p < n; p++) {
            int pageBytes = random.nextBoolean() ? ParquetFileWriter.PAGE_BYTES : 1 + random.nextInt(2_000);
            int rowGroupRows = random.nextBoolean() ? ParquetFileWriter.ROW_GROUP_ROWS : 1 + random.nextInt(300);
            List<Row> rows = new ArrayList<>();
            for (int i = 0, count = random.nextInt(4) == 0 ? 0 : random.nextInt(1_000); i < count; i++) {
                rows.add(randomRow(random, expected.size() + i));
            }
            Path part = dir.resolve("part-" + p + ".parquet");
            write(new ParquetFileWriter(SCHEMA, pageBytes, rowGroupRows), part, rows);
            parts.add(part);
            partRows.add(rows.size());
            List<Row> direct = directRows(random);
            // Rows the merging writer writes itself before this part: one row group of their own, closed by it.
            directBefore.add(direct);
            if (!direct.isEmpty()) {
                expectedGroups.add(direct);
                expected.addAll(direct);
            }
            for (int g = 0; g * rowGroupRows < rows.size(); g++) {
                expectedGroups.add(rows.subList(g * rowGroupRows, Math.min(rows.size(), (g + 1) * rowGroupRows)));
            }
            expected.addAll(rows);
        }
        List<Row> after = directRows(random);
        if (!after.isEmpty()) {
            expectedGroups.add(after);
            expected.addAll(after);
        }

        Path merged = dir.resolve("merged.parquet");
        ParquetFileWriter writer = new ParquetFileWriter(SCHEMA);
        try (FileChannel channel = FileChannel.open(merged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel))) {
            writer.begin(out);
            for (int p = 0; p < parts.size(); p++) {
                for (Row row : directBefore.get(p)) {
                    writeRow(writer, row);
                }
                try (FileChannel in = FileChannel.open(parts.get(p), StandardOpenOption.READ)) {
                    long appended = writer.appendFile(in, writer.readPart(in), channel);
                    assertThat(appended).isEqualTo((long) partRows.get(p));
                }
            }
            for (Row row : after) {
                writeRow(writer, row);
            }
            writer.finish();
        }
        assertThat(writer.rows()).isEqualTo(expected.size());
        List<Long> seqs =
                expected.stream().map(Row::seq).filter(v -> v != null).sorted().toList();
        if (seqs.isEmpty()) {
            assertThat(writer.range(1)).isNull();
        } else {
            assertThat(writer.range(1)).containsExactly(seqs.get(0), seqs.get(seqs.size() - 1));
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            assertReadsBack(s, merged, expected, "the merged file of seed " + seed);
            for (String column : List.of("seq", "ts", "nanos", "count")) {
                assertStatistics(s, merged, column, expectedGroups, seed);
            }
            assertThat(schema(s, merged)).isEqualTo(schema(s, parts.get(0)));
        }
    }

    /**
     * A file the writer did not write for its schema, uncompressed, is refused with nothing of it written: DuckDB's
     * files (compressed or not), a file of another schema, truncated files and files with damaged footers. The rows
     * appended before and after a refusal make a good file.
     */
    @Test
    void filesItCannotCopyAreRefusedAndNothingOfThemIsWritten() throws Exception {
        Random random = new Random(7);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(randomRow(random, i));
        }
        Path good = dir.resolve("good.parquet");
        write(new ParquetFileWriter(SCHEMA, 512, 50), good, rows);
        byte[] goodBytes = Files.readAllBytes(good);

        List<Path> refused = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            for (String codec : List.of("zstd", "uncompressed")) {
                Path duckDbs = dir.resolve("duckdb-" + codec + ".parquet");
                s.execute("COPY (SELECT * FROM read_parquet('" + good + "')) TO '" + duckDbs
                        + "' (FORMAT parquet, COMPRESSION " + codec + ")");
                refused.add(duckDbs);
            }
        }
        Path otherSchema = dir.resolve("other-schema.parquet");
        try (OutputStream out = Files.newOutputStream(otherSchema)) {
            ParquetFileWriter other = new ParquetFileWriter(List.of(new Column("tenant", ColumnType.STRING)));
            other.begin(out);
            other.string(0, "acme");
            other.endRow();
            other.finish();
        }
        refused.add(otherSchema);
        for (int cut : new int[] {1, 8, 100, goodBytes.length / 2, goodBytes.length - 4}) {
            Path truncated = dir.resolve("truncated-" + cut + ".parquet");
            Files.write(truncated, Arrays.copyOf(goodBytes, goodBytes.length - cut));
            refused.add(truncated);
        }
        // A footer naming the first row group's bytes twice (the second group's offsets pointed back at the first):
        // read as it says, it would copy those rows twice.
        Path twice = dir.resolve("twice.parquet");
        Files.write(twice, footerWithSecondGroupAtTheFirst(goodBytes));
        refused.add(twice);
        int footerLength = java.nio.ByteBuffer.wrap(goodBytes, goodBytes.length - 8, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getInt();
        int footerStart = goodBytes.length - 8 - footerLength;

        Path merged = dir.resolve("merged.parquet");
        ParquetFileWriter writer = new ParquetFileWriter(SCHEMA);
        List<Row> expected = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(merged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel))) {
            writer.begin(out);
            append(writer, good, channel);
            expected.addAll(rows);
            for (Path bad : refused) {
                long position = writer.position();
                try (FileChannel in = FileChannel.open(bad, StandardOpenOption.READ)) {
                    assertThatThrownBy(() -> writer.readPart(in))
                            .as(bad.getFileName().toString())
                            .isInstanceOf(ParquetFormatException.class);
                }
                assertThat(writer.position()).as("bytes written for %s", bad).isEqualTo(position);
            }
            // Damaged footers: each a seeded random byte changed. Some changes still parse (a count, a statistic);
            // what matters is that none escapes as anything but a refusal, or is half written.
            int accepted = 0;
            for (int i = 0; i < 300; i++) {
                byte[] damaged = goodBytes.clone();
                int at = footerStart + random.nextInt(footerLength);
                damaged[at] = (byte) (damaged[at] ^ (1 + random.nextInt(255)));
                Path file = dir.resolve("damaged.parquet");
                Files.write(file, damaged);
                ParquetFileWriter probe = new ParquetFileWriter(SCHEMA);
                try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
                        FileChannel target = FileChannel.open(
                                dir.resolve("probe.parquet"),
                                StandardOpenOption.CREATE,
                                StandardOpenOption.TRUNCATE_EXISTING,
                                StandardOpenOption.WRITE)) {
                    probe.begin(java.nio.channels.Channels.newOutputStream(target));
                    probe.appendFile(in, probe.readPart(in), target);
                    accepted++;
                } catch (ParquetFormatException expectedRefusal) {
                    assertThat(probe.rows()).isZero();
                    assertThat(probe.position())
                            .as("only the magic number written")
                            .isEqualTo(4);
                }
            }
            assertThat(accepted)
                    .as("changed bytes the footer's checks let pass")
                    .isLessThan(150);
            append(writer, good, channel);
            expected.addAll(rows);
            writer.finish();
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            assertReadsBack(s, merged, expected, "the good parts around the refused ones");
        }
    }

    /**
     * The file with its footer rewritten so that the second row group's chunks and offset are the first's: each group
     * still lies inside the data and its chunks follow each other, only the two groups overlap.
     */
    private static byte[] footerWithSecondGroupAtTheFirst(byte[] file) throws ParquetFormatException {
        int footerLength = java.nio.ByteBuffer.wrap(file, file.length - 8, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getInt();
        int footerStart = file.length - 8 - footerLength;
        ParquetFooter footer = ParquetFooter.parse(file, footerStart, footerStart + footerLength, SCHEMA);
        List<ParquetFileWriter.RowGroup> groups = footer.rowGroups();
        assertThat(groups).hasSizeGreaterThan(1);
        ParquetFileWriter.RowGroup first = groups.get(0);
        ParquetFileWriter.RowGroup second = groups.get(1);
        List<ParquetFileWriter.RowGroup> damaged = new ArrayList<>(groups);
        damaged.set(1, new ParquetFileWriter.RowGroup(first.chunks(), first.offset(), first.size(), second.rows()));
        ByteSink end = new ParquetFileWriter(SCHEMA).footer(damaged, footer.rows());
        byte[] out = Arrays.copyOf(file, footerStart + end.size());
        System.arraycopy(end.bytes(), 0, out, footerStart, end.size());
        return out;
    }

    /** Rows a merging writer writes itself, as many as fit one row group: often none, sometimes a few dozen. */
    private static List<Row> directRows(Random random) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0, n = random.nextInt(3) == 0 ? 0 : random.nextInt(40); i < n; i++) {
            rows.add(randomRow(random, -1 - i));
        }
        return rows;
    }

    private static void append(ParquetFileWriter writer, Path part, FileChannel target) throws Exception {
        try (FileChannel in = FileChannel.open(part, StandardOpenOption.READ)) {
            writer.appendFile(in, writer.readPart(in), target);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"a value of another column's type", "a value given twice in a row"})
    void misuseIsRefusedNotWrittenWrong(String misuse) throws IOException {
        try (OutputStream out = Files.newOutputStream(dir.resolve("x.parquet"))) {
            ParquetFileWriter w = new ParquetFileWriter(SCHEMA);
            w.begin(out);
            if (misuse.startsWith("a value of")) {
                assertThatThrownBy(() -> w.int64(0, 1L))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("column tenant holds STRING");
            } else {
                w.int64(1, 1L);
                assertThatThrownBy(() -> w.int64(1, 2L)).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    /** Every row of {@code file} through DuckDB, in order, equal to {@code rows}. */
    private static void assertReadsBack(Statement s, Path file, List<Row> rows, String what) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT tenant, seq, epoch_us(ts), nanos, tags, text, flag, never, count"
                + " FROM read_parquet('" + file + "')")) {
            int i = 0;
            while (rs.next()) {
                Row expected = rows.get(i);
                String at = "row " + i + " of " + what;
                assertThat(rs.getString(1)).as(at).isEqualTo(expected.tenant());
                assertThat(longOrNull(rs, 2)).as(at).isEqualTo(expected.seq());
                assertThat(longOrNull(rs, 3)).as(at).isEqualTo(expected.tsMicros());
                assertThat(rs.getObject(4) == null ? null : rs.getShort(4))
                        .as(at)
                        .isEqualTo(expected.nanos());
                assertThat(list(rs.getArray(5))).as(at).isEqualTo(expected.tags());
                assertThat(rs.getString(6)).as(at).isEqualTo(expected.text());
                assertThat(rs.getObject(7) == null ? null : rs.getBoolean(7))
                        .as(at)
                        .isEqualTo(expected.flag());
                assertThat(rs.getString(8)).as(at).isNull();
                assertThat(longOrNull(rs, 9)).as(at).isEqualTo(expected.count());
                i++;
            }
            assertThat(i).as("rows read, %s", what).isEqualTo(rows.size());
        }
    }

    private static Row randomRow(Random r, int i) {
        return new Row(
                r.nextInt(10) == 0 ? null : "tenant-" + r.nextInt(3),
                r.nextInt(20) == 0 ? null : r.nextInt(5) == 0 ? randomLong(r) : (long) i,
                r.nextInt(20) == 0 ? null : 1_700_000_000_000_000L + r.nextInt(1_000_000_000),
                r.nextInt(3) == 0 ? null : (short) (r.nextInt(2_000) - 1_000),
                r.nextInt(6) == 0 ? null : randomList(r),
                r.nextInt(4) == 0 ? null : randomText(r),
                r.nextInt(3) == 0 ? null : r.nextBoolean(),
                r.nextInt(2) == 0 ? null : randomLong(r));
    }

    private static long randomLong(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> Long.MIN_VALUE;
            case 1 -> Long.MAX_VALUE;
            default -> r.nextLong();
        };
    }

    private static List<String> randomList(Random r) {
        List<String> list = new ArrayList<>();
        for (int n = r.nextInt(5); n > 0; n--) {
            list.add(randomText(r));
        }
        return list;
    }

    private static String randomText(Random r) {
        String pool = "aZ09 \"\\/\n\t\u00e9\u4e2d\ud83d\ude00";
        StringBuilder b = new StringBuilder();
        for (int n = r.nextInt(r.nextInt(10) == 0 ? 500 : 12); n > 0; n--) {
            int at = r.nextInt(pool.length() - 1);
            char c = pool.charAt(at);
            if (Character.isHighSurrogate(c)) {
                b.append(c).append(pool.charAt(at + 1)); // the emoji's pair, never half of it
            } else if (!Character.isLowSurrogate(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void write(ParquetFileWriter w, Path file, List<Row> rows) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            w.begin(out);
            for (Row row : rows) {
                writeRow(w, row);
            }
            w.finish();
            assertThat(w.rows()).isEqualTo(rows.size());
        }
    }

    private static void writeRow(ParquetFileWriter w, Row row) throws IOException {
        if (row.tenant() != null) {
            w.string(0, row.tenant());
        }
        if (row.seq() != null) {
            w.int64(1, row.seq());
        }
        if (row.tsMicros() != null) {
            w.int64(2, row.tsMicros());
        }
        if (row.nanos() != null) {
            w.int16(3, row.nanos());
        }
        if (row.tags() != null) {
            w.stringList(4, row.tags());
        }
        if (row.text() != null) {
            w.string(5, row.text());
        }
        if (row.flag() != null) {
            w.bool(6, row.flag());
        }
        if (row.count() != null) {
            w.int64(8, row.count());
        }
        w.endRow();
    }

    /** Each row group's min, max and null count of an integer column, as DuckDB reads them from the footer. */
    private static void assertStatistics(Statement s, Path file, String column, List<List<Row>> groups, long seed)
            throws SQLException {
        String min = column.equals("ts") ? "epoch_us(CAST(stats_min_value AS TIMESTAMP))" : "stats_min_value";
        String max = column.equals("ts") ? "epoch_us(CAST(stats_max_value AS TIMESTAMP))" : "stats_max_value";
        try (ResultSet rs = s.executeQuery("SELECT row_group_id, row_group_num_rows, " + min + ", " + max
                + ", stats_null_count FROM parquet_metadata('" + file + "')"
                + " WHERE path_in_schema = '" + column + "' ORDER BY row_group_id")) {
            int g = 0;
            while (rs.next()) {
                List<Row> group = groups.get(g);
                String at = column + " in row group " + g + " of seed " + seed;
                assertThat(rs.getLong(2)).as(at).isEqualTo(group.size());
                List<Long> values = group.stream()
                        .map(r -> switch (column) {
                            case "seq" -> r.seq();
                            case "ts" -> r.tsMicros();
                            case "nanos" -> r.nanos() == null ? null : (long) r.nanos();
                            default -> r.count();
                        })
                        .filter(v -> v != null)
                        .sorted()
                        .toList();
                if (values.isEmpty()) {
                    assertThat(rs.getString(3)).as(at).isNull();
                } else {
                    assertThat(rs.getLong(3)).as(at).isEqualTo(values.get(0));
                    assertThat(rs.getLong(4)).as(at).isEqualTo(values.get(values.size() - 1));
                }
                assertThat(rs.getLong(5)).as(at).isEqualTo(group.size() - values.size());
                g++;
            }
            assertThat(g).as("row groups of %s", column).isEqualTo(groups.size());
        }
    }

    private static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static List<String> list(Array array) throws SQLException {
        return array == null ? null : Arrays.asList(toStrings((Object[]) array.getArray()));
    }

    private static String[] toStrings(Object[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (String) values[i];
        }
        return out;
    }

    /** Each schema element as DuckDB describes it: name, types, repetition, converted and logical type. */
    private static List<String> schema(Statement s, Path file) throws SQLException {
        List<String> elements = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT name, type, repetition_type, num_children, converted_type,"
                + " logical_type, duckdb_type FROM parquet_schema('" + file + "') OFFSET 1")) {
            while (rs.next()) {
                StringBuilder e = new StringBuilder();
                for (int i = 1; i <= 7; i++) {
                    e.append(rs.getString(i)).append(' ');
                }
                elements.add(e.toString());
            }
        }
        return elements;
    }
}
