package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.Problem;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.DetectorKind;
import dev.vigil.core.alert.EntityType;
import dev.vigil.core.alert.Severity;
import dev.vigil.search.Query;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventStoreTest {
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");
    static final Instant DAY1 = Instant.parse("2026-11-20T00:00:00Z");
    static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant TO = Instant.parse("2027-01-01T00:00:00Z");

    @TempDir
    Path dir;

    EventStore store;
    long nextSeq = 1;
    long nextWal = 1;

    @BeforeEach
    void open() {
        store = EventStore.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    // ------------------------------------------------------------------------------------------ fixture

    Event windows(TenantId tenant, Instant time, long eventId, String computer, String user, String commandLine) {
        return Event.builder()
                .tenant(tenant)
                .timestamp(time)
                .field("EventID", eventId)
                .field("Computer", computer)
                .field("TargetUserName", user)
                .field("CommandLine", commandLine)
                .field("Channel", "Security")
                .original(Map.of("Event", Map.of("System", Map.of("EventID", eventId, "Computer", computer))))
                .logSource(LogSource.of("windows", null, "security"))
                .source(new SourceRef("Security.evtx", eventId * 10))
                .build();
    }

    List<StoredEvent> store(Event... events) {
        List<StoredEvent> stored = new ArrayList<>();
        for (Event e : events) {
            // The store keeps receipt times to the microsecond, as the server's clock gives them.
            Instant received = e.timestamp() == null
                    ? DAY1
                    : e.timestamp().plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            stored.add(new StoredEvent(nextSeq++, received, e));
        }
        store.write(new StoreBatch(stored, List.of(), nextWal++));
        return stored;
    }

    long count(TenantId tenant, Query q) {
        return store.count(tenant, q, FROM, TO);
    }

    List<Long> seqs(TenantId tenant, Query q) {
        return store.search(tenant, q, FROM, TO, 1000, 0).events().stream()
                .map(StoredEvent::seq)
                .sorted()
                .toList();
    }

    /** Runs SQL on the DuckDB file of a store that is not open: to make it look as an older version left it. */
    static void executeOnClosedStore(Path dataDir, String... statements) throws java.sql.SQLException {
        try (java.sql.Connection c =
                        java.sql.DriverManager.getConnection("jdbc:duckdb:" + dataDir.resolve("events.duckdb"));
                java.sql.Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static Query.Term term(String field, String value) {
        return new Query.Term(field, value);
    }

    // ------------------------------------------------------------------------------------------ write and read back

    @Test
    void storedEventsComeBackExactlyNewestFirst() {
        Event older = windows(ACME, DAY1.plusSeconds(10), 4625, "WS1", "alice", "cmd.exe /c whoami");
        Event newer = Event.builder()
                .tenant(ACME)
                .timestamp(DAY1.plusSeconds(20).plusNanos(123_456_789))
                .field("message", "Failed password for root")
                .field("tags", List.of("a", "b"))
                .field("ratio", 0.25)
                .field("ok", true)
                .field("nothing", null)
                .original("Nov 20 00:00:20 host sshd[1]: Failed password for root")
                .build();
        Event timeless = Event.builder().tenant(ACME).field("x", "y").build();
        List<StoredEvent> stored = store(older, newer, timeless);

        SearchResult result = store.search(ACME, new Query.MatchAll(), FROM, TO, 10, 0);

        assertThat(result.total()).isEqualTo(3);
        assertThat(result.events())
                .as("the timeless event files under its receipt time, before the others")
                .extracting(StoredEvent::seq)
                .containsExactly(2L, 1L, 3L);
        for (StoredEvent back : result.events()) {
            StoredEvent original = stored.get((int) back.seq() - 1);
            assertThat(back.received()).isEqualTo(original.received());
            EventJsonTest.assertSameEvent(back.event(), original.event());
        }
    }

    @Test
    void totalCountsEveryMatchAndPagesWalkTheRest() {
        for (int i = 0; i < 25; i++) {
            store(windows(ACME, DAY1.plusSeconds(i), 4624, "WS" + i, "u", "c"));
        }
        SearchResult page = store.search(ACME, new Query.MatchAll(), FROM, TO, 10, 20);
        assertThat(page.total()).isEqualTo(25);
        assertThat(page.events()).extracting(StoredEvent::seq).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(store.search(ACME, new Query.MatchAll(), DAY1, DAY1.plusSeconds(5), 100, 0)
                        .total())
                .as("the time range is half-open [from, to)")
                .isEqualTo(5);
    }

    @Test
    void latestIsTheSearchPageWithoutTheCountAndTheHistogramSumsToTheTotal() {
        for (int i = 0; i < 25; i++) {
            store(windows(ACME, DAY1.plusSeconds(i * 600L), 4624 + i % 2, "WS" + i, "u", "c"));
        }
        store(windows(GLOBEX, DAY1.plusSeconds(30), 4625, "WS-GLOBEX", "u", "c"));
        Query failed = term("EventID", "4625");

        for (int offset : new int[] {0, 5, 11, 12, 40}) {
            assertThat(store.latest(ACME, failed, FROM, TO, 5, offset))
                    .extracting(StoredEvent::seq)
                    .as("offset %d", offset)
                    .containsExactlyElementsOf(store.search(ACME, failed, FROM, TO, 5, offset).events().stream()
                            .map(StoredEvent::seq)
                            .toList());
        }
        assertThat(store.latest(ACME, failed, FROM, TO, 0, 0)).isEmpty();
        long histogramTotal = store.histogram(ACME, failed, FROM, TO, Duration.ofHours(1)).stream()
                .mapToLong(HistogramBucket::count)
                .sum();
        assertThat(histogramTotal)
                .as("the console takes the total from the histogram")
                .isEqualTo(store.count(ACME, failed, FROM, TO))
                .isEqualTo(12);
    }

    // ------------------------------------------------------------------------------------------ query forms

    @Test
    void termsAreCaseInsensitiveEqualityOnPromotedAndJsonFields() {
        store(
                windows(ACME, DAY1, 4625, "WS1", "Alice", "cmd.exe"),
                windows(ACME, DAY1, 4624, "ws2", "bob", "powershell.exe"),
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1)
                        .field("Custom", "Mixed Case")
                        .build());

        assertThat(seqs(ACME, term("Computer", "ws1"))).containsExactly(1L);
        assertThat(seqs(ACME, term("TargetUserName", "ALICE"))).containsExactly(1L);
        assertThat(seqs(ACME, term("Custom", "mixed case"))).containsExactly(3L);
        assertThat(seqs(ACME, new Query.Phrase("Custom", "MIXED CASE"))).containsExactly(3L);
        assertThat(seqs(ACME, term("Custom", "mixed")))
                .as("a field term is whole-value equality")
                .isEmpty();
        assertThat(seqs(ACME, term("EventID", "4625"))).containsExactly(1L);
        assertThat(seqs(ACME, term("EventID", "4625.0")))
                .as("numbers compare as numbers")
                .containsExactly(1L);
    }

    @Test
    void numericTermsMatchNumbersInJsonAndTextThatReadsAsTheNumber() {
        store(
                Event.builder().tenant(ACME).timestamp(DAY1).field("port", 22L).build(),
                Event.builder().tenant(ACME).timestamp(DAY1).field("port", "22").build(),
                Event.builder().tenant(ACME).timestamp(DAY1).field("port", 22.5).build(),
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1)
                        .field("EventID", "4625")
                        .build());
        assertThat(seqs(ACME, term("port", "22"))).containsExactly(1L, 2L);
        assertThat(seqs(ACME, term("port", "22.5"))).containsExactly(3L);
        assertThat(seqs(ACME, term("EventID", "4625")))
                .as("a string EventID is promoted too")
                .containsExactly(4L);
    }

    @Test
    void multiValuedFieldsMatchAnyElement() {
        store(
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1)
                        .field("Computer", List.of("alpha", "beta"))
                        .field("tags", List.of("attack.t1059", "attack.execution"))
                        .field("IpAddress", List.of("10.0.0.1", "192.168.1.1"))
                        .build(),
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1)
                        .field("Computer", "beta")
                        .build());
        assertThat(seqs(ACME, term("Computer", "ALPHA")))
                .as("promoted field holding a list")
                .containsExactly(1L);
        assertThat(seqs(ACME, term("Computer", "beta"))).containsExactly(1L, 2L);
        assertThat(seqs(ACME, term("tags", "attack.execution"))).containsExactly(1L);
        assertThat(seqs(ACME, new Query.Wildcard("tags", "attack.t1*"))).containsExactly(1L);
        assertThat(seqs(ACME, new Query.Cidr("IpAddress", "192.168.0.0/16"))).containsExactly(1L);
        assertThat(seqs(ACME, new Query.Exists("tags"))).containsExactly(1L);
        assertThat(seqs(ACME, new Query.Not(term("Computer", "alpha")))).containsExactly(2L);
    }

    @Test
    void bareTermsSearchTheRawEventCaseInsensitively() {
        store(
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1)
                        .original("Nov 20 sshd[1]: Failed password for ROOT from 10.0.0.1")
                        .field("message", "Failed password for ROOT")
                        .build(),
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1)
                        .field("EventID", 4688L)
                        .field("CommandLine", "C:\\Windows\\System32\\WhoAmI.exe /all \"quoted\"")
                        .original(Map.of(
                                "Event",
                                Map.of(
                                        "System",
                                        Map.of("EventID", 4688L),
                                        "EventData",
                                        Map.of("CommandLine", "C:\\Windows\\System32\\WhoAmI.exe /all \"quoted\""))))
                        .build(),
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1)
                        .field("note", "no original: the fields are searched")
                        .build());
        assertThat(seqs(ACME, new Query.Term(null, "root"))).containsExactly(1L);
        assertThat(seqs(ACME, new Query.Phrase(null, "failed PASSWORD for"))).containsExactly(1L);
        assertThat(seqs(ACME, new Query.Term(null, "whoami.exe"))).containsExactly(2L);
        assertThat(seqs(ACME, new Query.Term(null, "4688")))
                .as("numbers are in the raw event too")
                .containsExactly(2L);
        assertThat(seqs(ACME, new Query.Phrase(null, "system32\\whoami.exe /all \"QUOTED\"")))
                .as("backslashes and quotes are matched as the analyst typed them, not as JSON escapes them")
                .containsExactly(2L);
        assertThat(seqs(ACME, new Query.Wildcard(null, "windows\\\\sys*\\\\whoami")))
                .containsExactly(2L);
        assertThat(seqs(ACME, new Query.Term(null, "eventdata")))
                .as("keys are part of the raw event")
                .containsExactly(2L);
        assertThat(seqs(ACME, new Query.Term(null, "searched"))).containsExactly(3L);
        assertThat(seqs(ACME, new Query.Wildcard(null, "pass*root"))).containsExactly(1L);
    }

    @Test
    void wildcardsHonourEscapesAndLikeMetacharacters() {
        store(
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1)
                        .field("v", "100%_done")
                        .build(),
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1)
                        .field("v", "100xxdone")
                        .build(),
                Event.builder().tenant(ACME).timestamp(DAY1).field("v", "a*b").build(),
                Event.builder().tenant(ACME).timestamp(DAY1).field("v", "axxb").build(),
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1)
                        .field("v", "C:\\Temp\\X.EXE")
                        .build());
        assertThat(seqs(ACME, new Query.Wildcard("v", "100%_done")))
                .as("% and _ are literal")
                .containsExactly(1L);
        assertThat(seqs(ACME, new Query.Wildcard("v", "100??done"))).containsExactly(1L, 2L);
        assertThat(seqs(ACME, new Query.Wildcard("v", "a\\*b")))
                .as("an escaped star is literal")
                .containsExactly(3L);
        assertThat(seqs(ACME, new Query.Wildcard("v", "a*b"))).containsExactly(3L, 4L);
        assertThat(seqs(ACME, new Query.Wildcard("v", "c:\\\\temp\\\\*.exe")))
                .as("an escaped backslash is one backslash")
                .containsExactly(5L);
        assertThat(seqs(ACME, new Query.Wildcard("CommandLine", "*"))).isEmpty();
    }

    @Test
    void rangesCompareNumbersTimesAndText() {
        store(
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1.plusSeconds(1))
                        .field("bytes", 9L)
                        .field("seen", "2026-11-20T10:00:00Z")
                        .field("name", "bravo")
                        .build(),
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1.plusSeconds(2))
                        .field("bytes", 100L)
                        .field("seen", "2026-11-20T12:00:00+02:00")
                        .field("name", "Delta")
                        .build(),
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1.plusSeconds(3))
                        .field("bytes", "1000")
                        .field("seen", "not a time")
                        .field("name", "x-ray")
                        .build());
        assertThat(seqs(ACME, new Query.Range("bytes", "10", true, null, true)))
                .as("numeric: 9 < 10 although '9' > '10' as text")
                .containsExactly(2L, 3L);
        assertThat(seqs(ACME, new Query.Range("bytes", "9", false, "1000", true)))
                .containsExactly(2L, 3L);
        assertThat(seqs(ACME, new Query.Range("seen", "2026-11-20T09:30:00Z", true, "2026-11-20T10:30:00Z", true)))
                .as("12:00+02:00 is 10:00Z: both in range")
                .containsExactly(1L, 2L);
        assertThat(seqs(ACME, new Query.Range("name", "c", true, "e", false)))
                .as("text, case-insensitive")
                .containsExactly(2L);
        assertThat(seqs(ACME, new Query.Range("@timestamp", "2026-11-20T00:00:02Z", true, null, true)))
                .containsExactly(2L, 3L);
        assertThat(seqs(ACME, new Query.Range("@timestamp", null, true, "2026-11-20T00:00:02Z", false)))
                .containsExactly(1L);
        assertThat(seqs(ACME, term("@timestamp", "2026-11-20T00:00:03Z"))).containsExactly(3L);
        assertThatThrownBy(() -> count(ACME, new Query.Range("@timestamp", "yesterday", true, null, true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("@timestamp");
    }

    @Test
    void cidrBlocksMatchIpv4AndIpv6OnPromotedAndJsonFields() {
        store(
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1)
                        .field("source.ip", "10.1.2.3")
                        .field("peer", "10.1.2.3")
                        .build(),
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1)
                        .field("source.ip", "2001:db8::42")
                        .field("peer", "2001:DB8:0:0::42")
                        .build(),
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1)
                        .field("source.ip", "192.168.0.1")
                        .field("peer", "11.0.0.1")
                        .build(),
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1)
                        .field("source.ip", "not-an-ip")
                        .field("peer", "10.999.0.1")
                        .build());
        for (String field : List.of("source.ip", "peer")) {
            assertThat(seqs(ACME, new Query.Cidr(field, "10.0.0.0/8")))
                    .as(field)
                    .containsExactly(1L);
            assertThat(seqs(ACME, new Query.Cidr(field, "2001:db8::/32")))
                    .as(field)
                    .containsExactly(2L);
            assertThat(seqs(ACME, new Query.Cidr(field, "2001:db9::/32")))
                    .as(field)
                    .isEmpty();
            assertThat(seqs(ACME, new Query.Cidr(field, "0.0.0.0/0"))).as(field).hasSize(2);
            assertThat(seqs(ACME, new Query.Cidr(field, "10.1.2.3"))).as(field).containsExactly(1L);
        }
        assertThat(seqs(ACME, new Query.Cidr("source.ip", "192.168.0.0/31"))).containsExactly(3L);
        assertThatThrownBy(() -> count(ACME, new Query.Cidr("peer", "10.0.0.0/99")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("peer");
    }

    @Test
    void existsAndBooleanCombinations() {
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("Image", null);
        withNull.put("opt", null);
        store(
                windows(ACME, DAY1, 4625, "WS1", "alice", "a"),
                windows(ACME, DAY1, 4624, "WS1", "bob", "b"),
                Event.builder().tenant(ACME).timestamp(DAY1).fields(withNull).build());
        assertThat(seqs(ACME, new Query.Exists("CommandLine"))).containsExactly(1L, 2L);
        assertThat(seqs(ACME, new Query.Exists("Image")))
                .as("null is not present")
                .isEmpty();
        assertThat(seqs(ACME, new Query.Exists("opt"))).isEmpty();
        assertThat(seqs(ACME, new Query.And(List.of(term("Computer", "ws1"), term("EventID", "4625")))))
                .containsExactly(1L);
        assertThat(seqs(ACME, new Query.Or(List.of(term("TargetUserName", "bob"), term("EventID", "4625")))))
                .containsExactly(1L, 2L);
        assertThat(seqs(ACME, new Query.Not(term("TargetUserName", "alice"))))
                .as("NOT includes events without the field")
                .containsExactly(2L, 3L);
        assertThat(seqs(ACME, new Query.And(List.of()))).hasSize(3);
        assertThat(seqs(ACME, new Query.Or(List.of()))).isEmpty();
    }

    @Test
    void dottedNamesResolveThroughTheNestedOriginal() {
        store(Event.builder()
                .tenant(ACME)
                .timestamp(DAY1)
                .original(Map.of("process", Map.of("command_line", "whoami /all", "pid", 4L)))
                .build());
        assertThat(seqs(ACME, term("process.command_line", "WHOAMI /ALL"))).containsExactly(1L);
        assertThat(seqs(ACME, term("process.pid", "4"))).containsExactly(1L);
        assertThat(seqs(ACME, new Query.Exists("process.parent"))).isEmpty();
    }

    @Test
    void injectionAttemptsInFieldNamesAndValuesAreJustText() {
        String evilName = "x') OR 1=1; DROP TABLE events; --";
        String evilPointer = "a/b~c\"$.*";
        store(
                Event.builder()
                        .tenant(ACME)
                        .timestamp(DAY1)
                        .field(evilName, "' OR ''='")
                        .field(evilPointer, "v")
                        .build(),
                Event.builder().tenant(ACME).timestamp(DAY1).field("other", "w").build());
        assertThat(seqs(ACME, term(evilName, "' OR ''='"))).containsExactly(1L);
        assertThat(seqs(ACME, term(evilName, "x"))).isEmpty();
        assertThat(seqs(ACME, term("other", "' OR 1=1 --"))).isEmpty();
        assertThat(seqs(ACME, term(evilPointer, "V"))).containsExactly(1L);
        assertThat(seqs(ACME, new Query.Exists("$"))).isEmpty();
        assertThat(seqs(ACME, new Query.Wildcard("other", "%")))
                .as("% is literal in a wildcard")
                .isEmpty();
        assertThat(seqs(ACME, new Query.Term(null, "'); DROP TABLE events; --")))
                .isEmpty();
        assertThat(store.countBy(ACME, new Query.MatchAll(), FROM, TO, evilName, 5)
                        .buckets())
                .containsExactly(new FieldCounts.Bucket("' OR ''='", 1));
        assertThat(count(ACME, new Query.MatchAll()))
                .as("the table is still there")
                .isEqualTo(2);
    }

    // ------------------------------------------------------------------------------------------ aggregations

    @Test
    void countByGivesTopValuesAndTheRest() {
        for (int i = 0; i < 10; i++) {
            store(windows(ACME, DAY1.plusSeconds(i), 4624 + (i % 3 == 0 ? 1 : 0), "WS" + (i % 4), "u" + (i % 2), "c"));
        }
        store(Event.builder()
                .tenant(ACME)
                .timestamp(DAY1)
                .field("Computer", List.of("WS0", "WS9"))
                .field("Custom", List.of("a", "b"))
                .build());
        FieldCounts byComputer = store.countBy(ACME, new Query.MatchAll(), FROM, TO, "Computer", 2);
        assertThat(byComputer.buckets())
                .containsExactly(new FieldCounts.Bucket("WS0", 4), new FieldCounts.Bucket("WS1", 3));
        assertThat(byComputer.otherCount()).as("WS2 2, WS3 2, WS9 1").isEqualTo(5);

        FieldCounts byEventId = store.countBy(ACME, term("TargetUserName", "u0"), FROM, TO, "EventID", 10);
        assertThat(byEventId.buckets())
                .containsExactly(new FieldCounts.Bucket("4624", 3), new FieldCounts.Bucket("4625", 2));
        assertThat(byEventId.otherCount()).isZero();

        assertThat(store.countBy(ACME, new Query.MatchAll(), FROM, TO, "Custom", 10)
                        .buckets())
                .containsExactly(new FieldCounts.Bucket("a", 1), new FieldCounts.Bucket("b", 1));
    }

    @Test
    void histogramCountsEveryBucketIncludingEmptyOnes() {
        store(
                windows(ACME, DAY1.plusSeconds(5), 1, "a", "u", "c"),
                windows(ACME, DAY1.plusSeconds(59), 1, "a", "u", "c"),
                windows(ACME, DAY1.plusSeconds(125), 2, "a", "u", "c"));
        List<HistogramBucket> buckets =
                store.histogram(ACME, new Query.MatchAll(), DAY1, DAY1.plusSeconds(240), Duration.ofMinutes(1));
        assertThat(buckets)
                .containsExactly(
                        new HistogramBucket(DAY1, 2),
                        new HistogramBucket(DAY1.plusSeconds(60), 0),
                        new HistogramBucket(DAY1.plusSeconds(120), 1),
                        new HistogramBucket(DAY1.plusSeconds(180), 0));
        assertThat(store.histogram(ACME, term("EventID", "2"), DAY1, DAY1.plusSeconds(240), Duration.ofMinutes(2)))
                .containsExactly(new HistogramBucket(DAY1, 0), new HistogramBucket(DAY1.plusSeconds(120), 1));
    }

    @Test
    void histogramBucketGivesFiftyToAHundredBuckets() {
        for (Duration span : List.of(
                Duration.ofMinutes(15),
                Duration.ofHours(1),
                Duration.ofHours(24),
                Duration.ofDays(7),
                Duration.ofDays(30),
                Duration.ofDays(365))) {
            Duration bucket = EventStore.histogramBucket(DAY1, DAY1.plus(span));
            long n = span.dividedBy(bucket);
            assertThat(n).as(span + " by " + bucket).isBetween(30L, 100L);
        }
    }

    // ------------------------------------------------------------------------------------------ alerts

    Alert alert(TenantId tenant, String id, Instant time, String rule, String level, List<Long> seqs) {
        return Alert.builder()
                .id(id)
                .tenant(tenant)
                .time(time)
                .detector(rule, "Rule " + rule)
                .sigmaLevel(level, "stable")
                .sigmaTags(List.of("attack.credential_access", "attack.t1110"))
                .entity(EntityType.HOST, "WS1")
                .entity(EntityType.USER, "alice")
                .evidence(seqs)
                .detail("count", 3L)
                .build();
    }

    /**
     * A string with a lone UTF-16 surrogate (JSON allows "\\ud800"; attackers write such records) once stopped the
     * pipeline for good: DuckDB's JSON reader refuses the escape, so the batch could never be stored, after a restart
     * neither. The store keeps the event, with U+FFFD in place of the lone surrogate, and its neighbours unchanged,
     * whether the event comes from a log record (its bytes copied) or was built in memory.
     */
    @Test
    void loneSurrogatesAreStoredAsReplacementCharactersAndTheBatchWithThem() {
        String lone = "adm\ud800in";
        Event attacked = windows(ACME, DAY1.plusSeconds(1), 4625, "WS\udfff1", lone, "cmd \ud83d\ude00 ok \ud83d");
        byte[] record = new EventJson().toBytes(attacked);
        EventJson.Decoded decoded = new EventJson().decode(record, 0, record.length);
        Event plain = windows(ACME, DAY1.plusSeconds(2), 4624, "WS2", "bob", "whoami");
        List<StoredEvent> events = List.of(
                new StoredEvent(nextSeq++, DAY1.plusSeconds(3), decoded.event(), decoded.encoded()),
                new StoredEvent(nextSeq++, DAY1.plusSeconds(3), attacked),
                new StoredEvent(nextSeq++, DAY1.plusSeconds(3), plain));
        Alert alert = Alert.builder()
                .id("lone")
                .tenant(ACME)
                .time(DAY1.plusSeconds(1))
                .detector("r", "Rule \udc00")
                .sigmaLevel("high", "stable")
                .entity(EntityType.USER, lone)
                .evidence(List.of(1L))
                .build();

        store.write(new StoreBatch(events, List.of(alert), nextWal++));

        List<StoredEvent> back =
                store.search(ACME, new Query.MatchAll(), FROM, TO, 10, 0).events();
        assertThat(back).extracting(StoredEvent::seq).containsExactlyInAnyOrder(1L, 2L, 3L);
        for (StoredEvent e : back) {
            if (e.seq() == 3) {
                EventJsonTest.assertSameEvent(e.event(), plain);
            } else {
                assertThat(e.event().field("TargetUserName")).isEqualTo("adm\ufffdin");
                assertThat(e.event().field("Computer")).isEqualTo("WS\ufffd1");
                assertThat(e.event().field("CommandLine")).isEqualTo("cmd \ud83d\ude00 ok \ufffd");
            }
        }
        assertThat(count(ACME, term("TargetUserName", "adm\ufffdin"))).isEqualTo(2);
        assertThat(store.alert(ACME, "lone")).isPresent();
        assertThat(store.rejectedEvents()).isZero();
    }

    /**
     * Batch files keep an event's fields and original as the codec wrote them (DuckDB once parsed and rewrote them):
     * non-finite and exponent numbers, characters beyond the BMP and escapes read back as they were, DuckDB's JSON
     * functions accept the text in queries, and a bare term does not match inside an escape ("d" of "\\ud83d").
     */
    @Test
    void fieldsJsonAsTheCodecWritesItIsSearchableAndReadsBack() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ratio", Double.NaN);
        fields.put("peak", Double.POSITIVE_INFINITY);
        fields.put("floor", Double.NEGATIVE_INFINITY);
        fields.put("big", 1.0E10);
        fields.put("emoji", "x\ud83d\ude00y");
        fields.put("quoted", "a \"b\" \\ c\n\u0001");
        fields.put("Computer", "WS9");
        Event odd = Event.builder()
                .tenant(ACME)
                .timestamp(DAY1.plusSeconds(5))
                .fields(fields)
                .original("x\ud83d\ude00y")
                .build();
        byte[] record = new EventJson().toBytes(odd);
        EventJson.Decoded decoded = new EventJson().decode(record, 0, record.length);
        store.write(new StoreBatch(
                List.of(
                        new StoredEvent(nextSeq++, DAY1.plusSeconds(5), decoded.event(), decoded.encoded()),
                        new StoredEvent(nextSeq++, DAY1.plusSeconds(5), odd)),
                List.of(),
                nextWal++));

        List<StoredEvent> back =
                store.search(ACME, new Query.MatchAll(), FROM, TO, 10, 0).events();
        assertThat(back).hasSize(2);
        for (StoredEvent e : back) {
            EventJsonTest.assertSameEvent(e.event(), odd);
        }
        assertThat(count(ACME, term("emoji", "x\ud83d\ude00y"))).isEqualTo(2);
        assertThat(count(ACME, term("quoted", "a \"b\" \\ c\n\u0001"))).isEqualTo(2);
        assertThat(count(ACME, new Query.Exists("ratio"))).isEqualTo(2);
        assertThat(count(ACME, new Query.Range("big", "9999999999", true, null, false)))
                .isEqualTo(2);
        assertThat(count(ACME, new Query.Term(null, "d")))
                .as("a bare term inside an escape")
                .isZero();
        assertThat(count(ACME, new Query.Term(null, "\ud83d\ude00"))).isEqualTo(2);
    }

    /**
     * A log record written before the codec kept characters beyond the BMP as UTF-8 holds them as escaped pairs; its
     * bytes are not copied (a bare term would match the escape's letters) but encoded again, without a report. A
     * record with a lone surrogate is encoded again with U+FFFD, and that is reported with the event's sequence.
     */
    @Test
    void olderRecordsAndLoneSurrogatesAreEncodedAgainAndOnlyRepairsReported(@TempDir Path otherDir) {
        List<Problem> problems = new ArrayList<>();
        EventJson codec = new EventJson();
        Event emoji = Event.builder()
                .tenant(ACME)
                .timestamp(DAY1.plusSeconds(1))
                .field("emoji", "x\ud83d\ude00y")
                .build();
        String current = new String(codec.toBytes(emoji), StandardCharsets.UTF_8);
        assertThat(current).as("the codec writes the pair as UTF-8").contains("x\ud83d\ude00y");
        byte[] older = current.replace("\ud83d\ude00", "\\ud83d\\ude00").getBytes(StandardCharsets.UTF_8);
        EventJson.Decoded olderDecoded = codec.decode(older, 0, older.length);
        Event lone = Event.builder()
                .tenant(ACME)
                .timestamp(DAY1.plusSeconds(2))
                .field("emoji", "x\ud83dy")
                .build();
        byte[] loneRecord = codec.toBytes(lone);
        EventJson.Decoded loneDecoded = codec.decode(loneRecord, 0, loneRecord.length);
        try (EventStore reporting = EventStore.open(otherDir, problems::add)) {
            reporting.write(new StoreBatch(
                    List.of(
                            new StoredEvent(1, DAY1.plusSeconds(3), olderDecoded.event(), olderDecoded.encoded()),
                            new StoredEvent(2, DAY1.plusSeconds(3), loneDecoded.event(), loneDecoded.encoded())),
                    List.of(),
                    1));
            Map<Long, Event> back = new LinkedHashMap<>();
            reporting
                    .search(ACME, new Query.MatchAll(), FROM, TO, 10, 0)
                    .events()
                    .forEach(e -> back.put(e.seq(), e.event()));
            assertThat(back.get(1L).field("emoji")).isEqualTo("x\ud83d\ude00y");
            assertThat(back.get(2L).field("emoji")).isEqualTo("x\ufffdy");
            assertThat(reporting.count(ACME, new Query.Term(null, "d83d"), FROM, TO))
                    .as("a bare term over fields kept as text")
                    .isZero();
            assertThat(reporting.count(ACME, new Query.Term(null, "\ud83d\ude00"), FROM, TO))
                    .isEqualTo(1);
            assertThat(reporting.rejectedEvents()).isZero();
        }
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).message())
                .contains("1 event(s) stored with U+FFFD")
                .contains("[2]");
    }

    /**
     * Seeded random text of every awkward kind (lone and paired surrogates, NUL and other controls, quotes, backslashes,
     * non-characters) in keys, values and originals, some events decoded from their log record: every event is
     * stored, and reads back as written with U+FFFD for each lone surrogate.
     */
    @Test
    void awkwardTextIsStoredAndReadsBackWellFormed() {
        Random random = new Random(20261127L);
        EventJson codec = new EventJson();
        List<StoredEvent> events = new ArrayList<>();
        List<Event> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            Map<String, Object> wellFormedFields = new LinkedHashMap<>();
            for (int f = random.nextInt(6); f >= 0; f--) {
                String key = f == 0 ? "TargetUserName" : awkward(random);
                String value = awkward(random);
                if (!wellFormedFields.containsKey(EventJson.wellFormed(key)) && !fields.containsKey(key)) {
                    fields.put(key, value);
                    wellFormedFields.put(EventJson.wellFormed(key), EventJson.wellFormed(value));
                }
            }
            String original = awkward(random);
            Event event = Event.builder()
                    .tenant(ACME)
                    .timestamp(DAY1.plusSeconds(i))
                    .fields(fields)
                    .original(original)
                    .build();
            expected.add(Event.builder()
                    .tenant(ACME)
                    .timestamp(DAY1.plusSeconds(i))
                    .fields(wellFormedFields)
                    .original(EventJson.wellFormed(original))
                    .build());
            if (random.nextBoolean()) {
                byte[] record = codec.toBytes(event);
                EventJson.Decoded decoded = codec.decode(record, 0, record.length);
                events.add(new StoredEvent(nextSeq++, DAY1.plusSeconds(i), decoded.event(), decoded.encoded()));
            } else {
                events.add(new StoredEvent(nextSeq++, DAY1.plusSeconds(i), event));
            }
        }
        store.write(new StoreBatch(events, List.of(), nextWal++));

        List<StoredEvent> back =
                store.search(ACME, new Query.MatchAll(), FROM, TO, 1000, 0).events();
        assertThat(back).hasSize(events.size());
        for (StoredEvent e : back) {
            EventJsonTest.assertSameEvent(e.event(), expected.get((int) e.seq() - 1));
        }
        assertThat(store.rejectedEvents()).isZero();
    }

    private static String awkward(Random random) {
        String pool = "aZ09 \"\\/\u0000\u0001\n\t\u007f\u00e9\u4e2d\ufffe\uffff\ud800\udbff\udc00\udfff";
        StringBuilder b = new StringBuilder();
        for (int n = 1 + random.nextInt(12); n > 0; n--) {
            if (random.nextInt(8) == 0) {
                b.append("\ud83d\ude00"); // a valid pair
            } else {
                b.append(pool.charAt(random.nextInt(pool.length())));
            }
        }
        return b.toString();
    }

    @Test
    void eachAlertKeepsItsOwnEntitiesWhetherItsNeighboursShareThemOrNot() {
        // The store encodes a run of alerts with equal entities once: alternate runs to see none leaks into the next.
        List<StoredEvent> events =
                List.of(new StoredEvent(nextSeq++, DAY1, windows(ACME, DAY1, 4625, "WS1", "alice", "c")));
        String[] hosts = {"WS1", "WS1", "WS2", "WS1", null, null, "WS3"};
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            Alert.Builder b = Alert.builder()
                    .id("e" + i)
                    .tenant(ACME)
                    .time(DAY1.plusSeconds(i))
                    .detector("r" + i, "Rule " + i)
                    .sigmaLevel("high", "stable")
                    .evidence(List.of(events.get(0).seq()));
            if (hosts[i] != null) {
                b.entity(EntityType.HOST, hosts[i]).entity(EntityType.USER, "user-of-" + hosts[i]);
            }
            alerts.add(b.build());
        }
        store.write(new StoreBatch(events, alerts, nextWal++));

        for (Alert expected : alerts) {
            assertThat(store.alert(ACME, expected.id()))
                    .get()
                    .satisfies(found -> assertThat(found.alert().entities())
                            .as(expected.id())
                            .isEqualTo(expected.entities()));
        }
    }

    @Test
    void alertsAreListedFilteredAndLinkedToTheirEvidence() {
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Event e = windows(ACME, DAY1.plusSeconds(i), 4625, "WS1", "alice", "c");
            events.add(new StoredEvent(nextSeq++, DAY1, e));
        }
        List<Alert> alerts = List.of(
                alert(ACME, "a1", DAY1.plusSeconds(10), "brute", "high", List.of(1L, 2L, 3L)),
                alert(ACME, "a2", DAY1.plusSeconds(20), "recon", "low", List.of(2L)),
                alert(ACME, "a3", DAY1.plusSeconds(30), "brute", "critical", List.of(3L)),
                alert(ACME, "a1", DAY1.plusSeconds(99), "dup", "low", List.of()));
        store.write(new StoreBatch(events, alerts, nextWal++));

        AlertPage all = store.alerts(ACME, FROM, TO, AlertFilter.ALL, 10, 0);
        assertThat(all.total()).as("the duplicate id is ignored").isEqualTo(3);
        assertThat(all.alerts()).extracting(Alert::id).containsExactly("a3", "a2", "a1");
        assertThat(all.alerts().get(2)).isEqualTo(alerts.get(0));

        assertThat(store.alerts(ACME, FROM, TO, new AlertFilter(Severity.HIGH, null, null), 10, 0)
                        .alerts())
                .extracting(Alert::id)
                .containsExactly("a3", "a1");
        assertThat(store.alerts(ACME, FROM, TO, new AlertFilter(null, "brute", null), 1, 1))
                .satisfies(p -> assertThat(p.total()).isEqualTo(2))
                .satisfies(p -> assertThat(p.alerts()).extracting(Alert::id).containsExactly("a1"));

        assertThat(store.alertsForEvent(ACME, 2)).extracting(Alert::id).containsExactly("a2", "a1");
        Optional<AlertEvidence> evidence = store.alert(ACME, "a1");
        assertThat(evidence).isPresent();
        assertThat(evidence.get().events()).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L);
        assertThat(store.alert(ACME, "nope")).isEmpty();
        long appliedBefore = store.appliedSequence();
        store.writeAlerts(List.of(
                alert(ACME, "retro-1", DAY1.plusSeconds(40), "intel:domain:evil.example", "high", List.of(2L)),
                alert(ACME, "a1", DAY1.plusSeconds(40), "again", "high", List.of(2L))));
        assertThat(store.appliedSequence()).as("alerts outside the pipeline").isEqualTo(appliedBefore);
        assertThat(store.alerts(ACME, FROM, TO, AlertFilter.ALL, 10, 0).total()).isEqualTo(4);
        assertThat(store.events(ACME, List.of(3L, 1L, 99L)))
                .extracting(StoredEvent::seq)
                .containsExactly(1L, 3L);
        assertThat(store.events(TenantId.of("initech"), List.of(1L)))
                .as("another tenant's sequence")
                .isEmpty();
        assertThat(store.alerts(ACME, FROM, TO, new AlertFilter(null, null, DetectorKind.INTEL), 10, 0)
                        .total())
                .isZero();
    }

    @Test
    void rowsOfAStoreWrittenBeforeBatchFilesMoveToAPartitionAtCompaction(@TempDir Path legacyDir) throws Exception {
        EventStore.open(legacyDir).close();
        // Two rows as the table store wrote them: one with its EventID in the promoted column, one whose EventID did
        // not fit (a text), found through the fields JSON.
        executeOnClosedStore(
                legacyDir,
                "INSERT INTO events (tenant, seq, ts, received, fields, text, overflow, p_event_id) VALUES"
                        + " ('acme', 1, TIMESTAMP '2026-01-05 09:00:00', TIMESTAMP '2026-01-05 09:00:01',"
                        + " '{\"EventID\":4625}', '4625', FALSE, 4625),"
                        + " ('acme', 2, TIMESTAMP '2026-01-05 10:00:00', TIMESTAMP '2026-01-05 10:00:01',"
                        + " '{\"EventID\":\"4625\"}', '4625', TRUE, NULL)");
        Instant from = Instant.parse("2026-01-05T00:00:00Z");
        Instant to = Instant.parse("2026-01-06T00:00:00Z");
        try (EventStore legacy = EventStore.open(legacyDir)) {
            assertThat(legacy.count(ACME, term("EventID", "4625"), from, to))
                    .as("from the table")
                    .isEqualTo(2);
            assertThat(legacy.compact(to)).isEqualTo(1);
            assertThat(legacy.partitions(ACME)).singleElement().asString().endsWith("/part-1-2-2.parquet");
            assertThat(legacy.count(ACME, term("EventID", "4625"), from, to))
                    .as("from the partition, the overflowing row through the JSON")
                    .isEqualTo(2);
            assertThat(legacy.count(ACME, term("EventID", "4625"), from, Instant.parse("2026-01-05T09:30:00Z")))
                    .isEqualTo(1);
        }
    }

    @Test
    void alertsOfAStoreWrittenBeforeTheSharedAlertModelAreMoved(@TempDir Path legacyDir) throws Exception {
        executeOnClosedStore(
                legacyDir,
                "CREATE TABLE alerts (tenant VARCHAR NOT NULL, id VARCHAR NOT NULL,"
                        + " time TIMESTAMP NOT NULL, rule_id VARCHAR NOT NULL, rule_title VARCHAR NOT NULL,"
                        + " level VARCHAR NOT NULL, level_rank INTEGER NOT NULL, tags VARCHAR NOT NULL,"
                        + " event_seqs BIGINT[] NOT NULL, details VARCHAR NOT NULL, PRIMARY KEY (tenant, id))",
                "INSERT INTO alerts VALUES ('acme', 'old-1', TIMESTAMP '2026-01-05 09:00:00', 'r-1',"
                        + " 'Old rule', 'high', 3, '[\"attack.execution\",\"attack.t1059.001\"]', [7, 8],"
                        + " '{\"correlation\":true}')");
        try (EventStore legacy = EventStore.open(legacyDir)) {
            Alert moved = legacy.alerts(
                            ACME, Instant.EPOCH, Instant.parse("2030-01-01T00:00:00Z"), AlertFilter.ALL, 10, 0)
                    .alerts()
                    .get(0);
            assertThat(moved.id()).isEqualTo("old-1");
            assertThat(moved.detectorId()).isEqualTo("r-1");
            assertThat(moved.title()).isEqualTo("Old rule");
            assertThat(moved.severity()).isEqualTo(Severity.HIGH);
            assertThat(moved.detectorKind()).isEqualTo(DetectorKind.CORRELATION);
            assertThat(moved.techniques()).containsExactly("T1059.001");
            assertThat(moved.evidence()).containsExactly(7L, 8L);
            assertThat(moved.details()).containsEntry("tags", List.of("attack.execution", "attack.t1059.001"));
        }
        try (EventStore again = EventStore.open(legacyDir)) {
            assertThat(again.alerts(ACME, Instant.EPOCH, Instant.parse("2030-01-01T00:00:00Z"), AlertFilter.ALL, 10, 0)
                            .total())
                    .as("opening a second time changes nothing")
                    .isEqualTo(1);
        }
    }

    @Test
    void alertsAreCountedPerBucketAndLevelAndByRule() {
        List<Alert> alerts = List.of(
                alert(ACME, "a1", DAY1.plusSeconds(10), "brute", "high", List.of()),
                alert(ACME, "a2", DAY1.plusSeconds(20), "recon", "low", List.of()),
                alert(ACME, "a3", DAY1.plusSeconds(70), "brute", "high", List.of()),
                alert(ACME, "a4", DAY1.plusSeconds(80), "brute", "critical", List.of()),
                alert(GLOBEX, "g1", DAY1.plusSeconds(10), "recon", "low", List.of()));
        store.write(new StoreBatch(List.of(), alerts, nextWal++));

        assertThat(store.alertHistogram(ACME, DAY1, DAY1.plusSeconds(120), Duration.ofMinutes(1)))
                .containsExactly(
                        new AlertLevelBucket(DAY1, "high", 1),
                        new AlertLevelBucket(DAY1, "low", 1),
                        new AlertLevelBucket(DAY1.plusSeconds(60), "critical", 1),
                        new AlertLevelBucket(DAY1.plusSeconds(60), "high", 1));
        assertThat(store.alertHistogram(ACME, DAY1.plusSeconds(60), DAY1.plusSeconds(75), Duration.ofMinutes(1)))
                .as("the range bounds alert times, not buckets")
                .containsExactly(new AlertLevelBucket(DAY1.plusSeconds(60), "high", 1));

        FieldCounts top = store.topAlertRules(ACME, DAY1, DAY1.plusSeconds(120), 1);
        assertThat(top.buckets()).containsExactly(new FieldCounts.Bucket("Rule brute", 3));
        assertThat(top.otherCount()).isEqualTo(1);
    }

    @Test
    void alertsAreCountedByAttackTacticAndTechniqueWithinTheRangeAndTenant() {
        Alert lsass = Alert.builder()
                .id("lsass")
                .tenant(ACME)
                .time(DAY1.plusSeconds(5))
                .detector("r-lsass", "LSASS dump")
                .sigmaLevel("critical", "stable")
                .sigmaTags(List.of("attack.credential_access", "attack.t1003.001", "attack.t1003"))
                .build();
        List<Alert> alerts = List.of(
                alert(ACME, "a1", DAY1.plusSeconds(10), "brute", "high", List.of()),
                alert(ACME, "a2", DAY1.plusSeconds(20), "brute", "high", List.of()),
                lsass,
                alert(ACME, "late", DAY1.plusSeconds(500), "brute", "high", List.of()),
                alert(GLOBEX, "g1", DAY1.plusSeconds(10), "brute", "high", List.of()));
        store.write(new StoreBatch(List.of(), alerts, nextWal++));

        AlertAttackCounts counts = store.alertAttackCounts(ACME, DAY1, DAY1.plusSeconds(120));
        assertThat(counts.tactics()).containsExactly(Map.entry("credential-access", 3L));
        assertThat(counts.techniques())
                .containsExactly(Map.entry("T1110", 2L), Map.entry("T1003", 1L), Map.entry("T1003.001", 1L));
        assertThat(counts.technique("T1059")).isZero();
        assertThat(store.alertAttackCounts(GLOBEX, DAY1, DAY1.plusSeconds(120)).techniques())
                .containsExactly(Map.entry("T1110", 1L));
        assertThat(store.alertAttackCounts(ACME, DAY1.plus(Duration.ofDays(1)), DAY1.plus(Duration.ofDays(2))))
                .isEqualTo(AlertAttackCounts.NONE);
    }

    // ------------------------------------------------------------------------------------------ tenants

    @Test
    void aTenantNeverSeesAnotherTenantsEventsOrAlerts() {
        Event a = windows(ACME, DAY1, 4625, "WS1", "alice", "cmd.exe");
        a = Event.builder()
                .tenant(ACME)
                .timestamp(DAY1)
                .fields(new LinkedHashMap<>(a.fields()))
                .field("source.ip", "10.0.0.1")
                .field("peer", "10.0.0.1")
                .build();
        Event b = Event.builder()
                .tenant(GLOBEX)
                .timestamp(DAY1)
                .fields(new LinkedHashMap<>(a.fields()))
                .build();
        List<StoredEvent> both = List.of(new StoredEvent(1, DAY1, a), new StoredEvent(2, DAY1, b));
        store.write(new StoreBatch(
                both,
                List.of(
                        alert(ACME, "x", DAY1, "r", "high", List.of(1L)),
                        alert(GLOBEX, "x", DAY1, "r", "high", List.of(2L))),
                1));
        List<Query> queries = List.of(
                new Query.MatchAll(),
                term("Computer", "WS1"),
                term("EventID", "4625"),
                new Query.Term(null, "cmd.exe"),
                new Query.Phrase("TargetUserName", "alice"),
                new Query.Wildcard("CommandLine", "cmd*"),
                new Query.Range("EventID", "1", true, "5000", true),
                new Query.Cidr("source.ip", "10.0.0.0/8"),
                new Query.Cidr("peer", "10.0.0.0/8"),
                new Query.Exists("Channel"),
                new Query.Not(term("Computer", "nope")),
                new Query.Or(List.of(term("Computer", "WS1"), new Query.Exists("x"))));
        for (int round = 0; round < 2; round++) {
            for (Query q : queries) {
                assertThat(seqs(ACME, q)).as("acme " + q).containsExactly(1L);
                assertThat(seqs(GLOBEX, q)).as("globex " + q).containsExactly(2L);
                assertThat(store.countBy(ACME, q, FROM, TO, "Computer", 5).buckets())
                        .containsExactly(new FieldCounts.Bucket("WS1", 1));
            }
            assertThat(seqs(TenantId.of("initech"), new Query.MatchAll())).isEmpty();
            // After compaction each tenant reads only its own partition directory.
            store.compact(DAY1.plus(Duration.ofDays(2)));
        }
        assertThat(store.partitions(ACME)).singleElement().asString().startsWith("tenant=acme/");
        assertThat(store.alerts(ACME, FROM, TO, AlertFilter.ALL, 10, 0).alerts())
                .singleElement()
                .satisfies(x -> assertThat(x.evidence()).containsExactly(1L));
        assertThat(store.alert(GLOBEX, "x").orElseThrow().events())
                .extracting(StoredEvent::seq)
                .containsExactly(2L);
        assertThat(store.alertsForEvent(GLOBEX, 1)).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ exactly once

    @Test
    void appliedSequenceMakesReplaysIdempotentAcrossReopen() {
        assertThat(store.appliedSequence()).isZero();
        Event e = windows(ACME, DAY1, 1, "a", "u", "c");
        StoreBatch batch = new StoreBatch(
                List.of(new StoredEvent(1, DAY1, e)), List.of(alert(ACME, "a", DAY1, "r", "low", List.of(1L))), 7);
        assertThat(store.write(batch)).isTrue();
        assertThat(store.appliedSequence()).isEqualTo(7);
        assertThat(store.write(batch)).as("a replay of the same batch").isFalse();
        assertThat(store.write(new StoreBatch(List.of(new StoredEvent(2, DAY1, e)), List.of(), 5)))
                .as("an older batch")
                .isFalse();
        store.close();
        store = EventStore.open(dir);
        assertThat(store.appliedSequence()).isEqualTo(7);
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(1);
        assertThat(store.alerts(ACME, FROM, TO, AlertFilter.ALL, 10, 0).total()).isEqualTo(1);
    }

    @Test
    void anEventThatCannotBeEncodedIsReportedAndTheRestOfItsBatchStored() {
        store.close();
        List<Problem> problems = new ArrayList<>();
        store = EventStore.open(dir, problems::add);
        Event good = windows(ACME, DAY1, 1, "a", "u", "c");
        Event unwritable = Event.builder()
                .tenant(ACME)
                .timestamp(DAY1)
                .field("when", Instant.EPOCH)
                .build();
        store.write(new StoreBatch(
                List.of(
                        new StoredEvent(1, DAY1, good),
                        new StoredEvent(2, DAY1, unwritable),
                        new StoredEvent(3, DAY1, good)),
                List.of(),
                1));
        assertThat(seqs(ACME, new Query.MatchAll())).containsExactly(1L, 3L);
        assertThat(store.rejectedEvents()).isEqualTo(1);
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(2);
            assertThat(p.message()).contains("fields.when").contains("java.time.Instant");
        });
        assertThat(store.appliedSequence()).isEqualTo(1);
    }

    @Test
    void aFailedBatchLeavesNothingBehind() {
        Event e = windows(ACME, DAY1, 1, "a", "u", "c");
        Alert unwritable = Alert.builder()
                .id("a")
                .tenant(ACME)
                .time(DAY1)
                .detector("r", "R")
                .evidence(1L)
                .detail("when", Instant.EPOCH)
                .build();
        StoreBatch bad = new StoreBatch(
                List.of(new StoredEvent(1, DAY1, e)),
                List.of(alert(ACME, "ok", DAY1, "r", "low", List.of(1L)), unwritable),
                3);
        assertThatThrownBy(() -> store.write(bad)).hasMessageContaining("when");
        assertThat(store.appliedSequence()).isZero();
        assertThat(count(ACME, new Query.MatchAll()))
                .as("the batch's events went with it")
                .isZero();
        assertThat(store.alerts(ACME, FROM, TO, AlertFilter.ALL, 10, 0).total()).isZero();
        store.write(new StoreBatch(List.of(new StoredEvent(1, DAY1, e)), List.of(), 3));
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------ partitions

    @Test
    void compactionMovesWholeDaysAndSearchesGiveIdenticalResults() {
        for (int day = 0; day < 4; day++) {
            for (int i = 0; i < 5; i++) {
                store(windows(
                        ACME,
                        DAY1.plus(Duration.ofDays(day)).plusSeconds(i * 3600L),
                        4624 + i % 2,
                        "WS" + i,
                        "u" + day,
                        "c"));
            }
        }
        List<Query> queries = List.of(
                new Query.MatchAll(),
                term("EventID", "4625"),
                new Query.Wildcard("TargetUserName", "u[12]".replace("[12]", "?")),
                new Query.Not(term("Computer", "WS0")));
        List<SearchResult> before = new ArrayList<>();
        List<FieldCounts> countsBefore = new ArrayList<>();
        for (Query q : queries) {
            before.add(store.search(ACME, q, FROM, TO, 7, 3));
            countsBefore.add(store.countBy(ACME, q, FROM, TO, "TargetUserName", 3));
        }
        List<HistogramBucket> histogramBefore =
                store.histogram(ACME, new Query.MatchAll(), DAY1, DAY1.plus(Duration.ofDays(4)), Duration.ofHours(6));

        int files = store.compact(DAY1.plus(Duration.ofDays(2)).plusSeconds(5));

        assertThat(files)
                .as("days 0 and 1 are entirely before the cut-off; day 2 is not")
                .isEqualTo(2);
        assertThat(store.partitions(ACME))
                .as("one merged file for each closed day, the five batch files of each open day")
                .hasSize(1 + 1 + 5 + 5)
                .allMatch(f -> f.endsWith(".parquet"))
                .filteredOn(f -> f.contains("day=2026-11-20") || f.contains("day=2026-11-21"))
                .hasSize(2)
                .allMatch(f -> f.contains("/part-"));
        for (String f : store.partitions(ACME)) {
            assertThat(dir.resolve("events").resolve(f)).exists();
        }
        for (int i = 0; i < queries.size(); i++) {
            assertSameResult(store.search(ACME, queries.get(i), FROM, TO, 7, 3), before.get(i));
            assertThat(store.countBy(ACME, queries.get(i), FROM, TO, "TargetUserName", 3))
                    .isEqualTo(countsBefore.get(i));
        }
        assertThat(store.histogram(
                        ACME, new Query.MatchAll(), DAY1, DAY1.plus(Duration.ofDays(4)), Duration.ofHours(6)))
                .isEqualTo(histogramBefore);
        assertThat(store.compact(DAY1.plus(Duration.ofDays(2))))
                .as("nothing left to move")
                .isZero();

        // A late event for a compacted day goes to a second file of that day.
        store(windows(ACME, DAY1.plusSeconds(7), 1, "late", "u", "c"));
        assertThat(store.compact(DAY1.plus(Duration.ofDays(2)))).isEqualTo(1);
        assertThat(store.partitions(ACME)).hasSize(12);
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(21);
        // The day's two files are joined in the order of their earliest event, the merged file first: not by name
        // (the late batch's file name sorts first).
        String firstDay = store.partitions(ACME).stream()
                .filter(f -> f.contains("day=2026-11-20"))
                .findFirst()
                .orElseThrow();
        List<Long> times = timesInFileOrder(dir.resolve("events").resolve(firstDay));
        assertThat(times).hasSize(6);
        assertThat(times.get(0)).isEqualTo(QuerySql.micros(DAY1));
        assertThat(times.get(5)).isEqualTo(QuerySql.micros(DAY1.plusSeconds(7)));

        store.close();
        store = EventStore.open(dir);
        assertSameResult(store.search(ACME, queries.get(1), FROM, TO, 7, 3), before.get(1));
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(21);
    }

    static void assertSameResult(SearchResult actual, SearchResult expected) {
        assertThat(actual.total()).isEqualTo(expected.total());
        assertThat(actual.events())
                .extracting(StoredEvent::seq)
                .containsExactlyElementsOf(
                        expected.events().stream().map(StoredEvent::seq).toList());
        for (int i = 0; i < actual.events().size(); i++) {
            EventJsonTest.assertSameEvent(
                    actual.events().get(i).event(), expected.events().get(i).event());
            assertThat(actual.events().get(i).received())
                    .isEqualTo(expected.events().get(i).received());
        }
    }

    @ParameterizedTest
    @EnumSource(EventStore.Threading.class)
    void batchFilesOfADayAreMergedByTierAndSearchesStayTheSame(EventStore.Threading threading)
            throws IOException, InterruptedException {
        store.close();
        // Copies of at most 16 row groups, so that sixteen copies go to DuckDB here as they would at a higher rate.
        store = EventStore.open(dir, p -> {}, threading, EventStore.FINAL_FILE_ROWS, 16);
        // 300 one-event batches on one day: sixteen batch files make a file of 16 rows, sixteen of those one of 256.
        for (int i = 0; i < 300; i++) {
            store(windows(ACME, DAY1.plusSeconds(300 - i), 4624 + i % 3, "WS" + i % 7, "u" + i % 5, "c"));
        }
        store(windows(GLOBEX, DAY1, 1, "other", "u", "c"));
        store.awaitMerges();
        List<String> files = store.partitions(ACME);
        if (threading == EventStore.Threading.INLINE) {
            assertThat(files)
                    .as("300 = 256 + 2 x 16 + 12: one file per tier step, not one per batch")
                    .hasSize(1 + 2 + 12);
        }
        // In the background a merge takes every file its tier holds when it starts, 16 or more, so only the
        // invariants are fixed: fewer than 16 files in each tier, every row once.
        assertFewerThanSixteenFilesPerTier(files);
        assertThat(files.stream().mapToLong(EventStoreTest::rowsOf).sum()).isEqualTo(300);
        assertThat(files.size()).isLessThan(40);
        assertOnDiskAsInTheManifest(files);
        // The batches came newest first; a merge concatenates its parts by earliest event instead of sorting rows, so
        // a merged file's rows follow event time as long as each part's do (here one event each).
        List<String> merged =
                files.stream().filter(f -> !fileName(f).startsWith("batch-")).toList();
        assertThat(merged).isNotEmpty();
        for (String f : merged) {
            assertThat(timesInFileOrder(dir.resolve("events").resolve(f))).as(f).isSorted();
        }
        // The first merge copies batch files' row groups as they are, uncompressed ("batches-"); DuckDB's merges of
        // those compress ("part-").
        for (String f : files) {
            String name = fileName(f);
            assertThat(codecsOf(dir.resolve("events").resolve(f)))
                    .as(f)
                    .containsExactly(name.startsWith("part-") ? "ZSTD" : "UNCOMPRESSED");
            assertThat(name).as(f).matches("(batch|batches|part)-.*");
        }
        if (threading == EventStore.Threading.INLINE) {
            assertThat(files.stream().map(EventStoreTest::fileName))
                    .as("the 256-row file by DuckDB, the two of 16 rows copied, twelve batch files")
                    .filteredOn(f -> f.startsWith("batches-"))
                    .hasSize(2);
            assertThat(files.stream().map(EventStoreTest::fileName))
                    .filteredOn(f -> f.startsWith("part-"))
                    .hasSize(1);
        }
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(300);
        assertThat(count(ACME, term("EventID", "4625"))).isEqualTo(100);
        assertThat(store.countBy(ACME, new Query.MatchAll(), FROM, TO, "Computer", 10)
                        .buckets())
                .contains(new FieldCounts.Bucket("WS0", 43));
        assertThat(store.search(ACME, new Query.MatchAll(), FROM, TO, 3, 0).events())
                .extracting(e -> e.event().timestamp())
                .as("newest first across merged and batch files")
                .containsExactly(DAY1.plusSeconds(300), DAY1.plusSeconds(299), DAY1.plusSeconds(298));
        assertThat(count(GLOBEX, new Query.MatchAll())).isEqualTo(1);
        store.close();
        store = EventStore.open(dir);
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(300);
    }

    /**
     * Compressed files of the final size are never merged again, neither by their tier nor when their day closes, so
     * DuckDB rewrites an event once at a steady rate; what is below that size still merges as before. Here files are
     * final from 32 rows: sixteen two-event batches make one compressed 32-row file, and sixteen of those stay sixteen.
     */
    @ParameterizedTest
    @EnumSource(EventStore.Threading.class)
    void compressedFilesOfTheFinalSizeAreNotMergedAgain(EventStore.Threading threading)
            throws IOException, InterruptedException {
        List<Problem> problems = reopen(threading, 32, EventStore.MAX_COPY_ROW_GROUPS);
        int batches = 16 * 16 + 5;
        for (int i = 0; i < batches; i++) {
            Instant t = DAY1.plusSeconds(2 * i);
            store(
                    windows(ACME, t, 4624, "WS" + i % 7, "u", "c"),
                    windows(ACME, t.plusSeconds(1), 4625, "WS" + i % 7, "u", "c"));
            if (threading == EventStore.Threading.CONCURRENT) {
                store.awaitMerges(); // so each tier's merge takes exactly sixteen files, as inline
            }
        }
        store.awaitMerges();
        List<String> files = store.partitions(ACME);
        assertOnDiskAsInTheManifest(files);
        assertThat(files).as("sixteen final files and the last five batches").hasSize(21);
        List<String> finals =
                files.stream().filter(f -> fileName(f).startsWith("part-")).toList();
        assertThat(finals.stream().map(EventStoreTest::rowsOf))
                .as("sixteen final files of 32 rows, not one of 512")
                .hasSize(16)
                .allMatch(rows -> rows == 32);
        for (String f : finals) {
            assertThat(codecsOf(dir.resolve("events").resolve(f))).as(f).containsExactly("ZSTD");
        }
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(2L * batches);

        // Closing the day merges (and compresses) the five small files only.
        assertThat(store.compact(DAY1.plus(Duration.ofDays(2))))
                .isEqualTo(threading == EventStore.Threading.INLINE ? 1 : 0);
        store.awaitMerges();
        files = store.partitions(ACME);
        assertThat(files.stream().map(EventStoreTest::rowsOf))
                .hasSize(17)
                .filteredOn(rows -> rows == 32)
                .hasSize(16);
        assertThat(files.stream().map(EventStoreTest::fileName)).allMatch(f -> f.startsWith("part-"));
        assertOnDiskAsInTheManifest(files);
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(2L * batches);
        assertThat(count(ACME, term("EventID", "4625"))).isEqualTo(batches);
        assertThat(problems).isEmpty();
    }

    /**
     * Copies are copied again while they stay below the final size and hold at most {@link
     * EventStore#MAX_COPY_ROW_GROUPS} row groups: sixteen copies of sixteen one-event batch files become one
     * uncompressed file of 256 rows without DuckDB, which compresses it when the day closes.
     */
    @ParameterizedTest
    @EnumSource(EventStore.Threading.class)
    void copiesAreCopiedAgainBeforeDuckDbCompressesThem(EventStore.Threading threading)
            throws IOException, InterruptedException {
        List<Problem> problems = reopen(threading, EventStore.FINAL_FILE_ROWS, EventStore.MAX_COPY_ROW_GROUPS);
        for (int i = 0; i < 256 + 16; i++) {
            store(windows(ACME, DAY1.plusSeconds(i), 4624 + i % 2, "WS" + i % 7, "u", "c"));
            if (threading == EventStore.Threading.CONCURRENT) {
                store.awaitMerges();
            }
        }
        store.awaitMerges();
        List<String> files = store.partitions(ACME);
        assertOnDiskAsInTheManifest(files);
        assertThat(files.stream().map(f -> fileName(f).substring(0, fileName(f).indexOf('-')) + ":" + rowsOf(f)))
                .containsExactlyInAnyOrder("batches:256", "batches:16");
        for (String f : files) {
            assertThat(codecsOf(dir.resolve("events").resolve(f))).as(f).containsOnly("UNCOMPRESSED");
        }
        Path copyOfCopies = dir.resolve("events")
                .resolve(
                        files.stream().filter(f -> rowsOf(f) == 256).findFirst().orElseThrow());
        assertThat(rowGroupsOf(copyOfCopies))
                .as("the batch files' row groups, as they were")
                .isEqualTo(256);
        assertThat(timesInFileOrder(copyOfCopies)).hasSize(256).isSorted();
        assertThat(count(ACME, term("EventID", "4625"))).isEqualTo(136);

        store.compact(DAY1.plus(Duration.ofDays(2)));
        store.awaitMerges();
        files = store.partitions(ACME);
        assertThat(files).hasSize(1);
        assertThat(rowsOf(files.get(0))).isEqualTo(272);
        assertThat(codecsOf(dir.resolve("events").resolve(files.get(0)))).containsExactly("ZSTD");
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(272);
        assertThat(problems).isEmpty();
    }

    /** An uncompressed file is never final, whatever its size: its closed day compresses it. */
    @Test
    void anUncompressedFileIsNeverFinal() throws IOException {
        List<Problem> problems = reopen(EventStore.Threading.INLINE, 4, EventStore.MAX_COPY_ROW_GROUPS);
        Event[] five = new Event[5];
        for (int i = 0; i < five.length; i++) {
            five[i] = windows(ACME, DAY1.plusSeconds(i), 4624, "WS", "u", "c");
        }
        store(five);
        assertThat(store.partitions(ACME).stream().map(EventStoreTest::fileName))
                .singleElement()
                .matches(f -> f.startsWith("batch-"));

        assertThat(store.compact(DAY1.plus(Duration.ofDays(2)))).isEqualTo(1);

        List<String> files = store.partitions(ACME);
        assertThat(files.stream().map(EventStoreTest::fileName)).singleElement().matches(f -> f.startsWith("part-"));
        assertThat(codecsOf(dir.resolve("events").resolve(files.get(0)))).containsExactly("ZSTD");
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(5);
        assertThat(problems).isEmpty();
    }

    /** Reopens the store with the given merge sizes; the problems it reports go to the list returned. */
    private List<Problem> reopen(EventStore.Threading threading, long finalFileRows, int maxCopyRowGroups) {
        store.close();
        List<Problem> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
        store = EventStore.open(dir, problems::add, threading, finalFileRows, maxCopyRowGroups);
        return problems;
    }

    /**
     * A closed day left with one uncompressed file (a lone batch file, or batches copied together) is compressed
     * when the day is compacted; a day whose one file is compressed is left alone.
     */
    @Test
    void compactionCompressesADaysLoneUncompressedFile() throws IOException {
        store.close();
        store = EventStore.open(dir, p -> {}, EventStore.Threading.INLINE);
        store(windows(ACME, DAY1, 4624, "WS1", "u", "c")); // day 0: one batch file
        for (int i = 0; i < 16; i++) { // day 1: sixteen batch files, copied into one
            store(windows(ACME, DAY1.plus(Duration.ofDays(1)).plusSeconds(i), 4625, "WS" + i, "u", "c"));
        }
        assertThat(store.partitions(ACME).stream().map(EventStoreTest::fileName))
                .hasSize(2)
                .anyMatch(f -> f.startsWith("batch-"))
                .anyMatch(f -> f.startsWith("batches-"));

        assertThat(store.compact(DAY1.plus(Duration.ofDays(2)))).isEqualTo(2);

        List<String> files = store.partitions(ACME);
        assertThat(files.stream().map(EventStoreTest::fileName)).hasSize(2).allMatch(f -> f.startsWith("part-"));
        for (String f : files) {
            assertThat(codecsOf(dir.resolve("events").resolve(f))).as(f).containsExactly("ZSTD");
        }
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(17);
        assertThat(count(ACME, term("EventID", "4625"))).isEqualTo(16);
        assertThat(store.compact(DAY1.plus(Duration.ofDays(2))))
                .as("nothing left to compress")
                .isZero();
    }

    /**
     * A batch file an older version wrote (through DuckDB, compressed) cannot be copied as it is: the merge it belongs
     * to goes to DuckDB whole, and nothing of the attempted copy stays.
     */
    @Test
    void aBatchFileDuckDbWroteSendsItsMergeToDuckDb() throws Exception {
        store.close();
        store = EventStore.open(dir, p -> {}, EventStore.Threading.INLINE);
        for (int i = 0; i < 15; i++) {
            store(windows(ACME, DAY1.plusSeconds(i), 4624 + i % 2, "WS" + i, "u", "c"));
        }
        List<String> batches = store.partitions(ACME);
        assertThat(batches).hasSize(15);
        // One batch file rewritten by DuckDB in place, as versions before Vigil's own writer wrote them.
        Path legacy = dir.resolve("events").resolve(batches.get(3));
        Path copy = legacy.resolveSibling("copy.tmp");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM read_parquet('" + legacy + "')) TO '" + copy
                    + "' (FORMAT parquet, COMPRESSION zstd)");
        }
        Files.move(copy, legacy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        store(windows(ACME, DAY1.plusSeconds(15), 4624, "WS15", "u", "c"));

        List<String> files = store.partitions(ACME);
        assertThat(files.stream().map(EventStoreTest::fileName))
                .singleElement()
                .asString()
                .startsWith("part-");
        assertThat(codecsOf(dir.resolve("events").resolve(files.get(0)))).containsExactly("ZSTD");
        assertOnDiskAsInTheManifest(files);
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(16);
        assertThat(count(ACME, term("EventID", "4625"))).isEqualTo(7);
        assertThat(timesInFileOrder(dir.resolve("events").resolve(files.get(0))))
                .hasSize(16)
                .isSorted();
    }

    private static String fileName(String relative) {
        return relative.substring(relative.lastIndexOf('/') + 1);
    }

    /** The compression codecs of a Parquet file's column chunks, as DuckDB reads them from its footer. */
    private static List<String> codecsOf(Path file) {
        List<String> codecs = new ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT DISTINCT compression FROM parquet_metadata('"
                        + file.toString().replace("'", "''") + "') ORDER BY 1")) {
            while (rs.next()) {
                codecs.add(rs.getString(1));
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError("cannot read " + file, e);
        }
        return codecs;
    }

    private static long rowGroupsOf(Path file) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT count(DISTINCT row_group_id) FROM parquet_metadata('"
                        + file.toString().replace("'", "''") + "')")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    /** The event times of a Parquet file's rows, in the order the file holds them. */
    private static List<Long> timesInFileOrder(Path file) {
        List<Long> times = new ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement s = c.createStatement()) {
            s.execute("SET threads = 1");
            try (java.sql.ResultSet rs = s.executeQuery(
                    "SELECT epoch_us(ts) FROM read_parquet('" + file.toString().replace("'", "''") + "')")) {
                while (rs.next()) {
                    times.add(rs.getLong(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError("cannot read " + file, e);
        }
        return times;
    }

    /** The row count in a partition file's name ({@code batch-} or {@code part-<min>-<max>-<rows>.parquet}). */
    private static long rowsOf(String file) {
        String name = file.substring(file.lastIndexOf('/') + 1, file.length() - ".parquet".length());
        return Long.parseLong(name.substring(name.lastIndexOf('-') + 1));
    }

    private static void assertFewerThanSixteenFilesPerTier(List<String> files) {
        Map<Integer, Long> perTier = files.stream()
                .collect(java.util.stream.Collectors.groupingBy(
                        f -> (63 - Long.numberOfLeadingZeros(rowsOf(f))) / 4, java.util.stream.Collectors.counting()));
        assertThat(perTier.values()).as("files per tier: %s", perTier).allMatch(n -> n < 16);
    }

    private void assertOnDiskAsInTheManifest(List<String> files) throws IOException {
        Path root = dir.resolve("events");
        try (Stream<Path> onDisk = Files.walk(root.resolve("tenant=acme"))) {
            assertThat(onDisk.filter(Files::isRegularFile)
                            .map(f -> root.relativize(f).toString()))
                    .as("merged files are deleted, merged output is in the manifest")
                    .containsExactlyInAnyOrderElementsOf(files);
        }
    }

    @Test
    void backgroundMergesNeitherBlockNorDisturbWritersAndReaders() throws Exception {
        store.close();
        store = EventStore.open(dir, p -> {}, EventStore.Threading.CONCURRENT);
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicReference<Throwable> readerFailure =
                new java.util.concurrent.atomic.AtomicReference<>();
        List<Long> counts = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                while (writing.get()) {
                    counts.add(count(ACME, new Query.MatchAll()));
                }
            } catch (Throwable t) {
                readerFailure.set(t);
            }
        });
        for (int i = 0; i < 300; i++) {
            store(windows(ACME, DAY1.plusSeconds(i), 4624 + i % 3, "WS" + i % 7, "u", "c"));
        }
        writing.set(false);
        reader.join();
        store.awaitMerges();

        assertThat(readerFailure.get())
                .as("a reader never meets a deleted file")
                .isNull();
        assertThat(counts)
                .as("a reader sees every committed batch, merged or not")
                .isSorted();
        assertThat(counts).isNotEmpty().allMatch(c -> c <= 300);
        List<String> files = store.partitions(ACME);
        assertFewerThanSixteenFilesPerTier(files);
        assertOnDiskAsInTheManifest(files);
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(300);
        assertThat(seqs(ACME, new Query.MatchAll())).hasSize(300).doesNotHaveDuplicates();
    }

    @Test
    void closingDuringBackgroundMergesLosesNothing() throws Exception {
        store.close();
        store = EventStore.open(dir, p -> {}, EventStore.Threading.CONCURRENT);
        for (int i = 0; i < 200; i++) {
            store(windows(ACME, DAY1.plusSeconds(i), 4624, "WS", "u", "c"));
        }
        store.close(); // merges queued or running are dropped or cancelled

        store = EventStore.open(dir);
        List<String> files = store.partitions(ACME);
        assertOnDiskAsInTheManifest(files);
        assertThat(files.stream().mapToLong(EventStoreTest::rowsOf).sum()).isEqualTo(200);
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(200);
        // The next batch of the day merges what the closed store left.
        store(windows(ACME, DAY1.plusSeconds(1000), 4624, "WS", "u", "c"));
        assertFewerThanSixteenFilesPerTier(store.partitions(ACME));
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(201);
    }

    @Test
    void batchesPreparedOnOneThreadAndCommittedOnAnotherAreStoredOnceInOrder() throws Exception {
        store.close();
        store = EventStore.open(dir, p -> {}, EventStore.Threading.CONCURRENT);
        java.util.concurrent.BlockingQueue<EventStore.PreparedBatch> prepared =
                new java.util.concurrent.ArrayBlockingQueue<>(1);
        java.util.concurrent.atomic.AtomicReference<Throwable> committerFailure =
                new java.util.concurrent.atomic.AtomicReference<>();
        int batches = 120;
        Thread committer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < batches; i++) {
                    assertThat(store.commit(prepared.take())).isTrue();
                }
            } catch (Throwable t) {
                committerFailure.set(t);
            }
        });
        for (int i = 0; i < batches; i++) {
            List<StoredEvent> events = List.of(
                    new StoredEvent(
                            nextSeq++, DAY1.plusSeconds(i), windows(ACME, DAY1.plusSeconds(i), 1, "a", "u", "c")),
                    new StoredEvent(
                            nextSeq++, DAY1.plusSeconds(i), windows(GLOBEX, DAY1.plusSeconds(i), 2, "b", "u", "c")));
            prepared.put(store.prepare(new StoreBatch(events, List.of(), nextWal++)));
        }
        committer.join();
        store.awaitMerges();

        assertThat(committerFailure.get()).isNull();
        assertThat(store.appliedSequence()).isEqualTo(batches);
        assertThat(seqs(ACME, new Query.MatchAll())).hasSize(batches).doesNotHaveDuplicates();
        assertThat(count(GLOBEX, new Query.MatchAll())).isEqualTo(batches);
        assertOnDiskAsInTheManifest(store.partitions(ACME));
    }

    @Test
    void aPreparedBatchThatIsAReplayOrNeverCommittedLeavesNoFiles() throws Exception {
        store.close();
        store = EventStore.open(dir, p -> {}, EventStore.Threading.CONCURRENT);
        store(windows(ACME, DAY1, 1, "a", "u", "c"));
        StoreBatch second = new StoreBatch(
                List.of(new StoredEvent(nextSeq++, DAY1, windows(ACME, DAY1.plusSeconds(1), 2, "a", "u", "c"))),
                List.of(),
                nextWal++);
        // Prepared twice before either commits (a replay racing the original): the second commit is ignored.
        EventStore.PreparedBatch first = store.prepare(second);
        EventStore.PreparedBatch again = store.prepare(second);
        assertThat(store.commit(first)).isTrue();
        assertThat(store.commit(again)).isFalse();
        // Prepared after its commit: no files at all.
        assertThat(store.commit(store.prepare(second))).isFalse();
        assertOnDiskAsInTheManifest(store.partitions(ACME));

        // Prepared, then the process stops before the commit: the next open deletes the files.
        store.prepare(new StoreBatch(
                List.of(new StoredEvent(nextSeq++, DAY1, windows(ACME, DAY1.plusSeconds(2), 3, "a", "u", "c"))),
                List.of(),
                nextWal++));
        store.close();
        store = EventStore.open(dir);
        assertOnDiskAsInTheManifest(store.partitions(ACME));
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(2);
        assertThat(store.appliedSequence()).isEqualTo(2);
    }

    @Test
    void retentionAndCompactionWaitForABackgroundMerge() throws Exception {
        store.close();
        store = EventStore.open(dir, p -> {}, EventStore.Threading.CONCURRENT);
        for (int day = 0; day < 3; day++) {
            for (int i = 0; i < 40; i++) {
                store(windows(ACME, DAY1.plus(Duration.ofDays(day)).plusSeconds(i), 4624, "WS", "u", "c"));
            }
        }
        // While day 2's merges may still run: keep two days back from the end of day 2.
        long removed = store.applyRetention(ACME, Duration.ofDays(2), DAY1.plus(Duration.ofDays(3)));
        store.compact(DAY1.plus(Duration.ofDays(3)));
        store.awaitMerges();

        assertThat(removed).isEqualTo(40);
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(80);
        List<String> files = store.partitions(ACME);
        assertOnDiskAsInTheManifest(files);
        assertThat(files).as("each closed day merged into one file").hasSize(2);
    }

    @Test
    void openDeletesOrphanFilesOfAnInterruptedCompaction() throws IOException {
        store(windows(ACME, DAY1, 1, "a", "u", "c"));
        store.compact(DAY1.plus(Duration.ofDays(1)));
        Path kept = dir.resolve("events").resolve(store.partitions(ACME).get(0));
        Path orphan = kept.resolveSibling("part-99-99-1.parquet");
        Files.copy(kept, orphan);
        Path otherDayOrphan = dir.resolve("events/tenant=acme/day=2026-11-21/part-5-5-1.parquet");
        Files.createDirectories(otherDayOrphan.getParent());
        Files.copy(kept, otherDayOrphan);
        store.close();

        store = EventStore.open(dir);

        assertThat(orphan).doesNotExist();
        assertThat(otherDayOrphan).doesNotExist();
        assertThat(kept).exists();
        assertThat(count(ACME, new Query.MatchAll()))
                .as("no duplicate from the orphan")
                .isEqualTo(1);
    }

    @Test
    void retentionRemovesOldRowsAndPartitionsOfThatTenantOnly() throws IOException {
        for (int day = 0; day < 3; day++) {
            for (int h = 0; h < 24; h += 6) {
                store(
                        windows(ACME, DAY1.plus(Duration.ofDays(day)).plus(Duration.ofHours(h)), 1, "a", "u", "c"),
                        windows(GLOBEX, DAY1.plus(Duration.ofDays(day)).plus(Duration.ofHours(h)), 1, "a", "u", "c"));
            }
        }
        store.compact(DAY1.plus(Duration.ofDays(2)));
        List<String> acmeFilesBefore = store.partitions(ACME).stream()
                .filter(f -> !f.contains("day=2026-11-22"))
                .toList();
        assertThat(acmeFilesBefore).as("days 0 and 1 merged").hasSize(2);

        // Keep from day 1 12:00: day 0 goes whole, day 1 is rewritten with its afternoon, day 2 (table) loses nothing.
        Instant now = DAY1.plus(Duration.ofDays(3));
        long removed = store.applyRetention(ACME, Duration.ofHours(36), now);

        assertThat(removed).isEqualTo(4 + 2);
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(6);
        assertThat(store.search(ACME, new Query.MatchAll(), FROM, TO, 100, 0).events())
                .allSatisfy(e -> assertThat(e.event().timestamp()).isAfterOrEqualTo(now.minus(Duration.ofHours(36))));
        assertThat(count(GLOBEX, new Query.MatchAll())).isEqualTo(12);
        assertThat(store.partitions(ACME))
                .as("day 1 rewritten, day 2's four batch files untouched")
                .hasSize(1 + 4)
                .doesNotContainAnyElementsOf(acmeFilesBefore);
        for (String f : acmeFilesBefore) {
            assertThat(dir.resolve("events").resolve(f)).doesNotExist();
        }
        try (Stream<Path> files = Files.walk(dir.resolve("events/tenant=acme"))) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(5);
        }
        assertThat(store.applyRetention(ACME, Duration.ofHours(36), now)).isZero();
        store.close();
        store = EventStore.open(dir);
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(6);
    }

    @Test
    void readersSeeWholeBatchesWhileTheWriterWritesAndCompacts() throws Exception {
        int batches = 60;
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Thread reader = new Thread(() -> {
                try {
                    while (!done.get()) {
                        seen.add(count(ACME, new Query.MatchAll()));
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            reader.start();
            readers.add(reader);
        }
        for (int b = 0; b < batches; b++) {
            Event[] batch = new Event[10];
            for (int i = 0; i < 10; i++) {
                batch[i] = windows(ACME, DAY1.plus(Duration.ofHours(b)), i, "h", "u", "c");
            }
            store(batch);
            if (b % 10 == 9) {
                store.compact(DAY1.plus(Duration.ofHours(b)));
            }
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        assertThat(failures).isEmpty();
        assertThat(seen).isNotEmpty().allMatch(n -> n % 10 == 0, "a multiple of the batch size");
        assertThat(count(ACME, new Query.MatchAll())).isEqualTo(batches * 10L);
        assertThat(store.partitions(ACME)).isNotEmpty();
    }

    @Test
    void badArgumentsAreRejectedWithClearMessages() {
        assertThatThrownBy(() -> store.search(ACME, new Query.MatchAll(), FROM, TO, -1, 0))
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> store.countBy(ACME, new Query.MatchAll(), FROM, TO, "x", 0))
                .hasMessageContaining("topN");
        assertThatThrownBy(() -> store.histogram(ACME, new Query.MatchAll(), FROM, TO, Duration.ofSeconds(1)))
                .hasMessageContaining("buckets");
        assertThatThrownBy(() -> new StoreBatch(List.of(), List.of(), 0)).hasMessageContaining("walSequence");
        assertThat(Set.of()).isEmpty();
    }
}
