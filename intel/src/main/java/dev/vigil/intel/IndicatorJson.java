package dev.vigil.intel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One indicator as a JSON object and back: how the server keeps indicators in its metadata database and shows them in
 * the API. Field names are snake case; absent times are {@code null}. Reading is bounded like every importer
 * ({@link IntelJson#mapper()}) and names the field that is wrong.
 */
public final class IndicatorJson {
    private final ObjectMapper mapper = IntelJson.mapper();

    public ObjectNode toTree(Indicator i) {
        ObjectNode o = mapper.createObjectNode();
        o.put("type", i.type().name());
        o.put("value", i.value());
        o.put("tenant", i.tenant() == null ? null : i.tenant().value());
        ArrayNode sources = o.putArray("sources");
        for (IndicatorSource s : i.sources()) {
            ObjectNode n = sources.addObject();
            n.put("feed", s.feed());
            n.put("external_id", s.externalId());
            n.put("confidence", s.confidence());
            n.put("first_seen", text(s.firstSeen()));
            n.put("last_seen", text(s.lastSeen()));
        }
        o.put("valid_from", text(i.validFrom()));
        o.put("valid_until", text(i.validUntil()));
        o.put("tlp", i.tlp().name());
        strings(o.putArray("tags"), i.tags());
        ObjectNode refs = o.putObject("references");
        strings(refs.putArray("attack_techniques"), i.references().attackTechniques());
        strings(refs.putArray("malware"), i.references().malware());
        strings(refs.putArray("campaigns"), i.references().campaigns());
        strings(refs.putArray("threat_actors"), i.references().threatActors());
        o.put("description", i.description());
        return o;
    }

    public String toJson(Indicator i) {
        try {
            return mapper.writeValueAsString(toTree(i));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write indicator " + i.key(), e);
        }
    }

    /**
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public Indicator fromJson(String json) {
        JsonNode o;
        try {
            o = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an indicator: " + e.getOriginalMessage(), e);
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("not an indicator: not a JSON object");
        }
        IndicatorType type = IndicatorType.valueOf(required(o, "type"));
        List<IndicatorSource> sources = new ArrayList<>();
        for (JsonNode s : o.path("sources")) {
            sources.add(new IndicatorSource(
                    required(s, "feed"),
                    s.path("external_id").asText(""),
                    s.path("confidence").asInt(IndicatorSource.UNKNOWN_CONFIDENCE),
                    time(s, "first_seen"),
                    time(s, "last_seen")));
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("indicator " + o.path("value").asText() + ": sources: none");
        }
        Indicator.Builder b = Indicator.builder(type, required(o, "value"), sources.get(0));
        String tenant = o.path("tenant").isTextual() ? o.get("tenant").asText() : null;
        JsonNode refs = o.path("references");
        Indicator first = b.tenant(tenant == null ? null : TenantId.of(tenant))
                .validFrom(time(o, "valid_from"))
                .validUntil(time(o, "valid_until"))
                .tlp(Tlp.valueOf(o.path("tlp").asText("UNMARKED")))
                .tags(strings(o.path("tags")))
                .references(new IntelReferences(
                        strings(refs.path("attack_techniques")),
                        strings(refs.path("malware")),
                        strings(refs.path("campaigns")),
                        strings(refs.path("threat_actors"))))
                .description(o.path("description").asText(""))
                .build();
        if (sources.size() == 1) {
            return first;
        }
        return new Indicator(
                first.type(),
                first.value(),
                first.tenant(),
                sources,
                first.validFrom(),
                first.validUntil(),
                first.tlp(),
                first.tags(),
                first.references(),
                first.description());
    }

    private static String required(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("indicator: " + field + ": missing or not text");
        }
        return v.asText();
    }

    private static Instant time(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            return Instant.parse(v.asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("indicator: " + field + ": not an ISO-8601 instant: " + v.asText(), e);
        }
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static void strings(ArrayNode out, Set<String> values) {
        values.forEach(out::add);
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return out;
    }
}
