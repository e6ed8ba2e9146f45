package dev.vigil.wal;

import static dev.vigil.wal.TestRecords.payload;
import static dev.vigil.wal.TestRecords.readAll;
import static dev.vigil.wal.TestRecords.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {
    private static final long SEED = 20261126L;

    @TempDir
    Path dir;

    /** Writes {@code count} seeded records and returns the offset at which each record starts in the segment. */
    private long[] writeRecords(Path logDir, int count, int maxLength, WalConfig config) throws IOException {
        long[] offsets = new long[count + 2];
        long offset = RecordFormat.SEGMENT_HEADER_BYTES;
        try (WriteAheadLog log = WriteAheadLog.open(logDir, config)) {
            for (int s = 1; s <= count; s++) {
                byte[] p = payload(SEED, s, maxLength);
                offsets[s] = offset;
                log.append(p);
                offset += RecordFormat.RECORD_HEADER_BYTES + p.length;
            }
        }
        offsets[count + 1] = offset;
        return offsets;
    }

    private static void assertRecords(WriteAheadLog log, long last) throws Exception {
        List<WalRecord> all = readAll(log, 1);
        assertThat(all).hasSize((int) last);
        for (int i = 0; i < last; i++) {
            assertThat(all.get(i)).isEqualTo(new WalRecord(i + 1, payload(SEED, i + 1, 400)));
        }
    }

    @Test
    void aTornLastRecordIsCutAtEveryByteOffset() throws Exception {
        Path original = dir.resolve("original");
        int count = 6;
        long[] offsets = writeRecords(original, count, 400, WalConfig.defaults());
        Path segment = segmentFiles(original).get(0);
        byte[] bytes = Files.readAllBytes(segment);
        long lastStart = offsets[count];
        assertThat((long) bytes.length).isEqualTo(offsets[count + 1]);

        for (int cut = (int) lastStart; cut < bytes.length; cut++) {
            for (boolean zeroFilled : new boolean[] {false, true}) {
                // A crash leaves either a short file or (file size written before the data) zeros after the cut.
                Path copy = dir.resolve("cut-" + cut + (zeroFilled ? "-zeros" : ""));
                Files.createDirectories(copy);
                byte[] damaged = zeroFilled ? zeroFrom(bytes, cut) : Arrays.copyOf(bytes, cut);
                if (Arrays.equals(damaged, bytes)) {
                    continue; // the zeroed bytes were zeros already: nothing is damaged
                }
                Files.write(copy.resolve(segment.getFileName()), damaged);
                try (WriteAheadLog log = WriteAheadLog.open(copy, WalConfig.defaults())) {
                    RecoveryReport report = log.recovery();
                    assertThat(report.tornBytesCut()).as("cut at %d", cut).isEqualTo(damaged.length - lastStart);
                    assertThat(report.recordsRecovered()).isEqualTo(count - 1);
                    assertThat(log.lastSequence()).isEqualTo(count - 1);
                    if (zeroFilled) {
                        assertThat(report.corruptRecords())
                                .singleElement()
                                .satisfies(c -> assertThat(c.offset()).isEqualTo(lastStart));
                    } else {
                        assertThat(report.corruptRecords()).isEmpty();
                    }
                    assertRecords(log, count - 1);
                    assertThat(log.append(payload(SEED, count, 400))).isEqualTo(count);
                    assertRecords(log, count);
                }
                deleteTree(copy);
            }
        }
    }

    private static byte[] zeroFrom(byte[] bytes, int cut) {
        byte[] copy = bytes.clone();
        Arrays.fill(copy, cut, copy.length, (byte) 0);
        return copy;
    }

    @Test
    void aChecksumMismatchInTheTailEndsTheLogThereAndIsReported() throws Exception {
        long[] offsets = writeRecords(dir, 10, 400, WalConfig.defaults());
        Path segment = segmentFiles(dir).get(0);
        long damagedAt = offsets[7];
        flipByte(segment, damagedAt + RecordFormat.RECORD_HEADER_BYTES - 1); // last byte of record 7's sequence field
        try (WriteAheadLog log = WriteAheadLog.open(dir, WalConfig.defaults())) {
            RecoveryReport report = log.recovery();
            assertThat(report.corruptRecords()).singleElement().satisfies(c -> {
                assertThat(c.segment()).isEqualTo(segment);
                assertThat(c.offset()).isEqualTo(damagedAt);
                assertThat(c.expectedSequence()).isEqualTo(7);
                assertThat(c.reason()).contains("checksum mismatch");
            });
            assertThat(report.toString()).contains(segment.toString()).contains("offset " + damagedAt);
            assertThat(report.tornBytesCut()).isEqualTo(offsets[11] - damagedAt);
            assertThat(log.lastSequence()).isEqualTo(6);
            assertRecords(log, 6);
            // The cut bytes are kept aside for examination, byte for byte.
            assertThat(report.quarantinedFiles())
                    .singleElement()
                    .satisfies(q -> assertThat(Files.size(q)).isEqualTo(offsets[11] - damagedAt));
            assertThat(log.append(payload(SEED, 7, 400))).isEqualTo(7);
        }
    }

    @Test
    void aDamagedRecordInAnOlderSegmentStopsTheLogThereAndKeepsTheRestAside() throws Exception {
        WalConfig small = WalConfig.defaults().withSegmentBytes(4096);
        try (WriteAheadLog log = WriteAheadLog.open(dir, small)) {
            for (int s = 1; s <= 100; s++) {
                log.append(payload(SEED, s, 400));
            }
        }
        List<Path> segments = segmentFiles(dir);
        assertThat(segments).hasSizeGreaterThan(3);
        Path second = segments.get(1);
        long secondFirst = RecordFormat.firstSequenceOf(second);
        // Damage the payload of the second record of the second segment.
        long offset = (long) RecordFormat.SEGMENT_HEADER_BYTES
                + RecordFormat.RECORD_HEADER_BYTES
                + payload(SEED, secondFirst, 400).length;
        byte[] secondPayload = payload(SEED, secondFirst + 1, 400);
        if (secondPayload.length == 0) {
            flipByte(second, offset + 2); // the length field
        } else {
            flipByte(second, offset + RecordFormat.RECORD_HEADER_BYTES + secondPayload.length / 2);
        }
        try (WriteAheadLog log = WriteAheadLog.open(dir, small)) {
            RecoveryReport report = log.recovery();
            assertThat(report.corruptRecords()).singleElement().satisfies(c -> {
                assertThat(c.segment()).isEqualTo(second);
                assertThat(c.offset()).isEqualTo(offset);
                assertThat(c.expectedSequence()).isEqualTo(secondFirst + 1);
            });
            assertThat(log.lastSequence()).isEqualTo(secondFirst);
            assertThat(report.segments()).isEqualTo(2);
            assertRecords(log, secondFirst);
            // Later segments are renamed, not deleted, and no longer part of the log.
            for (Path later : segments.subList(2, segments.size())) {
                assertThat(later).doesNotExist();
                assertThat(later.resolveSibling(later.getFileName() + ".quarantined"))
                        .exists();
            }
            assertThat(report.quarantinedFiles()).hasSize(segments.size() - 2 + 1);
            assertThat(log.append(payload(SEED, secondFirst + 1, 400))).isEqualTo(secondFirst + 1);
        }
        try (WriteAheadLog log = WriteAheadLog.open(dir, small)) {
            assertThat(log.recovery().clean()).as(log.recovery().toString()).isTrue();
            assertRecords(log, secondFirst + 1);
        }
    }

    @Test
    void aMissingSegmentIsAGapThatEndsTheLog() throws Exception {
        WalConfig small = WalConfig.defaults().withSegmentBytes(4096);
        try (WriteAheadLog log = WriteAheadLog.open(dir, small)) {
            for (int s = 1; s <= 40; s++) {
                log.append(payload(SEED, s, 400));
            }
        }
        List<Path> segments = segmentFiles(dir);
        assertThat(segments).hasSizeGreaterThan(2);
        Files.delete(segments.get(1));
        long lastKept = RecordFormat.firstSequenceOf(segments.get(1)) - 1;
        try (WriteAheadLog log = WriteAheadLog.open(dir, small)) {
            RecoveryReport report = log.recovery();
            assertThat(report.corruptRecords()).singleElement().satisfies(c -> {
                assertThat(c.segment()).isEqualTo(segments.get(2));
                assertThat(c.reason()).contains("previous segment ends at " + lastKept);
            });
            assertThat(log.lastSequence()).isEqualTo(lastKept);
            assertRecords(log, lastKept);
            assertThat(log.append(payload(SEED, lastKept + 1, 400))).isEqualTo(lastKept + 1);
        }
    }

    @Test
    void aTornSegmentHeaderAfterARollIsRewritten() throws Exception {
        writeRecords(dir, 3, 400, WalConfig.defaults());
        // A crash right after a roll created the next segment: only part of its header reached the disk.
        Path next = dir.resolve(RecordFormat.segmentFileName(4));
        Files.write(next, Arrays.copyOf(RecordFormat.segmentHeader(4), 5));
        try (WriteAheadLog log = WriteAheadLog.open(dir, WalConfig.defaults())) {
            assertThat(log.recovery().tornBytesCut()).isEqualTo(5);
            assertThat(log.recovery().corruptRecords()).isEmpty();
            assertThat(log.lastSequence()).isEqualTo(3);
            assertThat(log.append(payload(SEED, 4, 400))).isEqualTo(4);
            assertRecords(log, 4);
        }
    }

    @Test
    void readerReportsARecordDamagedAfterOpening() throws Exception {
        long[] offsets = writeRecords(dir, 5, 400, WalConfig.defaults());
        try (WriteAheadLog log = WriteAheadLog.open(dir, WalConfig.defaults())) {
            Path segment = segmentFiles(dir).get(0);
            flipByte(segment, offsets[3] + 5);
            try (WalReader reader = log.reader(1)) {
                // The intact records before the damage come first, then the damage is reported.
                assertThat(reader.poll(10, java.time.Duration.ZERO))
                        .extracting(WalRecord::sequence)
                        .containsExactly(1L, 2L);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.poll(10, java.time.Duration.ZERO))
                        .isInstanceOf(WalCorruptionException.class)
                        .hasMessageContaining(segment.toString())
                        .hasMessageContaining("offset " + offsets[3])
                        .hasMessageContaining("checksum mismatch");
            }
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x5A);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(p);
            }
        }
    }
}
