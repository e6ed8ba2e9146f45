package dev.vigil.benchmarks;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Syslog read speed in MB per thread-CPU-second, optionally side by side with an older build of the readers in the
 * same JVM. On a shared machine wall-clock benchmarks mostly measure the neighbours; thread CPU time of the reading
 * thread ({@link ThreadMXBean}) stays close to what an idle core gives, and alternating two builds round by round in
 * one process exposes both to the same interference, so their ratio is trustworthy even when the absolute figures are
 * not.
 *
 * <p>Inputs (written to a temporary directory): the {@link SyslogReaderBenchmark} file (RFC 3164 sshd and RFC 5424
 * lines, 64 MB), and the loghub Linux, Mac and OpenSSH samples of the corpus, each repeated to about 16 MB. Every file
 * is read through {@code EventReaders.read} with format detection, as a hunt reads it.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.vigil.benchmarks.SyslogCpuTime [rounds] [classpath [baseline classpath]]}.
 * Each build is loaded from its class path (jars or class directories, separated by {@code :}; by default the jar this
 * class came from) in an isolated class loader and called by reflection, because two builds have the same class
 * names; without a baseline only one build is measured.
 */
public final class SyslogCpuTime {
    private static final long GENERATED_BYTES = 64L << 20;
    private static final long CORPUS_COPY_BYTES = 16L << 20;

    private SyslogCpuTime() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        List<Build> builds = new ArrayList<>();
        String self = Path.of(SyslogCpuTime.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        builds.add(new Build("this build", args.length > 1 ? args[1] : self));
        if (args.length > 2) {
            builds.add(new Build("baseline", args[2]));
        }
        Path dir = Files.createTempDirectory("vigil-syslog-cpu");
        try {
            List<Path> files = inputs(dir);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            double[][] rates = new double[builds.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                // Alternate the order so neither build always runs first after the other's garbage.
                for (int k = 0; k < builds.size(); k++) {
                    int b = (r + k) % builds.size();
                    Build build = builds.get(b);
                    StringBuilder perFile = new StringBuilder();
                    long totalBytes = 0;
                    long totalCpu = 0;
                    for (Path file : files) {
                        long t0 = threads.getCurrentThreadCpuTime();
                        long[] counts = build.read(file);
                        long cpu = threads.getCurrentThreadCpuTime() - t0;
                        long bytes = Files.size(file);
                        totalBytes += bytes;
                        totalCpu += cpu;
                        perFile.append(String.format(
                                " %s %.0f (%d events, %d problems)",
                                file.getFileName(), bytes / 1048576.0 / (cpu / 1e9), counts[0], counts[1]));
                    }
                    rates[b][r] = totalBytes / 1048576.0 / (totalCpu / 1e9);
                    System.out.printf(
                            "round %d %-10s: %.1f MB per thread-CPU-second;%s%n",
                            r + 1, build.name, rates[b][r], perFile);
                }
            }
            for (int b = 0; b < builds.size(); b++) {
                // The first third of the rounds includes JIT compilation.
                double[] warm = Arrays.copyOfRange(rates[b], rounds / 3, rounds);
                Arrays.sort(warm);
                System.out.printf(
                        "%-10s after warm-up: median %.1f, best %.1f MB per thread-CPU-second%n",
                        builds.get(b).name, warm[warm.length / 2], warm[warm.length - 1]);
            }
        } finally {
            try (var paths = Files.list(dir)) {
                for (Path p : paths.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    private static List<Path> inputs(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        Path generated = dir.resolve("generated.log");
        Random r = new Random(42);
        try (BufferedWriter w = Files.newBufferedWriter(generated, StandardCharsets.UTF_8)) {
            long n = 0;
            for (long i = 0; n < GENERATED_BYTES; i++) {
                String line = SyslogReaderBenchmark.syslogLine(r, i);
                w.write(line);
                w.write('\n');
                n += line.length() + 1;
            }
        }
        files.add(generated);
        Path loghub = Corpus.root().resolve("logs").resolve("loghub");
        for (String name : List.of("Linux", "Mac", "OpenSSH")) {
            byte[] sample = Files.readAllBytes(loghub.resolve(name).resolve(name + "_2k.log"));
            Path copy = dir.resolve(name + ".log");
            try (var out = Files.newOutputStream(copy)) {
                for (long n = 0; n < CORPUS_COPY_BYTES; n += sample.length) {
                    out.write(sample);
                }
            }
            files.add(copy);
        }
        return files;
    }

    /** One build of the readers, in its own class loader. */
    private static final class Build {
        final String name;
        final Method read;
        final Object options;
        final Object problems;
        long problemCount;

        Build(String name, String classPath) throws ReflectiveOperationException, IOException {
            this.name = name;
            List<URL> urls = new ArrayList<>();
            for (String entry : classPath.split(File.pathSeparator)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
            ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
            Class<?> readers = loader.loadClass("dev.vigil.formats.EventReaders");
            Class<?> optionsClass = loader.loadClass("dev.vigil.formats.ReadOptions");
            Class<?> sinkClass = loader.loadClass("dev.vigil.core.ProblemSink");
            this.read = readers.getMethod("read", Path.class, optionsClass, Consumer.class, sinkClass);
            this.options = optionsClass.getField("DEFAULT").get(null);
            this.problems = Proxy.newProxyInstance(loader, new Class<?>[] {sinkClass}, (proxy, method, a) -> {
                if (method.getName().equals("report")) {
                    problemCount++;
                    return null;
                }
                throw new UnsupportedOperationException(method.getName());
            });
        }

        /** Reads {@code file}; returns the event and problem counts. */
        long[] read(Path file) throws ReflectiveOperationException {
            long[] events = {0};
            Consumer<Object> sink = e -> events[0]++;
            problemCount = 0;
            read.invoke(null, file, options, sink, problems);
            return new long[] {events[0], problemCount};
        }
    }
}
