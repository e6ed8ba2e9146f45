package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The columns of one stored event, and how a batch file's rows are written ({@link RowEncoder}). The
 * {@code text} column (a lower-cased copy of the values, kept by older stores) is NULL in new rows: it doubled the
 * cost of writing, and bare terms search the original instead.
 */
final class EventRow {
    /** Column order of the events table and of every partition file. */
    static final List<String> COLUMNS;

    static {
        List<String> cols = new ArrayList<>(List.of(
                "tenant",
                "seq",
                "ts",
                "ts_nano",
                "received",
                "product",
                "categories",
                "services",
                "source_name",
                "source_record",
                "fields",
                "original",
                "text",
                "ip_keys",
                "overflow"));
        for (PromotedField p : PromotedField.ALL) {
            cols.add(p.column());
            if (p.kind() == PromotedField.Kind.IP) {
                cols.add(p.keyColumn());
            }
        }
        COLUMNS = List.copyOf(cols);
    }

    static String createTable(String name) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS " + name + " (tenant VARCHAR NOT NULL, "
                + "seq BIGINT NOT NULL, ts TIMESTAMP NOT NULL, ts_nano SMALLINT, received TIMESTAMP NOT NULL, "
                + "product VARCHAR, categories VARCHAR[], services VARCHAR[], source_name VARCHAR, "
                + "source_record BIGINT, fields VARCHAR NOT NULL, original VARCHAR, text VARCHAR NOT NULL, "
                + "ip_keys VARCHAR, overflow BOOLEAN NOT NULL");
        for (PromotedField p : PromotedField.ALL) {
            sql.append(", ").append(p.column()).append(p.kind() == PromotedField.Kind.LONG ? " BIGINT" : " VARCHAR");
            if (p.kind() == PromotedField.Kind.IP) {
                sql.append(", ").append(p.keyColumn()).append(" VARCHAR");
            }
        }
        return sql.append(')').toString();
    }

    private EventRow() {}

    /** {@link #COLUMNS} with the Parquet types batch files give them: the SQL types of {@link #createTable}. */
    static final List<ParquetFileWriter.Column> PARQUET_SCHEMA;

    static {
        List<ParquetFileWriter.Column> schema = new ArrayList<>();
        for (String column : COLUMNS) {
            schema.add(new ParquetFileWriter.Column(column, parquetType(column)));
        }
        PARQUET_SCHEMA = List.copyOf(schema);
    }

    private static ParquetFileWriter.ColumnType parquetType(String column) {
        return switch (column) {
            case "seq", "source_record" -> ParquetFileWriter.ColumnType.INT64;
            case "ts", "received" -> ParquetFileWriter.ColumnType.TIMESTAMP_MICROS;
            case "ts_nano" -> ParquetFileWriter.ColumnType.INT16;
            case "categories", "services" -> ParquetFileWriter.ColumnType.STRING_LIST;
            case "overflow" -> ParquetFileWriter.ColumnType.BOOLEAN;
            default -> {
                PromotedField p = PromotedField.BY_COLUMN.get(column);
                yield p != null && p.kind() == PromotedField.Kind.LONG
                        ? ParquetFileWriter.ColumnType.INT64
                        : ParquetFileWriter.ColumnType.STRING;
            }
        };
    }

    private static final int TENANT = COLUMNS.indexOf("tenant");
    private static final int SEQ = COLUMNS.indexOf("seq");
    private static final int TS = COLUMNS.indexOf("ts");
    private static final int TS_NANO = COLUMNS.indexOf("ts_nano");
    private static final int RECEIVED = COLUMNS.indexOf("received");
    private static final int PRODUCT = COLUMNS.indexOf("product");
    private static final int CATEGORIES = COLUMNS.indexOf("categories");
    private static final int SERVICES = COLUMNS.indexOf("services");
    private static final int SOURCE_NAME = COLUMNS.indexOf("source_name");
    private static final int SOURCE_RECORD = COLUMNS.indexOf("source_record");
    private static final int FIELDS = COLUMNS.indexOf("fields");
    private static final int ORIGINAL = COLUMNS.indexOf("original");
    private static final int IP_KEYS = COLUMNS.indexOf("ip_keys");
    private static final int OVERFLOW = COLUMNS.indexOf("overflow");
    private static final int[] PROMOTED = new int[PromotedField.ALL.size()];
    private static final int[] PROMOTED_KEY = new int[PromotedField.ALL.size()];

    static {
        for (int i = 0; i < PROMOTED.length; i++) {
            PromotedField p = PromotedField.ALL.get(i);
            PROMOTED[i] = COLUMNS.indexOf(p.column());
            PROMOTED_KEY[i] = p.kind() == PromotedField.Kind.IP ? COLUMNS.indexOf(p.keyColumn()) : -1;
        }
    }

    /**
     * Writes events as rows of a batch file: the times, promoted fields and address keys computed here, the fields and
     * the original as their JSON text (copied from the log record when the event is the one decoded from it), the
     * {@code text} column NULL (bare terms search the original, see {@link QuerySql}). Every string is written
     * well-formed: a lone UTF-16 surrogate, which a JSON escape can carry into a record, becomes U+FFFD, because
     * DuckDB refuses such text in its JSON functions and in Parquet strings. One per writing thread.
     */
    static final class RowEncoder {
        private final EventJson json;
        private final JsonColumn fields;
        private final JsonColumn original;

        RowEncoder(EventJson json) {
            this.json = requireNonNull(json, "json");
            fields = new JsonColumn(json, "fields", 4096);
            original = new JsonColumn(json, "original", 1024);
        }

        /**
         * Appends the event as a row of {@code file}.
         *
         * @param tenantUtf8 the tenant column's value (the file's tenant)
         * @param promotedText receives, per {@link PromotedField#ALL} index, the text written to each string column,
         *     or {@code null} for none (the rollup counts these very strings)
         * @return whether some promoted value did not fit its column (the row's {@code overflow} flag), and whether
         *     some text had a lone surrogate replaced
         * @throws IllegalArgumentException when a value cannot be encoded; nothing of the row is written then
         */
        RowResult append(ParquetFileWriter file, byte[] tenantUtf8, StoredEvent stored, String[] promotedText)
                throws IOException {
            Event e = stored.event();
            // The JSON first: it is the one part that can fail, and a row is written whole or not at all.
            boolean repaired = encodeJson(stored);
            long receivedMicros = QuerySql.micros(stored.received());
            long tsMicros = e.timestamp() != null ? QuerySql.micros(e.timestamp()) : receivedMicros;
            file.string(TENANT, tenantUtf8, 0, tenantUtf8.length);
            file.int64(SEQ, stored.seq());
            file.int64(TS, tsMicros);
            if (e.timestamp() != null) {
                file.int16(TS_NANO, (short) (e.timestamp().getNano() % 1000));
            }
            file.int64(RECEIVED, receivedMicros);
            LogSource source = e.logSource();
            if (source.product() != null) {
                String product = EventJson.wellFormed(source.product());
                repaired |= product != source.product();
                file.string(PRODUCT, product);
            }
            repaired |= writeStrings(file, CATEGORIES, source.categories());
            repaired |= writeStrings(file, SERVICES, source.services());
            if (e.source() != null) {
                String name = EventJson.wellFormed(e.source().source());
                repaired |= name != e.source().source();
                file.string(SOURCE_NAME, name);
                file.int64(SOURCE_RECORD, e.source().record());
            }
            fields.writeTo(file, FIELDS);
            original.writeTo(file, ORIGINAL);
            Map<String, Object> ipKeys = ipKeys(e.fields());
            if (!ipKeys.isEmpty()) {
                // Keys are addresses in a canonical form, names as the fields' JSON has them (well-formed).
                file.string(IP_KEYS, EventJson.wellFormed(json.valueToJson(ipKeys)));
            }
            boolean overflow = false;
            Arrays.fill(promotedText, null);
            for (int i = 0; i < PROMOTED.length; i++) {
                PromotedField p = PromotedField.ALL.get(i);
                Object v = e.field(p.field());
                if (v == Event.MISSING || v == null) {
                    continue;
                }
                if (p.kind() == PromotedField.Kind.LONG) {
                    Long l = canonicalLong(v);
                    if (l == null) {
                        overflow = true;
                    } else {
                        file.int64(PROMOTED[i], l);
                    }
                } else if (v instanceof String s) {
                    String text = EventJson.wellFormed(s);
                    repaired |= text != s;
                    file.string(PROMOTED[i], text);
                    promotedText[i] = text;
                    if (PROMOTED_KEY[i] >= 0) {
                        // The flat field's key is in ipKeys already (IpKey.of of this very string); else compute it.
                        String key = ipKeys.get(p.field()) instanceof String known ? known : IpKey.of(text);
                        if (key != null) {
                            file.string(PROMOTED_KEY[i], key);
                        }
                    }
                } else {
                    overflow = true;
                }
            }
            file.bool(OVERFLOW, overflow);
            file.endRow();
            return new RowResult(tsMicros, overflow, repaired);
        }

        /**
         * Lets go of the last row's bytes (a log record's array) and of buffers grown past {@link
         * ParquetFileWriter#KEPT_BUFFER_BYTES} by a large event: called after each file.
         */
        void trim() {
            fields.trim();
            original.trim();
        }

        /** The fields' JSON as the last row (or {@link #encodeJson}) wrote it. */
        String fieldsText() {
            return fields.text();
        }

        /** The original's JSON as the last row wrote it, or null. */
        String originalText() {
            return original.text();
        }

        /**
         * Finds the JSON of the event's fields and original: the log record's bytes when the event is the one decoded
         * from them and they can be stored as they are ({@link EventJson#isStorableText}), else encoded here; text
         * with a lone surrogate is encoded again well-formed.
         *
         * @return whether a lone surrogate was replaced
         */
        boolean encodeJson(StoredEvent stored) throws IOException {
            Event e = stored.event();
            EncodedEvent encoded = stored.encoded() != null && stored.encoded().encodes(e) ? stored.encoded() : null;
            boolean repaired = encoded == null
                    ? fields.encode(e.fields())
                    : fields.copyOrEncode(encoded, encoded.fieldsFrom(), encoded.fieldsTo(), e.fields());
            if (e.original() == null) {
                original.clear();
            } else {
                repaired |= encoded == null
                        ? original.encode(e.original())
                        : original.copyOrEncode(encoded, encoded.originalFrom(), encoded.originalTo(), e.original());
            }
            return repaired;
        }

        private static boolean writeStrings(ParquetFileWriter file, int column, Set<String> values) {
            boolean repaired = false;
            for (String v : values) {
                if (EventJson.wellFormed(v) != v) {
                    repaired = true;
                    break;
                }
            }
            if (!repaired) {
                file.stringList(column, values);
                return false;
            }
            List<String> wellFormed = new ArrayList<>(values.size());
            values.forEach(v -> wellFormed.add(EventJson.wellFormed(v)));
            file.stringList(column, wellFormed);
            return true;
        }
    }

    /**
     * The JSON text of one column of a row (the fields, the original): a span of a log record's bytes, or what its
     * own generator wrote into its own buffer.
     */
    private static final class JsonColumn {
        private final EventJson json;
        private final String path;
        private final ByteSink buffer;
        private JsonGenerator generator;
        private byte[] bytes;
        private int from;
        private int length;

        JsonColumn(EventJson json, String path, int capacity) {
            this.json = json;
            this.path = path;
            this.buffer = new ByteSink(capacity);
        }

        /** Takes the record's span when it can be stored as it is, else encodes {@code value}. */
        boolean copyOrEncode(EncodedEvent record, int spanFrom, int spanTo, Object value) throws IOException {
            if (!record.storable() && !EventJson.isStorableText(record.bytes(), spanFrom, spanTo)) {
                return encode(value);
            }
            bytes = record.bytes();
            from = spanFrom;
            length = spanTo - spanFrom;
            return false;
        }

        /**
         * Encodes {@code value}, again well-formed when the first encoding holds a lone surrogate (the only
         * surrogates this codec escapes).
         *
         * @return whether it was encoded again
         */
        boolean encode(Object value) throws IOException {
            write(value, false);
            boolean repaired = !EventJson.isStorableText(buffer.bytes(), 0, buffer.size());
            if (repaired) {
                write(value, true);
            }
            bytes = buffer.bytes();
            from = 0;
            length = buffer.size();
            return repaired;
        }

        /** No value in this row: the column is null. */
        void clear() {
            bytes = null;
        }

        void writeTo(ParquetFileWriter file, int column) {
            if (bytes != null) {
                file.string(column, bytes, from, length);
            }
        }

        String text() {
            return bytes == null ? null : new String(bytes, from, length, StandardCharsets.UTF_8);
        }

        void trim() {
            buffer.trim(ParquetFileWriter.KEPT_BUFFER_BYTES);
            bytes = null;
        }

        private void write(Object value, boolean wellFormed) throws IOException {
            buffer.reset();
            if (generator == null) {
                generator = json.generator(buffer.asOutputStream());
                generator.setRootValueSeparator(null);
            }
            try {
                EventJson.writeValue(generator, value, path, wellFormed);
                generator.flush();
            } catch (IOException | RuntimeException bad) {
                // Left inside a value: the next row starts with a new generator.
                closeQuietly(generator);
                generator = null;
                throw bad;
            }
        }

        private static void closeQuietly(JsonGenerator g) {
            try {
                g.close();
            } catch (IOException e) {
                // Only an in-memory buffer behind it: nothing to lose.
            }
        }
    }

    /**
     * What {@link RowEncoder#append} wrote and found: the row's {@code ts} (the event's time, else when it was
     * received), its overflow flag, and whether a lone surrogate was replaced.
     */
    record RowResult(long tsMicros, boolean overflow, boolean repaired) {}

    /** Whether some promoted value of the event does not fit its column: the row's {@code overflow} flag. */
    static boolean overflows(Event e) {
        for (PromotedField p : PromotedField.ALL) {
            Object v = e.field(p.field());
            if (v == Event.MISSING || v == null) {
                continue;
            }
            if (p.kind() == PromotedField.Kind.LONG ? canonicalLong(v) == null : !(v instanceof String)) {
                return true;
            }
        }
        return false;
    }

    private static Long canonicalLong(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof String s && !s.isEmpty() && s.length() < 20) {
            try {
                long parsed = Long.parseLong(s);
                return Long.toString(parsed).equals(s) ? parsed : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * The address keys of every flat field value that is an IP address (lists keep only their addresses); an empty
     * map, allocating nothing, when there is none. {@code forEach}, not the entry set: an event's fields are a
     * read-only view whose entry set wraps every entry in an object of its own.
     */
    static Map<String, Object> ipKeys(Map<String, Object> fields) {
        var found = new Object() {
            Map<String, Object> keys;
        };
        fields.forEach((name, value) -> {
            Object key = null;
            if (value instanceof String s) {
                key = IpKey.of(s);
            } else if (value instanceof List<?> list) {
                List<Object> listKeys = null;
                for (Object o : list) {
                    if (o instanceof String s && IpKey.of(s) instanceof String k) {
                        if (listKeys == null) {
                            listKeys = new ArrayList<>();
                        }
                        listKeys.add(k);
                    }
                }
                key = listKeys;
            }
            if (key != null) {
                if (found.keys == null) {
                    found.keys = new LinkedHashMap<>();
                }
                found.keys.put(name, key);
            }
        });
        return found.keys == null ? Map.of() : found.keys;
    }
}
