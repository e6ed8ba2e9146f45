package dev.vigil.incidents;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.vigil.core.TenantId;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * JSON of incident snapshots (what the metadata store keeps and the API returns) and entity graphs. Times are ISO-8601
 * UTC text, tenants their name, enums their constant names. Reading is bounded: at most {@link #MAX_JSON_CHARS}
 * characters, nesting depth 32, strings of 1 Mi characters; unknown fields are an error, so a snapshot written by a
 * newer Vigil is refused with a message rather than read wrong.
 */
public final class IncidentJson {
    public static final int MAX_JSON_CHARS = 16 << 20;

    private final ObjectMapper mapper;

    public IncidentJson() {
        SimpleModule module = new SimpleModule("vigil-incidents");
        module.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.toString());
            }
        });
        module.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                try {
                    return Instant.parse(p.getValueAsString());
                } catch (DateTimeParseException | NullPointerException e) {
                    throw ctxt.weirdStringException(p.getText(), Instant.class, "not an ISO-8601 UTC time");
                }
            }
        });
        module.addSerializer(TenantId.class, new JsonSerializer<>() {
            @Override
            public void serialize(TenantId value, JsonGenerator gen, SerializerProvider serializers)
                    throws IOException {
                gen.writeString(value.value());
            }
        });
        module.addDeserializer(TenantId.class, new JsonDeserializer<>() {
            @Override
            public TenantId deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                try {
                    return TenantId.of(p.getValueAsString());
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw ctxt.weirdStringException(p.getText(), TenantId.class, "not a tenant id");
                }
            }
        });
        JsonMapper m = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .addModule(module)
                .build();
        m.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxStringLength(1 << 20)
                        .maxDocumentLength(MAX_JSON_CHARS)
                        .build());
        this.mapper = m;
    }

    public String incident(Incident incident) {
        return write(incident);
    }

    /**
     * Reads a snapshot written by {@link #incident(Incident)}.
     *
     * @throws IllegalArgumentException naming what is wrong, for text that is too long or not such a snapshot
     */
    public Incident readIncident(String json) {
        if (json.length() > MAX_JSON_CHARS) {
            throw new IllegalArgumentException(
                    "incident JSON is " + json.length() + " characters; the limit is " + MAX_JSON_CHARS);
        }
        try {
            return mapper.readValue(json, Incident.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an incident snapshot: " + e.getOriginalMessage(), e);
        }
    }

    /** The graph as {@code {"nodes": [...], "edges": [...], "truncated": …, …}}. */
    public String graph(EntityGraph graph) {
        return write(graph);
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
