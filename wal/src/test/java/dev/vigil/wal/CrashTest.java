package dev.vigil.wal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that appends under {@link FsyncPolicy#always()} with SIGKILL at random moments, reopens the log
 * and checks that every acknowledged record is there, intact, with contiguous sequences.
 *
 * <p>SIGKILL leaves the page cache intact, so this checks recovery from writes cut short and that acknowledgements
 * never run ahead of the log; it cannot show that fsync reached the platters, which needs a power cut.
 */
class CrashTest {
    private static final int ROUNDS = 6;

    @TempDir
    Path dir;

    /** What the child said it was told: sequence → (round, thread, counter). */
    private final Map<Long, int[]> acknowledged = new HashMap<>();

    @Test
    void everyAcknowledgedRecordSurvivesSigkill() throws Exception {
        SplittableRandom random = new SplittableRandom(4711);
        Path logDir = dir.resolve("wal");
        for (int round = 1; round <= ROUNDS; round++) {
            int killAfter = 1 + random.nextInt(1500);
            runAndKill(logDir, round, killAfter);
            verify(logDir);
        }
    }

    private void runAndKill(Path logDir, int round, int killAfter) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Xmx256m",
                        CrashingAppender.class.getName(),
                        logDir.toString(),
                        Integer.toString(round))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                lines.add("pump failed: " + e);
            }
            lines.add("EOF");
        });
        List<String> seen = new ArrayList<>();
        int acks = 0;
        while (acks < killAfter) {
            String line = lines.poll(2, TimeUnit.MINUTES);
            assertThat(line)
                    .as("the child stopped talking after %d acknowledgements", acks)
                    .isNotNull();
            assertThat(line).as("the child ended by itself: %s", seen).isNotEqualTo("EOF");
            seen.add(line);
            if (line.startsWith("ack ")) {
                acks++;
            }
        }
        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
        pump.join(TimeUnit.MINUTES.toMillis(2));
        lines.drainTo(seen);
        for (String line : seen) {
            String[] f = line.split(" ");
            // A line the kill cut short lacks its "end" and is not an acknowledgement the sender received whole.
            if (f.length == 6 && f[0].equals("ack") && f[5].equals("end")) {
                long sequence = Long.parseLong(f[1]);
                int[] origin = {Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4])};
                assertThat(acknowledged.put(sequence, origin))
                        .as("sequence %d acknowledged twice", sequence)
                        .isNull();
            }
        }
    }

    private void verify(Path logDir) throws Exception {
        try (WriteAheadLog log = WriteAheadLog.open(logDir, WalConfig.defaults().withSegmentBytes(64 * 1024))) {
            RecoveryReport report = log.recovery();
            assertThat(report.corruptRecords()).as(report.toString()).isEmpty();
            long maxAcknowledged = acknowledged.keySet().stream()
                    .mapToLong(Long::longValue)
                    .max()
                    .orElse(0);
            assertThat(log.lastSequence()).isGreaterThanOrEqualTo(maxAcknowledged);
            List<WalRecord> all = TestRecords.readAll(log, 1);
            assertThat(all).hasSize((int) log.lastSequence());
            for (int i = 0; i < all.size(); i++) {
                WalRecord r = all.get(i);
                assertThat(r.sequence()).isEqualTo(i + 1L);
                ByteBuffer b = ByteBuffer.wrap(r.payload());
                int round = b.getInt();
                int thread = b.getInt();
                int counter = b.getInt();
                assertThat(r.payload())
                        .as("record %d is intact", r.sequence())
                        .isEqualTo(CrashingAppender.payload(round, thread, counter));
                int[] origin = acknowledged.get(r.sequence());
                if (origin != null) {
                    assertThat(new int[] {round, thread, counter}).isEqualTo(origin);
                }
            }
        }
    }
}
