package dev.vigil.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random operations (appends, batches, truncation, reopening, readers starting anywhere and reading in random
 * steps) checked against the simplest model of a log: a list of payloads indexed by sequence.
 */
class ReferenceModelTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void behavesLikeAList(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        WalConfig config = WalConfig.defaults()
                .withSegmentBytes(4096 + random.nextInt(8192))
                .withFsyncPolicy(random.nextBoolean() ? FsyncPolicy.never() : FsyncPolicy.always());
        List<byte[]> model = new ArrayList<>(); // model.get(i) is sequence i + 1
        long truncatedBelow = 1; // the highest bound asked for so far
        WriteAheadLog log = WriteAheadLog.open(dir, config);
        WalReader tail = log.reader(1);
        try {
            for (int step = 0; step < 400; step++) {
                int op = random.nextInt(100);
                if (op < 40) {
                    byte[] p = randomPayload(random);
                    assertThat(log.append(p)).isEqualTo(model.size() + 1L);
                    model.add(p);
                } else if (op < 60) {
                    List<byte[]> batch = new ArrayList<>();
                    for (int i = random.nextInt(6); i > 0; i--) {
                        batch.add(randomPayload(random));
                    }
                    SequenceRange range = log.appendAll(batch);
                    assertThat(range.first()).isEqualTo(model.size() + 1L);
                    assertThat(range.count()).isEqualTo(batch.size());
                    model.addAll(batch);
                } else if (op < 70) {
                    // Not past the live tail, as the pipeline truncates only behind what it applied.
                    long bound = Math.min(
                            tail.nextSequence(),
                            log.firstSequence() + random.nextInt((int) (log.lastSequence() - log.firstSequence() + 2)));
                    long before = log.firstSequence();
                    log.truncateBefore(bound);
                    truncatedBelow = Math.max(truncatedBelow, bound);
                    assertThat(log.firstSequence()).isBetween(before, Math.max(before, bound));
                } else if (op < 75) {
                    tail.close();
                    log.close();
                    log = WriteAheadLog.open(dir, config);
                    assertThat(log.recovery().clean())
                            .as(log.recovery().toString())
                            .isTrue();
                    tail = log.reader(log.firstSequence());
                } else if (op < 85) {
                    long first = log.firstSequence();
                    long from = first + random.nextInt((int) (log.lastSequence() - first + 2));
                    List<WalRecord> read = TestRecords.readAll(log, from);
                    assertThat(read).hasSize((int) (model.size() - from + 1));
                    for (WalRecord r : read) {
                        assertThat(r.payload()).isEqualTo(model.get((int) r.sequence() - 1));
                    }
                } else {
                    long expected = tail.nextSequence();
                    for (WalRecord r : tail.poll(1 + random.nextInt(20), Duration.ZERO)) {
                        assertThat(r.sequence()).isEqualTo(expected++);
                        assertThat(r.payload()).isEqualTo(model.get((int) r.sequence() - 1));
                    }
                    log.truncateBefore(tail.nextSequence()); // keeps what the tail still needs
                    truncatedBelow = Math.max(truncatedBelow, tail.nextSequence());
                }
                assertThat(log.lastSequence()).isEqualTo(model.size());
                assertThat(log.firstSequence()).isLessThanOrEqualTo(Math.max(truncatedBelow, 1));
            }
        } finally {
            tail.close();
            log.close();
        }
    }

    private static byte[] randomPayload(SplittableRandom random) {
        byte[] p = new byte[random.nextInt(10) == 0 ? random.nextInt(6000) : random.nextInt(200)];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) random.nextInt(256);
        }
        return p;
    }
}
