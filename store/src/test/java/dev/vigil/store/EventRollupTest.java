package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.TenantId;
import dev.vigil.search.Query;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hourly rollup must never change an answer: counts, count-bys and field presence over every event of a range
 * (which read it) are checked against the same questions asked with a query that matches every event without being
 * {@link Query.MatchAll} (which scan the events), and the counts against a plain list of what was written, over
 * random ranges with partial hours, in several tenants, through compaction, retention, reopening and the first opening
 * of a store made before rollups.
 */
class EventRollupTest {
    private static final List<TenantId> TENANTS = List.of(TenantId.of("acme"), TenantId.of("globex"), TenantId.of("x"));
    private static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
    private static final Duration SPAN = Duration.ofDays(3);
    /** Matches every event, like MatchAll, but is not MatchAll, so the store answers it from the events. */
    private static final Query EVERY_EVENT = new Query.Not(new Query.Exists("vigil.no.such.field"));

    private static final String[] HOSTS = {"WS-1", "ws-1", "DC01", "srv web", "Ω-host"};
    private static final String[] IPS = {"10.0.0.1", "192.168.1.20", "2001:db8::1", "not an address"};

    @TempDir
    Path dir;

    private record Written(TenantId tenant, Instant time) {}

    @Test
    void rollupAnswersEqualAScanOfTheEvents() throws Exception {
        Random random = new Random(20261126L);
        List<Written> written = new ArrayList<>();
        long seq = 1;
        long wal = 1;
        try (EventStore store = EventStore.open(dir)) {
            for (int batch = 0; batch < 12; batch++) {
                List<StoredEvent> events = new ArrayList<>();
                int size = 1 + random.nextInt(150);
                for (int i = 0; i < size; i++) {
                    TenantId tenant = TENANTS.get(random.nextInt(TENANTS.size()));
                    // Out of time order, as replayed files arrive.
                    Instant time = START.plusMillis((long) (random.nextDouble() * SPAN.toMillis()));
                    events.add(new StoredEvent(seq++, time, event(random, tenant, time)));
                    written.add(new Written(tenant, time));
                }
                store.write(new StoreBatch(events, List.of(), wal++));
            }
            checkRandomRanges(store, written, random, "after writing");

            store.compact(START.plus(Duration.ofDays(1)));
            checkRandomRanges(store, written, random, "after compacting the first day");

            // A cut-off inside an hour, inside a day that is partly in Parquet.
            Instant now = START.plus(Duration.ofHours(60)).plusSeconds(1_234);
            Duration keep = Duration.ofHours(58);
            TenantId acme = TENANTS.get(0);
            store.applyRetention(acme, keep, now);
            Instant cutoff = now.minus(keep);
            written.removeIf(w -> w.tenant().equals(acme) && w.time().isBefore(cutoff));
            checkRandomRanges(store, written, random, "after retention");
        }
        try (EventStore store = EventStore.open(dir)) {
            checkRandomRanges(store, written, random, "after reopening");
        }
        EventStoreTest.executeOnClosedStore(dir, "DROP TABLE " + EventRollup.TABLE);
        try (EventStore store = EventStore.open(dir)) {
            checkRandomRanges(store, written, random, "after rolling up a store made without a rollup");
        }
    }

    /**
     * A batch's rollup rows are counted in two parts (rows without overflow in Java as the file is written, the others
     * in SQL): their sums must equal what SQL alone counts over every stored event, which a store made without a
     * rollup computes on opening. Some batches hold only rows without overflow, some mostly overflow rows.
     */
    @Test
    void rollupCountedAsFilesAreWrittenEqualsOneCountInSql() throws Exception {
        Random random = new Random(20261127L);
        long seq = 1;
        try (EventStore store = EventStore.open(dir)) {
            for (int batch = 0; batch < 16; batch++) {
                List<StoredEvent> events = new ArrayList<>();
                int size = 1 + random.nextInt(300);
                boolean stringsOnly = batch % 3 == 0;
                for (int i = 0; i < size; i++) {
                    TenantId tenant = TENANTS.get(random.nextInt(TENANTS.size()));
                    Instant time = START.plusMillis((long) (random.nextDouble() * SPAN.toMillis()));
                    Event event = event(random, tenant, time);
                    if (stringsOnly) {
                        Map<String, Object> fields = new LinkedHashMap<>(event.fields());
                        fields.replaceAll((k, v) -> v instanceof String || k.equals("EventID") ? v : "s" + v);
                        event = Event.builder()
                                .tenant(tenant)
                                .timestamp(time)
                                .fields(fields)
                                .build();
                    }
                    // Some events without a timestamp: their rows take the time they were received.
                    events.add(
                            new StoredEvent(seq++, time, random.nextInt(20) == 0 ? event.withTimestamp(null) : event));
                }
                store.write(new StoreBatch(events, List.of(), batch + 1));
            }
        }
        List<String> counted = rollupSums();
        assertThat(counted).hasSizeGreaterThan(100);
        EventStoreTest.executeOnClosedStore(dir, "DROP TABLE " + EventRollup.TABLE);
        EventStore.open(dir).close(); // opening a store without a rollup rolls every stored event up in SQL
        assertThat(rollupSums()).isEqualTo(counted);
    }

    /** Every rollup row's sum, as text, in order. */
    private List<String> rollupSums() throws Exception {
        List<String> rows = new ArrayList<>();
        try (java.sql.Connection c =
                        java.sql.DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("events.duckdb"));
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT tenant, hour, field, value, sum(n) FROM "
                        + EventRollup.TABLE + " GROUP BY ALL ORDER BY ALL")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " "
                        + rs.getLong(5));
            }
        }
        return rows;
    }

    private static Event event(Random random, TenantId tenant, Instant time) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String field : EventRollup.FIELDS) {
            if (random.nextInt(3) == 0) {
                continue;
            }
            boolean address = field.endsWith("ip") || field.endsWith("Ip") || field.equals("IpAddress");
            String[] pool = address ? IPS : HOSTS;
            fields.put(
                    field,
                    switch (random.nextInt(10)) {
                        case 0 -> null;
                        case 1 -> (long) random.nextInt(5);
                        case 2 -> List.of(pool[random.nextInt(pool.length)], pool[random.nextInt(pool.length)]);
                        case 3 -> random.nextInt(3) + 0.5;
                        default -> pool[random.nextInt(pool.length)];
                    });
        }
        fields.put("EventID", (long) (4624 + random.nextInt(3)));
        return Event.builder().tenant(tenant).timestamp(time).fields(fields).build();
    }

    private static void checkRandomRanges(EventStore store, List<Written> written, Random random, String when) {
        for (int i = 0; i < 12; i++) {
            Instant from = START.minus(Duration.ofHours(2))
                    .plusSeconds(random.nextInt(i % 4 == 0 ? 80 : 80 * 3_600) * (i % 4 == 0 ? 3_600L : 1L));
            Instant to = from.plusSeconds(
                    i % 5 == 0 ? random.nextInt(3_600) : (long) random.nextInt((int) SPAN.toSeconds() + 14_400));
            for (TenantId tenant : TENANTS) {
                String range = when + ", " + tenant + " [" + from + ", " + to + ")";
                long expected = written.stream()
                        .filter(w -> w.tenant().equals(tenant)
                                && !w.time().isBefore(from)
                                && w.time().isBefore(to))
                        .count();
                assertThat(store.count(tenant, new Query.MatchAll(), from, to))
                        .as(range)
                        .isEqualTo(expected);
                assertThat(store.count(tenant, EVERY_EVENT, from, to)).as(range).isEqualTo(expected);
                Set<String> absent = new LinkedHashSet<>();
                Set<String> checked = new LinkedHashSet<>();
                for (String field : EventRollup.FIELDS) {
                    if (random.nextInt(3) > 0) {
                        continue; // a third of the fields per range keeps the test quick; the seed varies which
                    }
                    FieldCounts scanned = store.countBy(tenant, EVERY_EVENT, from, to, field, 10_000);
                    assertThat(store.countBy(tenant, new Query.MatchAll(), from, to, field, 10_000))
                            .as(range + " by " + field)
                            .isEqualTo(scanned);
                    checked.add(field);
                    if (scanned.buckets().isEmpty()) {
                        absent.add(field);
                    }
                }
                FieldPresence presence =
                        store.fieldPresence(tenant, new Query.MatchAll(), from, to, EventRollup.FIELDS);
                assertThat(presence.total()).as(range).isEqualTo(expected);
                // A field reported absent has no value; with a whole hour read from the rollup the report is exact,
                // otherwise the columns' scan may know less.
                List<String> reportedAbsent =
                        checked.stream().filter(presence.absent()::contains).toList();
                assertThat(absent).as(range).containsAll(reportedAbsent);
                if (EventRollup.hourCeil(QuerySql.micros(from)) < EventRollup.hourFloor(QuerySql.micros(to))) {
                    assertThat(reportedAbsent).as(range).containsAll(absent);
                }
            }
        }
    }
}
