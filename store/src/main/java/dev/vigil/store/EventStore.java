package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.search.Query;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Vigil's event and alert store: Parquet files for events, one DuckDB file for alerts and the bookkeeping.
 *
 * <p><b>Layout.</b> {@code <dataDir>/events/tenant=<id>/day=<date>/*.parquet} hold the events, see {@link EventRow} for
 * the columns: a {@code batch-*} file per written batch and tenant (uncompressed), in the directory of the day the
 * batch arrived, {@code batches-*} files that copy sixteen of those together (uncompressed too) and {@code part-*}
 * files that merge any of them (zstd). {@code <dataDir>/events.duckdb} holds {@code
 * partitions} (the manifest: each file's tenant, day, row count and event-time span, which queries prune by, and how
 * many of its rows have a promoted value that overflowed its column; over files with none, queries leave out the
 * fallbacks to the fields JSON), {@code alerts}, {@code store_state} (the applied write-ahead-log sequence), {@code
 * event_rollup} (hourly counts for dashboards, see {@link EventRollup}) and the {@code events} table, where stores made
 * before batch files kept recent rows until {@link #compact} moves them out.
 *
 * <p><b>Why files per batch.</b> DuckDB appends wide rows of long strings into its own tables slowly (its log, then a
 * checkpoint that compresses them again), and more slowly as the table grows; a Parquet file per batch costs a
 * fraction and does not grow. Java writes it ({@link ParquetFileWriter}): plain and uncompressed, with the fields and
 * the original copied from the log record; having DuckDB write it from a JSON file was the largest cost of a syslog
 * stream. Files of one tenant day are merged by size tier ({@link #MERGE_FILES} of a tier make one of the next) until
 * they reach {@link #FINAL_FILE_ROWS} rows, so a day holds a bounded number of files below that size. Uncompressed
 * files are merged by copying their row groups as they are ({@link #concatenateUncompressedFiles}) while the copy stays
 * below the final size and holds at most {@link #MAX_COPY_ROW_GROUPS} row groups; then DuckDB merges them into a
 * compressed file, which is final. So a tenant's stream of a few thousand events a second or more is rewritten by
 * DuckDB once per event, after one or two copies; a slower one, a few times more, each cheap at such a rate.
 * A merge concatenates its files in the order of their earliest event instead of sorting their rows by time: sorting
 * every row's columns took half of each merge, and a live stream's events arrive close to their time, so each file's
 * rows (in arrival order), and the row groups of the merged file, roughly follow it already; a search prunes by the
 * manifest's span of each file, and DuckDB by each row group's. (Logs replayed out of time order only make that pruning
 * weaker, never a result wrong: every query orders its rows itself.) DuckDB keeps the list's file order and each
 * file's row order in the copy, as it does while {@code preserve_insertion_order} is on, its default.
 *
 * <p><b>Exactly once.</b> {@link #write} writes and forces a batch's files first, then commits their manifest rows,
 * their rollup, the batch's alerts and its WAL sequence in one DuckDB transaction, and ignores a batch whose sequence
 * is not above {@link #appliedSequence()}, so the server replays its log from {@code appliedSequence() + 1} after a
 * crash without losing or doubling anything. A file the manifest does not name (a crash before the commit, or after a
 * merge's commit but before its inputs were deleted) is deleted by {@link #open}.
 *
 * <p><b>Threads.</b> One writer (the pipeline) calls {@link #write}, {@link #compact} and {@link #applyRetention}; they
 * are serialised by a lock and use the store's own connection. With {@link Threading#INLINE} everything runs there,
 * merges right after each batch. With {@link Threading#CONCURRENT} (the server) two things leave that thread. Merges
 * run on a thread of the store's own: a merge of large files takes seconds, and on the writing thread every batch
 * behind it, and its alerts, would wait that long. And a write splits into {@link #prepare} (the batch's Parquet files,
 * written and forced) and {@link #commit} (the manifest transaction), so the caller can prepare one batch while the
 * last one commits. A merge copies with a DuckDB instance of its own (one worker, so it never takes the writer's
 * workers), except a merge of uncompressed files, which Java copies ({@link #concatenateUncompressedFiles}); {@link
 * #prepare} writes in Java. Both run without the write lock, since batch files are never changed once written, and
 * take it only for the manifest; retention and compaction, which delete files, wait for a running merge
 * ({@code mergeLock}, always taken before the write lock). Readers (API threads) each borrow a duplicate connection
 * from a pool and read in one transaction, so the manifest and the table they see belong to one snapshot. The only
 * thing a snapshot cannot protect is a Parquet file deleted after a merge or a retention pass: deleting files takes the
 * write side of {@code filesLock}, and readers hold its read side while they query. Queries read the table {@code UNION
 * ALL} the manifest's files of that tenant overlapping the time range, never another tenant's directory.
 */
public final class EventStore implements AutoCloseable {
    private static final String TABLE = "events";

    /**
     * The fields whose values the store also counts per hour, so that {@link #countBy}, {@link #count} and {@link
     * #fieldPresence} over every event of a range read counts instead of events: the host, user and address fields
     * dashboards rank, in their Windows and ECS names.
     */
    public static final List<String> ROLLED_UP_FIELDS = EventRollup.FIELDS;

    private static final String COLS = String.join(", ", EventRow.COLUMNS);
    private static final String SELECT_STORED = "seq, epoch_us(ts), ts_nano, epoch_us(received), product, categories,"
            + " services, source_name, source_record, fields, original";
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final int MAX_HISTOGRAM_BUCKETS = 10_000;
    /** Fresh rollup rows that trigger a merge: a few hundred batches' worth, merged in a few milliseconds. */
    private static final long MERGE_ROLLUP_AFTER = 50_000;
    /** How many files of one tier a tenant day gathers before they are merged into one. */
    private static final int MERGE_FILES = 16;
    /** log2 of {@link #MERGE_FILES}: a tier spans row counts within a factor of {@code MERGE_FILES}. */
    private static final int MERGE_TIER_BITS = 4;
    /**
     * Compressed files of this many rows or more are final: no tier merge and no closed day's merge rewrites them
     * again. A million rows make row groups DuckDB reads efficiently. Merging them again, sixteen at a time, rewrote
     * every event of a steady stream a second time (at 50,000 events/s, a burst of tens of seconds of CPU every few
     * minutes) for a day of fewer files. Copies stay below this size, so DuckDB always compresses them later; an
     * uncompressed file is never final, whatever its size.
     */
    static final long FINAL_FILE_ROWS = 1L << 20;
    /**
     * The most row groups a copy of uncompressed files may hold: two levels of copies of sixteen batch files (each
     * batch file is one row group), so a stream too slow for its batches to make a final file in one DuckDB merge is
     * still copied once more before DuckDB, while a copy's footer stays small (about a kilobyte per row group) and a
     * slow stream's tiny row groups are not copied forever.
     */
    static final int MAX_COPY_ROW_GROUPS = 256;
    /** Matches the manifest's uncompressed files (batch files and copies), in SQL. */
    private static final String UNCOMPRESSED_FILE_SQL = "regexp_matches(file, '(^|[/\\\\])batch(es)?-[^/\\\\]*$')";
    /** How the files the pipeline writes, one per batch and tenant day, are named: uncompressed. */
    private static final String BATCH_FILE_PREFIX = "batch-";
    /** How copies of uncompressed files are named: uncompressed too, see concatenateUncompressedFiles. */
    private static final String CONCATENATED_FILE_PREFIX = "batches-";
    /**
     * Directory under the data directory where older versions staged each batch as JSON; what a crash left there
     * belongs to a batch that did not commit (the WAL replays it), and the directory is removed on open.
     */
    private static final String LEGACY_STAGING = "staging";

    private final Path dataDir;
    /** {@link #FINAL_FILE_ROWS}, or a smaller size a test chose. */
    private final long finalFileRows;
    /** {@link #MAX_COPY_ROW_GROUPS}, or another a test chose. */
    private final int maxCopyRowGroups;

    private final DuckDBConnection writer;
    private final EventJson json = new EventJson();
    private List<Alert> pendingAlertMigration;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantReadWriteLock filesLock = new ReentrantReadWriteLock();
    private final ConcurrentLinkedQueue<DuckDBConnection> readers = new ConcurrentLinkedQueue<>();
    private final Set<DuckDBConnection> allReaders = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private final ProblemSink problems;
    private final AtomicLong rejectedEvents = new AtomicLong();
    /** Rollup rows added since the last merge (guarded by {@code writeLock}). */
    private long freshRollupRows;

    /** Which threads do the store's work: see the class comment. */
    public enum Threading {
        /**
         * Everything on the calling thread under the write lock, merges right after each batch: for tools, tests and
         * loaders.
         */
        INLINE,
        /**
         * Merges on a thread of the store's own, so that writing never waits for one, and {@link EventStore#prepare}
         * on a DuckDB instance of its own, so that the caller can write the next batch's files while committing the
         * last: for the server.
         */
        CONCURRENT
    }

    private final Threading threading;
    /** Held for a whole merge, and by retention and compaction (which delete files); taken before {@code writeLock}. */
    private final ReentrantLock mergeLock = new ReentrantLock();
    /** The connection merges copy with: the writer's when inline, a DuckDB of its own in the background. */
    private final DuckDBConnection mergeConnection;
    /** Numbers the files {@link #prepare} writes, so that no two writes of this process share a name. */
    private final AtomicLong preparedFiles = new AtomicLong();
    /** The applied WAL sequence as last committed, for {@link #prepare} to skip a replayed batch without the lock. */
    private volatile long appliedSnapshot;
    /** Tenant days waiting for the background merge thread, and whether a merge is running (guarded by itself). */
    private final Set<MergeTask> mergeQueue = new java.util.LinkedHashSet<>();

    private boolean mergeRunning;
    private volatile boolean mergeStopping;
    private Thread mergeThread;
    /** The background merge's current statement, cancelled by {@link #close}. */
    private volatile Statement runningMerge;

    /** A tenant day to merge: its tiers that are full, or (a closed day) all its files that are small enough. */
    private record MergeTask(TenantDay day, boolean wholeDay) {}

    private EventStore(
            Path dataDir,
            DuckDBConnection writer,
            ProblemSink problems,
            Threading threading,
            DuckDBConnection mergeConnection,
            long finalFileRows,
            int maxCopyRowGroups) {
        this.dataDir = requireNonNull(dataDir, "dataDir");
        this.finalFileRows = finalFileRows;
        this.maxCopyRowGroups = maxCopyRowGroups;
        this.writer = requireNonNull(writer, "writer");
        this.problems = requireNonNull(problems, "problems");
        this.threading = requireNonNull(threading, "threading");
        this.mergeConnection = requireNonNull(mergeConnection, "mergeConnection");
    }

    /** Opens the store, reporting rejected events nowhere but {@link #rejectedEvents()}. */
    /** DuckDB's own log size that triggers a checkpoint. */
    static final String AUTOCHECKPOINT = "512MB";

    public static EventStore open(Path dataDir) {
        return open(dataDir, problem -> {});
    }

    /**
     * Opens (creating if need be) the store in {@code dataDir}, deleting partition files a crash left behind. Events
     * the store cannot encode (a field value of an unsupported type) are reported to {@code problems}, counted and
     * skipped; the rest of their batch is stored.
     */
    public static EventStore open(Path dataDir, ProblemSink problems) {
        return open(dataDir, problems, Threading.INLINE);
    }

    /** As {@link #open(Path, ProblemSink)}, merging files as {@code merging} says. */
    public static EventStore open(Path dataDir, ProblemSink problems, Threading threading) {
        return open(dataDir, problems, threading, FINAL_FILE_ROWS, MAX_COPY_ROW_GROUPS);
    }

    /**
     * As {@link #open(Path, ProblemSink, Threading)}, with compressed files final from {@code finalFileRows} rows and
     * copies of at most {@code maxCopyRowGroups} row groups: for tests, which cannot write millions of rows.
     */
    static EventStore open(
            Path dataDir, ProblemSink problems, Threading threading, long finalFileRows, int maxCopyRowGroups) {
        requireNonNull(threading, "threading");
        if (finalFileRows < 2 || maxCopyRowGroups < 2) {
            throw new IllegalArgumentException("finalFileRows and maxCopyRowGroups must be at least 2, not "
                    + finalFileRows + " and " + maxCopyRowGroups);
        }
        try {
            Files.createDirectories(dataDir.resolve("events"));
            Path staging = dataDir.resolve(LEGACY_STAGING);
            if (Files.isDirectory(staging)) {
                try (Stream<Path> leftovers = Files.list(staging)) {
                    for (Path leftover : leftovers.toList()) {
                        Files.deleteIfExists(leftover);
                    }
                }
                Files.deleteIfExists(staging);
            }
            DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection(
                    "jdbc:duckdb:" + dataDir.resolve("events.duckdb").toAbsolutePath());
            DuckDBConnection mergeConnection = connection;
            if (threading == Threading.CONCURRENT) {
                // An in-memory instance with one worker: a merge never takes the writer's workers, and holds nothing
                // but the files it writes.
                mergeConnection = singleWorkerDuckDb();
            }
            EventStore store = new EventStore(
                    dataDir.toAbsolutePath(),
                    connection,
                    problems,
                    threading,
                    mergeConnection,
                    finalFileRows,
                    maxCopyRowGroups);
            store.createSchema();
            store.deleteOrphanFiles();
            store.appliedSnapshot = store.appliedSequence();
            if (threading == Threading.CONCURRENT) {
                store.mergeThread = Thread.ofPlatform()
                        .name("vigil-store-merge")
                        .daemon(true)
                        .start(store::mergeLoop);
            }
            return store;
        } catch (SQLException e) {
            throw new StoreException("cannot open the store in " + dataDir, e);
        } catch (IOException e) {
            throw new StoreException("cannot open the store in " + dataDir, e);
        }
    }

    private static DuckDBConnection singleWorkerDuckDb() throws SQLException {
        DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = c.createStatement()) {
            s.execute("SET threads = 1");
        }
        return c;
    }

    private void createSchema() throws SQLException {
        try (Statement s = writer.createStatement()) {
            // DuckDB checkpoints when its own log passes 16 MB by default, which at ingest rates meant a checkpoint
            // every few batches, each rewriting the growing table's last row groups inside a commit.
            s.execute("SET wal_autocheckpoint = '" + AUTOCHECKPOINT + "'");
            s.execute(EventRow.createTable(TABLE));
            migrateLegacyAlerts(s);
            s.execute("CREATE TABLE IF NOT EXISTS alerts (tenant VARCHAR NOT NULL, id VARCHAR NOT NULL,"
                    + " time TIMESTAMP NOT NULL, severity VARCHAR NOT NULL, severity_rank INTEGER NOT NULL,"
                    + " detector_kind VARCHAR NOT NULL, detector_id VARCHAR NOT NULL, title VARCHAR NOT NULL,"
                    + " confidence INTEGER NOT NULL, entities VARCHAR NOT NULL, tactics VARCHAR NOT NULL,"
                    + " techniques VARCHAR NOT NULL, event_seqs BIGINT[] NOT NULL, details VARCHAR NOT NULL,"
                    + " PRIMARY KEY (tenant, id))");
            // Alerts are appended here and moved with one set-based INSERT OR IGNORE: DuckDB runs a JDBC batch one
            // statement per row, which at thousands of alerts per batch cost seconds. Empty outside a write.
            s.execute("CREATE TABLE IF NOT EXISTS alerts_staging AS SELECT * FROM alerts LIMIT 0");
            s.execute("DELETE FROM alerts_staging");
            if (pendingAlertMigration != null) {
                insertAlerts(pendingAlertMigration);
                s.execute("DROP TABLE alerts_before_model");
                pendingAlertMigration = null;
            }
            s.execute("CREATE TABLE IF NOT EXISTS partitions (file VARCHAR PRIMARY KEY, tenant VARCHAR NOT NULL,"
                    + " day DATE NOT NULL, row_count BIGINT NOT NULL, min_ts BIGINT, max_ts BIGINT)");
            // The event-time span of each file (epoch microseconds) is what queries prune by: a batch file holds the
            // events that arrived together, whatever their own times. Files of older stores span their day.
            s.execute("ALTER TABLE partitions ADD COLUMN IF NOT EXISTS min_ts BIGINT");
            s.execute("ALTER TABLE partitions ADD COLUMN IF NOT EXISTS max_ts BIGINT");
            // How many of the file's rows have overflow set; NULL (files of older stores) counts as "some".
            s.execute("ALTER TABLE partitions ADD COLUMN IF NOT EXISTS overflow_rows BIGINT");
            s.execute("UPDATE partitions SET min_ts = epoch_us(CAST(day AS TIMESTAMP)),"
                    + " max_ts = epoch_us(CAST(day AS TIMESTAMP)) + " + (MICROS_PER_DAY - 1) + " WHERE min_ts IS NULL");
            s.execute("CREATE TABLE IF NOT EXISTS store_state (name VARCHAR PRIMARY KEY, value BIGINT NOT NULL)");
            s.execute("INSERT OR IGNORE INTO store_state VALUES ('applied_sequence', 0)");
            // A JSON value as the list of its elements' texts: what multi-valued matching iterates over.
            s.execute("CREATE OR REPLACE MACRO vigil_values(j) AS CASE WHEN j IS NULL THEN []::VARCHAR[]"
                    + " WHEN json_type(j) = 'ARRAY' THEN json_extract_string(j, '$[*]')"
                    + " WHEN json_type(j) = 'NULL' THEN []::VARCHAR[] ELSE [json_extract_string(j, '$')] END");
            if (!tableExists(s, EventRollup.TABLE)) {
                // Created and filled in one transaction: a crash in between must not leave an empty rollup that a
                // later open would take for complete.
                writer.setAutoCommit(false);
                s.execute(EventRollup.createTable());
                rollUpEverything(s);
                writer.commit();
                writer.setAutoCommit(true);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + EventRollup.TABLE + " WHERE fresh")) {
                rs.next();
                freshRollupRows = rs.getLong(1);
            }
        }
        writer.setAutoCommit(false);
    }

    private static boolean tableExists(Statement s, String name) throws SQLException {
        try (ResultSet rs =
                s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = " + literal(name))) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    /** Fills a new rollup from every stored event: a store made before rollups gains them on first open. */
    private void rollUpEverything(Statement s) throws SQLException {
        List<String> files = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT file FROM partitions ORDER BY file")) {
            while (rs.next()) {
                files.add(dataDir.resolve("events").resolve(rs.getString(1)).toString());
            }
        }
        String all = "SELECT " + COLS + " FROM " + TABLE;
        List<Object> params = new ArrayList<>();
        if (!files.isEmpty()) {
            all += " UNION ALL SELECT " + COLS + " FROM read_parquet(?)";
            params.add(files);
        }
        QuerySql.Condition insert = EventRollup.insert(" FROM (" + all + ") WHERE TRUE", params);
        try (PreparedStatement ps = prepare(writer, insert.sql(), insert.params())) {
            ps.executeUpdate();
        }
        for (String statement : EventRollup.merge()) {
            s.execute(statement);
        }
    }

    /** Deletes Parquet files the manifest does not name: the output of a compaction that did not commit. */
    private void deleteOrphanFiles() throws SQLException, IOException {
        Set<String> known = new HashSet<>();
        try (Statement s = writer.createStatement();
                ResultSet rs = s.executeQuery("SELECT file FROM partitions")) {
            while (rs.next()) {
                known.add(rs.getString(1).replace('\\', '/'));
            }
        }
        writer.commit();
        Path root = dataDir.resolve("events");
        List<Path> orphans;
        try (Stream<Path> files = Files.walk(root)) {
            // The manifest names files with '/' whatever the platform (a store made on Windows may hold '\\').
            orphans = files.filter(Files::isRegularFile)
                    .filter(f ->
                            !known.contains(root.relativize(f).toString().replace(java.io.File.separatorChar, '/')))
                    .toList();
        }
        for (Path orphan : orphans) {
            Files.deleteIfExists(orphan);
        }
    }

    // ---------------------------------------------------------------------------------------------------- writing

    /**
     * Stores a batch atomically: its events, its alerts (an alert whose id is already stored for its tenant is
     * ignored) and its WAL sequence. A batch whose sequence is not above {@link #appliedSequence()} was stored before
     * and is ignored as a whole.
     *
     * @return whether the batch was applied (false: it was a replay)
     */
    public boolean write(StoreBatch batch) {
        return commit(prepare(batch));
    }

    /**
     * A batch whose Parquet files are written and forced but not yet named in the manifest, from {@link #prepare}: it
     * is stored by {@link #commit}, and a crash before that leaves files that the next {@link #open} deletes.
     */
    public static final class PreparedBatch {
        private final StoreBatch batch;
        private final List<BatchFile> files;

        private PreparedBatch(StoreBatch batch, List<BatchFile> files) {
            this.batch = batch;
            this.files = files;
        }

        public StoreBatch batch() {
            return batch;
        }
    }

    /** One written batch file and what its manifest row says. */
    private record BatchFile(
            Path file,
            String relative,
            TenantDay day,
            long rows,
            long minTs,
            long maxTs,
            long overflowRows,
            EventRollup.Counts rollup) {}

    /**
     * The first half of {@link #write}: writes the batch's Parquet files and forces them to disk, naming nothing.
     * With {@link Threading#CONCURRENT} it may run on one thread while {@link #commit} of the previous batch runs on
     * another (batches must still be committed in WAL order); inline it takes the write lock. A batch already stored
     * (a replay) writes no files.
     */
    public PreparedBatch prepare(StoreBatch batch) {
        requireNonNull(batch, "batch");
        if (batch.walSequence() <= appliedSnapshot) {
            return new PreparedBatch(batch, List.of());
        }
        boolean inline = threading == Threading.INLINE;
        if (inline) {
            writeLock.lock();
        }
        List<Path> created = new ArrayList<>();
        try {
            ensureOpen();
            return new PreparedBatch(batch, writeBatchFiles(batch, created));
        } catch (IOException | RuntimeException e) {
            created.forEach(EventStore::deleteQuietly);
            throw new StoreException(
                    "cannot write the files of the batch up to WAL sequence " + batch.walSequence(), e);
        } finally {
            if (inline) {
                writeLock.unlock();
            }
        }
    }

    /**
     * The second half of {@link #write}: names the prepared files in the manifest and stores their rollup, the batch's
     * alerts and its WAL sequence in one transaction. A batch whose sequence is not above {@link #appliedSequence()}
     * is ignored and its files deleted.
     *
     * @return whether the batch was applied (false: it was a replay)
     */
    public boolean commit(PreparedBatch prepared) {
        requireNonNull(prepared, "prepared");
        List<TenantDay> touched = commitBatch(prepared);
        if (touched == null) {
            prepared.files.forEach(f -> deleteQuietly(f.file()));
            return false;
        }
        if (threading == Threading.CONCURRENT) {
            touched.forEach(day -> enqueueMerge(new MergeTask(day, false)));
        } else {
            // The batch is committed: a merge that fails is reported and tried again at the day's next batch, never
            // taken for a failed write (which the pipeline would retry).
            touched.forEach(day -> runMerge(new MergeTask(day, false), prepared.batch.walSequence()));
        }
        return true;
    }

    /** Commits a prepared batch; returns the tenant days that received a file, or null when it was a replay. */
    private List<TenantDay> commitBatch(PreparedBatch prepared) {
        StoreBatch batch = prepared.batch;
        writeLock.lock();
        try {
            ensureOpen();
            long applied = readAppliedSequence();
            if (batch.walSequence() <= applied) {
                writer.commit();
                return null;
            }
            List<TenantDay> touched = new ArrayList<>();
            try {
                try (PreparedStatement ps =
                        writer.prepareStatement("UPDATE store_state SET value = ? WHERE name = 'applied_sequence'")) {
                    ps.setLong(1, batch.walSequence());
                    ps.executeUpdate();
                }
                List<String> files = new ArrayList<>();
                for (BatchFile f : prepared.files) {
                    insertPartition(
                            f.relative(),
                            f.day().tenant(),
                            f.day().day(),
                            f.rows(),
                            f.minTs(),
                            f.maxTs(),
                            f.overflowRows());
                    touched.add(f.day());
                    files.add(f.file().toString());
                }
                if (!files.isEmpty()) {
                    // The rows without overflow were counted as the files were written; SQL counts the others.
                    freshRollupRows += insertRollup(prepared.files);
                    List<String> withOverflow = new ArrayList<>();
                    for (BatchFile f : prepared.files) {
                        if (f.overflowRows() > 0) {
                            withOverflow.add(f.file().toString());
                        }
                    }
                    if (!withOverflow.isEmpty()) {
                        freshRollupRows += rollUp(
                                new QuerySql.Condition(" FROM read_parquet(?) WHERE overflow", List.of(withOverflow)));
                    }
                    if (freshRollupRows >= MERGE_ROLLUP_AFTER) {
                        mergeRollup();
                    }
                }
                insertAlerts(batch.alerts());
                writer.commit();
                appliedSnapshot = batch.walSequence();
            } catch (SQLException | RuntimeException e) {
                writer.rollback();
                prepared.files.forEach(f -> deleteQuietly(f.file()));
                throw e;
            }
            return touched;
        } catch (SQLException e) {
            throw new StoreException("cannot store the batch up to WAL sequence " + batch.walSequence(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** A tenant's UTC day: the unit of the partition directories. */
    private record TenantDay(TenantId tenant, LocalDate day) {}

    /**
     * Writes the batch's events as one Parquet file per tenant, forced to disk, for the caller to name in the manifest.
     *
     * @param created receives every Parquet file written, so that the caller can delete them on rollback
     * @return the files written
     */
    private List<BatchFile> writeBatchFiles(StoreBatch batch, List<Path> created) throws IOException {
        // One file per tenant, in the directory of the day the batch arrived: events replayed from old logs span
        // years, and a file per event day would scatter a batch into hundreds of tiny files.
        Map<TenantDay, List<StoredEvent>> groups = new LinkedHashMap<>();
        long lastReceived = Long.MIN_VALUE;
        for (StoredEvent e : batch.events()) {
            lastReceived = Math.max(lastReceived, QuerySql.micros(e.received()));
        }
        LocalDate arrival = LocalDate.ofEpochDay(Math.floorDiv(lastReceived, MICROS_PER_DAY));
        for (StoredEvent e : batch.events()) {
            groups.computeIfAbsent(new TenantDay(e.event().tenant(), arrival), k -> new ArrayList<>())
                    .add(e);
        }
        List<BatchFile> written = new ArrayList<>();
        for (Map.Entry<TenantDay, List<StoredEvent>> group : groups.entrySet()) {
            BatchFile file = writeGroupFile(group.getKey(), group.getValue(), created);
            if (file != null) {
                written.add(file);
            }
        }
        return written;
    }

    /** A batch file writer with its row encoder, reused batch after batch (their buffers grow once). */
    private record BatchFileWriter(ParquetFileWriter file, EventRow.RowEncoder rows) {}

    /** Writers not in use: {@link #prepare} borrows one per call, so concurrent calls never share one. */
    private final ConcurrentLinkedQueue<BatchFileWriter> idleWriters = new ConcurrentLinkedQueue<>();

    /** Partition directories created and forced into their parents by this process. */
    private final Set<Path> durableDirectories = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Writes one tenant's events of a batch as a Parquet file ({@link ParquetFileWriter}, rows from {@link
     * EventRow.RowEncoder}), forced to disk; null when none could be encoded. An event that cannot be encoded is
     * reported, counted and left out; one whose text held a lone UTF-16 surrogate is stored with U+FFFD in its place
     * (DuckDB refuses such text) and reported.
     *
     * <p>The file is written under a temporary name in its partition directory and renamed when complete (a rename
     * within one directory is atomic on every file system); {@link #open} deletes a temporary file a crash left,
     * since the manifest never names one.
     */
    private BatchFile writeGroupFile(TenantDay key, List<StoredEvent> events, List<Path> created) throws IOException {
        // Names unique to this write: a batch prepared twice (a replay racing its original) must not overwrite,
        // nor later delete, the other's files. A file left by an earlier process is gone since its open.
        long unique = preparedFiles.incrementAndGet();
        String directory = partitionDir(key.tenant(), key.day());
        Path dir = dataDir.resolve("events").resolve(directory);
        createDirectoriesDurably(dir);
        Path partial = dir.resolve("." + BATCH_FILE_PREFIX + unique + ".parquet.partial");
        long rows = 0;
        long minSeq = Long.MAX_VALUE;
        long maxSeq = Long.MIN_VALUE;
        long minTs = Long.MAX_VALUE;
        long maxTs = Long.MIN_VALUE;
        long overflowRows = 0;
        List<Long> repaired = new ArrayList<>();
        EventRollup.Counts rollup = new EventRollup.Counts();
        String[] promotedText = new String[PromotedField.ALL.size()];
        byte[] tenant = key.tenant().value().getBytes(StandardCharsets.UTF_8);
        BatchFileWriter writer = idleWriters.poll();
        if (writer == null) {
            writer = new BatchFileWriter(new ParquetFileWriter(EventRow.PARQUET_SCHEMA), new EventRow.RowEncoder(json));
        }
        created.add(partial);
        boolean written = false;
        try {
            try (FileChannel channel =
                            FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                ParquetFileWriter file = writer.file();
                file.begin(out);
                for (StoredEvent e : events) {
                    EventRow.RowResult row;
                    try {
                        row = writer.rows().append(file, tenant, e, promotedText);
                    } catch (IllegalArgumentException bad) {
                        rejectedEvents.incrementAndGet();
                        problems.report(new Problem(
                                "event store", e.seq(), "event " + e.seq() + " not stored: " + bad.getMessage()));
                        continue;
                    }
                    rows++;
                    minSeq = Math.min(minSeq, e.seq());
                    maxSeq = Math.max(maxSeq, e.seq());
                    long ts = row.tsMicros();
                    minTs = Math.min(minTs, ts);
                    maxTs = Math.max(maxTs, ts);
                    if (row.overflow()) {
                        overflowRows++;
                    } else {
                        rollup.add(ts, promotedText);
                    }
                    if (row.repaired()) {
                        repaired.add(e.seq());
                    }
                }
                file.finish();
                if (rows > 0) {
                    channel.force(true);
                }
            }
            written = true;
            if (rows == 0) {
                Files.delete(partial);
                created.remove(partial);
                return null;
            }
        } finally {
            // A writer that failed half-way is let go with whatever it holds; a good one goes back, its buffers
            // trimmed.
            writer.rows().trim();
            if (written) {
                idleWriters.add(writer);
            }
        }
        String relative =
                directory + "/" + BATCH_FILE_PREFIX + unique + "-" + minSeq + "-" + maxSeq + "-" + rows + ".parquet";
        Path target = dataDir.resolve("events").resolve(relative);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        created.remove(partial);
        created.add(target);
        // The manifest will name the file: its directory entry must outlive a crash as its bytes do.
        forceDirectory(dir);
        if (!repaired.isEmpty()) {
            problems.report(new Problem(
                    "event store",
                    repaired.get(0),
                    repaired.size() + " event(s) stored with U+FFFD for lone UTF-16 surrogates in their text, first "
                            + repaired.subList(0, Math.min(10, repaired.size()))));
        }
        return new BatchFile(target, relative, key, rows, minTs, maxTs, overflowRows, rollup);
    }

    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");

    /**
     * Forces a directory, so that a file just created or renamed in it survives a crash. Windows cannot open a
     * directory for that; NTFS journals its directory entries.
     */
    private static void forceDirectory(Path dir) throws IOException {
        if (WINDOWS) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Creates a partition directory and its missing parents, and forces each of them into its parent, once per
     * directory in this process: a file the manifest names must outlive a crash, and so must the directories on its
     * path. A directory is remembered only after all the forcing succeeded, so a failure is tried again next time.
     */
    private void createDirectoriesDurably(Path dir) throws IOException {
        if (durableDirectories.contains(dir)) {
            return;
        }
        Files.createDirectories(dir);
        Path root = dataDir.resolve("events");
        for (Path d = dir; d != null && d.startsWith(root) && !d.equals(root); d = d.getParent()) {
            forceDirectory(d.getParent());
        }
        durableDirectories.add(dir);
    }

    /** Files the manifest of a file; {@code overflowRows} null when not known (then queries assume some). */
    private void insertPartition(
            String relative, TenantId tenant, LocalDate day, long rows, long minTs, long maxTs, Long overflowRows)
            throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement("INSERT INTO partitions"
                + " (file, tenant, day, row_count, min_ts, max_ts, overflow_rows) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, relative);
            ps.setString(2, tenant.value());
            ps.setObject(3, day);
            ps.setLong(4, rows);
            ps.setLong(5, minTs);
            ps.setLong(6, maxTs);
            ps.setObject(7, overflowRows);
            ps.executeUpdate();
        }
    }

    private void enqueueMerge(MergeTask task) {
        synchronized (mergeQueue) {
            if (mergeQueue.add(task)) {
                mergeQueue.notifyAll();
            }
        }
    }

    /**
     * Waits until the background merges have nothing queued or running (at once for inline merging): for tests, tools
     * and an orderly shutdown.
     */
    public void awaitMerges() throws InterruptedException {
        synchronized (mergeQueue) {
            while ((!mergeQueue.isEmpty() || mergeRunning) && !mergeStopping) {
                mergeQueue.wait();
            }
        }
    }

    private void mergeLoop() {
        while (true) {
            MergeTask task;
            synchronized (mergeQueue) {
                mergeRunning = false;
                mergeQueue.notifyAll();
                while (mergeQueue.isEmpty() && !mergeStopping) {
                    try {
                        mergeQueue.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (mergeStopping) {
                    return;
                }
                var first = mergeQueue.iterator();
                task = first.next();
                first.remove();
                mergeRunning = true;
            }
            runMerge(task, 0);
        }
    }

    /** Runs one merge task, reporting (not throwing) a failure: the day's next batch or compaction tries again. */
    private void runMerge(MergeTask task, long walSequence) {
        try {
            if (task.wholeDay()) {
                mergeWholeDay(task.day());
            } else {
                mergeSmallFiles(task.day());
            }
        } catch (SQLException | RuntimeException e) {
            // Anything, so that the merge thread lives on; a merge cancelled by close is no problem.
            if (!closed && !mergeStopping) {
                problems.report(new Problem(
                        "event store",
                        walSequence,
                        "merging the files of " + task.day().tenant() + " on "
                                + task.day().day() + " failed: " + e.getMessage()));
            }
        }
    }

    /**
     * The tenant day's files that are not final (uncompressed, or under {@link #finalFileRows} rows), as {file, row
     * count, earliest and latest event time, overflow rows (null: not known)}, earliest event first.
     */
    private List<Object[]> smallFiles(TenantDay day) throws SQLException {
        List<Object[]> files = new ArrayList<>();
        writeLock.lock();
        try {
            ensureOpen();
            try (PreparedStatement ps = writer.prepareStatement("SELECT file, row_count, min_ts, max_ts, overflow_rows"
                    + " FROM partitions WHERE tenant = ? AND day = ?"
                    + " AND (row_count < ? OR " + UNCOMPRESSED_FILE_SQL + ") ORDER BY min_ts, file")) {
                ps.setString(1, day.tenant().value());
                ps.setObject(2, day.day());
                ps.setLong(3, finalFileRows);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long overflowRows = rs.getLong(5);
                        files.add(new Object[] {
                            rs.getString(1),
                            rs.getLong(2),
                            rs.getLong(3),
                            rs.getLong(4),
                            rs.wasNull() ? null : overflowRows
                        });
                    }
                }
            }
            writer.commit();
        } finally {
            writeLock.unlock();
        }
        return files;
    }

    /**
     * Merges all of a closed day's files that are small enough into one, when there are several; whether it did.
     */
    private boolean mergeWholeDay(TenantDay day) throws SQLException {
        mergeLock.lock();
        try {
            List<Object[]> files = smallFiles(day);
            if (files.size() > 1 || (files.size() == 1 && isUncompressed((String) files.get(0)[0]))) {
                mergeFiles(day, files, false);
                return true;
            }
            return false;
        } finally {
            mergeLock.unlock();
        }
    }

    /**
     * Size-tiered merging of a tenant day's files: when {@link #MERGE_FILES} files of one tier (row counts within a
     * factor of {@code MERGE_FILES} of each other) exist, they become one file of the next tier. Every
     * event is therefore rewritten about once per tier, and a day holds at most {@code MERGE_FILES - 1} files per tier
     * plus the final ones.
     */
    private void mergeSmallFiles(TenantDay day) throws SQLException {
        mergeLock.lock();
        try {
            // Lowest full tier first, listing again after each merge: a merge can fill the tier above it.
            while (true) {
                java.util.TreeMap<Integer, List<Object[]>> tiers = new java.util.TreeMap<>();
                for (Object[] file : smallFiles(day)) {
                    long rows = (long) file[1];
                    int tier = (63 - Long.numberOfLeadingZeros(Math.max(1, rows))) / MERGE_TIER_BITS;
                    tiers.computeIfAbsent(tier, t -> new ArrayList<>()).add(file);
                }
                List<Object[]> full = tiers.values().stream()
                        .filter(t -> t.size() >= MERGE_FILES)
                        .findFirst()
                        .orElse(null);
                if (full == null || mergeStopping) {
                    return;
                }
                mergeFiles(day, full, true);
            }
        } finally {
            mergeLock.unlock();
        }
    }

    /**
     * Merges {@code parts} (of one tenant day, as {@link #smallFiles} lists them) into one file, concatenated in their
     * order (by earliest event; the class comment says why not sorted). The caller holds {@code mergeLock}, so no
     * other merge, retention or compaction deletes the parts meanwhile. With {@code mayConcatenate} (a tier's merge,
     * not a closed day's, which compresses everything) and uncompressed files only, of fewer than {@link
     * #finalFileRows} rows and at most {@link #maxCopyRowGroups} row groups together, they are copied together by
     * {@link #concatenateUncompressedFiles}. Otherwise
     * the copy runs with {@code mergeConnection}: in the background without the write lock (writes only add files),
     * inline under it (the connection is the writer's); the manifest's rows are swapped under the write lock in one
     * transaction.
     */
    private void mergeFiles(TenantDay day, List<Object[]> parts, boolean mayConcatenate) throws SQLException {
        List<String> absolute = new ArrayList<>();
        long rows = 0;
        boolean uncompressed = true;
        for (Object[] part : parts) {
            absolute.add(dataDir.resolve("events").resolve((String) part[0]).toString());
            rows += (long) part[1];
            uncompressed &= isUncompressed((String) part[0]);
        }
        // Only while the copy stays in a tier whose sixteen files come soon: it stays uncompressed until DuckDB merges
        // it. A tier grown past that while the merge thread was behind goes to DuckDB whole, as it did before; taking
        // only some of its files would leave the rest to be merged later with newer ones, and files whose event times
        // overlap prune worse.
        if (mayConcatenate
                && uncompressed
                && rows < finalFileRows
                && concatenateUncompressedFiles(day, parts, absolute, rows)) {
            deleteMergedParts(absolute);
            return;
        }
        boolean inline = threading == Threading.INLINE;
        Path file = null;
        if (inline) {
            writeLock.lock();
        }
        try {
            ensureOpen();
            FileSpan span = span(mergeConnection, absolute, null);
            if (span.rows() != rows) {
                throw new IllegalStateException("the manifest counts " + rows + " rows in " + parts.size()
                        + " files of " + day + " but they hold " + span.rows());
            }
            String relative = partitionDir(day.tenant(), day.day()) + "/part-" + span.minSeq() + "-" + span.maxSeq()
                    + "-" + rows + ".parquet";
            file = dataDir.resolve("events").resolve(relative);
            StringBuilder list = new StringBuilder("[");
            for (String f : absolute) {
                list.append(list.length() > 1 ? ", " : "").append(literal(f));
            }
            try (Statement s = mergeConnection.createStatement()) {
                runningMerge = inline ? null : s;
                s.execute("COPY (SELECT " + COLS + " FROM read_parquet(" + list + "])) TO " + literal(file.toString())
                        + " (FORMAT parquet, COMPRESSION zstd)");
            } finally {
                runningMerge = null;
            }
            force(file);
            swapManifest(day, parts, relative, rows, span);
        } catch (SQLException | IOException | RuntimeException e) {
            if (inline) {
                writer.rollback();
            }
            if (file != null) {
                deleteQuietly(file);
            }
            throw new StoreException("cannot merge " + parts.size() + " files of " + day, e);
        } finally {
            if (inline) {
                writeLock.unlock();
            }
        }
        deleteMergedParts(absolute);
    }

    /** Deletes a merge's parts once the manifest names the merged file instead. */
    private void deleteMergedParts(List<String> absolute) {
        // Only now, with no reader inside a query, may the merged files go.
        filesLock.writeLock().lock();
        try {
            for (String f : absolute) {
                deleteQuietly(Path.of(f));
            }
        } finally {
            filesLock.writeLock().unlock();
        }
    }

    /**
     * Merges uncompressed files (batch files, or copies of them) by copying their row groups into one file ({@link
     * ParquetFileWriter#appendFile}), neither decoding nor compressing them, where DuckDB's {@code COPY} would decode
     * and encode them again at a microsecond or two per event. The result is uncompressed like its parts, and named so
     * ({@link #CONCATENATED_FILE_PREFIX}); a later tier's merge, or the day's when it closes, compresses it. So each
     * event is rewritten by DuckDB fewer times. What stays uncompressed is bounded per size tier: fewer than {@code
     * MERGE_FILES} files in each, each of fewer than {@link #finalFileRows} rows.
     *
     * @return false, having written nothing that stays, when a part is not a file of the store's own writer (a batch
     *     file of an older version, written by DuckDB) or the parts hold more than {@link #maxCopyRowGroups} row groups
     *     together: the caller merges with DuckDB then
     */
    private boolean concatenateUncompressedFiles(TenantDay day, List<Object[]> parts, List<String> absolute, long rows)
            throws SQLException {
        long minTs = Long.MAX_VALUE;
        long maxTs = Long.MIN_VALUE;
        Long overflowRows = 0L;
        for (Object[] part : parts) {
            minTs = Math.min(minTs, (long) part[2]);
            maxTs = Math.max(maxTs, (long) part[3]);
            overflowRows = overflowRows == null || part[4] == null ? null : overflowRows + (long) part[4];
        }
        String directory = partitionDir(day.tenant(), day.day());
        Path dir = dataDir.resolve("events").resolve(directory);
        Path partial =
                dir.resolve("." + CONCATENATED_FILE_PREFIX + preparedFiles.incrementAndGet() + ".parquet.partial");
        Path file = null;
        try {
            ParquetFileWriter merged = new ParquetFileWriter(EventRow.PARQUET_SCHEMA);
            // Every part's footer is read and checked before anything is copied: a part DuckDB wrote (an older
            // version's batch file) sends the whole merge to DuckDB at once.
            List<ParquetFooter> footers = new ArrayList<>(absolute.size());
            int rowGroups = 0;
            for (String part : absolute) {
                try (FileChannel in = FileChannel.open(Path.of(part), StandardOpenOption.READ)) {
                    ParquetFooter footer = merged.readPart(in);
                    footers.add(footer);
                    rowGroups += footer.rowGroups().size();
                }
            }
            if (rowGroups > maxCopyRowGroups) {
                return false; // small row groups of a slow stream: DuckDB makes them larger
            }
            long copied = 0;
            try (FileChannel channel =
                            FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                merged.begin(out);
                for (int i = 0; i < absolute.size(); i++) {
                    if (mergeStopping) {
                        throw new IOException("the store is closing");
                    }
                    try (FileChannel in = FileChannel.open(Path.of(absolute.get(i)), StandardOpenOption.READ)) {
                        copied += merged.appendFile(in, footers.get(i), channel);
                    }
                }
                merged.finish();
                channel.force(true);
            }
            if (copied != rows) {
                throw new IllegalStateException("the manifest counts " + rows + " rows in " + parts.size()
                        + " files of " + day + " but they hold " + copied);
            }
            long[] seq = merged.range(EventRow.COLUMNS.indexOf("seq"));
            String relative =
                    directory + "/" + CONCATENATED_FILE_PREFIX + seq[0] + "-" + seq[1] + "-" + rows + ".parquet";
            file = dataDir.resolve("events").resolve(relative);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(dir);
            swapManifest(day, parts, relative, rows, new FileSpan(rows, seq[0], seq[1], minTs, maxTs, overflowRows));
            return true;
        } catch (ParquetFormatException notOwn) {
            deleteQuietly(partial);
            return false;
        } catch (IOException | RuntimeException | SQLException e) {
            deleteQuietly(partial);
            if (file != null) {
                deleteQuietly(file);
            }
            throw new StoreException("cannot merge " + parts.size() + " files of " + day, e);
        }
    }

    /** Whether a file of the manifest is one of the store's uncompressed ones (a batch file or a concatenation). */
    private static boolean isUncompressed(String relative) {
        String name = fileName(relative);
        return name.startsWith(BATCH_FILE_PREFIX) || name.startsWith(CONCATENATED_FILE_PREFIX);
    }

    private static String fileName(String relative) {
        return relative.substring(relative.replace('\\', '/').lastIndexOf('/') + 1);
    }

    /** Replaces the manifest rows of a merge's parts by the merged file's, in one transaction of the writer. */
    private void swapManifest(TenantDay day, List<Object[]> parts, String relative, long rows, FileSpan span)
            throws SQLException {
        writeLock.lock();
        try {
            ensureOpen();
            try (PreparedStatement ps = writer.prepareStatement("DELETE FROM partitions WHERE file = ?")) {
                for (Object[] part : parts) {
                    ps.setString(1, (String) part[0]);
                    if (ps.executeUpdate() != 1) {
                        throw new IllegalStateException(part[0] + " left the manifest during the merge");
                    }
                }
            }
            insertPartition(relative, day.tenant(), day.day(), rows, span.minTs(), span.maxTs(), span.overflowRows());
            writer.commit();
        } catch (SQLException | RuntimeException e) {
            writer.rollback();
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    /** Appends the rollup rows counted while the batch's files were written; returns how many. */
    private long insertRollup(List<BatchFile> files) throws SQLException {
        long rows = 0;
        try (DuckDBAppender appender = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, EventRollup.TABLE)) {
            for (BatchFile f : files) {
                f.rollup().appendTo(appender, f.day().tenant().value());
                rows += f.rollup().rows();
            }
        }
        return rows;
    }

    /** Adds the fresh rollup rows of the rows {@code fromWhere} selects; returns how many rows it added. */
    private long rollUp(QuerySql.Condition fromWhere) throws SQLException {
        QuerySql.Condition insert = EventRollup.insert(fromWhere.sql(), fromWhere.params());
        try (PreparedStatement ps = prepare(writer, insert.sql(), insert.params())) {
            return ps.executeUpdate();
        }
    }

    private void mergeRollup() throws SQLException {
        try (Statement s = writer.createStatement()) {
            for (String statement : EventRollup.merge()) {
                s.execute(statement);
            }
        }
        freshRollupRows = 0;
    }

    /**
     * Stores written before alerts had one model for every detector kept Sigma's rule id, title, level and tags:
     * their rows move to the current columns (tactics and techniques from the tags, the tags kept in details).
     */
    private void migrateLegacyAlerts(Statement s) throws SQLException {
        boolean legacy;
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.columns"
                + " WHERE table_name = 'alerts' AND column_name = 'rule_id'")) {
            rs.next();
            legacy = rs.getLong(1) > 0;
        }
        if (!legacy) {
            return;
        }
        List<Alert> migrated = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT tenant, id, epoch_us(time), rule_id, rule_title, level, tags,"
                + " event_seqs, details FROM alerts")) {
            while (rs.next()) {
                List<String> tags = new ArrayList<>();
                if (json.valueFromJson(rs.getString(7)) instanceof List<?> list) {
                    list.forEach(t -> tags.add(String.valueOf(t)));
                }
                Map<String, Object> details = json.objectFromJson(rs.getString(9));
                Alert.Builder b = Alert.builder()
                        .id(rs.getString(2))
                        .tenant(TenantId.of(rs.getString(1)))
                        .time(QuerySql.fromMicros(rs.getLong(3)))
                        .detector(rs.getString(4), rs.getString(5))
                        .severity(dev.vigil.core.alert.Severity.fromSigmaLevel(rs.getString(6)))
                        .detectorKind(
                                Boolean.TRUE.equals(details.get("correlation"))
                                        ? dev.vigil.core.alert.DetectorKind.CORRELATION
                                        : dev.vigil.core.alert.DetectorKind.SIGMA)
                        .sigmaTags(tags)
                        .detail("tags", tags);
                details.forEach(b::detail);
                for (Object o : (Object[]) rs.getArray(8).getArray()) {
                    b.evidence(((Number) o).longValue());
                }
                migrated.add(b.build());
            }
        }
        s.execute("DROP TABLE IF EXISTS alerts_staging");
        s.execute("ALTER TABLE alerts RENAME TO alerts_before_model");
        pendingAlertMigration = migrated;
    }

    /**
     * Stores alerts raised outside the pipeline (a retro-hunt over stored events) in one transaction, leaving the
     * applied log sequence alone; an alert whose id the tenant already has is ignored.
     */
    public void writeAlerts(List<Alert> alerts) {
        requireNonNull(alerts, "alerts");
        if (alerts.isEmpty()) {
            return;
        }
        writeLock.lock();
        try {
            ensureOpen();
            writer.commit();
            try {
                insertAlerts(alerts);
                writer.commit();
            } catch (SQLException | RuntimeException e) {
                writer.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot store " + alerts.size() + " alerts", e);
        } finally {
            writeLock.unlock();
        }
    }

    private void insertAlerts(List<Alert> alerts) throws SQLException {
        if (alerts.isEmpty()) {
            return;
        }
        try (DuckDBAppender appender = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "alerts_staging")) {
            // The alerts of one event come one after the other and share its entities: encode them once.
            List<EntityRef> lastEntities = null;
            String lastEntitiesJson = null;
            for (Alert a : alerts) {
                if (!a.entities().equals(lastEntities)) {
                    lastEntities = a.entities();
                    lastEntitiesJson = AlertColumns.entitiesJson(json, lastEntities);
                }
                appender.beginRow();
                appender.append(a.tenant().value());
                appender.append(a.id());
                appender.appendEpochMicros(QuerySql.micros(a.time()));
                appender.append(a.severity().sigmaLevel());
                appender.append(a.severity().ordinal());
                appender.append(a.detectorKind().name());
                appender.append(a.detectorId());
                appender.append(a.title());
                appender.append(a.confidence());
                appender.append(lastEntitiesJson);
                appender.append(AlertColumns.tacticsJson(json, a.tactics()));
                appender.append(json.valueToJson(a.techniques()));
                appender.append(new ArrayList<>(a.evidence()));
                appender.append(json.valueToJson(a.details(), "alert " + a.id() + " details"));
                appender.endRow();
            }
        }
        try (Statement s = writer.createStatement()) {
            // The first of several alerts with one id in a batch wins, as it would row by row.
            s.execute("INSERT OR IGNORE INTO alerts SELECT * FROM alerts_staging"
                    + " QUALIFY row_number() OVER (PARTITION BY tenant, id ORDER BY rowid) = 1");
            s.execute("DELETE FROM alerts_staging");
        }
    }

    /** How many events were skipped because they could not be encoded, since the store was opened. */
    public long rejectedEvents() {
        return rejectedEvents.get();
    }

    /** The WAL sequence of the last batch stored (0 for a new store). */
    public long appliedSequence() {
        writeLock.lock();
        try {
            ensureOpen();
            long applied = readAppliedSequence();
            writer.commit();
            return applied;
        } catch (SQLException e) {
            throw new StoreException("cannot read the applied sequence", e);
        } finally {
            writeLock.unlock();
        }
    }

    private long readAppliedSequence() throws SQLException {
        try (Statement s = writer.createStatement();
                ResultSet rs = s.executeQuery("SELECT value FROM store_state WHERE name = 'applied_sequence'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---------------------------------------------------------------------------------------------------- reading

    /** A reader's view: the tenant's rows in [from, to) from the table and the partition files, as one relation. */
    private record Source(String sql, List<Object> params) {
        /** {@code " FROM <source> WHERE TRUE"}: every row, as a fragment the rollup's SQL builders take. */
        QuerySql.Condition everyRow() {
            return new QuerySql.Condition(" FROM " + sql + " WHERE TRUE", params);
        }
    }

    private Source source(Connection c, TenantId tenant, Instant from, Instant to) throws SQLException {
        QuerySql.Condition rows = union(c, tenant, from, to, null);
        return new Source(rows.sql() + " AS e", rows.params());
    }

    /**
     * {@code " FROM <the tenant's rows in [from, to) that match> WHERE TRUE"}: the query's condition sits in each
     * branch of the union, in the form that branch needs (see {@link QuerySql.Filter}): files without overflow rows get
     * the form that never reads the fields JSON for a promoted field, so a search for {@code EventID:4625} reads the
     * event id and time columns of those files and not the JSON of every row.
     */
    private QuerySql.Condition matching(Connection c, TenantId tenant, Instant from, Instant to, QuerySql.Filter filter)
            throws SQLException {
        QuerySql.Condition rows = union(c, tenant, from, to, filter);
        return new QuerySql.Condition(" FROM " + rows.sql() + " AS e WHERE TRUE", rows.params());
    }

    /** The parenthesised union of the table's and the files' rows in the range, each branch filtered when given. */
    private QuerySql.Condition union(Connection c, TenantId tenant, Instant from, Instant to, QuerySql.Filter filter)
            throws SQLException {
        long fromMicros = QuerySql.micros(from);
        long toMicros = QuerySql.micros(to);
        String branch = " WHERE tenant = ? AND ts >= make_timestamp(?::BIGINT) AND ts < make_timestamp(?::BIGINT)";
        List<Object> params = new ArrayList<>(List.of(tenant.value(), fromMicros, toMicros));
        StringBuilder sql = new StringBuilder("(SELECT " + COLS + " FROM " + TABLE + branch);
        appendCondition(sql, params, filter == null ? null : filter.anyRow());
        List<String> clean = new ArrayList<>();
        List<String> other = new ArrayList<>();
        partitionFiles(c, tenant, fromMicros, toMicros, clean, other);
        if (filter == null) {
            other.addAll(clean);
            clean.clear();
        }
        for (List<String> files : List.of(other, clean)) {
            if (files.isEmpty()) {
                continue;
            }
            sql.append(" UNION ALL SELECT ")
                    .append(COLS)
                    .append(" FROM read_parquet(?)")
                    .append(branch);
            params.add(files);
            params.addAll(List.of(tenant.value(), fromMicros, toMicros));
            appendCondition(
                    sql, params, filter == null ? null : files == clean ? filter.noOverflow() : filter.anyRow());
        }
        return new QuerySql.Condition(sql.append(')').toString(), params);
    }

    private static void appendCondition(StringBuilder sql, List<Object> params, QuerySql.Condition condition) {
        if (condition != null) {
            // Parenthesised whatever its form: it follows the branch's own conditions.
            sql.append(" AND (").append(condition.sql()).append(')');
            params.addAll(condition.params());
        }
    }

    /**
     * The tenant's files that may hold rows in the range: {@code clean} those with no overflow row, others {@code
     * other}.
     */
    private void partitionFiles(
            Connection c, TenantId tenant, long fromMicros, long toMicros, List<String> clean, List<String> other)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT file, overflow_rows = 0 FROM partitions"
                + " WHERE tenant = ? AND max_ts >= ? AND min_ts < ? ORDER BY file")) {
            ps.setString(1, tenant.value());
            ps.setLong(2, fromMicros);
            ps.setLong(3, toMicros);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String file =
                            dataDir.resolve("events").resolve(rs.getString(1)).toString();
                    (rs.getBoolean(2) ? clean : other).add(file);
                }
            }
        }
    }

    @FunctionalInterface
    private interface ReadWork<T> {
        T run(DuckDBConnection c) throws SQLException;
    }

    private <T> T read(String what, ReadWork<T> work) {
        ensureOpen();
        DuckDBConnection c = readers.poll();
        try {
            if (c == null) {
                c = writer.duplicate();
                c.setAutoCommit(false);
                allReaders.add(c);
            }
            filesLock.readLock().lock();
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                filesLock.readLock().unlock();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot " + what, e);
        } finally {
            if (c != null) {
                readers.offer(c);
            }
        }
    }

    private PreparedStatement prepare(DuckDBConnection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        int i = 1;
        for (Object p : params) {
            switch (p) {
                case String s -> ps.setString(i, s);
                case Long l -> ps.setLong(i, l);
                case Integer n -> ps.setInt(i, n);
                case Double d -> ps.setDouble(i, d);
                case List<?> list -> {
                    Array array = c.createArrayOf("VARCHAR", list.toArray());
                    ps.setArray(i, array);
                }
                default -> throw new IllegalStateException("unexpected parameter " + p.getClass());
            }
            i++;
        }
        return ps;
    }

    private static List<Object> concat(List<Object> a, List<Object> b) {
        List<Object> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }

    /**
     * The tenant's events in [from, to) that match the query: how many there are and the page {@code [offset, offset
     * + limit)} of them, newest first (by event time, then sequence).
     */
    public SearchResult search(TenantId tenant, Query query, Instant from, Instant to, int limit, int offset) {
        requireNonNull(tenant, "tenant");
        checkPage(limit, offset);
        QuerySql.Filter filter = QuerySql.filter(query);
        return read("search " + tenant, c -> {
            QuerySql.Condition rows = matching(c, tenant, from, to, filter);
            long total = countWith(c, rows);
            List<StoredEvent> page =
                    limit > 0 && offset < total ? latestWith(c, tenant, rows, limit, offset) : List.of();
            return new SearchResult(total, page);
        });
    }

    /**
     * A page of the tenant's matching events in [from, to), newest first, without counting them all: for callers
     * that know the total already (a histogram of the same query sums to it) and should not pay a second scan.
     */
    public List<StoredEvent> latest(TenantId tenant, Query query, Instant from, Instant to, int limit, int offset) {
        requireNonNull(tenant, "tenant");
        checkPage(limit, offset);
        QuerySql.Filter filter = QuerySql.filter(query);
        if (limit == 0) {
            return List.of();
        }
        return read(
                "search " + tenant, c -> latestWith(c, tenant, matching(c, tenant, from, to, filter), limit, offset));
    }

    /** A page of {@code rows} (a {@link #matching} fragment), newest first. */
    private List<StoredEvent> latestWith(
            DuckDBConnection c, TenantId tenant, QuerySql.Condition rows, int limit, int offset) throws SQLException {
        String sql = "SELECT " + SELECT_STORED + rows.sql() + " ORDER BY ts DESC, seq DESC LIMIT " + limit + " OFFSET "
                + offset;
        List<StoredEvent> page = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, rows.params());
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                page.add(readStored(rs, tenant));
            }
        }
        return page;
    }

    /** How many of the tenant's events in [from, to) match. */
    public long count(TenantId tenant, Query query, Instant from, Instant to) {
        requireNonNull(tenant, "tenant");
        QuerySql.Filter filter = QuerySql.filter(query);
        return read("count " + tenant, c -> {
            QuerySql.Condition rows = query instanceof Query.MatchAll
                    ? rollupRows(c, tenant, from, to, List.of(EventRollup.TOTAL))
                    : null;
            if (rows == null) {
                return countWith(c, matching(c, tenant, from, to, filter));
            }
            try (PreparedStatement ps =
                            prepare(c, "SELECT coalesce(sum(n), 0)::BIGINT FROM (" + rows.sql() + ")", rows.params());
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * The rollup rows {@code (field, v, n)} of [from, to) (see {@link EventRollup#rows}), or {@code null} when the
     * range holds no whole hour and a scan of the events is as cheap.
     */
    private QuerySql.Condition rollupRows(
            DuckDBConnection c, TenantId tenant, Instant from, Instant to, List<String> fields) throws SQLException {
        long fromMicros = QuerySql.micros(from);
        long toMicros = QuerySql.micros(to);
        long firstHour = EventRollup.hourCeil(fromMicros);
        long endHour = EventRollup.hourFloor(toMicros);
        if (endHour <= firstHour) {
            return null;
        }
        List<QuerySql.Condition> edges = new ArrayList<>();
        if (fromMicros < firstHour) {
            edges.add(source(c, tenant, from, QuerySql.fromMicros(firstHour)).everyRow());
        }
        if (endHour < toMicros) {
            edges.add(source(c, tenant, QuerySql.fromMicros(endHour), to).everyRow());
        }
        return EventRollup.rows(tenant.value(), firstHour, endHour, fields, edges);
    }

    private long countWith(DuckDBConnection c, QuerySql.Condition rows) throws SQLException {
        try (PreparedStatement ps = prepare(c, "SELECT count(*)" + rows.sql(), rows.params());
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The {@code topN} most frequent values of {@code field} among matching events (each element of a multi-valued
     * field counts), and how many occurrences the other values have. Events without the field are not counted.
     */
    public FieldCounts countBy(TenantId tenant, Query query, Instant from, Instant to, String field, int topN) {
        requireNonNull(tenant, "tenant");
        requireNonNull(field, "field");
        if (topN < 1 || topN > 10_000) {
            throw new IllegalArgumentException("topN must be between 1 and 10000, was " + topN);
        }
        QuerySql.Filter filter = QuerySql.filter(query);
        return read("count " + tenant + " by " + field, c -> {
            QuerySql.Condition rows = query instanceof Query.MatchAll && EventRollup.covers(List.of(field))
                    ? rollupRows(c, tenant, from, to, List.of(field))
                    : null;
            if (rows != null) {
                return topValues(
                        c,
                        "SELECT v, sum(n)::BIGINT AS n FROM (" + rows.sql() + ") WHERE v IS NOT NULL GROUP BY v"
                                + " ORDER BY n DESC, v",
                        rows.params(),
                        topN);
            }
            QuerySql.Condition matched = matching(c, tenant, from, to, filter);
            QuerySql.Condition values = FieldValues.of(field, matched.sql(), matched.params(), List.of());
            String sql = "SELECT v, count(*) AS n FROM (" + values.sql() + ") WHERE v IS NOT NULL GROUP BY v"
                    + " ORDER BY n DESC, v";
            return topValues(c, sql, values.params(), topN);
        });
    }

    /**
     * How many events match, and which of {@code fields} none of them has, in one scan of plain aggregates over the
     * promoted columns: a page that shows the top values of the first field a family of names has (Windows' {@code
     * Computer}, ECS's {@code host.name}) then runs {@link #countBy} only for fields that are there. For a query that
     * matches everything and fields the hourly rollup keeps ({@link #ROLLED_UP_FIELDS}), the answer comes from the
     * rollup and is exact. Otherwise a field is known absent only when it is promoted and no matching event holds a
     * value the column could not (a list, a number in a text column); fields kept only in the JSON are never reported
     * absent.
     */
    public FieldPresence fieldPresence(TenantId tenant, Query query, Instant from, Instant to, List<String> fields) {
        requireNonNull(tenant, "tenant");
        requireNonNull(fields, "fields");
        if (query instanceof Query.MatchAll && EventRollup.covers(fields)) {
            List<String> asked = new ArrayList<>(List.of(EventRollup.TOTAL));
            fields.stream().filter(f -> !asked.contains(f)).forEach(asked::add);
            FieldPresence viaRollup = read("presence " + tenant, c -> {
                QuerySql.Condition rows = rollupRows(c, tenant, from, to, asked);
                if (rows == null) {
                    return null;
                }
                Map<String, Long> sums = new LinkedHashMap<>();
                try (PreparedStatement ps = prepare(
                                c,
                                "SELECT field, sum(n)::BIGINT FROM (" + rows.sql() + ") GROUP BY field",
                                rows.params());
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sums.put(rs.getString(1), rs.getLong(2));
                    }
                }
                Set<String> absent = new LinkedHashSet<>();
                for (String f : asked.subList(1, asked.size())) {
                    if (sums.getOrDefault(f, 0L) == 0) {
                        absent.add(f);
                    }
                }
                return new FieldPresence(sums.getOrDefault(EventRollup.TOTAL, 0L), absent);
            });
            if (viaRollup != null) {
                return viaRollup;
            }
        }
        List<String> promotedFields = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT count(*), count(*) FILTER (WHERE overflow)");
        for (String field : fields) {
            PromotedField p = QuerySql.promoted(requireNonNull(field, "field"));
            if (p != null && !field.equals("@timestamp") && !promotedFields.contains(field)) {
                promotedFields.add(field);
                sql.append(", count(").append(p.column()).append(')');
            }
        }
        QuerySql.Filter filter = QuerySql.filter(query);
        return read("presence " + tenant, c -> {
            QuerySql.Condition rows = matching(c, tenant, from, to, filter);
            try (PreparedStatement ps = prepare(c, sql + rows.sql(), rows.params());
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                long total = rs.getLong(1);
                Set<String> absent = new LinkedHashSet<>();
                if (rs.getLong(2) == 0) {
                    for (int i = 0; i < promotedFields.size(); i++) {
                        if (rs.getLong(3 + i) == 0) {
                            absent.add(promotedFields.get(i));
                        }
                    }
                }
                return new FieldPresence(total, absent);
            }
        });
    }

    /**
     * Matching events per time bucket over [from, to): every bucket in the range, empty ones included, aligned to
     * multiples of {@code bucket} since the epoch.
     */
    public List<HistogramBucket> histogram(TenantId tenant, Query query, Instant from, Instant to, Duration bucket) {
        requireNonNull(tenant, "tenant");
        long bucketMicros = bucket.toNanos() / 1000;
        if (bucketMicros <= 0) {
            throw new IllegalArgumentException("histogram bucket must be at least a microsecond, was " + bucket);
        }
        long fromMicros = QuerySql.micros(from);
        long toMicros = QuerySql.micros(to);
        long first = Math.floorDiv(fromMicros, bucketMicros);
        long last = Math.floorDiv(toMicros - 1, bucketMicros);
        if (toMicros <= fromMicros) {
            return List.of();
        }
        if (last - first + 1 > MAX_HISTOGRAM_BUCKETS) {
            throw new IllegalArgumentException("histogram of " + (last - first + 1) + " buckets: at most "
                    + MAX_HISTOGRAM_BUCKETS + "; choose a larger bucket (see histogramBucket)");
        }
        QuerySql.Filter filter = QuerySql.filter(query);
        long[] counts = read("histogram " + tenant, c -> {
            QuerySql.Condition rows = matching(c, tenant, from, to, filter);
            String sql = "SELECT floor(epoch_us(ts) / ?)::BIGINT AS b, count(*)" + rows.sql() + " GROUP BY b";
            List<Object> params = new ArrayList<>();
            params.add(bucketMicros);
            params.addAll(rows.params());
            long[] out = new long[(int) (last - first + 1)];
            try (PreparedStatement ps = prepare(c, sql, params);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out[(int) (rs.getLong(1) - first)] = rs.getLong(2);
                }
            }
            return out;
        });
        List<HistogramBucket> result = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            result.add(new HistogramBucket(QuerySql.fromMicros((first + i) * bucketMicros), counts[i]));
        }
        return result;
    }

    private static final List<Duration> NICE_BUCKETS = List.of(
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofMinutes(1),
            Duration.ofMinutes(5),
            Duration.ofMinutes(10),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(3),
            Duration.ofHours(6),
            Duration.ofHours(12),
            Duration.ofDays(1),
            Duration.ofDays(7),
            Duration.ofDays(30),
            Duration.ofDays(365));

    /** A round bucket size giving between about 50 and 100 buckets over [from, to) (fewer for very short ranges). */
    public static Duration histogramBucket(Instant from, Instant to) {
        Duration span = Duration.between(from, to);
        for (Duration d : NICE_BUCKETS) {
            if (span.dividedBy(d) <= 100) {
                return d;
            }
        }
        Duration year = NICE_BUCKETS.get(NICE_BUCKETS.size() - 1);
        return year.multipliedBy(span.dividedBy(year) / 100 + 1);
    }

    private StoredEvent readStored(ResultSet rs, TenantId tenant) throws SQLException {
        long seq = rs.getLong(1);
        long tsMicros = rs.getLong(2);
        short tsNano = rs.getShort(3);
        boolean hasTime = !rs.wasNull();
        Instant received = QuerySql.fromMicros(rs.getLong(4));
        String product = rs.getString(5);
        Set<String> categories = strings(rs.getArray(6));
        Set<String> services = strings(rs.getArray(7));
        String sourceName = rs.getString(8);
        long sourceRecord = rs.getLong(9);
        Event.Builder b = Event.builder()
                .tenant(tenant)
                .fields(json.objectFromJson(rs.getString(10)))
                .original(json.valueFromJson(rs.getString(11)))
                .logSource(new LogSource(product, categories, services));
        if (hasTime) {
            b.timestamp(QuerySql.fromMicros(tsMicros).plusNanos(tsNano));
        }
        if (sourceName != null) {
            b.source(new SourceRef(sourceName, sourceRecord));
        }
        return new StoredEvent(seq, received, b.build());
    }

    private static Set<String> strings(Array array) throws SQLException {
        if (array == null) {
            return Set.of();
        }
        Set<String> out = new TreeSet<>();
        for (Object o : (Object[]) array.getArray()) {
            out.add((String) o);
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------- alerts

    /** The tenant's alerts with time in [from, to) passing the filter: the count of all and a page, newest first. */
    public AlertPage alerts(TenantId tenant, Instant from, Instant to, AlertFilter filter, int limit, int offset) {
        requireNonNull(tenant, "tenant");
        requireNonNull(filter, "filter");
        checkPage(limit, offset);
        StringBuilder where = new StringBuilder(
                " WHERE tenant = ? AND time >= make_timestamp(?::BIGINT) AND time < make_timestamp(?::BIGINT)");
        List<Object> params = new ArrayList<>(List.of(tenant.value(), QuerySql.micros(from), QuerySql.micros(to)));
        if (filter.minSeverity() != null) {
            where.append(" AND severity_rank >= ?");
            params.add((long) filter.minSeverity().ordinal());
        }
        if (filter.detectorId() != null) {
            where.append(" AND detector_id = ?");
            params.add(filter.detectorId());
        }
        if (filter.detectorKind() != null) {
            where.append(" AND detector_kind = ?");
            params.add(filter.detectorKind().name());
        }
        return read("list alerts of " + tenant, c -> {
            long total;
            try (PreparedStatement ps = prepare(c, "SELECT count(*) FROM alerts" + where, params);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            List<Alert> page = queryAlerts(
                    c, where + " ORDER BY time DESC, id LIMIT " + limit + " OFFSET " + offset, params, tenant);
            return new AlertPage(total, page);
        });
    }

    /**
     * The tenant's alerts in [from, to) counted per time bucket and level: only non-empty (bucket, level) pairs, in
     * time order. Buckets are aligned to multiples of {@code bucket} since the epoch, as in {@link #histogram}.
     */
    public List<AlertLevelBucket> alertHistogram(TenantId tenant, Instant from, Instant to, Duration bucket) {
        requireNonNull(tenant, "tenant");
        long bucketMicros = bucket.toNanos() / 1000;
        if (bucketMicros <= 0) {
            throw new IllegalArgumentException("histogram bucket must be at least a microsecond, was " + bucket);
        }
        String sql = "SELECT floor(epoch_us(time) / ?)::BIGINT AS b, severity, count(*) FROM alerts"
                + " WHERE tenant = ? AND time >= make_timestamp(?::BIGINT) AND time < make_timestamp(?::BIGINT)"
                + " GROUP BY b, severity ORDER BY b, severity";
        List<Object> params = List.of(bucketMicros, tenant.value(), QuerySql.micros(from), QuerySql.micros(to));
        return read("alert histogram of " + tenant, c -> {
            List<AlertLevelBucket> out = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, sql, params);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AlertLevelBucket(
                            QuerySql.fromMicros(rs.getLong(1) * bucketMicros), rs.getString(2), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    /** The first {@code topN} rows of a (value, count) query ordered by count, and the sum of the other counts. */
    private FieldCounts topValues(DuckDBConnection c, String sql, List<Object> params, int topN) throws SQLException {
        List<FieldCounts.Bucket> buckets = new ArrayList<>();
        long other = 0;
        try (PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (buckets.size() < topN) {
                    buckets.add(new FieldCounts.Bucket(rs.getString(1), rs.getLong(2)));
                } else {
                    other += rs.getLong(2);
                }
            }
        }
        return new FieldCounts(buckets, other);
    }

    /** The rules that raised most of the tenant's alerts in [from, to): rule title and count, most first. */
    public FieldCounts topAlertRules(TenantId tenant, Instant from, Instant to, int topN) {
        requireNonNull(tenant, "tenant");
        if (topN < 1 || topN > 10_000) {
            throw new IllegalArgumentException("topN must be between 1 and 10000, was " + topN);
        }
        String sql = "SELECT title, count(*) AS n FROM alerts WHERE tenant = ? AND time >= make_timestamp(?::BIGINT)"
                + " AND time < make_timestamp(?::BIGINT) GROUP BY title ORDER BY n DESC, title";
        List<Object> params = List.of(tenant.value(), QuerySql.micros(from), QuerySql.micros(to));
        return read("top alert rules of " + tenant, c -> {
            return topValues(c, sql, params, topN);
        });
    }

    /** How many of the tenant's alerts with time in [from, to) name each ATT&amp;CK tactic and technique. */
    public AlertAttackCounts alertAttackCounts(TenantId tenant, Instant from, Instant to) {
        requireNonNull(tenant, "tenant");
        List<Object> params = List.of(tenant.value(), QuerySql.micros(from), QuerySql.micros(to));
        return read(
                "ATT&CK counts of the alerts of " + tenant,
                c -> new AlertAttackCounts(
                        countListColumn(c, "tactics", params), countListColumn(c, "techniques", params)));
    }

    /** Counts the elements of a JSON list column of {@code alerts}; {@code column} is one of ours, never input. */
    private Map<String, Long> countListColumn(DuckDBConnection c, String column, List<Object> params)
            throws SQLException {
        String sql = "SELECT v, count(*) AS n FROM (SELECT unnest(json_extract_string(" + column + ", '$[*]')) AS v"
                + " FROM alerts WHERE tenant = ? AND time >= make_timestamp(?::BIGINT)"
                + " AND time < make_timestamp(?::BIGINT)) GROUP BY v ORDER BY n DESC, v";
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** The tenant's alerts that name the event with this sequence as evidence, newest first. */
    public List<Alert> alertsForEvent(TenantId tenant, long seq) {
        requireNonNull(tenant, "tenant");
        return read(
                "list alerts of event " + seq,
                c -> queryAlerts(
                        c,
                        " WHERE tenant = ? AND list_contains(event_seqs, ?) ORDER BY time DESC, id",
                        List.of(tenant.value(), seq),
                        tenant));
    }

    /** The tenant's events with these sequence numbers that are still stored, oldest first (at most 10,000 asked). */
    public List<StoredEvent> events(TenantId tenant, java.util.Collection<Long> seqs) {
        requireNonNull(tenant, "tenant");
        if (seqs.size() > 10_000) {
            throw new IllegalArgumentException("at most 10,000 events at once, asked for " + seqs.size());
        }
        return read("read events by sequence", c -> eventsBySeq(c, tenant, seqs));
    }

    private List<StoredEvent> eventsBySeq(DuckDBConnection c, TenantId tenant, java.util.Collection<Long> seqs)
            throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        if (seqs.isEmpty()) {
            return events;
        }
        Source src = source(c, tenant, Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T00:00:00Z"));
        StringBuilder in = new StringBuilder();
        List<Object> params = new ArrayList<>(src.params());
        for (Long seq : new LinkedHashSet<>(seqs)) {
            in.append(in.isEmpty() ? "?" : ", ?");
            params.add(seq);
        }
        String sql = "SELECT " + SELECT_STORED + " FROM " + src.sql() + " WHERE seq IN (" + in + ") ORDER BY ts, seq";
        try (PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                events.add(readStored(rs, tenant));
            }
        }
        return events;
    }

    /** One of the tenant's alerts with its evidence events (those still stored), or empty when there is none. */
    public Optional<AlertEvidence> alert(TenantId tenant, String id) {
        requireNonNull(tenant, "tenant");
        requireNonNull(id, "id");
        return read("read alert " + id, c -> {
            List<Alert> found = queryAlerts(c, " WHERE tenant = ? AND id = ?", List.of(tenant.value(), id), tenant);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Alert alert = found.get(0);
            List<StoredEvent> events = eventsBySeq(c, tenant, alert.evidence());
            return Optional.of(new AlertEvidence(alert, events));
        });
    }

    private List<Alert> queryAlerts(DuckDBConnection c, String whereAndOrder, List<Object> params, TenantId tenant)
            throws SQLException {
        List<Alert> out = new ArrayList<>();
        String sql = "SELECT " + AlertColumns.SELECT + " FROM alerts" + whereAndOrder;
        try (PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(AlertColumns.read(rs, tenant, json));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------- partitions

    /**
     * Closes the days entirely before {@code before} (UTC days): rows a store made before batch files still holds in
     * its table move into Parquet partitions, and each such day's files that are not final are merged into one.
     *
     * @return how many partition files were written
     */
    public int compact(Instant before) {
        requireNonNull(before, "before");
        long cutoffDay = Math.floorDiv(QuerySql.micros(before), MICROS_PER_DAY);
        mergeLock.lock();
        writeLock.lock();
        try {
            ensureOpen();
            List<Object[]> groups = new ArrayList<>();
            try (PreparedStatement ps = writer.prepareStatement(
                    "SELECT tenant, CAST(ts AS DATE) AS day, min(seq), max(seq), count(*) FROM " + TABLE
                            + " WHERE ts < make_timestamp(?::BIGINT) GROUP BY tenant, day ORDER BY tenant, day")) {
                ps.setLong(1, cutoffDay * MICROS_PER_DAY);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        groups.add(new Object[] {
                            rs.getString(1),
                            rs.getObject(2, LocalDate.class),
                            rs.getLong(3),
                            rs.getLong(4),
                            rs.getLong(5)
                        });
                    }
                }
            }
            writer.commit();
            int written = 0;
            for (Object[] g : groups) {
                compactDay(TenantId.of((String) g[0]), (LocalDate) g[1], (long) g[2], (long) g[3], (long) g[4]);
                written++;
            }
            written += mergeClosedDays(cutoffDay);
            if (freshRollupRows > 0) {
                try {
                    mergeRollup();
                    writer.commit();
                } catch (SQLException | RuntimeException e) {
                    writer.rollback();
                    throw e;
                }
            }
            return written;
        } catch (SQLException e) {
            throw new StoreException("cannot compact before " + before, e);
        } finally {
            writeLock.unlock();
            mergeLock.unlock();
        }
    }

    /**
     * Merges the files of every tenant day entirely before {@code cutoffDay} (epoch days) that are not final into one:
     * a closed day is then read as its final files and at most one other. With background merging the days are handed
     * to the merge thread instead.
     *
     * @return how many merged files were written (none when handed over)
     */
    private int mergeClosedDays(long cutoffDay) throws SQLException {
        List<TenantDay> days = new ArrayList<>();
        try (PreparedStatement ps = writer.prepareStatement("SELECT tenant, day FROM partitions"
                + " WHERE day < ? AND (row_count < ? OR " + UNCOMPRESSED_FILE_SQL + ") GROUP BY tenant, day"
                + " HAVING count(*) > 1 OR bool_or(" + UNCOMPRESSED_FILE_SQL + ")"
                + " ORDER BY tenant, day")) {
            ps.setObject(1, LocalDate.ofEpochDay(cutoffDay));
            ps.setLong(2, finalFileRows);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    days.add(new TenantDay(TenantId.of(rs.getString(1)), rs.getObject(2, LocalDate.class)));
                }
            }
        }
        writer.commit();
        int merged = 0;
        for (TenantDay day : days) {
            if (threading == Threading.CONCURRENT) {
                enqueueMerge(new MergeTask(day, true));
            } else if (mergeWholeDay(day)) {
                merged++;
            }
        }
        return merged;
    }

    private void compactDay(TenantId tenant, LocalDate day, long minSeq, long maxSeq, long rows) throws SQLException {
        String relative = partitionDir(tenant, day) + "/part-" + minSeq + "-" + maxSeq + "-" + rows + ".parquet";
        Path file = dataDir.resolve("events").resolve(relative);
        long start = day.toEpochDay() * MICROS_PER_DAY;
        try {
            createDirectoriesDurably(file.getParent());
            try (Statement s = writer.createStatement()) {
                // COPY takes no bind parameters; every literal here is a validated tenant id, a date or a number.
                s.execute("COPY (SELECT " + COLS + " FROM " + TABLE + " WHERE tenant = " + literal(tenant.value())
                        + " AND ts >= make_timestamp(" + start + ") AND ts < make_timestamp(" + (start + MICROS_PER_DAY)
                        + ") ORDER BY ts, seq) TO " + literal(file.toString())
                        + " (FORMAT parquet, COMPRESSION zstd)");
            }
            force(file);
            // The file's own span and overflow count, as for a batch file: queries then prune it by its event times
            // and read it without the JSON fallbacks when none of its rows needs them.
            FileSpan span = span(List.of(file.toString()), null);
            insertPartition(relative, tenant, day, rows, span.minTs(), span.maxTs(), span.overflowRows());
            try (PreparedStatement ps = writer.prepareStatement("DELETE FROM " + TABLE
                    + " WHERE tenant = ? AND ts >= make_timestamp(?::BIGINT) AND ts < make_timestamp(?::BIGINT)")) {
                ps.setString(1, tenant.value());
                ps.setLong(2, start);
                ps.setLong(3, start + MICROS_PER_DAY);
                long deleted = ps.executeUpdate();
                if (deleted != rows) {
                    throw new IllegalStateException(
                            "compaction of " + relative + " copied " + rows + " rows but would delete " + deleted);
                }
            }
            writer.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            writer.rollback();
            deleteQuietly(file);
            if (e instanceof SQLException sql) {
                throw sql;
            }
            throw new StoreException("cannot compact " + relative, e);
        }
    }

    private static String partitionDir(TenantId tenant, LocalDate day) {
        return "tenant=" + tenant.value() + "/day=" + day;
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** Forces a file DuckDB wrote, and its directory entry: the manifest is about to name it. */
    private static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        forceDirectory(file.getParent());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Left behind, the file is an orphan that the next open deletes.
        }
    }

    /**
     * Removes the tenant's events with time before {@code now - keep}, from the table and the partitions (a
     * partition that straddles the cut-off is rewritten without the old rows). Alerts are kept.
     *
     * @return how many events were removed
     */
    public long applyRetention(TenantId tenant, Duration keep, Instant now) {
        requireNonNull(tenant, "tenant");
        long cutoff = QuerySql.micros(now.minus(keep));
        mergeLock.lock();
        writeLock.lock();
        List<Path> obsolete = new ArrayList<>();
        try {
            ensureOpen();
            long removed;
            List<Path> created = new ArrayList<>();
            try {
                try (PreparedStatement ps = writer.prepareStatement(
                        "DELETE FROM " + TABLE + " WHERE tenant = ? AND ts < make_timestamp(?::BIGINT)")) {
                    ps.setString(1, tenant.value());
                    ps.setLong(2, cutoff);
                    removed = ps.executeUpdate();
                }
                List<Object[]> parts = new ArrayList<>();
                try (PreparedStatement ps = writer.prepareStatement(
                        "SELECT file, day, row_count, max_ts FROM partitions WHERE tenant = ? AND min_ts < ?")) {
                    ps.setString(1, tenant.value());
                    ps.setLong(2, cutoff);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            parts.add(new Object[] {
                                rs.getString(1), rs.getObject(2, LocalDate.class), rs.getLong(3), rs.getLong(4)
                            });
                        }
                    }
                }
                for (Object[] part : parts) {
                    String relative = (String) part[0];
                    LocalDate day = (LocalDate) part[1];
                    long rows = (long) part[2];
                    Path old = dataDir.resolve("events").resolve(relative);
                    FileSpan kept = (long) part[3] < cutoff ? null : span(List.of(old.toString()), cutoff);
                    long keptRows = kept == null ? 0 : kept.rows();
                    if (keptRows == rows) {
                        continue;
                    }
                    try (PreparedStatement ps = writer.prepareStatement("DELETE FROM partitions WHERE file = ?")) {
                        ps.setString(1, relative);
                        ps.executeUpdate();
                    }
                    if (keptRows > 0) {
                        created.add(rewritePartition(tenant, day, old, cutoff, kept));
                    }
                    obsolete.add(old);
                    removed += rows - keptRows;
                }
                recountRollup(tenant, cutoff);
                writer.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                writer.rollback();
                created.forEach(EventStore::deleteQuietly);
                throw e;
            }
            // Only now, with no reader inside a query, may the replaced files go.
            filesLock.writeLock().lock();
            try {
                obsolete.forEach(EventStore::deleteQuietly);
            } finally {
                filesLock.writeLock().unlock();
            }
            return removed;
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot apply retention to " + tenant, e);
        } finally {
            writeLock.unlock();
            mergeLock.unlock();
        }
    }

    /**
     * After the tenant's events before {@code cutoff} went: drops the rollup's hours before it and recounts the hour
     * it falls in from the events kept.
     */
    private void recountRollup(TenantId tenant, long cutoff) throws SQLException {
        long hour = EventRollup.hourFloor(cutoff);
        long firstWhole = EventRollup.hourCeil(cutoff);
        try (PreparedStatement ps = writer.prepareStatement(
                "DELETE FROM " + EventRollup.TABLE + " WHERE tenant = ? AND hour < make_timestamp(?::BIGINT)")) {
            ps.setString(1, tenant.value());
            ps.setLong(2, firstWhole);
            ps.executeUpdate();
        }
        if (hour < cutoff) {
            Source kept = source(
                    writer, tenant, QuerySql.fromMicros(hour), QuerySql.fromMicros(hour + EventRollup.MICROS_PER_HOUR));
            freshRollupRows += rollUp(kept.everyRow());
        }
    }

    /** The row count, the sequence and event-time bounds and the overflow rows of some Parquet files' rows. */
    private record FileSpan(long rows, long minSeq, long maxSeq, long minTs, long maxTs, Long overflowRows) {}

    /** The span of the rows of {@code files} at or after {@code fromMicros} (every row when it is null). */
    private FileSpan span(List<String> files, Long fromMicros) throws SQLException {
        return span(writer, files, fromMicros);
    }

    private FileSpan span(DuckDBConnection c, List<String> files, Long fromMicros) throws SQLException {
        String sql = "SELECT count(*), min(seq), max(seq), epoch_us(min(ts)), epoch_us(max(ts)),"
                + " count(*) FILTER (WHERE overflow) FROM read_parquet(?)"
                + (fromMicros == null ? "" : " WHERE ts >= make_timestamp(?::BIGINT)");
        List<Object> params = fromMicros == null ? List.of(files) : List.of(files, fromMicros);
        try (PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new FileSpan(
                    rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
        }
    }

    private Path rewritePartition(TenantId tenant, LocalDate day, Path old, long cutoff, FileSpan kept)
            throws SQLException, IOException {
        String relative = partitionDir(tenant, day) + "/part-" + kept.minSeq() + "-" + kept.maxSeq() + "-" + kept.rows()
                + ".parquet";
        Path file = dataDir.resolve("events").resolve(relative);
        try (Statement s = writer.createStatement()) {
            s.execute("COPY (SELECT " + COLS + " FROM read_parquet(" + literal(old.toString())
                    + ") WHERE ts >= make_timestamp(" + cutoff + ") ORDER BY ts, seq) TO " + literal(file.toString())
                    + " (FORMAT parquet, COMPRESSION zstd)");
        }
        force(file);
        insertPartition(relative, tenant, day, kept.rows(), kept.minTs(), kept.maxTs(), kept.overflowRows());
        return file;
    }

    /** The manifest's partition files of a tenant, relative to {@code <dataDir>/events}; for tests and operators. */
    public List<String> partitions(TenantId tenant) {
        return read("list partitions", c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT file FROM partitions WHERE tenant = ? ORDER BY file")) {
                ps.setString(1, tenant.value());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    private static void checkPage(int limit, int offset) {
        if (limit < 0 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be between 0 and 10000, was " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
    }

    /**
     * Stops the background merge thread: a queued merge is left for the next start (the day's next batch or
     * compaction queues it again), a running one is cancelled (a DuckDB merge by its statement, a copy of batch files
     * before its next part), its output deleted and its parts kept.
     */
    private void stopMerging() {
        if (mergeThread == null) {
            return;
        }
        synchronized (mergeQueue) {
            mergeStopping = true;
            mergeQueue.clear();
            mergeQueue.notifyAll();
        }
        Statement running = runningMerge;
        if (running != null) {
            try {
                running.cancel();
            } catch (SQLException e) {
                // The merge then runs to its end; the join below waits for it.
            }
        }
        try {
            mergeThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
    }

    @Override
    public void close() {
        stopMerging();
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (DuckDBConnection c : allReaders) {
                c.close();
            }
            if (mergeConnection != writer) {
                mergeConnection.close();
            }
            writer.commit();
            writer.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the store", e);
        } finally {
            writeLock.unlock();
        }
    }
}
