package dev.vigil.benchmarks;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.EntityType;
import dev.vigil.core.alert.Severity;
import dev.vigil.incidents.IncidentConfig;
import dev.vigil.incidents.IncidentEngine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Incident grouping on one thread: {@value #ALERTS} alerts of one tenant over 3,000 hosts and 2,000 users (one host
 * and one user each, often an address, a process and sometimes a domain), 300 rules with Sigma-like severities (mostly
 * low and medium), arriving over about three hours of event time, through a fresh engine with the default
 * configuration. The score is alerts per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx1g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class IncidentGroupingBenchmark {
    static final int ALERTS = 100_000;
    private static final TenantId TENANT = TenantId.of("bench");

    private List<Alert> alerts;

    @Setup
    public void generate() {
        Random random = new Random(42);
        Severity[] bySigmaShare = {
            Severity.INFORMATIONAL, Severity.LOW, Severity.LOW, Severity.LOW, Severity.MEDIUM,
            Severity.MEDIUM, Severity.MEDIUM, Severity.MEDIUM, Severity.HIGH, Severity.HIGH
        };
        String[] tactics = {
            "attack.execution",
            "attack.persistence",
            "attack.discovery",
            "attack.credential_access",
            "attack.lateral_movement",
            "attack.defense_evasion",
            "attack.command_and_control"
        };
        alerts = new ArrayList<>(ALERTS);
        Instant time = Instant.parse("2026-03-02T00:00:00Z");
        for (int i = 0; i < ALERTS; i++) {
            time = time.plusMillis(random.nextInt(200));
            int rule = random.nextInt(300);
            Severity severity =
                    random.nextInt(2000) == 0 ? Severity.CRITICAL : bySigmaShare[rule % bySigmaShare.length];
            int host = (int) Math.min(2999, Math.abs(random.nextGaussian()) * 900);
            Alert.Builder b = Alert.builder()
                    .id("alert-" + i)
                    .tenant(TENANT)
                    .time(time)
                    .detector("rule-" + rule, "Rule " + rule)
                    .severity(severity)
                    .confidence(40 + random.nextInt(55))
                    .sigmaTags(List.of(tactics[rule % tactics.length], "attack.t" + (1000 + rule)))
                    .entity(new EntityRef(EntityType.HOST, "host-" + host))
                    .entity(new EntityRef(EntityType.USER, "corp\\user-" + random.nextInt(2000)))
                    .evidence((long) i);
            if (random.nextBoolean()) {
                b.entity(new EntityRef(EntityType.IP, "10." + (host / 250) + "." + (host % 250) + ".7"));
            }
            if (random.nextInt(3) > 0) {
                b.entity(
                        new EntityRef(EntityType.PROCESS, "c:\\windows\\system32\\proc" + random.nextInt(50) + ".exe"));
            }
            if (random.nextInt(10) == 0) {
                b.entity(new EntityRef(EntityType.DOMAIN, "d" + random.nextInt(500) + ".example.com"));
            }
            alerts.add(b.build());
        }
    }

    @Benchmark
    @OperationsPerInvocation(ALERTS)
    public void groupAlerts(Blackhole bh) {
        IncidentEngine engine = new IncidentEngine(IncidentConfig.defaults());
        for (Alert a : alerts) {
            bh.consume(engine.process(a));
        }
        bh.consume(engine.stats(TENANT));
    }
}
