package dev.vigil.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Severity;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a {@link Notification} (the webhook payload's core and the dead-letter store's record), and the
 * bounded JSON reader used for receivers' replies and stored records.
 */
public final class NotificationJson {
    /** Replies and stored records larger than this are refused rather than parsed. */
    static final int MAX_DOCUMENT_CHARS = 1 << 20;

    /** One mapper for the module: bounded nesting, string and number sizes. Immutable once built. */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(32)
                    .maxStringLength(MAX_DOCUMENT_CHARS)
                    .maxNumberLength(32)
                    .maxDocumentLength(MAX_DOCUMENT_CHARS)
                    .build())
            .build());

    private NotificationJson() {}

    /** The fields of {@code n} written into {@code o}, in the documented order. */
    public static ObjectNode write(Notification n, ObjectNode o) {
        o.put("tenant", n.tenant().value());
        o.put("kind", n.kind().label());
        o.put("id", n.id());
        o.put("title", n.title());
        o.put("severity", n.severity().sigmaLevel());
        ObjectNode rule = o.putObject("rule");
        rule.put("id", n.ruleId());
        rule.put("title", n.ruleTitle());
        o.put("time", n.time().toString());
        ArrayNode entities = o.putArray("entities");
        for (Notification.Entity e : n.entities()) {
            entities.addObject().put("type", e.type()).put("value", e.value());
        }
        ObjectNode attack = o.putObject("attack");
        n.tactics().forEach(attack.putArray("tactics")::add);
        n.techniques().forEach(attack.putArray("techniques")::add);
        if (n.link() == null) {
            o.putNull("link");
        } else {
            o.put("link", n.link().toString());
        }
        ObjectNode details = o.putObject("details");
        n.details().forEach(details::put);
        return o;
    }

    public static ObjectNode write(Notification n) {
        return write(n, MAPPER.createObjectNode());
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @throws IllegalArgumentException naming the field that is missing or invalid
     */
    public static Notification read(JsonNode o) {
        try {
            Map<String, String> details = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.path("details").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                details.put(e.getKey(), e.getValue().asText());
            }
            List<Notification.Entity> entities = new ArrayList<>();
            for (JsonNode e : o.path("entities")) {
                entities.add(new Notification.Entity(text(e, "type"), text(e, "value")));
            }
            JsonNode link = o.path("link");
            return new Notification(
                    TenantId.of(text(o, "tenant")),
                    Notification.Kind.parse(text(o, "kind")),
                    text(o, "id"),
                    text(o, "title"),
                    Severity.fromSigmaLevel(text(o, "severity")),
                    o.path("rule").path("id").asText(""),
                    o.path("rule").path("title").asText(""),
                    Instant.parse(text(o, "time")),
                    entities,
                    strings(o.path("attack").path("tactics")),
                    strings(o.path("attack").path("techniques")),
                    link.isTextual() ? URI.create(link.asText()) : null,
                    details);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid notification: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isValueNode() || v.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : array) {
            out.add(v.asText());
        }
        return out;
    }

    /** Parses a bounded JSON document. */
    static JsonNode parse(byte[] json) throws IOException {
        return MAPPER.readTree(json);
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen: writing a tree to memory", e);
        }
    }
}
