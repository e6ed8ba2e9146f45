package dev.vigil.wal;

import static dev.vigil.wal.TestRecords.readAll;
import static dev.vigil.wal.TestRecords.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentRollTest {
    private static final WalConfig SMALL = WalConfig.defaults().withSegmentBytes(4096);

    @TempDir
    Path dir;

    @Test
    void segmentsRollAtTheConfiguredSizeAndAreNamedByTheirFirstSequence() throws Exception {
        try (WriteAheadLog log = WriteAheadLog.open(dir, SMALL)) {
            for (int i = 0; i < 100; i++) {
                log.append(new byte[100]); // 116 bytes a record: 35 fit after the 16-byte header
            }
            List<Path> files = segmentFiles(dir);
            assertThat(files)
                    .extracting(p -> p.getFileName().toString())
                    .containsExactly(
                            "00000000000000000001.wal", "00000000000000000036.wal", "00000000000000000071.wal");
            for (Path f : files.subList(0, 2)) {
                assertThat(Files.size(f)).isEqualTo(16 + 35 * 116);
            }
            assertThat(log.metrics().segments()).isEqualTo(3);
            assertThat(log.metrics().diskBytes()).isEqualTo(3 * 16 + 100 * 116);
            assertThat(readAll(log, 30))
                    .hasSize(71)
                    .first()
                    .extracting(WalRecord::sequence)
                    .isEqualTo(30L);
        }
    }

    @Test
    void aRecordLargerThanASegmentGetsASegmentOfItsOwn() throws Exception {
        try (WriteAheadLog log = WriteAheadLog.open(dir, SMALL)) {
            log.append(new byte[10]);
            log.append(new byte[10_000]);
            log.append(new byte[10]);
            assertThat(segmentFiles(dir))
                    .extracting(p -> p.getFileName().toString())
                    .containsExactly(
                            "00000000000000000001.wal", "00000000000000000002.wal", "00000000000000000003.wal");
            assertThat(readAll(log, 1)).extracting(r -> r.payload().length).containsExactly(10, 10_000, 10);
        }
    }

    @Test
    void truncateBeforeDeletesWholeSegmentsBelowTheSequenceOnly() throws Exception {
        try (WriteAheadLog log = WriteAheadLog.open(dir, SMALL)) {
            for (int i = 0; i < 100; i++) {
                log.append(new byte[100]);
            }
            // Segments hold 1-35, 36-70, 71-100.
            assertThat(log.truncateBefore(35)).isZero(); // 35 itself is still needed
            assertThat(log.firstSequence()).isEqualTo(1);
            assertThat(log.truncateBefore(36)).isEqualTo(1);
            assertThat(log.firstSequence()).isEqualTo(36);
            assertThat(log.truncateBefore(1_000)).isEqualTo(1); // never the active segment
            assertThat(log.firstSequence()).isEqualTo(71);
            assertThat(segmentFiles(dir)).hasSize(1);
            assertThat(log.metrics().segments()).isEqualTo(1);
            assertThat(log.metrics().diskBytes()).isEqualTo(16 + 30 * 116);
            assertThatThrownBy(() -> log.reader(70))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("starts at 71");
            assertThat(readAll(log, 71)).hasSize(30);
        }
        try (WriteAheadLog log = WriteAheadLog.open(dir, SMALL)) {
            assertThat(log.recovery().clean()).isTrue();
            assertThat(log.firstSequence()).isEqualTo(71);
            assertThat(log.lastSequence()).isEqualTo(100);
            assertThat(log.recovery().recordsRecovered()).isEqualTo(30);
            assertThat(log.append(new byte[1])).isEqualTo(101);
        }
    }

    @Test
    void aReaderInsideATruncatedSegmentFinishesItButCannotGoBack() throws Exception {
        try (WriteAheadLog log = WriteAheadLog.open(dir, SMALL)) {
            for (int i = 0; i < 100; i++) {
                log.append(new byte[100]);
            }
            WalReader inside = log.reader(1);
            assertThat(inside.poll(10, Duration.ZERO)).hasSize(10); // holds segment 1 open
            WalReader notStarted = log.reader(20);
            log.truncateBefore(71);
            List<WalRecord> rest = inside.poll(1000, Duration.ZERO);
            // It finishes the deleted segment from its open file, then needs 36..70, which are gone.
            assertThat(rest).hasSize(25);
            assertThatThrownBy(() -> inside.poll(1000, Duration.ZERO))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("sequence 36 is no longer in the write-ahead log");
            assertThatThrownBy(() -> notStarted.poll(10, Duration.ZERO))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("sequence 20");
            inside.close();
            notStarted.close();
        }
    }

    @Test
    void truncationNeverDeletesRecordsThatAreNotYetDurable() throws Exception {
        WalConfig config = SMALL.withFsyncPolicy(FsyncPolicy.always());
        try (WriteAheadLog log = WriteAheadLog.open(dir, config)) {
            log.appendAll(java.util.Collections.nCopies(80, new byte[100]));
            assertThat(log.durableSequence()).isEqualTo(80);
            assertThat(log.truncateBefore(Long.MAX_VALUE)).isEqualTo(2);
            assertThat(log.firstSequence()).isEqualTo(71);
        }
    }
}
