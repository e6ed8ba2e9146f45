package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Severity;
import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one notification says, built by the caller from an alert or an incident. The notify module knows nothing else of
 * alerts and incidents, so their models can change without touching channels or templates.
 *
 * <p>Rule ids and titles come from the rule set and are trusted text; entity values and details come from logs and are
 * treated as hostile by every renderer. The link, when present, must be an absolute {@code http} or {@code https} URL
 * (it points at Vigil's own console), so no renderer ever emits a {@code javascript:} or other active link.
 *
 * @param tenant the tenant the alert or incident belongs to
 * @param kind alert or incident
 * @param id the alert or incident id (stable: receivers deduplicate by it)
 * @param title a one-line title
 * @param severity its severity
 * @param ruleId the rule or detector id; empty for an incident spanning several rules
 * @param ruleTitle the rule's title; may be empty
 * @param time when it happened
 * @param entities the hosts, users, addresses, processes, hashes, domains and URLs involved, in display order
 * @param tactics ATT&CK tactics, e.g. {@code credential-access} or {@code TA0006}
 * @param techniques ATT&CK techniques, e.g. {@code T1003.001}
 * @param link the console URL of the alert or incident, or {@code null}
 * @param details further name/value pairs shown in the message, in order
 */
public record Notification(
        TenantId tenant,
        Kind kind,
        String id,
        String title,
        Severity severity,
        String ruleId,
        String ruleTitle,
        Instant time,
        List<Entity> entities,
        List<String> tactics,
        List<String> techniques,
        URI link,
        Map<String, String> details) {

    /** Whether a notification is about a single alert or an incident grouping alerts. */
    public enum Kind {
        ALERT,
        INCIDENT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "alert" -> ALERT;
                case "incident" -> INCIDENT;
                default -> throw new IllegalArgumentException("unknown kind '" + text + "': use alert or incident");
            };
        }
    }

    /**
     * One entity involved, e.g. {@code ("host", "ws-042")} or {@code ("ip", "10.0.0.5")}.
     *
     * @param type a short type name chosen by the caller: host, user, src_ip, dst_ip, process, hash, domain, url …
     * @param value the value as read from the logs (hostile)
     */
    public record Entity(String type, String value) {
        public Entity {
            requireNonNull(type, "type");
            requireNonNull(value, "value");
        }
    }

    public Notification {
        requireNonNull(tenant, "tenant");
        requireNonNull(kind, "kind");
        requireNonNull(id, "id");
        requireNonNull(title, "title");
        requireNonNull(severity, "severity");
        requireNonNull(time, "time");
        ruleId = ruleId == null ? "" : ruleId;
        ruleTitle = ruleTitle == null ? "" : ruleTitle;
        if (id.isBlank()) {
            throw new IllegalArgumentException("notification id is empty");
        }
        entities = List.copyOf(entities == null ? List.of() : entities);
        tactics = List.copyOf(tactics == null ? List.of() : tactics);
        techniques = List.copyOf(techniques == null ? List.of() : techniques);
        if (details != null) {
            details.forEach((k, v) -> {
                if (k == null || v == null) {
                    throw new IllegalArgumentException(
                            "notification " + id + ": details may not hold null (" + k + ")");
                }
            });
        }
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
        if (link != null) {
            String scheme = link.getScheme() == null ? "" : link.getScheme().toLowerCase(Locale.ROOT);
            if (!link.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || link.getHost() == null) {
                throw new IllegalArgumentException(
                        "notification " + id + ": link must be an absolute http(s) URL, got '" + link + "'");
            }
        }
    }
}
