package dev.vigil.benchmarks;

import dev.vigil.core.Event;
import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertEntities;
import dev.vigil.sigma.Detection;
import dev.vigil.sigma.SigmaDetector;
import dev.vigil.sigma.SigmaRuleSet;
import dev.vigil.store.EventStore;
import dev.vigil.store.StoreBatch;
import dev.vigil.store.StoredEvent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the store's time goes on the ingestion path: the SigmaHQ regression events (about 1.4 KB of JSON each, the
 * events {@code IngestBenchmark} posts) written in pipeline-sized batches into a fresh store, with and without the
 * alerts all rules raise on them, reporting events per process-CPU-second (DuckDB works on threads of its own) and
 * per wall second. Usage: {@code StoreCpuTime [events] [batch]}.
 */
public final class StoreCpuTime {
    private static final TenantId TENANT = TenantId.of("bench");

    private StoreCpuTime() {}

    public static void main(String[] args) throws IOException {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Event[] source = DetectorCpuTime.regressionEvents();
        SigmaRuleSet rules = Corpus.loadRules("all");
        SigmaDetector detector = new SigmaDetector(rules);
        List<List<Detection>> alertsPerEvent = new ArrayList<>();
        for (Event e : source) {
            List<Detection> found = new ArrayList<>();
            detector.process(e, found::add);
            alertsPerEvent.add(found);
        }
        for (boolean withAlerts : new boolean[] {false, true, false, true}) {
            run(source, alertsPerEvent, total, batchSize, withAlerts);
        }
    }

    private static void run(
            Event[] source, List<List<Detection>> alertsPerEvent, int total, int batchSize, boolean alerts)
            throws IOException {
        Path dir = Files.createTempDirectory("vigil-store-cpu-");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (EventStore store = EventStore.open(dir)) {
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            long seq = 0;
            long alertCount = 0;
            int j = 0;
            Instant received = Instant.now();
            for (long wal = 1; seq < total; wal++) {
                List<StoredEvent> events = new ArrayList<>(batchSize);
                List<Alert> batchAlerts = new ArrayList<>();
                for (int i = 0; i < batchSize && seq < total; i++) {
                    seq++;
                    events.add(new StoredEvent(seq, received, source[j]));
                    if (alerts) {
                        for (Detection d : alertsPerEvent.get(j)) {
                            batchAlerts.add(Alert.builder()
                                    .id(d.rule().id() + "-" + seq)
                                    .tenant(TENANT)
                                    .time(received)
                                    .detector(d.rule().id(), d.rule().title())
                                    .sigmaLevel(d.rule().level(), d.rule().status())
                                    .sigmaTags(d.rule().tags())
                                    .entities(AlertEntities.extract(d.event()))
                                    .evidence(seq)
                                    .build());
                        }
                    }
                    j = (j + 1) % source.length;
                }
                alertCount += batchAlerts.size();
                store.write(new StoreBatch(events, batchAlerts, wal));
            }
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            double wall = (System.nanoTime() - wall0) / 1e9;
            System.out.printf(
                    "%d events, %d alerts, batch %d: %.0f events per process-CPU-second, %.0f per wall second%n",
                    total, alertCount, batchSize, total / cpu, total / wall);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
