package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.TenantId;
import dev.vigil.wal.WalConfig;
import dev.vigil.wal.WriteAheadLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableIngestTest {
    @TempDir
    Path dir;

    private WriteAheadLog wal;
    private final AtomicLong pending = new AtomicLong();
    private final DoubleAdder rate = new DoubleAdder();

    @BeforeEach
    void open() throws Exception {
        wal = WriteAheadLog.open(dir, WalConfig.defaults());
    }

    @AfterEach
    void close() throws Exception {
        wal.close();
    }

    private final EventHandoff handoff = new EventHandoff(1 << 10, 1L << 20);

    private DurableIngest ingest(long maxPending, Duration maxLag, long minAllowance) {
        return new DurableIngest(
                wal,
                pending::get,
                maxPending,
                rate::sum,
                maxLag,
                minAllowance,
                new ServerMetrics(),
                Clock.systemUTC(),
                handoff);
    }

    private static List<Event> events(int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> Event.builder()
                        .tenant(TenantId.of("acme"))
                        .field("n", (long) i)
                        .build())
                .toList();
    }

    /**
     * The logged events wait in the handoff under their sequences, each exactly what decoding its record gives;
     * an event that would read back otherwise (an Integer reads back as a Long) is left to be decoded.
     */
    @Test
    void loggedEventsAreHandedOverAsTheirRecordsDecode() throws Exception {
        DurableIngest ingest = ingest(1_000_000, Duration.ZERO, 100);
        Event integer =
                Event.builder().tenant(TenantId.of("acme")).field("n", 7).build();
        List<Event> sent = new java.util.ArrayList<>(events(3));
        sent.add(1, integer);
        long last = ingest.append("http", sent, Duration.ZERO);
        assertThat(last).isEqualTo(4);

        try (dev.vigil.wal.WalReader reader = wal.reader(1)) {
            List<dev.vigil.wal.WalRecord> records = reader.poll(10, Duration.ofSeconds(1));
            assertThat(records).hasSize(4);
            for (dev.vigil.wal.WalRecord record : records) {
                WalPayload.Decoded handed = handoff.take(record.sequence(), record.payload());
                WalPayload.Decoded decoded = WalPayload.decode(record.payload());
                if (record.sequence() == 2) {
                    assertThat(handed).as("the Integer event").isNull();
                    assertThat(decoded.event().fields()).containsEntry("n", 7L);
                    continue;
                }
                assertThat(handed).as("record %d", record.sequence()).isNotNull();
                assertThat(handed.event()).isSameAs(sent.get((int) record.sequence() - 1));
                assertThat(handed.received()).isEqualTo(decoded.received());
                assertThat(handed.event().fields()).isEqualTo(decoded.event().fields());
                assertThat(handed.encoded()).isNotNull();
                assertThat(handoff.take(record.sequence(), record.payload()))
                        .as("taken once")
                        .isNull();
            }
        }
        assertThat(handoff.taken()).isEqualTo(3);
        assertThat(handoff.heldBytes()).isZero();
    }

    @Test
    void theAllowanceIsWhatDrainsInTheLagBoundedByCountAndAtLeastOneBatch() {
        DurableIngest ingest = ingest(100_000, Duration.ofMillis(500), 2_000);
        assertThat(ingest.allowedPending()).as("rate unknown: one batch").isEqualTo(2_000);

        rate.add(10_000);
        assertThat(ingest.allowedPending()).as("10,000 events/s for 0.5 s").isEqualTo(5_000);

        rate.add(-9_000);
        assertThat(ingest.allowedPending()).as("never below one batch").isEqualTo(2_000);

        rate.add(999_000);
        assertThat(ingest.allowedPending()).as("never above the count bound").isEqualTo(100_000);

        assertThat(ingest(100_000, Duration.ZERO, 2_000).allowedPending())
                .as("no lag bound")
                .isEqualTo(100_000);
    }

    @Test
    void aSubmitBeyondTheLagIsRefusedWithoutWaitingAndNothingIsLogged() throws Exception {
        DurableIngest ingest = ingest(1_000_000, Duration.ofSeconds(1), 100);
        rate.add(1_000);
        pending.set(1_000);
        long before = wal.lastSequence();

        assertThat(ingest.append("http", events(10), Duration.ZERO)).isEqualTo(-1);
        assertThat(wal.lastSequence()).isEqualTo(before);

        pending.set(999);
        long last = ingest.append("http", events(10), Duration.ZERO);
        assertThat(last).isEqualTo(before + 10);
        assertThat(wal.lastSequence()).isEqualTo(last);
    }

    @Test
    void aSubmitWaitsForTheBacklogToDrainWhenTheInputMayWait() throws Exception {
        DurableIngest ingest = ingest(1_000_000, Duration.ofSeconds(1), 100);
        rate.add(1_000);
        pending.set(5_000);
        Thread drainer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pending.set(0);
        });

        assertThat(ingest.append("tcp", events(3), Duration.ofSeconds(30))).isPositive();
        drainer.join();
    }
}
