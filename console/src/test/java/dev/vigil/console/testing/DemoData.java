package dev.vigil.console.testing;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertEntities;
import dev.vigil.sigma.RuleRef;
import dev.vigil.store.EventStore;
import dev.vigil.store.StoreBatch;
import dev.vigil.store.StoredEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded, realistic-looking events and alerts for console tests, screenshots and benchmarks: Windows security and
 * Sysmon events on a handful of hosts and users, spread over the hours before {@code now}, and an alert for about one
 * event in {@link #ALERT_EVERY}. The same seed always gives the same data.
 */
public final class DemoData {
    public static final int ALERT_EVERY = 50;
    public static final List<RuleRef> RULES = List.of(
            rule("r-brute", "Brute force against a local account", "high", "attack.credential_access", "attack.t1110"),
            rule("r-psexec", "PsExec service installed", "high", "attack.lateral_movement", "attack.t1021.002"),
            rule("r-lsass", "LSASS memory dump", "critical", "attack.credential_access", "attack.t1003.001"),
            rule("r-encoded", "Encoded PowerShell command line", "medium", "attack.execution", "attack.t1059.001"),
            rule("r-whoami", "Discovery with whoami", "low", "attack.discovery", "attack.t1033"),
            rule("r-shadow", "Shadow copies deleted", "critical", "attack.impact", "attack.t1490"));

    private static final String[] HOSTS = {"WS-0142", "WS-0177", "SRV-DC01", "SRV-FILE02", "LAPTOP-7Q3"};
    private static final String[] USERS = {"alice", "bob", "svc_backup", "administrator", "chen.wei"};
    private static final String[] IMAGES = {
        "C:\\Windows\\System32\\cmd.exe",
        "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
        "C:\\Windows\\System32\\whoami.exe",
        "C:\\Windows\\System32\\vssadmin.exe",
        "C:\\Program Files\\Mozilla Firefox\\firefox.exe"
    };
    private static final String[] IPS = {"10.0.4.12", "10.0.4.13", "192.168.1.50", "203.0.113.7", "198.51.100.23"};

    private DemoData() {}

    private static RuleRef rule(String id, String title, String level, String... tags) {
        return new RuleRef(id, null, title, level, List.of(tags), "builtin/" + id + ".yml");
    }

    /**
     * Writes {@code count} events (and their alerts) for a tenant, spread evenly over {@code span} before {@code now} in
     * the order they would arrive, in batches, continuing at {@code firstSeq}. Returns the next free sequence.
     */
    public static long write(
            EventStore store, TenantId tenant, int count, Instant now, Duration span, long firstSeq, long seed) {
        Random random = new Random(seed);
        long seq = firstSeq;
        List<StoredEvent> events = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // In arrival order, each up to half a minute late, as a pipeline stores a live feed.
            Instant t = now.minus(span)
                    .plusMillis((long) ((i + random.nextDouble()) * span.toMillis() / count))
                    .minusMillis(random.nextInt(30_000));
            Event e = event(tenant, t, random);
            events.add(new StoredEvent(seq, t, e));
            if (random.nextInt(ALERT_EVERY) == 0) {
                RuleRef r = RULES.get(random.nextInt(RULES.size()));
                alerts.add(Alert.builder()
                        .id(tenant.value() + "-" + seq)
                        .tenant(tenant)
                        .time(t)
                        .detector(r.id(), r.title())
                        .sigmaLevel(r.level(), "test")
                        .sigmaTags(r.tags())
                        .evidence(seq)
                        .detail("tags", r.tags())
                        .build());
            }
            seq++;
            if (events.size() == 10_000) {
                store.write(new StoreBatch(events, alerts, seq - 1));
                events.clear();
                alerts.clear();
            }
        }
        if (!events.isEmpty()) {
            store.write(new StoreBatch(events, alerts, seq - 1));
        }
        return seq;
    }

    private static Event event(TenantId tenant, Instant t, Random random) {
        Map<String, Object> f = new LinkedHashMap<>();
        String host = HOSTS[random.nextInt(HOSTS.length)];
        String user = USERS[random.nextInt(USERS.length)];
        boolean sysmon = random.nextBoolean();
        f.put("Channel", sysmon ? "Microsoft-Windows-Sysmon/Operational" : "Security");
        f.put("Computer", host);
        if (sysmon) {
            String image = IMAGES[random.nextInt(IMAGES.length)];
            f.put("EventID", 1L);
            f.put("Image", image);
            f.put("CommandLine", image.substring(image.lastIndexOf('\\') + 1) + " /c task-" + random.nextInt(200));
            f.put("User", "CORP\\" + user);
        } else {
            f.put("EventID", random.nextInt(4) == 0 ? 4625L : 4624L);
            f.put("TargetUserName", user);
            f.put("IpAddress", IPS[random.nextInt(IPS.length)]);
            f.put("LogonType", (long) (2 + random.nextInt(9)));
        }
        return Event.builder()
                .tenant(tenant)
                .timestamp(t)
                .fields(f)
                .original(new LinkedHashMap<>(f))
                .logSource(new LogSource("windows", Set.of(), Set.of(sysmon ? "sysmon" : "security")))
                .build();
    }

    /** What {@link #writeAttack} wrote: the next free sequence and the alerts, in time order. */
    public record Written(long nextSeq, List<Alert> alerts) {
        public Written {
            alerts = List.copyOf(alerts);
        }
    }

    /**
     * One attack across two hosts of a tenant, starting {@code ago} before {@code now}: a Word document starts encoded
     * PowerShell on WS-0142 as alice, which runs whoami, dumps LSASS and beacons to an external address; alice's
     * account then logs on to SRV-FILE02 from WS-0142, installs PsExec's service and deletes the shadow copies. Each step
     * is a Sysmon or Security event and an alert whose entities come from its event, as the server's detectors make
     * them, so the incidents engine groups them into one incident.
     */
    public static Written writeAttack(EventStore store, TenantId tenant, Instant now, Duration ago, long firstSeq) {
        Instant t0 = now.minus(ago);
        List<StoredEvent> events = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        long seq = firstSeq;
        String ws = "WS-0142.corp.example.com";
        String srv = "SRV-FILE02.corp.example.com";
        String ps = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";
        Event word = sysmonProcess(
                tenant,
                t0,
                ws,
                "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
                4100,
                ps,
                5200,
                "powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoA",
                "CORP\\alice");
        Event whoami = sysmonProcess(
                tenant,
                t0.plusSeconds(40),
                ws,
                ps,
                5200,
                "C:\\Windows\\System32\\whoami.exe",
                5300,
                "whoami /all",
                "CORP\\alice");
        Event lsass = sysmonProcess(
                tenant,
                t0.plusSeconds(95),
                ws,
                ps,
                5200,
                "C:\\Windows\\System32\\rundll32.exe",
                5400,
                "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 636 C:\\Users\\Public\\l.dmp full",
                "CORP\\alice");
        Map<String, Object> net = new LinkedHashMap<>();
        net.put("Channel", "Microsoft-Windows-Sysmon/Operational");
        net.put("EventID", 3L);
        net.put("Computer", ws);
        net.put("Image", ps);
        net.put("ProcessId", 5200L);
        net.put("User", "CORP\\alice");
        net.put("SourceIp", "10.0.4.12");
        net.put("DestinationIp", "203.0.113.7");
        net.put("DestinationPort", 443L);
        Event beacon = event(tenant, t0.plusSeconds(130), net, "sysmon");
        Map<String, Object> logon = new LinkedHashMap<>();
        logon.put("Channel", "Security");
        logon.put("EventID", 4624L);
        logon.put("Computer", srv);
        logon.put("TargetUserName", "alice");
        logon.put("TargetDomainName", "CORP");
        logon.put("IpAddress", "10.0.4.12");
        logon.put("LogonType", 3L);
        Event logonEvent = event(tenant, t0.plusSeconds(600), logon, "security");
        Event psexec = sysmonProcess(
                tenant,
                t0.plusSeconds(603),
                srv,
                "C:\\Windows\\System32\\services.exe",
                712,
                "C:\\Windows\\PSEXESVC.exe",
                6100,
                "C:\\Windows\\PSEXESVC.exe",
                "CORP\\alice");
        Event shadows = sysmonProcess(
                tenant,
                t0.plusSeconds(660),
                srv,
                "C:\\Windows\\PSEXESVC.exe",
                6100,
                "C:\\Windows\\System32\\vssadmin.exe",
                6200,
                "vssadmin.exe delete shadows /all /quiet",
                "CORP\\alice");

        Object[][] steps = {
            {
                word,
                "r-encoded",
                "Encoded PowerShell command line",
                "medium",
                List.of("attack.execution", "attack.t1059.001")
            },
            {whoami, "r-whoami", "Discovery with whoami", "low", List.of("attack.discovery", "attack.t1033")},
            {lsass, "r-lsass", "LSASS memory dump", "critical", List.of("attack.credential_access", "attack.t1003.001")
            },
            {
                beacon,
                "r-beacon",
                "PowerShell connecting to a rare external address",
                "high",
                List.of("attack.command_and_control", "attack.t1071.001")
            },
            {logonEvent, null, null, null, null},
            {
                psexec,
                "r-psexec",
                "PsExec service installed",
                "high",
                List.of("attack.lateral_movement", "attack.t1021.002")
            },
            {shadows, "r-shadow", "Shadow copies deleted", "critical", List.of("attack.impact", "attack.t1490")},
        };
        for (Object[] step : steps) {
            Event e = (Event) step[0];
            events.add(new StoredEvent(seq, e.timestamp(), e));
            if (step[1] != null) {
                @SuppressWarnings("unchecked")
                List<String> tags = (List<String>) step[4];
                Alert.Builder a = Alert.builder()
                        .id(tenant.value() + "-attack-" + seq)
                        .tenant(tenant)
                        .time(e.timestamp())
                        .detector((String) step[1], (String) step[2])
                        .sigmaLevel((String) step[3], "stable")
                        .sigmaTags(tags)
                        .entities(AlertEntities.extract(e))
                        .evidence(seq)
                        .detail("tags", tags);
                if ("r-psexec".equals(step[1])) {
                    // The logon that brought the attacker to the server is part of this alert's evidence.
                    a.evidence(seq - 1).entities(AlertEntities.extract(logonEvent));
                }
                alerts.add(a.build());
            }
            seq++;
        }
        store.write(new StoreBatch(events, alerts, seq - 1));
        return new Written(seq, alerts);
    }

    private static Event sysmonProcess(
            TenantId tenant,
            Instant t,
            String host,
            String parent,
            long parentPid,
            String image,
            long pid,
            String commandLine,
            String user) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Channel", "Microsoft-Windows-Sysmon/Operational");
        f.put("EventID", 1L);
        f.put("Computer", host);
        f.put("ParentImage", parent);
        f.put("ParentProcessId", parentPid);
        f.put("Image", image);
        f.put("ProcessId", pid);
        f.put("CommandLine", commandLine);
        f.put("User", user);
        return event(tenant, t, f, "sysmon");
    }

    private static Event event(TenantId tenant, Instant t, Map<String, Object> f, String service) {
        return Event.builder()
                .tenant(tenant)
                .timestamp(t)
                .fields(f)
                .original(new LinkedHashMap<>(f))
                .logSource(new LogSource("windows", Set.of(), Set.of(service)))
                .build();
    }

    /** Events and an alert whose fields carry script-injection attempts, to prove the pages render them inert. */
    public static long writeHostile(EventStore store, TenantId tenant, Instant now, long seq) {
        List<String> payloads = List.of(
                "<script>alert('xss-script')</script>",
                "\"><img src=x onerror=alert('xss-img')>",
                "javascript:alert('xss-url')",
                "</textarea><svg onload=alert('xss-svg')>",
                "{{constructor.constructor('alert(1)')()}}");
        List<StoredEvent> events = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("Computer", payloads.get(i));
            f.put("User", payloads.get((i + 1) % payloads.size()));
            f.put("Url", payloads.get(2));
            f.put("CommandLine", payloads.get(i));
            f.put("EventID", 4688L);
            Instant t = now.minusSeconds(60L * (i + 1));
            events.add(new StoredEvent(
                    seq + i,
                    t,
                    Event.builder()
                            .tenant(tenant)
                            .timestamp(t)
                            .fields(f)
                            .original(new LinkedHashMap<>(f))
                            .build()));
        }
        Alert alert = Alert.builder()
                .id(tenant.value() + "-hostile")
                .tenant(tenant)
                .time(now.minusSeconds(30))
                .detector("r-hostile", "<img src=x onerror=alert('xss-rule')> rule")
                .severity(dev.vigil.core.alert.Severity.CRITICAL)
                .entity(dev.vigil.core.alert.EntityType.HOST, "<svg onload=alert('xss-host')>")
                .evidence(seq)
                .detail("tags", List.of("<script>alert('xss-tag')</script>"))
                .build();
        store.write(new StoreBatch(events, List.of(alert), seq + payloads.size() - 1));
        return seq + payloads.size();
    }
}
