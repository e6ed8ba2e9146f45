package dev.vigil.store;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.core.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The columns of one stored event: the times, promoted fields and address keys are computed in Java and written,
 * with the fields and the original as JSON, as one line of a batch file that DuckDB turns into Parquet rows. The
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

    /** Types of the batch-file keys, for {@code read_json}: every column but the tenant (a literal) and the text. */
    private static final String BATCH_COLUMN_TYPES;

    static {
        StringBuilder types = new StringBuilder(
                "{seq: 'BIGINT', ts: 'BIGINT', ts_nano: 'SMALLINT', received: 'BIGINT',"
                        + " product: 'VARCHAR', categories: 'VARCHAR[]', services: 'VARCHAR[]', source_name: 'VARCHAR',"
                        + " source_record: 'BIGINT', fields: 'JSON', original: 'JSON', ip_keys: 'VARCHAR', overflow: 'BOOLEAN'");
        for (PromotedField p : PromotedField.ALL) {
            types.append(", ")
                    .append(p.column())
                    .append(p.kind() == PromotedField.Kind.LONG ? ": 'BIGINT'" : ": 'VARCHAR'");
            if (p.kind() == PromotedField.Kind.IP) {
                types.append(", ").append(p.keyColumn()).append(": 'VARCHAR'");
            }
        }
        BATCH_COLUMN_TYPES = types.append('}').toString();
    }

    /**
     * The rows of a batch file as {@link #COLUMNS}, for a {@code COPY (...) TO} a Parquet file. DuckDB parses the file
     * itself, so an event's fields and original cross from Java to DuckDB as one buffer of bytes instead of value by
     * value; the text column is NULL (bare terms search the original, see {@link QuerySql}).
     *
     * @param tenantLiteral the tenant as an SQL literal (COPY takes no bind parameters)
     * @param fileLiteral the batch file as an SQL literal
     * @param longestLine the length in bytes of the file's longest line
     */
    static String selectBatchFile(String tenantLiteral, String fileLiteral, long longestLine) {
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(tenantLiteral)
                .append(" AS tenant, seq, make_timestamp(ts) AS ts, ts_nano, make_timestamp(received) AS received,"
                        + " product, categories, services, source_name, source_record, CAST(fields AS VARCHAR) AS fields,"
                        + " CAST(original AS VARCHAR) AS original, CAST(NULL AS VARCHAR) AS text, ip_keys, overflow");
        for (PromotedField p : PromotedField.ALL) {
            sql.append(", ").append(p.column());
            if (p.kind() == PromotedField.Kind.IP) {
                sql.append(", ").append(p.keyColumn());
            }
        }
        return sql.append(" FROM read_json(")
                .append(fileLiteral)
                // The reader sizes its buffers by the largest object allowed: the file's longest line, not a fixed cap.
                .append(", format = 'newline_delimited', maximum_object_size = ")
                .append(Math.max(1024, longestLine + 1))
                .append(", columns = ")
                .append(BATCH_COLUMN_TYPES)
                .append(')')
                .toString();
    }

    /**
     * Writes one event as a line of a batch file: the column values computed in Java (times, promoted fields, address
     * keys), then the fields and the original as JSON.
     *
     * @param wellFormed write every string as {@link EventJson#wellFormed} gives it, never the record's own bytes
     * @param promotedText receives, per {@link PromotedField#ALL} index, the text written to each string column, or
     *     {@code null} for none (the rollup counts these very strings)
     * @return whether some promoted value did not fit its column (the row's {@code overflow} flag)
     * @throws IllegalArgumentException when a value cannot be encoded; the line is then incomplete and must be dropped
     */
    static boolean writeBatchLine(
            JsonGenerator g, StoredEvent stored, EventJson json, boolean wellFormed, String[] promotedText)
            throws IOException {
        Event e = stored.event();
        long receivedMicros = QuerySql.micros(stored.received());
        g.writeStartObject();
        g.writeNumberField("seq", stored.seq());
        if (e.timestamp() != null) {
            g.writeNumberField("ts", QuerySql.micros(e.timestamp()));
            g.writeNumberField("ts_nano", e.timestamp().getNano() % 1000);
        } else {
            g.writeNumberField("ts", receivedMicros);
        }
        g.writeNumberField("received", receivedMicros);
        if (e.logSource().product() != null) {
            g.writeStringField("product", text(e.logSource().product(), wellFormed));
        }
        writeStrings(g, "categories", e.logSource().categories(), wellFormed);
        writeStrings(g, "services", e.logSource().services(), wellFormed);
        if (e.source() != null) {
            g.writeStringField("source_name", text(e.source().source(), wellFormed));
            g.writeNumberField("source_record", e.source().record());
        }
        // The log record's bytes when the event is the one decoded from them: the same JSON, not encoded again.
        EncodedEvent encoded =
                !wellFormed && stored.encoded() != null && stored.encoded().encodes(e) ? stored.encoded() : null;
        g.writeFieldName("fields");
        if (encoded != null) {
            g.writeRawValue(encoded.fieldsJson());
        } else {
            EventJson.writeValue(g, e.fields(), "fields", wellFormed);
        }
        if (e.original() != null) {
            g.writeFieldName("original");
            if (encoded != null) {
                g.writeRawValue(encoded.originalJson());
            } else {
                EventJson.writeValue(g, e.original(), "original", wellFormed);
            }
        }
        Map<String, Object> ipKeys = ipKeys(e.fields());
        if (!ipKeys.isEmpty()) {
            g.writeStringField("ip_keys", text(json.valueToJson(ipKeys), wellFormed));
        }
        boolean overflow = false;
        java.util.Arrays.fill(promotedText, null);
        for (int i = 0; i < PromotedField.ALL.size(); i++) {
            PromotedField p = PromotedField.ALL.get(i);
            Object v = e.field(p.field());
            if (v == Event.MISSING || v == null) {
                continue;
            }
            switch (p.kind()) {
                case LONG -> {
                    Long l = canonicalLong(v);
                    if (l == null) {
                        overflow = true;
                    } else {
                        g.writeNumberField(p.column(), l);
                    }
                }
                case TEXT, IP -> {
                    if (v instanceof String s) {
                        String text = text(s, wellFormed);
                        g.writeStringField(p.column(), text);
                        promotedText[i] = text;
                        if (p.kind() == PromotedField.Kind.IP) {
                            String key = IpKey.of(text);
                            if (key != null) {
                                g.writeStringField(p.keyColumn(), key);
                            }
                        }
                    } else {
                        overflow = true;
                    }
                }
            }
        }
        g.writeBooleanField("overflow", overflow);
        g.writeEndObject();
        return overflow;
    }

    private static String text(String s, boolean wellFormed) {
        return wellFormed ? EventJson.wellFormed(s) : s;
    }

    private static void writeStrings(JsonGenerator g, String name, Set<String> values, boolean wellFormed)
            throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(text(v, wellFormed));
        }
        g.writeEndArray();
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

    /** The address keys of every flat field value that is an IP address (lists keep only their addresses). */
    static Map<String, Object> ipKeys(Map<String, Object> fields) {
        Map<String, Object> keys = new LinkedHashMap<>();
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            if (f.getValue() instanceof String s) {
                String key = IpKey.of(s);
                if (key != null) {
                    keys.put(f.getKey(), key);
                }
            } else if (f.getValue() instanceof List<?> list) {
                List<Object> listKeys = new ArrayList<>();
                for (Object o : list) {
                    if (o instanceof String s && IpKey.of(s) instanceof String key) {
                        listKeys.add(key);
                    }
                }
                if (!listKeys.isEmpty()) {
                    keys.put(f.getKey(), listKeys);
                }
            }
        }
        return keys;
    }
}
