package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AttackTactic;
import dev.vigil.core.alert.EntityRef;
import dev.vigil.incidents.Incident;
import dev.vigil.incidents.IncidentStep;
import dev.vigil.incidents.IncidentUpdate;
import dev.vigil.notify.Notification;
import dev.vigil.notify.NotificationDispatcher;
import dev.vigil.notify.NotificationListener;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Hands alerts and incident changes to the {@link NotificationDispatcher}: every committed alert (the routes decide by
 * tenant, severity, rule and kind what goes where), and each incident when it opens or its severity rises. The
 * dispatcher queues and never blocks, so a slow channel cannot hold up the pipeline.
 */
final class NotificationService implements AutoCloseable {
    private final NotificationDispatcher dispatcher;
    private final String linkBase;

    NotificationService(NotificationDispatcher dispatcher, String linkBase) {
        this.dispatcher = requireNonNull(dispatcher, "dispatcher");
        this.linkBase = requireNonNull(linkBase, "linkBase");
    }

    /** A listener that counts each outcome in {@code /metrics}. */
    static NotificationListener metricsListener(ServerMetrics metrics) {
        return new NotificationListener() {
            @Override
            public void sent(String channel, Notification n) {
                metrics.notification("sent", channel);
            }

            @Override
            public void failed(String channel, Notification n, String reason, boolean willRetry) {
                metrics.notification("failed", channel);
            }

            @Override
            public void retried(String channel, Notification n, int attempt, long delayMillis) {
                metrics.notification("retried", channel);
            }

            @Override
            public void deadLettered(String channel, Notification n, String reason) {
                metrics.notification("dead_lettered", channel);
            }

            @Override
            public void rateLimited(String channel, Notification n) {
                metrics.notification("rate_limited", channel);
            }

            @Override
            public void lost(String channel, Notification n, String reason) {
                metrics.notification("lost", channel);
            }
        };
    }

    Consumer<List<Alert>> alertListener() {
        return alerts -> alerts.forEach(a -> dispatcher.submit(of(a)));
    }

    Consumer<IncidentUpdate> incidentListener() {
        return u -> {
            if (u.kind() == IncidentUpdate.Kind.OPENED || u.kind() == IncidentUpdate.Kind.SEVERITY_RAISED) {
                dispatcher.submit(of(u.incident(), u.kind()));
            }
        };
    }

    NotificationDispatcher dispatcher() {
        return dispatcher;
    }

    Notification of(Alert a) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("detector", a.detectorKind().name().toLowerCase(Locale.ROOT));
        details.put("confidence", Integer.toString(a.confidence()));
        return new Notification(
                a.tenant(),
                Notification.Kind.ALERT,
                a.id(),
                a.title(),
                a.severity(),
                a.detectorId(),
                a.title(),
                a.time(),
                entities(a.entities()),
                tactics(a.tactics()),
                a.techniques(),
                link("alerts", a.tenant().value(), a.id()),
                details);
    }

    Notification of(Incident i, IncidentUpdate.Kind why) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("change", why.name().toLowerCase(Locale.ROOT));
        details.put("alerts", Long.toString(i.alertCount()));
        details.put("risk", String.format(Locale.ROOT, "%.1f", i.risk()));
        i.attackChain().furthest().ifPresent(t -> details.put("furthest_tactic", t.shortName()));
        List<String> techniques = new ArrayList<>();
        for (IncidentStep s : i.steps()) {
            for (String t : s.techniques()) {
                if (!techniques.contains(t)) {
                    techniques.add(t);
                }
            }
        }
        IncidentStep first = i.steps().isEmpty() ? null : i.steps().get(0);
        return new Notification(
                i.tenant(),
                Notification.Kind.INCIDENT,
                i.id(),
                i.title(),
                i.severity(),
                first == null ? "" : first.detectorId(),
                first == null ? "" : first.title(),
                i.firstSeen(),
                entities(i.entities()),
                tactics(i.attackChain().covered()),
                techniques,
                link("incidents", i.tenant().value(), i.id()),
                details);
    }

    private URI link(String what, String tenant, String id) {
        return URI.create(linkBase + "/t/" + URLEncoder.encode(tenant, StandardCharsets.UTF_8) + "/" + what + "/"
                + URLEncoder.encode(id, StandardCharsets.UTF_8));
    }

    private static List<Notification.Entity> entities(List<EntityRef> refs) {
        List<Notification.Entity> out = new ArrayList<>(refs.size());
        for (EntityRef e : refs) {
            String type = switch (e.type()) {
                case FILE_HASH -> "hash";
                default -> e.type().name().toLowerCase(Locale.ROOT);
            };
            out.add(new Notification.Entity(type, e.value()));
        }
        return out;
    }

    private static List<String> tactics(List<AttackTactic> tactics) {
        List<String> out = new ArrayList<>(tactics.size());
        for (AttackTactic t : tactics) {
            out.add(t.shortName());
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        dispatcher.close();
    }
}
