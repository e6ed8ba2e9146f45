package dev.vigil.store;

import dev.vigil.core.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.duckdb.DuckDBAppender;

/**
 * The column values of one stored event, computed in Java so that writing is a plain append: the search text, the
 * promoted columns and the address keys.
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
        // The WAL batch that wrote the row: the hot table only (never in partitions), so that a batch's own rows can
        // be selected exactly, as the hourly rollup needs; last, so that stores made before it gain it by ALTER.
        return sql.append(", wal_batch BIGINT)").toString();
    }

    private EventRow() {}

    /**
     * Appends one row: {@link #COLUMNS} then the table's {@code wal_batch}.
     *
     * @throws IllegalArgumentException before anything is appended, when a value cannot be encoded
     */
    static void append(DuckDBAppender appender, StoredEvent stored, long walBatch, EventJson json)
            throws java.sql.SQLException {
        Event e = stored.event();
        long receivedMicros = QuerySql.micros(stored.received());
        // Encode first: a value that cannot be written must reject the event before its row is begun.
        String fieldsJson = json.valueToJson(e.fields(), "fields");
        String originalJson = e.original() == null ? null : json.valueToJson(e.original(), "original");
        appender.beginRow();
        appender.append(e.tenant().value());
        appender.append(stored.seq());
        if (e.timestamp() != null) {
            appender.appendEpochMicros(QuerySql.micros(e.timestamp()));
            appender.append((short) (e.timestamp().getNano() % 1000));
        } else {
            appender.appendEpochMicros(receivedMicros);
            appender.appendNull();
        }
        appender.appendEpochMicros(receivedMicros);
        appendNullable(appender, e.logSource().product());
        appender.append(new ArrayList<>(e.logSource().categories()));
        appender.append(new ArrayList<>(e.logSource().services()));
        if (e.source() != null) {
            appender.append(e.source().source());
            appender.append(e.source().record());
        } else {
            appender.appendNull();
            appender.appendNull();
        }
        appender.append(fieldsJson);
        appendNullable(appender, originalJson);
        appender.append(searchText(e));
        Map<String, Object> ipKeys = ipKeys(e.fields());
        appendNullable(appender, ipKeys.isEmpty() ? null : json.valueToJson(ipKeys));
        boolean overflow = false;
        Object[] promoted = new Object[PromotedField.ALL.size()];
        for (int i = 0; i < promoted.length; i++) {
            PromotedField p = PromotedField.ALL.get(i);
            Object v = e.field(p.field());
            if (v == Event.MISSING || v == null) {
                continue;
            }
            Object columnValue = switch (p.kind()) {
                case LONG -> canonicalLong(v);
                case TEXT, IP -> v instanceof String ? v : null;
            };
            if (columnValue == null) {
                overflow = true;
            }
            promoted[i] = columnValue;
        }
        appender.append(overflow);
        for (int i = 0; i < promoted.length; i++) {
            PromotedField p = PromotedField.ALL.get(i);
            Object v = promoted[i];
            if (v == null) {
                appender.appendNull();
            } else if (v instanceof Long l) {
                appender.append(l.longValue());
            } else {
                appender.append((String) v);
            }
            if (p.kind() == PromotedField.Kind.IP) {
                appendNullable(appender, v == null ? null : IpKey.of((String) v));
            }
        }
        appender.append(walBatch);
        appender.endRow();
    }

    private static void appendNullable(DuckDBAppender appender, String value) throws java.sql.SQLException {
        if (value == null) {
            appender.appendNull();
        } else {
            appender.append(value);
        }
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
     * What a bare term searches: a text record's line, else every scalar field value, one per line, lower-cased so
     * the search needs no per-row case folding.
     */
    static String searchText(Event e) {
        if (e.original() instanceof String line) {
            return line.toLowerCase(Locale.ROOT);
        }
        StringBuilder sb = new StringBuilder(256);
        e.forEachValue(v -> {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(v);
        });
        return sb.toString().toLowerCase(Locale.ROOT);
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
