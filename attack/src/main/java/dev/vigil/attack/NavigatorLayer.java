package dev.vigil.attack;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Coverage} as an ATT&CK Navigator layer, format 4.5: one technique entry per covered (technique,
 * tactic) pair, scored with the number of rules, its comment listing their titles (at most {@link
 * Options#maxTitlesPerComment}, then how many more), a green gradient whose top is the 95th percentile of the scores
 * (so one technique with hundreds of rules does not wash out the rest), a legend and layer metadata.
 */
public final class NavigatorLayer {
    /** The layer format version written. */
    public static final String LAYER_FORMAT = "4.5";
    /** The Navigator version named in the layer: the first release that reads format 4.5 is 4.9.0; 5.x reads it too. */
    public static final String NAVIGATOR_VERSION = "5.2.0";

    private static final List<String> COLORS = List.of("#d9f0d3", "#7fbf7b", "#1b7837");
    private static final int MAX_TITLE_CHARS = 200;

    private NavigatorLayer() {}

    /**
     * How the layer is labelled.
     *
     * @param name the layer name shown in the Navigator's tab
     * @param description a free-text description
     * @param domain the ATT&CK domain ({@code enterprise-attack})
     * @param maxTitlesPerComment how many rule titles a technique's comment lists at most
     */
    public record Options(String name, String description, String domain, int maxTitlesPerComment) {
        public Options {
            requireNonNull(name, "name");
            requireNonNull(description, "description");
            requireNonNull(domain, "domain");
            if (maxTitlesPerComment < 1) {
                throw new IllegalArgumentException("maxTitlesPerComment must be at least 1");
            }
        }

        /** A layer named {@code name} of the Enterprise domain, listing up to 20 rule titles per technique. */
        public static Options named(String name) {
            return new Options(
                    name,
                    "Techniques covered by detection rules, scored by the number of rules",
                    "enterprise-attack",
                    20);
        }
    }

    /** The layer as a JSON tree. */
    public static ObjectNode build(Coverage coverage, Options options) {
        requireNonNull(coverage, "coverage");
        requireNonNull(options, "options");
        ObjectMapper json = new ObjectMapper();
        ObjectNode layer = json.createObjectNode();
        layer.put("name", options.name());
        ObjectNode versions = layer.putObject("versions");
        String attackVersion = coverage.knowledgeBase().version();
        if (!attackVersion.isEmpty()) {
            int dot = attackVersion.indexOf('.');
            versions.put("attack", dot > 0 ? attackVersion.substring(0, dot) : attackVersion);
        }
        versions.put("navigator", NAVIGATOR_VERSION);
        versions.put("layer", LAYER_FORMAT);
        layer.put("domain", options.domain());
        layer.put("description", options.description());
        layer.put("sorting", 3);
        ObjectNode layout = layer.putObject("layout");
        layout.put("layout", "side");
        layout.put("showID", true);
        layout.put("showName", true);
        layout.put("showAggregateScores", false);
        layout.put("countUnscored", false);
        layout.put("aggregateFunction", "average");
        layout.put("expandedSubtechniques", "annotated");
        layer.put("hideDisabled", false);

        List<Integer> scores = new ArrayList<>();
        ArrayNode techniques = layer.putArray("techniques");
        for (TechniqueCoverage tc : coverage.techniques()) {
            Technique t = tc.technique();
            boolean coveredSubtechniques = !t.subtechnique()
                    && coverage.techniques().stream()
                            .anyMatch(o -> o.technique().parentId().equals(t.attackId()));
            for (Map.Entry<Tactic, List<RuleTags>> cell : tc.rulesByTactic().entrySet()) {
                ObjectNode e = techniques.addObject();
                e.put("techniqueID", t.attackId());
                e.put("tactic", cell.getKey().shortname());
                e.put("score", cell.getValue().size());
                e.put("comment", comment(cell.getValue(), options.maxTitlesPerComment()));
                e.put("enabled", true);
                if (coveredSubtechniques) {
                    e.put("showSubtechniques", true);
                }
                scores.add(cell.getValue().size());
            }
        }
        int top = topOfGradient(scores);
        ObjectNode gradient = layer.putObject("gradient");
        ArrayNode colors = gradient.putArray("colors");
        for (String c : COLORS) {
            colors.add(c);
        }
        gradient.put("minValue", 1);
        gradient.put("maxValue", top);
        ArrayNode legend = layer.putArray("legendItems");
        legend.addObject().put("label", "1 rule").put("color", COLORS.get(0));
        legend.addObject().put("label", ((1 + top) / 2) + " rules").put("color", COLORS.get(1));
        legend.addObject().put("label", top + " or more rules").put("color", COLORS.get(2));
        layer.put("showTacticRowBackground", false);
        layer.put("selectTechniquesAcrossTactics", true);
        layer.put("selectSubtechniquesWithParent", false);
        layer.put("selectVisibleTechniques", false);
        ArrayNode metadata = layer.putArray("metadata");
        metadata.addObject().put("name", "generated by").put("value", "Vigil");
        if (!attackVersion.isEmpty()) {
            metadata.addObject().put("name", "ATT&CK version").put("value", attackVersion);
        }
        metadata.addObject().put("name", "rules").put("value", Integer.toString(coverage.ruleCount()));
        metadata.addObject()
                .put("name", "rules with a technique tag")
                .put("value", Integer.toString(coverage.rulesWithTechniques()));
        metadata.addObject()
                .put("name", "techniques and sub-techniques covered")
                .put("value", coverage.techniquesCovered() + " of " + coverage.techniquesTotal());
        return layer;
    }

    /** The layer as pretty-printed JSON text. */
    public static String toJson(Coverage coverage, Options options) {
        try {
            return new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(build(coverage, options));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String comment(List<RuleTags> rules, int maxTitles) {
        List<String> titles = rules.stream()
                .map(RuleTags::title)
                .map(NavigatorLayer::clip)
                .sorted(Comparator.naturalOrder())
                .distinct()
                .toList();
        StringBuilder sb = new StringBuilder(rules.size() == 1 ? "1 rule: " : rules.size() + " rules: ");
        for (int i = 0; i < Math.min(maxTitles, titles.size()); i++) {
            sb.append(i == 0 ? "" : "; ").append(titles.get(i));
        }
        if (titles.size() > maxTitles) {
            sb.append("; … and ").append(titles.size() - maxTitles).append(" more");
        }
        return sb.toString();
    }

    private static String clip(String title) {
        String oneLine = title.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_TITLE_CHARS ? oneLine : oneLine.substring(0, MAX_TITLE_CHARS) + "…";
    }

    /** The 95th percentile of the scores, at least 2 (the format wants maxValue above minValue). */
    private static int topOfGradient(List<Integer> scores) {
        if (scores.isEmpty()) {
            return 2;
        }
        List<Integer> sorted = scores.stream().sorted().toList();
        int p95 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.95) - 1));
        return Math.max(2, p95);
    }
}
