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

    private DurableIngest ingest(long maxPending, Duration maxLag, long minAllowance) {
        return new DurableIngest(
                wal, pending::get, maxPending, rate::sum, maxLag, minAllowance, new ServerMetrics(), Clock.systemUTC());
    }

    private static List<Event> events(int n) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> Event.builder()
                        .tenant(TenantId.of("acme"))
                        .field("n", (long) i)
                        .build())
                .toList();
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
