package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link Notification} through {@link ChannelTemplates} in one language and time zone.
 *
 * <p>Template variables ({@link Template#VARIABLES}), each escaped for the format of the text it lands in:
 *
 * <ul>
 *   <li>{@code tenant}, {@code id}, {@code title}, {@code rule_id}, {@code rule_title}: as in the notification;
 *   <li>{@code kind}, {@code severity_name}: localised labels ("Alert", "告警"; "High", "高危"); {@code severity}: the
 *       level's English code ({@code high});
 *   <li>{@code time}: {@code uuuu-MM-dd HH:mm:ss} and the zone id, in the route's zone;
 *   <li>{@code tactics}, {@code techniques}: comma-separated;
 *   <li>{@code entities}, {@code details}: bullet lists of "type: value" (entity types localised where known);
 *       {@code entity_count}: their number, empty when none;
 *   <li>{@code link}: the console URL, empty when none.
 * </ul>
 */
public final class MessageRenderer {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss VV");

    private MessageRenderer() {}

    public static RenderedMessage render(
            ChannelTemplates templates, Notification n, MessageLocale locale, ZoneId zone) {
        requireNonNull(templates, "templates");
        requireNonNull(n, "notification");
        requireNonNull(locale, "locale");
        requireNonNull(zone, "zone");
        String title = templates.title().render(values(n, locale, zone, TextFormat.PLAIN));
        String body = templates.body().render(values(n, locale, zone, templates.bodyFormat()));
        String html =
                templates.html() == null ? null : templates.html().render(values(n, locale, zone, TextFormat.HTML));
        return new RenderedMessage(title.strip(), body, html);
    }

    /** The escaped variable values of {@code n} for {@code format}. */
    static Map<String, String> values(Notification n, MessageLocale locale, ZoneId zone, TextFormat format) {
        Map<String, String> v = new HashMap<>();
        v.put("tenant", format.escape(n.tenant().value()));
        v.put("kind", format.escape(Labels.kind(n.kind(), locale)));
        v.put("id", format.escape(n.id()));
        v.put("title", format.escape(n.title()));
        v.put("severity", format.escape(n.severity().sigmaLevel()));
        v.put("severity_name", format.escape(Labels.severity(n.severity(), locale)));
        v.put("rule_id", format.escape(n.ruleId()));
        v.put("rule_title", format.escape(n.ruleTitle()));
        v.put("time", format.escape(TIME.format(n.time().atZone(zone))));
        v.put("tactics", format.escape(String.join(", ", n.tactics())));
        v.put("techniques", format.escape(String.join(", ", n.techniques())));
        List<Map.Entry<String, String>> entities = new ArrayList<>(n.entities().size());
        for (Notification.Entity e : n.entities()) {
            entities.add(new SimpleImmutableEntry<>(Labels.entityType(e.type(), locale), e.value()));
        }
        v.put("entities", format.pairList(entities));
        v.put(
                "entity_count",
                n.entities().isEmpty() ? "" : Integer.toString(n.entities().size()));
        List<Map.Entry<String, String>> details = new ArrayList<>(n.details().size());
        for (Map.Entry<String, String> d : n.details().entrySet()) {
            details.add(new SimpleImmutableEntry<>(d.getKey(), d.getValue()));
        }
        v.put("details", format.pairList(details));
        v.put("link", n.link() == null ? "" : format.escapeUrl(n.link().toString()));
        return v;
    }
}
