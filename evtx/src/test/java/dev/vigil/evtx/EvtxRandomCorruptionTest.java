package dev.vigil.evtx;

import static dev.vigil.evtx.SampleFiles.CHUNK;
import static dev.vigil.evtx.SampleFiles.HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.evtx.SampleFiles.Read;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random corruption of a real three-chunk file. The reader must never throw or hang, and whatever it returns
 * must be true: without CRC fix-ups every record is one of the originals; with the CRCs recomputed (so corrupt BinXML
 * reaches the parser) it must still terminate, stay bounded and report what it could not read.
 */
class EvtxRandomCorruptionTest {
    /** Only a guard against hangs; a read takes milliseconds. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    private static byte[] file;
    private static List<EvtxRecord> originals;

    @TempDir
    Path dir;

    @BeforeAll
    static void readIntactFile(@TempDir Path tmp) throws IOException {
        file = SampleFiles.threeChunks();
        originals =
                SampleFiles.read(SampleFiles.write(tmp, "intact.evtx", file)).records();
    }

    static List<Long> seeds() {
        return java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void flippedBytesYieldOnlyOriginalRecords(long seed) {
        Random random = new Random(seed);
        byte[] copy = corrupt(random);
        Path path = SampleFiles.write(dir, "fuzz-" + seed + ".evtx", copy);

        Read read = assertTimeoutPreemptively(HANG_GUARD, () -> SampleFiles.read(path));

        // A truncated last chunk cannot have its records CRC checked; that is reported, and its records are the
        // only ones that may differ from the originals.
        List<EvtxRecord> unverified =
                read.records().stream().filter(r -> !originals.contains(r)).toList();
        if (!unverified.isEmpty()) {
            assertThat(copy.length).isLessThan(file.length);
            assertThat(read.problems().problems())
                    .anySatisfy(p -> assertThat(p.message()).contains("records CRC32 not checked"));
        }
        if (copy.length == file.length && read.records().size() < originals.size()) {
            // Whatever was lost without a truncation was reported.
            assertThat(read.problems().count()).isPositive();
        }
        read.problems().problems().forEach(p -> {
            assertThat(p.source()).isEqualTo(path.getFileName().toString());
            assertThat(p.message()).isNotBlank();
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void corruptRecordsBehindValidCrcsNeverThrowOrHang(long seed) {
        Random random = new Random(seed);
        byte[] copy = file.clone();
        // Flip bytes inside the records of one chunk, then make its CRCs valid again.
        int chunk = random.nextInt(3);
        List<Integer> offsets = SampleFiles.recordOffsets(file, chunk);
        int from = HEADER + chunk * CHUNK + offsets.get(0);
        int to = HEADER + chunk * CHUNK + offsets.get(offsets.size() - 1) + 200;
        int flips = 1 + random.nextInt(40);
        for (int i = 0; i < flips; i++) {
            copy[from + random.nextInt(to - from)] = (byte) random.nextInt(256);
        }
        SampleFiles.fixChunkCrcs(copy, chunk);
        Path path = SampleFiles.write(dir, "deep-" + seed + ".evtx", copy);

        Read read = assertTimeoutPreemptively(HANG_GUARD, () -> SampleFiles.read(path));

        // Chunks that were not touched read exactly as before.
        int before = 0;
        for (int c = 0; c < chunk; c++) {
            before += SampleFiles.recordOffsets(file, c).size();
        }
        assertThat(read.records().subList(0, before)).isEqualTo(originals.subList(0, before));
        assertThat(read.records().size()).isLessThanOrEqualTo(originals.size() + offsets.size());
        read.records().forEach(r -> assertThat(r.event()).hasSize(1));
    }

    /** Flips 1 to 30 random bytes after the file magic, and sometimes cuts the file short. */
    private static byte[] corrupt(Random random) {
        byte[] copy = file.clone();
        int flips = 1 + random.nextInt(30);
        for (int i = 0; i < flips; i++) {
            int at = 8 + random.nextInt(copy.length - 8);
            copy[at] ^= (byte) (1 + random.nextInt(255));
        }
        if (random.nextInt(4) == 0) {
            copy = SampleFiles.copy(copy, 8 + random.nextInt(copy.length - 8));
        }
        return copy;
    }
}
