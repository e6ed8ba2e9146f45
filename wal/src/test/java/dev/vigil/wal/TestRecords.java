package dev.vigil.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Payloads derived from a seed and a sequence, so any record can be checked without keeping a copy. */
final class TestRecords {
    private TestRecords() {}

    static byte[] payload(long seed, long sequence, int maxLength) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + sequence);
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** Every record from {@code from} to the durable end, read with a fresh reader. */
    static List<WalRecord> readAll(WriteAheadLog log, long from) throws IOException, InterruptedException {
        List<WalRecord> all = new ArrayList<>();
        try (WalReader reader = log.reader(from)) {
            while (true) {
                List<WalRecord> batch = reader.poll(1000, Duration.ZERO);
                if (batch.isEmpty()) {
                    return all;
                }
                all.addAll(batch);
            }
        }
    }

    static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> RecordFormat.firstSequenceOf(p) > 0)
                    .sorted()
                    .toList();
        }
    }

    static WalConfig config(FsyncPolicy policy) {
        return WalConfig.defaults().withFsyncPolicy(policy);
    }
}
