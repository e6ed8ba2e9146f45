package dev.vigil.incidents;

import static dev.vigil.incidents.Alerts.ACME;
import static dev.vigil.incidents.Alerts.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.core.alert.EntityType;
import dev.vigil.core.alert.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The engine's grouping against a plain reference: with a zero threshold every alert opens or joins an incident, and
 * the semantics reduce to "an alert joins (and merges) every incident still open within the window that shares a
 * grouping entity with it". The reference keeps incidents as plain sets and scans them all for each alert.
 */
class GroupingReferenceTest {
    private static final Duration WINDOW = Duration.ofHours(2);

    private static final class RefIncident {
        final Set<String> alerts = new TreeSet<>();
        final Set<EntityRef> entities = new HashSet<>();
        Instant firstSeen;
        Instant lastSeen;
        String firstAlert;
    }

    private static Set<Set<String>> reference(List<Alert> alerts, Set<EntityType> groupingTypes) {
        List<RefIncident> open = new ArrayList<>();
        List<RefIncident> all = new ArrayList<>();
        for (Alert a : alerts) {
            Instant cutoff = a.time().minus(WINDOW);
            open.removeIf(i -> i.lastSeen.isBefore(cutoff));
            Set<EntityRef> grouping = new HashSet<>();
            for (EntityRef e : a.entities()) {
                if (groupingTypes.contains(e.type())) {
                    grouping.add(e);
                }
            }
            if (grouping.isEmpty()) {
                if (a.severity() == Severity.CRITICAL) {
                    RefIncident alone = new RefIncident();
                    alone.alerts.add(a.id());
                    all.add(alone);
                }
                continue;
            }
            List<RefIncident> sharing = new ArrayList<>();
            for (RefIncident i : open) {
                if (i.entities.stream().anyMatch(grouping::contains)) {
                    sharing.add(i);
                }
            }
            RefIncident target;
            if (sharing.isEmpty()) {
                target = new RefIncident();
                target.firstSeen = a.time();
                target.firstAlert = a.id();
                open.add(target);
                all.add(target);
            } else {
                sharing.sort((x, y) -> {
                    int c = x.firstSeen.compareTo(y.firstSeen);
                    return c != 0
                            ? c
                            : IncidentIds.of(ACME, x.firstAlert).compareTo(IncidentIds.of(ACME, y.firstAlert));
                });
                target = sharing.get(0);
                for (RefIncident other : sharing.subList(1, sharing.size())) {
                    target.alerts.addAll(other.alerts);
                    target.entities.addAll(other.entities);
                    target.lastSeen = other.lastSeen.isAfter(target.lastSeen) ? other.lastSeen : target.lastSeen;
                    open.remove(other);
                    all.remove(other);
                }
            }
            target.alerts.add(a.id());
            target.entities.addAll(grouping);
            target.lastSeen = a.time();
        }
        Set<Set<String>> out = new HashSet<>();
        for (RefIncident i : all) {
            out.add(i.alerts);
        }
        return out;
    }

    private static Set<Set<String>> engine(List<Alert> alerts, IncidentConfig config) {
        IncidentEngine engine = new IncidentEngine(config);
        Map<String, String> incidentOfAlert = new HashMap<>();
        Map<String, String> mergedInto = new HashMap<>();
        for (Alert a : alerts) {
            IncidentEngine.Outcome o = engine.process(a);
            o.incidentId().ifPresent(id -> incidentOfAlert.put(a.id(), id));
            for (IncidentUpdate u : o.updates()) {
                for (String m : u.mergedIds()) {
                    mergedInto.put(m, u.incident().id());
                }
            }
        }
        Map<String, Set<String>> groups = new HashMap<>();
        for (Map.Entry<String, String> e : incidentOfAlert.entrySet()) {
            String id = e.getValue();
            while (mergedInto.containsKey(id)) {
                id = mergedInto.get(id);
            }
            groups.computeIfAbsent(id, k -> new TreeSet<>()).add(e.getKey());
        }
        return new HashSet<>(groups.values());
    }

    @Test
    void groupingAgreesWithTheReferenceOnRandomAlertStreams() {
        IncidentConfig config = IncidentConfig.defaults().toBuilder()
                .window(WINDOW)
                .riskThreshold(0)
                .maxHostsPerEntity(Integer.MAX_VALUE)
                .build();
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            List<Alert> alerts = new ArrayList<>();
            Instant time = T0;
            int hosts = 3 + random.nextInt(30);
            int users = 2 + random.nextInt(15);
            int n = 20 + random.nextInt(200);
            for (int i = 0; i < n; i++) {
                time = time.plusSeconds(random.nextInt(random.nextInt(10) == 0 ? 4 * 3600 : 900));
                Alert.Builder b = Alert.builder()
                        .id("s" + seed + "-a" + i)
                        .tenant(ACME)
                        .time(time)
                        .detector("rule-" + i, "rule " + i)
                        .severity(Severity.values()[random.nextInt(Severity.values().length)])
                        .confidence(random.nextInt(101));
                int entities = random.nextInt(4);
                for (int k = 0; k < entities; k++) {
                    switch (random.nextInt(4)) {
                        case 0 -> b.entity(new EntityRef(EntityType.HOST, "h" + random.nextInt(hosts)));
                        case 1 -> b.entity(new EntityRef(EntityType.USER, "u" + random.nextInt(users)));
                        case 2 -> b.entity(new EntityRef(EntityType.IP, "10.0.0." + random.nextInt(hosts)));
                        default -> b.entity(new EntityRef(EntityType.PROCESS, "p" + random.nextInt(3)));
                    }
                }
                alerts.add(b.build());
            }
            assertThat(engine(alerts, config)).as("seed %d", seed).isEqualTo(reference(alerts, config.groupingTypes()));
        }
    }
}
