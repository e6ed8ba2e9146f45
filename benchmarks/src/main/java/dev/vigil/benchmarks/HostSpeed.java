package dev.vigil.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * How fast the host runs right now, by two fixed pieces of work timed on the calling thread, so that a benchmark's
 * figures can be read against the machine's speed at the time they were taken.
 *
 * <p>Why: the test VM's speed drifts between spells (the server's cost per syslog event doubled from one spell to the
 * next on the same build), and everything slows together. A stalled virtual CPU is charged to whichever thread it was
 * running, so thread CPU time grows in a slow spell as wall time does. Two probes, because the spells might not touch
 * both alike: SHA-256 over a buffer that stays in cache (the core's own speed), and a chase of dependent loads through
 * 64 MiB in random order (what a load costs once the data outgrows the caches and the translation buffer, which is
 * what bounds the Sigma detector and the store's scans).
 * The hash takes about a twentieth of a second and the chase about a third; building the chase's cycle, a second or
 * two. The detector's own split between launches (docs/benchmarks.md, eighth session) is not the host's and does not
 * show here.
 *
 * <p>Usage: {@code HostSpeed.measure().describe()} where it disturbs no measurement (it allocates 64 MiB and
 * compiles its loops); {@code java -cp benchmarks.jar dev.vigil.benchmarks.HostSpeed [rounds]} on its own.
 */
public record HostSpeed(double hashMegabytesPerCpuSecond, double nanosPerDependentLoad, double cpuShareOfWall) {
    private static final int HASH_BUFFER_BYTES = 1 << 20;
    private static final int HASH_PASSES = 64;
    private static final int CHASE_SLOTS = 16 << 20; // ints: 64 MiB
    private static final int CHASE_STEPS = 1 << 21;

    /** Measures both probes once, after a short warm-up of each. */
    public static HostSpeed measure() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        byte[] buffer = new byte[HASH_BUFFER_BYTES];
        new SplittableRandom(17).nextBytes(buffer);
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        hash(sha256, buffer, 16);
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        hash(sha256, buffer, HASH_PASSES);
        long hashCpu = threads.getCurrentThreadCpuTime() - cpu0;
        long hashWall = System.nanoTime() - wall0;

        // Built for each measurement and dropped after it, so it never stays in a benchmark's heap.
        int[] chase = singleCycle(CHASE_SLOTS, 42);
        // The measured walk goes on from where the warm-up stopped, so it meets no line the warm-up left in cache.
        int warm = walk(chase, 0, CHASE_STEPS / 8);
        cpu0 = threads.getCurrentThreadCpuTime();
        wall0 = System.nanoTime();
        int end = walk(chase, warm, CHASE_STEPS);
        long chaseCpu = threads.getCurrentThreadCpuTime() - cpu0;
        long chaseWall = System.nanoTime() - wall0;
        if (end < 0) {
            throw new IllegalStateException("unreachable: keeps the walk's result alive");
        }
        return new HostSpeed(
                (double) HASH_BUFFER_BYTES * HASH_PASSES / 1e6 / (hashCpu / 1e9),
                (double) chaseCpu / CHASE_STEPS,
                (double) (hashCpu + chaseCpu) / (hashWall + chaseWall));
    }

    /** One line for a benchmark's output. */
    public String describe() {
        return String.format(
                "host speed: SHA-256 %.0f MB per thread-CPU-second, %.1f ns per dependent load over 64 MiB,"
                        + " thread CPU %.0f %% of wall",
                hashMegabytesPerCpuSecond, nanosPerDependentLoad, 100 * cpuShareOfWall);
    }

    private static void hash(MessageDigest sha256, byte[] buffer, int passes) {
        for (int i = 0; i < passes; i++) {
            sha256.update(buffer);
        }
        buffer[0] ^= sha256.digest()[0];
    }

    /** Sattolo's shuffle: a permutation that is one cycle through every slot, so the walk never short-circuits. */
    private static int[] singleCycle(int slots, long seed) {
        int[] next = new int[slots];
        for (int i = 0; i < slots; i++) {
            next[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = slots - 1; i > 0; i--) {
            int j = random.nextInt(i);
            int t = next[i];
            next[i] = next[j];
            next[j] = t;
        }
        return next;
    }

    private static int walk(int[] next, int from, int steps) {
        int at = from;
        for (int i = 0; i < steps; i++) {
            at = next[at];
        }
        return at;
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        for (int r = 0; r < rounds; r++) {
            System.out.println(measure().describe());
        }
    }
}
