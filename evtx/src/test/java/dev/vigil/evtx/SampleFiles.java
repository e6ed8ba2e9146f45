package dev.vigil.evtx;

import dev.vigil.core.ProblemCollector;
import dev.vigil.core.testing.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/** Builds EVTX test files from real regression samples: a three-chunk file and the CRC fix-ups corruption needs. */
final class SampleFiles {
    static final int HEADER = EvtxReader.FILE_HEADER_SIZE;
    static final int CHUNK = EvtxReader.CHUNK_SIZE;

    /** Three single-chunk samples with several records each. */
    private static final String[] SAMPLES = {
        "rules/windows/file/file_event/file_event_win_hktl_netexec_file_indicators/efc21479-9e83-41da-8cf1-122e06ba8db3.evtx",
        "rules/windows/file/file_event/file_event_win_cred_dump_tools_dropped_files/8fbf3271-1ef6-4e94-8210-03c2317947f6.evtx",
        "rules-emerging-threats/2025/Malware/Shai-Hulud/proc_creation_win_mal_shai_hulud_malicious_node_bun_execution/5299fadf-f228-4526-8274-251db1960be9.evtx",
    };

    private SampleFiles() {}

    /**
     * The file header of the first sample followed by the first chunk of each sample, with the header's chunk count
     * and CRC32 updated: a valid three-chunk EVTX file.
     */
    static byte[] threeChunks() throws IOException {
        Path root = Corpus.require("sigma/regression_data");
        byte[] out = new byte[HEADER + SAMPLES.length * CHUNK];
        for (int i = 0; i < SAMPLES.length; i++) {
            byte[] sample = Files.readAllBytes(root.resolve(SAMPLES[i]));
            if (i == 0) {
                System.arraycopy(sample, 0, out, 0, HEADER);
            }
            System.arraycopy(sample, HEADER, out, HEADER + i * CHUNK, CHUNK);
        }
        ByteBuffer header = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(16, SAMPLES.length - 1); // last chunk number
        header.putShort(42, (short) SAMPLES.length); // number of chunks
        fixFileHeaderCrc(out);
        return out;
    }

    static void fixFileHeaderCrc(byte[] file) {
        CRC32 crc = new CRC32();
        crc.update(file, 0, 120);
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(124, (int) crc.getValue());
    }

    /** Recomputes the header and records CRC32 of chunk {@code index} (0-based), so a change passes the checks. */
    static void fixChunkCrcs(byte[] file, int index) {
        int at = HEADER + index * CHUNK;
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int freeSpace = b.getInt(at + 48);
        CRC32 crc = new CRC32();
        if (freeSpace >= 512 && freeSpace <= CHUNK) {
            crc.update(file, at + 512, freeSpace - 512);
            b.putInt(at + 52, (int) crc.getValue());
        }
        crc.reset();
        crc.update(file, at, 120);
        crc.update(file, at + 128, 512 - 128);
        b.putInt(at + 124, (int) crc.getValue());
    }

    /** Chunk-relative offsets of the records of chunk {@code index}, following the record sizes. */
    static List<Integer> recordOffsets(byte[] file, int index) {
        int at = HEADER + index * CHUNK;
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int freeSpace = b.getInt(at + 48);
        List<Integer> offsets = new ArrayList<>();
        for (int off = 512; off + 24 <= freeSpace; off += b.getInt(at + off + 4)) {
            offsets.add(off);
        }
        return offsets;
    }

    static Path write(Path dir, String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] copy(byte[] file, int length) {
        return Arrays.copyOf(file, length);
    }

    /** Everything one read returns. */
    record Read(List<EvtxRecord> records, ProblemCollector problems) {}

    static Read read(Path file) throws IOException {
        List<EvtxRecord> records = new ArrayList<>();
        ProblemCollector problems = new ProblemCollector(1000);
        try (EvtxReader reader = EvtxReader.open(file)) {
            reader.forEach(records::add, problems);
        }
        return new Read(records, problems);
    }
}
