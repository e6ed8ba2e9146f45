package dev.vigil.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many appending threads (single appends and batches), a live reader and truncation at once: every sequence is given
 * exactly once, without gaps, every record is read exactly once, in sequence order, with the payload its appender
 * wrote under that sequence. Batches announce their sequences as they are given ({@link WriteAheadLog#appendAll(List,
 * java.util.function.LongConsumer)}), and the reader never meets a batch's record before it was announced.
 */
class ConcurrentAppendTest {
    private static final int THREADS = 8;
    private static final int APPENDS_PER_THREAD = 400;

    @TempDir
    Path dir;

    static List<FsyncPolicy> policies() {
        return List.of(FsyncPolicy.always(), FsyncPolicy.interval(Duration.ofMillis(1)), FsyncPolicy.never());
    }

    @ParameterizedTest
    @MethodSource("policies")
    void appendersReaderAndTruncationTogether(FsyncPolicy policy) throws Exception {
        WalConfig config = WalConfig.defaults().withFsyncPolicy(policy).withSegmentBytes(64 * 1024);
        ExecutorService executor = Executors.newFixedThreadPool(THREADS + 1);
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            AtomicBoolean appending = new AtomicBoolean(true);
            Map<Long, byte[]> announced = new ConcurrentHashMap<>();
            Set<Long> batched = ConcurrentHashMap.newKeySet();
            Set<Long> announcedWhenRead = ConcurrentHashMap.newKeySet();
            List<Future<Map<Long, byte[]>>> appenders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                appenders.add(executor.submit(() -> appendFrom(log, thread, announced, batched)));
            }
            Future<List<WalRecord>> reader = executor.submit(() -> {
                List<WalRecord> seen = new ArrayList<>();
                try (WalReader r = log.reader(1)) {
                    while (appending.get() || r.nextSequence() <= log.durableSequence()) {
                        List<WalRecord> batch = r.poll(500, Duration.ofMillis(50));
                        seen.addAll(batch);
                        for (WalRecord record : batch) {
                            if (announced.containsKey(record.sequence())) {
                                announcedWhenRead.add(record.sequence());
                            }
                        }
                        // The pipeline's pattern: commit, then truncate behind what was applied.
                        if (!batch.isEmpty()) {
                            log.truncateBefore(batch.get(batch.size() - 1).sequence() + 1);
                        }
                    }
                }
                return seen;
            });
            Map<Long, byte[]> acknowledged = new HashMap<>();
            for (Future<Map<Long, byte[]>> f : appenders) {
                Map<Long, byte[]> mine = f.get(5, TimeUnit.MINUTES);
                for (Map.Entry<Long, byte[]> e : mine.entrySet()) {
                    assertThat(acknowledged.put(e.getKey(), e.getValue()))
                            .as("sequence %d given twice", e.getKey())
                            .isNull();
                }
            }
            appending.set(false);
            List<WalRecord> seen = reader.get(5, TimeUnit.MINUTES);

            long total = acknowledged.size();
            assertThat(log.lastSequence()).isEqualTo(total);
            for (long s = 1; s <= total; s++) {
                assertThat(acknowledged).containsKey(s);
            }
            assertThat(seen).hasSize((int) total);
            for (int i = 0; i < seen.size(); i++) {
                WalRecord r = seen.get(i);
                assertThat(r.sequence()).isEqualTo(i + 1);
                assertThat(r.payload()).isEqualTo(acknowledged.get(r.sequence()));
            }
            assertThat(log.metrics().appends()).isEqualTo(total);
            assertThat(batched).as("records appended in batches").hasSizeGreaterThan(100);
            assertThat(announcedWhenRead).containsAll(batched);
            for (long s : batched) {
                assertThat(announced.get(s)).as("sequence %d", s).isSameAs(acknowledged.get(s));
            }
            assertThat(announced).hasSameSizeAs(batched);
        } finally {
            executor.shutdownNow();
        }
    }

    /** Appends single records and batches with payloads naming the thread and its counter; returns what it was told. */
    private static Map<Long, byte[]> appendFrom(
            WriteAheadLog log, int thread, Map<Long, byte[]> announced, Set<Long> batched) throws Exception {
        SplittableRandom random = new SplittableRandom(thread);
        Map<Long, byte[]> mine = new HashMap<>();
        long lastSequence = 0;
        int n = 0;
        while (n < APPENDS_PER_THREAD) {
            if (random.nextInt(4) == 0) {
                List<byte[]> batch = new ArrayList<>();
                int size = 1 + random.nextInt(8);
                for (int i = 0; i < size; i++) {
                    batch.add(payload(thread, n++, random));
                }
                SequenceRange range = log.appendAll(batch, first -> {
                    for (int i = 0; i < batch.size(); i++) {
                        announced.put(first + i, batch.get(i));
                    }
                });
                assertThat(range.count()).isEqualTo(size);
                assertThat(range.first()).isGreaterThan(lastSequence);
                for (int i = 0; i < size; i++) {
                    mine.put(range.first() + i, batch.get(i));
                    batched.add(range.first() + i);
                }
                lastSequence = range.last();
            } else {
                byte[] p = payload(thread, n++, random);
                long sequence = log.append(p);
                assertThat(sequence).isGreaterThan(lastSequence); // one thread's appends stay in its order
                mine.put(sequence, p);
                lastSequence = sequence;
            }
        }
        return mine;
    }

    private static byte[] payload(int thread, int n, SplittableRandom random) {
        ByteBuffer b = ByteBuffer.allocate(8 + random.nextInt(300));
        b.putInt(thread).putInt(n);
        return b.array();
    }

    @ParameterizedTest
    @MethodSource("policies")
    void groupCommitSharesFsyncsAmongAppenders(FsyncPolicy policy) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try (WriteAheadLog log = WriteAheadLog.open(dir, WalConfig.defaults().withFsyncPolicy(policy))) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                all.add(CompletableFuture.runAsync(
                        () -> {
                            for (int i = 0; i < 200; i++) {
                                try {
                                    log.append(new byte[64]);
                                } catch (java.io.IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            }
                        },
                        executor));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            WalMetrics m = log.metrics();
            assertThat(m.appends()).isEqualTo(THREADS * 200);
            // Never more than one fsync per append; none at all without a policy that syncs.
            assertThat(m.fsyncs()).isLessThanOrEqualTo(m.appends());
            if (policy.equals(FsyncPolicy.never())) {
                assertThat(m.fsyncs()).isZero();
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
