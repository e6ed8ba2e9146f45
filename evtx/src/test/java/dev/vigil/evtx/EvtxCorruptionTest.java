package dev.vigil.evtx;

import static dev.vigil.evtx.SampleFiles.CHUNK;
import static dev.vigil.evtx.SampleFiles.HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.Problem;
import dev.vigil.evtx.SampleFiles.Read;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupt and truncated files: problems are reported with their location, intact records are still returned. */
class EvtxCorruptionTest {
    private static byte[] file;
    private static List<EvtxRecord> originals;
    /** Record ids per chunk of the intact three-chunk file. */
    private static List<List<Long>> idsByChunk;

    @TempDir
    Path dir;

    @BeforeAll
    static void readIntactFile(@TempDir Path tmp) throws IOException {
        file = SampleFiles.threeChunks();
        Read read = SampleFiles.read(SampleFiles.write(tmp, "intact.evtx", file));
        assertThat(read.problems().count()).isZero();
        originals = read.records();
        idsByChunk = List.of(ids(0), ids(1), ids(2));
    }

    private static List<Long> ids(int chunk) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        return SampleFiles.recordOffsets(file, chunk).stream()
                .map(off -> b.getLong(HEADER + chunk * CHUNK + off + 8))
                .toList();
    }

    /** The intact file's records of the given chunks (record ids repeat across the samples, so by position). */
    private static List<EvtxRecord> originalsOfChunks(int... chunks) {
        List<EvtxRecord> out = new ArrayList<>();
        for (int c : chunks) {
            out.addAll(originals.subList(first(c), first(c) + idsByChunk.get(c).size()));
        }
        return out;
    }

    private static int first(int chunk) {
        int index = 0;
        for (int c = 0; c < chunk; c++) {
            index += idsByChunk.get(c).size();
        }
        return index;
    }

    /** The intact file's records without the one at {@code index} of {@code chunk}. */
    private static List<EvtxRecord> originalsWithout(int chunk, int index) {
        List<EvtxRecord> out = new ArrayList<>(originals);
        out.remove(first(chunk) + index);
        return out;
    }

    @Test
    void intactThreeChunkFileReadsEveryRecordInOrder() {
        assertThat(originals).hasSize(idsByChunk.stream().mapToInt(List::size).sum());
        assertThat(originals)
                .extracting(EvtxRecord::recordId)
                .containsExactlyElementsOf(
                        idsByChunk.stream().flatMap(List::stream).toList());
        assertThat(originals.get(0).event()).containsOnlyKeys("Event");
        assertThat(originals.get(0).written()).isAfter(java.time.Instant.parse("2020-01-01T00:00:00Z"));
    }

    @Test
    void truncatedMidChunkReturnsEveryCompleteRecord() throws IOException {
        List<Integer> offsets = SampleFiles.recordOffsets(file, 2);
        int cut = HEADER + 2 * CHUNK + offsets.get(2) + 40; // inside the third record of the third chunk
        Read read = SampleFiles.read(SampleFiles.write(dir, "cut.evtx", SampleFiles.copy(file, cut)));

        List<EvtxRecord> expected = new ArrayList<>(originalsOfChunks(0, 1));
        expected.addAll(originalsOfChunks(2).subList(0, 2));
        assertThat(read.records()).isEqualTo(expected);
        assertThat(read.problems().problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("cut.evtx");
            assertThat(p.location()).isEqualTo(3);
            assertThat(p.message()).contains("chunk 3").contains("truncated");
        });
    }

    @Test
    void truncatedInsideAChunkHeaderReportsIt() throws IOException {
        Read read = SampleFiles.read(SampleFiles.write(dir, "cut.evtx", SampleFiles.copy(file, HEADER + CHUNK + 100)));
        assertThat(read.records()).isEqualTo(originalsOfChunks(0));
        assertThat(read.problems().problems())
                .singleElement()
                .satisfies(p -> assertThat(p.location()).isEqualTo(2));
    }

    @Test
    void flippedBytesInsideARecordSkipTheirChunkOnly() throws IOException {
        byte[] copy = file.clone();
        int record = HEADER + CHUNK + SampleFiles.recordOffsets(file, 1).get(1);
        copy[record + 100] ^= 0x5a;
        copy[record + 101] ^= 0x33;
        Read read = SampleFiles.read(SampleFiles.write(dir, "flipped.evtx", copy));

        assertThat(read.records()).isEqualTo(originalsOfChunks(0, 2));
        assertThat(read.problems().problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(2);
            assertThat(p.message()).contains("records CRC32");
        });
    }

    @Test
    void corruptedChunkHeaderSkipsThatChunk() throws IOException {
        byte[] badMagic = file.clone();
        badMagic[HEADER + 1] = 'X';
        Read read = SampleFiles.read(SampleFiles.write(dir, "magic.evtx", badMagic));
        assertThat(read.records()).isEqualTo(originalsOfChunks(1, 2));
        assertThat(read.problems().problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(1);
            assertThat(p.message()).contains("magic");
        });

        byte[] badHeader = file.clone();
        badHeader[HEADER + 2 * CHUNK + 200] ^= 1; // inside the string table, covered by the header CRC
        read = SampleFiles.read(SampleFiles.write(dir, "header.evtx", badHeader));
        assertThat(read.records()).isEqualTo(originalsOfChunks(0, 1));
        assertThat(read.problems().problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(3);
            assertThat(p.message()).contains("header CRC32");
        });
    }

    @Test
    void corruptRecordHeaderIsReportedAndTheRestOfItsChunkRead() throws IOException {
        byte[] copy = file.clone();
        List<Integer> offsets = SampleFiles.recordOffsets(file, 1);
        int record = HEADER + CHUNK + offsets.get(1);
        copy[record] = 0; // record magic
        SampleFiles.fixChunkCrcs(copy, 1);
        Read read = SampleFiles.read(SampleFiles.write(dir, "record.evtx", copy));

        assertThat(read.records()).isEqualTo(originalsWithout(1, 1));
        assertThat(read.problems().problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(2);
            assertThat(p.message()).contains("chunk offset " + offsets.get(1)).contains("bad record magic");
        });
    }

    @Test
    void recordSizeLargerThanItsChunkIsReported() throws IOException {
        byte[] copy = file.clone();
        int record = HEADER + SampleFiles.recordOffsets(file, 0).get(0);
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(record + 4, 10 * CHUNK);
        SampleFiles.fixChunkCrcs(copy, 0);
        Read read = SampleFiles.read(SampleFiles.write(dir, "size.evtx", copy));

        assertThat(read.records()).isEqualTo(originals.subList(1, originals.size()));
        assertThat(read.problems().problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("bad record size"));
    }

    @Test
    void unparsableBinXmlIsReportedWithItsRecordId() throws IOException {
        byte[] copy = file.clone();
        int record = HEADER + 2 * CHUNK + SampleFiles.recordOffsets(file, 2).get(0);
        long recordId = idsByChunk.get(2).get(0);
        copy[record + 24] = (byte) 0x3f; // not a BinXML token
        SampleFiles.fixChunkCrcs(copy, 2);
        Read read = SampleFiles.read(SampleFiles.write(dir, "binxml.evtx", copy));

        assertThat(read.records()).isEqualTo(originalsWithout(2, 0));
        assertThat(read.problems().problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(recordId);
            assertThat(p.message()).contains("record " + recordId).contains("token");
        });
    }

    @Test
    void badFileHeaderCrcIsReportedAndChunksStillRead() throws IOException {
        byte[] copy = file.clone();
        copy[30] ^= 1;
        Read read = SampleFiles.read(SampleFiles.write(dir, "filehdr.evtx", copy));
        assertThat(read.records()).isEqualTo(originals);
        assertThat(read.problems().problems())
                .singleElement()
                .satisfies(p -> assertThat(p.location()).isZero());
    }

    @Test
    void randomBytesAreNotAnEvtxFile() {
        byte[] random = new byte[3 * CHUNK];
        new Random(7).nextBytes(random);
        Path path = SampleFiles.write(dir, "random.bin", random);
        assertThatThrownBy(() -> EvtxReader.open(path))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("random.bin");
    }

    @Test
    void randomBytesAfterTheMagicReportProblemsWithoutThrowing() throws IOException {
        byte[] random = new byte[HEADER + 3 * CHUNK + 1000];
        new Random(11).nextBytes(random);
        System.arraycopy(file, 0, random, 0, 8);
        Read read = SampleFiles.read(SampleFiles.write(dir, "random.evtx", random));
        assertThat(read.records()).isEmpty();
        assertThat(read.problems().problems()).extracting(Problem::location).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void emptyFileIsNotAnEvtxFile() {
        Path path = SampleFiles.write(dir, "empty.evtx", new byte[0]);
        assertThatThrownBy(() -> EvtxReader.open(path))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("empty.evtx");
    }

    @Test
    void headerOnlyFileHasNoRecordsAndNoProblems() throws IOException {
        Read read = SampleFiles.read(SampleFiles.write(dir, "header.evtx", SampleFiles.copy(file, HEADER)));
        assertThat(read.records()).isEmpty();
        assertThat(read.problems().count()).isZero();
    }

    @Test
    void truncatedFileHeaderIsReported() throws IOException {
        Read read = SampleFiles.read(SampleFiles.write(dir, "short.evtx", SampleFiles.copy(file, 64)));
        assertThat(read.records()).isEmpty();
        assertThat(read.problems().problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).contains("file header truncated"));
    }

    @Test
    void unusedZeroChunksAreSkippedSilently() throws IOException {
        byte[] padded = SampleFiles.copy(file, file.length + CHUNK);
        Read read = SampleFiles.read(SampleFiles.write(dir, "padded.evtx", padded));
        assertThat(read.records()).isEqualTo(originals);
        assertThat(read.problems().count()).isZero();
    }

    @Test
    void isEvtxChecksTheMagic() {
        assertThat(EvtxReader.isEvtx(file)).isTrue();
        assertThat(EvtxReader.isEvtx(SampleFiles.copy(file, 8))).isTrue();
        assertThat(EvtxReader.isEvtx(SampleFiles.copy(file, 7))).isFalse();
        assertThat(EvtxReader.isEvtx(new byte[0])).isFalse();
        assertThat(EvtxReader.isEvtx("ElfChnk\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
                .isFalse();
    }
}
