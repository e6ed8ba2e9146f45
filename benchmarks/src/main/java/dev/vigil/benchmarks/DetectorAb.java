package dev.vigil.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Two builds of the Sigma detector compared in one JVM: each benchmarks jar is loaded in its own class loader, all
 * 3,780 SigmaHQ rules are loaded in each, and rounds of 40,000 regression events alternate between them (A then B,
 * then B then A), so that whatever the host does to the machine meanwhile falls on both alike.
 *
 * <p>Why: on the 2-vCPU test VM, {@link DetectorCpuTime} gave about 40,000 or about 90,000 events per thread-CPU
 * second for the same jar from one launch to the next, which hides any change smaller than 2x. Within one JVM the
 * ratio is steadier, but not free of placement: one jar against itself gave 0.91 and 0.93, so a difference under
 * about 10 % needs both orders (A/B and B/A) and interleaved launches of {@link DetectorCpuTime} to confirm it. Usage:
 * {@code DetectorAb A.jar B.jar [rounds]}; prints the median of each side after the first third of the rounds, and
 * the median of the per-round ratio B/A.
 */
public final class DetectorAb {
    private static final int EVENTS_PER_ROUND = 40_000;

    private DetectorAb() {}

    /** One build: its detector and its own parsed copy of the regression events, reached by reflection. */
    private static final class Build {
        private final Object detector;
        private final Object[] events;
        private final Method process;

        Build(Path jar) throws ReflectiveOperationException, java.io.IOException {
            ClassLoader loader =
                    new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Method loadRules = loader.loadClass(Corpus.class.getName()).getDeclaredMethod("loadRules", String.class);
            loadRules.setAccessible(true);
            Object rules = loadRules.invoke(null, "all");
            Method regressionEvents =
                    loader.loadClass(DetectorCpuTime.class.getName()).getDeclaredMethod("regressionEvents");
            regressionEvents.setAccessible(true);
            events = (Object[]) regressionEvents.invoke(null);
            Class<?> detectorClass = loader.loadClass("dev.vigil.sigma.SigmaDetector");
            detector = detectorClass.getConstructor(rules.getClass()).newInstance(rules);
            process = detectorClass.getMethod("process", loader.loadClass("dev.vigil.core.Event"), Consumer.class);
        }

        /** Events per thread-CPU-second over one round. */
        double round(ThreadMXBean threads) throws ReflectiveOperationException {
            long[] detections = {0};
            Consumer<Object> count = d -> detections[0]++;
            long t0 = threads.getCurrentThreadCpuTime();
            for (int i = 0, j = 0; i < EVENTS_PER_ROUND; i++) {
                process.invoke(detector, events[j], count);
                if (++j == events.length) {
                    j = 0;
                }
            }
            return EVENTS_PER_ROUND / ((threads.getCurrentThreadCpuTime() - t0) / 1e9);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: DetectorAb A.jar B.jar [rounds]");
        }
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Build a = new Build(Path.of(args[0]));
        Build b = new Build(Path.of(args[1]));
        double[] rateA = new double[rounds];
        double[] rateB = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                rateA[r] = a.round(threads);
                rateB[r] = b.round(threads);
            } else {
                rateB[r] = b.round(threads);
                rateA[r] = a.round(threads);
            }
        }
        // The first third warms up both builds' compiled code.
        double[] warmA = Arrays.copyOfRange(rateA, rounds / 3, rounds);
        double[] warmB = Arrays.copyOfRange(rateB, rounds / 3, rounds);
        double[] ratio = new double[warmA.length];
        for (int i = 0; i < ratio.length; i++) {
            ratio[i] = warmB[i] / warmA[i];
        }
        Arrays.sort(warmA);
        Arrays.sort(warmB);
        Arrays.sort(ratio);
        System.out.printf(
                "A median %.0f, B median %.0f events per thread-CPU-second; B/A per round: median %.2f (%.2f-%.2f)%n",
                warmA[warmA.length / 2],
                warmB[warmB.length / 2],
                ratio[ratio.length / 2],
                ratio[0],
                ratio[ratio.length - 1]);
    }
}
