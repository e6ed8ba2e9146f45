package dev.vigil.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;

/**
 * Hourly counts kept beside the events, so that a dashboard over a day of ten million events reads a few thousand
 * rows instead of scanning them all (what Splunk calls summary indexing and Elasticsearch a rollup).
 *
 * <p><b>What it holds.</b> {@code event_rollup(tenant, hour, field, value, n, fresh)}: per tenant and hour of event
 * time, the number of events (field {@value #TOTAL}, value {@code NULL}) and, for each of {@link #FIELDS}, how many
 * times each value occurs, counted exactly as {@link EventStore#countBy} counts (the SQL of both is {@link
 * FieldValues}; the Java counts below take the same strings).
 *
 * <p><b>Exact and crash-consistent.</b> A batch's rows are inserted in the transaction that names its Parquet files in
 * the manifest: the rollup commits with the events or not at all, and a replayed batch, being ignored, adds nothing.
 * They are counted in two parts that add up to what one SQL aggregation over the batch's files gives. Rows without
 * {@code overflow} hold every rollup field that has a value in its promoted string column, so they are counted in Java
 * ({@link Counts}) as the file is written, from the very strings written to those columns; SQL over the files counts
 * only the overflow rows, whose values need the JSON (lists, numbers). Aggregating every row in SQL read each file
 * back nine times and was four fifths of the store writer's time. Retention deletes the hours it empties and recounts the hour
 * its cut-off falls in; compaction moves rows between table and files without changing any count.
 *
 * <p><b>Merging.</b> Each batch adds its own rows, marked {@code fresh}; a merge folds every hour that has fresh rows
 * into one row per value, so the table grows with distinct values per hour rather than with batches.
 *
 * <p><b>Reading.</b> A range [from, to) reads the rollup for the whole hours inside it and the events themselves for
 * the partial hours at either end, so an answer equals a scan of the events to the microsecond. Only queries that
 * match every event can use it.
 */
final class EventRollup {
    /** The field name of the per-hour event count. */
    static final String TOTAL = "";

    /** The host, user and address fields the overview ranks (Windows and ECS names of each). */
    static final List<String> FIELDS = List.of(
            "Computer", "host.name", "User", "user.name", "TargetUserName", "source.ip", "IpAddress", "SourceIp");

    static final String TABLE = "event_rollup";
    static final long MICROS_PER_HOUR = 3_600_000_000L;

    private static final List<String> CARRIED = List.of("tenant AS tenant", "date_trunc('hour', ts) AS hour");

    private EventRollup() {}

    static String createTable() {
        return "CREATE TABLE IF NOT EXISTS " + TABLE + " (tenant VARCHAR NOT NULL, hour TIMESTAMP NOT NULL,"
                + " field VARCHAR NOT NULL, value VARCHAR, n BIGINT NOT NULL, fresh BOOLEAN NOT NULL)";
    }

    /** Whether {@code fields} (the {@value #TOTAL} count included) can all be read from the rollup. */
    static boolean covers(List<String> fields) {
        for (String f : fields) {
            if (!f.equals(TOTAL) && !FIELDS.contains(f)) {
                return false;
            }
        }
        return true;
    }

    /**
     * An {@code INSERT} of the fresh rollup rows of the rows {@code fromWhere} selects (which may belong to any
     * tenants and hours).
     */
    static QuerySql.Condition insert(String fromWhere, List<Object> params) {
        StringBuilder sql = new StringBuilder("INSERT INTO " + TABLE + " SELECT tenant, date_trunc('hour', ts), '"
                + TOTAL + "', NULL, count(*), TRUE" + fromWhere + " GROUP BY ALL");
        List<Object> all = new ArrayList<>(params);
        for (String field : FIELDS) {
            QuerySql.Condition values = FieldValues.of(field, fromWhere, params, CARRIED);
            sql.append(" UNION ALL SELECT tenant, hour, ?, v, count(*), TRUE FROM (")
                    .append(values.sql())
                    .append(") WHERE v IS NOT NULL GROUP BY tenant, hour, v");
            all.add(field);
            all.addAll(values.params());
        }
        return new QuerySql.Condition(sql.toString(), all);
    }

    /**
     * Rows {@code (field, v, n)} whose sums per field and value are the counts over [from, to): rollup rows for its
     * whole hours [firstHour, endHour), and counts over the events of the partial hours given as {@code edges}
     * ({@code " FROM ... WHERE ..."} with parameters, each selecting one tenant's rows of one partial hour).
     */
    static QuerySql.Condition rows(
            String tenant, long firstHour, long endHour, List<String> fields, List<QuerySql.Condition> edges) {
        StringBuilder sql = new StringBuilder("SELECT field, value AS v, n FROM " + TABLE + " WHERE tenant = ? AND"
                + " hour >= make_timestamp(?::BIGINT) AND hour < make_timestamp(?::BIGINT) AND field IN (");
        List<Object> params = new ArrayList<>(List.of(tenant, firstHour, endHour));
        for (int i = 0; i < fields.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
            params.add(fields.get(i));
        }
        sql.append(')');
        for (QuerySql.Condition edge : edges) {
            for (String field : fields) {
                if (field.equals(TOTAL)) {
                    sql.append(" UNION ALL SELECT ?::VARCHAR, NULL::VARCHAR, count(*)")
                            .append(edge.sql());
                    params.add(TOTAL);
                    params.addAll(edge.params());
                } else {
                    QuerySql.Condition values = FieldValues.of(field, edge.sql(), edge.params(), List.of());
                    sql.append(" UNION ALL SELECT ?::VARCHAR, v, count(*) FROM (")
                            .append(values.sql())
                            .append(") WHERE v IS NOT NULL GROUP BY v");
                    params.add(field);
                    params.addAll(values.params());
                }
            }
        }
        return new QuerySql.Condition(sql.toString(), params);
    }

    /**
     * Statements, in order, that fold every hour with fresh rows into one unfresh row per field and value; run in
     * the writer's transaction.
     */
    static List<String> merge() {
        return List.of(
                "CREATE OR REPLACE TEMP TABLE rollup_merge AS SELECT r.tenant, r.hour, r.field, r.value,"
                        + " sum(r.n)::BIGINT AS n, FALSE AS fresh FROM " + TABLE + " r SEMI JOIN (SELECT DISTINCT"
                        + " tenant, hour FROM " + TABLE + " WHERE fresh) f ON r.tenant = f.tenant AND r.hour = f.hour"
                        + " GROUP BY r.tenant, r.hour, r.field, r.value",
                "DELETE FROM " + TABLE + " r USING (SELECT DISTINCT tenant, hour FROM rollup_merge) m"
                        + " WHERE r.tenant = m.tenant AND r.hour = m.hour",
                "INSERT INTO " + TABLE + " SELECT * FROM rollup_merge",
                "DROP TABLE rollup_merge");
    }

    /**
     * The fresh rollup rows of the rows of one batch file that have no {@code overflow}, counted as the file is
     * written. Such a row's rollup fields are all missing or strings (a value of another kind sets the flag, see {@link
     * EventRow.RowEncoder#append}), and the strings are what the promoted columns hold, so these counts equal what
     * {@link #insert} counts over the same rows.
     */
    static final class Counts {
        private record Key(long hour, String field, String value) {}

        /** Per rollup field, its index in {@link PromotedField#ALL}: every rollup field is a promoted string column. */
        private static final int[] PROMOTED_INDEX = new int[FIELDS.size()];

        static {
            for (int f = 0; f < FIELDS.size(); f++) {
                PromotedField p = PromotedField.BY_FIELD.get(FIELDS.get(f));
                if (p == null || p.kind() == PromotedField.Kind.LONG) {
                    throw new AssertionError("rollup field " + FIELDS.get(f) + " is not a promoted string column");
                }
                PROMOTED_INDEX[f] = PromotedField.ALL.indexOf(p);
            }
        }

        private final Map<Key, long[]> counts = new HashMap<>();

        /**
         * Counts one row without overflow: {@code tsMicros} is its {@code ts} column, {@code promotedText} the text of
         * its string columns as {@link EventRow.RowEncoder#append} wrote them.
         */
        void add(long tsMicros, String[] promotedText) {
            long hour = hourFloor(tsMicros);
            increment(new Key(hour, TOTAL, null));
            for (int f = 0; f < FIELDS.size(); f++) {
                String value = promotedText[PROMOTED_INDEX[f]];
                if (value != null) {
                    increment(new Key(hour, FIELDS.get(f), value));
                }
            }
        }

        private void increment(Key key) {
            long[] n = counts.get(key);
            if (n == null) {
                counts.put(key, new long[] {1});
            } else {
                n[0]++;
            }
        }

        /** The number of rollup rows these counts make. */
        int rows() {
            return counts.size();
        }

        /**
         * Appends the fresh rows for {@code tenant} (through DuckDB's appender, in the writer's transaction: a
         * statement of many rows of parameters took longer to prepare than the SQL aggregation it replaces).
         */
        void appendTo(DuckDBAppender appender, String tenant) throws SQLException {
            for (Map.Entry<Key, long[]> e : counts.entrySet()) {
                Key k = e.getKey();
                appender.beginRow();
                appender.append(tenant);
                appender.appendEpochMicros(k.hour());
                appender.append(k.field());
                if (k.value() == null) {
                    appender.appendNull(); // the event count
                } else {
                    appender.append(k.value());
                }
                appender.append(e.getValue()[0]);
                appender.append(true);
                appender.endRow();
            }
        }
    }

    static long hourFloor(long micros) {
        return Math.floorDiv(micros, MICROS_PER_HOUR) * MICROS_PER_HOUR;
    }

    static long hourCeil(long micros) {
        return -hourFloor(-micros);
    }
}
