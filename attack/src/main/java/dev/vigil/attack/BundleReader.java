package dev.vigil.attack;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Streams the objects of a STIX 2.x bundle one at a time, so a 40 MB ATT&CK bundle never sits in memory as one tree:
 * each object becomes a small {@link RawObject} (descriptions and references other than ATT&CK's own are dropped) and
 * its tree is garbage at once.
 */
final class BundleReader {
    /** The largest bundle read; ATT&CK Enterprise is about 45 MB, so this leaves room for years of growth. */
    static final long MAX_BUNDLE_BYTES = 512L * 1024 * 1024;

    /** Types that may appear in a bundle but that the knowledge base has no use for: skipped without a word. */
    private static final Set<String> IGNORED_TYPES = Set.of(
            "identity",
            "marking-definition",
            "x-mitre-analytic",
            "x-mitre-asset",
            "note",
            "report",
            "grouping",
            "indicator",
            "infrastructure",
            "location",
            "observed-data",
            "opinion",
            "threat-actor",
            "vulnerability",
            "sighting",
            "language-content",
            "extension-definition");

    private static final Set<String> KEPT_TYPES = Set.of(
            "attack-pattern",
            "x-mitre-tactic",
            "x-mitre-matrix",
            "relationship",
            "x-mitre-collection",
            "intrusion-set",
            "malware",
            "tool",
            "course-of-action",
            "x-mitre-data-component",
            "x-mitre-data-source",
            "campaign",
            "x-mitre-detection-strategy");

    private final ObjectMapper mapper;
    private final String source;
    private final ProblemSink problems;

    BundleReader(String source, ProblemSink problems) {
        this.source = source;
        this.problems = problems;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(MAX_BUNDLE_BYTES)
                        .maxStringLength(4 * 1024 * 1024)
                        .maxNestingDepth(64)
                        .maxNumberLength(100)
                        .build())
                .build();
        this.mapper = new ObjectMapper(factory);
    }

    /**
     * Reads the bundle and hands each usable object to {@code sink}; returns false when the input is not a bundle at
     * all (reported), true otherwise (problems with single objects are reported and the rest read).
     */
    boolean read(InputStream in, Consumer<RawObject> sink) {
        long index = 0;
        try (JsonParser p = mapper.getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                problems.report(new Problem(source, 0, "not a STIX bundle: the document is not a JSON object"));
                return false;
            }
            boolean sawObjects = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!"objects".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_ARRAY) {
                    problems.report(new Problem(source, 0, "not a STIX bundle: 'objects' is not an array"));
                    return false;
                }
                sawObjects = true;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    index++;
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        problems.report(new Problem(source, index, "bundle entry is not a JSON object, skipped"));
                        p.skipChildren();
                        continue;
                    }
                    JsonNode node = mapper.readTree(p);
                    RawObject raw = toRaw(node, index);
                    if (raw != null) {
                        sink.accept(raw);
                    }
                }
            }
            if (!sawObjects) {
                problems.report(new Problem(source, 0, "not a STIX bundle: no 'objects' array"));
                return false;
            }
            return true;
        } catch (JsonProcessingException e) {
            // A syntax error leaves the stream in an unknown place: what was read before it is kept, and said so.
            problems.report(new Problem(
                    source,
                    index,
                    "invalid JSON in bundle entry " + index + "; it and the rest of the bundle are not read: "
                            + e.getOriginalMessage()
                            + " at line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr()));
            return index > 0;
        } catch (IOException e) {
            problems.report(new Problem(source, index, "cannot read the bundle: " + e.getMessage()));
            return index > 0;
        }
    }

    private RawObject toRaw(JsonNode o, long index) {
        String type = text(o, "type");
        String id = text(o, "id");
        if (type.isEmpty() || id.isEmpty()) {
            problems.report(new Problem(
                    source, index, "object " + (id.isEmpty() ? "without id" : id) + " has no 'type' or 'id', skipped"));
            return null;
        }
        if (IGNORED_TYPES.contains(type)) {
            return null;
        }
        if (!KEPT_TYPES.contains(type)) {
            problems.report(
                    new Problem(source, index, "object " + id + ": unknown object type '" + type + "', skipped"));
            return null;
        }
        if (type.equals("x-mitre-collection")) {
            // Only its version is of use: it names the ATT&CK release in layers and messages.
            return new RawObject(
                    type,
                    id,
                    "",
                    text(o, "name"),
                    "",
                    text(o, "x_mitre_version"),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    false,
                    false,
                    false,
                    "",
                    "",
                    "",
                    index);
        }
        boolean revoked = o.path("revoked").asBoolean(false);
        boolean deprecated = o.path("x_mitre_deprecated").asBoolean(false);
        if (type.equals("relationship")) {
            String relType = text(o, "relationship_type");
            String src = text(o, "source_ref");
            String tgt = text(o, "target_ref");
            if (relType.isEmpty() || src.isEmpty() || tgt.isEmpty()) {
                problems.report(new Problem(
                        source,
                        index,
                        "relationship " + id + " lacks relationship_type, source_ref or target_ref, skipped"));
                return null;
            }
            return RawObject.relationship(id, relType, src, tgt, revoked || deprecated);
        }
        String name = text(o, "name");
        if (name.isEmpty()) {
            problems.report(new Problem(source, index, "object " + id + " (" + type + ") has no name, skipped"));
            return null;
        }
        String attackId = "";
        String url = "";
        for (JsonNode ref : o.path("external_references")) {
            if ("mitre-attack".equals(ref.path("source_name").asText())) {
                attackId = ref.path("external_id").asText("").toUpperCase(Locale.ROOT);
                url = ref.path("url").asText("");
                break;
            }
        }
        List<String> killChain = new ArrayList<>();
        for (JsonNode phase : o.path("kill_chain_phases")) {
            if ("mitre-attack".equals(phase.path("kill_chain_name").asText())) {
                killChain.add(phase.path("phase_name").asText(""));
            }
        }
        List<String> tacticRefs = strings(o.path("tactic_refs"));
        List<String> aliases = strings(o.path(type.equals("intrusion-set") ? "aliases" : "x_mitre_aliases"));
        aliases.remove(name);
        if (!revoked && !deprecated && attackId.isEmpty() && !type.equals("x-mitre-matrix")) {
            problems.report(new Problem(source, index, "object " + id + " (" + name + ") has no ATT&CK id, skipped"));
            return null;
        }
        return new RawObject(
                type,
                id,
                attackId,
                name,
                url,
                text(o, "x_mitre_shortname"),
                killChain,
                strings(o.path("x_mitre_platforms")),
                aliases,
                tacticRefs,
                o.path("x_mitre_is_subtechnique").asBoolean(false),
                revoked,
                deprecated,
                "",
                "",
                "",
                index);
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n != null && n.isTextual() ? n.asText() : "";
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            if (n.isTextual()) {
                out.add(n.asText());
            }
        }
        return out;
    }

    /**
     * One bundle object reduced to what the knowledge base keeps. Relationships use the {@code relType}, {@code
     * sourceRef} and {@code targetRef} fields; everything else the rest.
     */
    record RawObject(
            String type,
            String stixId,
            String attackId,
            String name,
            String url,
            String shortname,
            List<String> killChainPhases,
            List<String> platforms,
            List<String> aliases,
            List<String> tacticRefs,
            boolean subtechnique,
            boolean revoked,
            boolean deprecated,
            String relType,
            String sourceRef,
            String targetRef,
            long index) {
        static RawObject relationship(String id, String relType, String src, String tgt, boolean inactive) {
            return new RawObject(
                    "relationship",
                    id,
                    "",
                    "",
                    "",
                    "",
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    false,
                    inactive,
                    false,
                    relType,
                    src,
                    tgt,
                    0);
        }

        boolean active() {
            return !revoked && !deprecated;
        }
    }
}
