package dev.vigil.wal;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child process of {@link CrashTest}: appends self-describing records from several threads under {@link
 * FsyncPolicy#always()} until it is killed, printing each acknowledged sequence as {@code ack SEQ ROUND THREAD COUNTER
 * end} (the {@code end} shows the line was printed whole).
 */
final class CrashingAppender {
    static final int THREADS = 4;

    private CrashingAppender() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int round = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        WalConfig config = WalConfig.defaults().withSegmentBytes(64 * 1024).withFsyncPolicy(FsyncPolicy.always());
        WriteAheadLog log = WriteAheadLog.open(dir, config);
        synchronized (out) {
            out.println("open " + log.lastSequence() + " end");
            out.flush();
        }
        Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads[t] = new Thread(() -> {
                try {
                    for (int counter = 0; ; counter++) {
                        long sequence = log.append(payload(round, thread, counter));
                        synchronized (out) {
                            out.println("ack " + sequence + " " + round + " " + thread + " " + counter + " end");
                            out.flush();
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                    System.exit(3);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** Round, thread and counter, then bytes derived from them: any record can be checked on its own. */
    static byte[] payload(int round, int thread, int counter) {
        SplittableRandom random = new SplittableRandom(((long) round << 40) ^ ((long) thread << 32) ^ counter);
        ByteBuffer b = ByteBuffer.allocate(12 + random.nextInt(600));
        b.putInt(round).putInt(thread).putInt(counter);
        while (b.hasRemaining()) {
            b.put((byte) random.nextInt(256));
        }
        return b.array();
    }
}
