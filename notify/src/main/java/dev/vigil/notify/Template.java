package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled message template: text with {@code {{name}}} variables and {@code {{#name}}…{{/name}}} sections (shown
 * when the variable is not empty) or {@code {{^name}}…{{/name}}} (shown when it is). Sections may nest but not repeat.
 *
 * <p>Deliberately smaller than Mustache: there is no raw ({@code {{{…}}}}) form, no partials and no lambdas, and the
 * variable names are a fixed set ({@link #VARIABLES}) checked when the template is compiled, so a typo in a configured
 * template is reported at start-up with its position rather than rendering as an empty string. Values arrive already
 * escaped for the template's {@link TextFormat}; the template never sees a raw value.
 */
public final class Template {
    /** The names a template may use; {@link MessageRenderer} documents each. */
    public static final Set<String> VARIABLES = Set.of(
            "tenant",
            "kind",
            "id",
            "title",
            "severity",
            "severity_name",
            "rule_id",
            "rule_title",
            "time",
            "tactics",
            "techniques",
            "entities",
            "entity_count",
            "details",
            "link");

    private final String name;
    private final List<Part> parts;

    private sealed interface Part permits Literal, Variable, Section {}

    private record Literal(String text) implements Part {}

    private record Variable(String name) implements Part {}

    private record Section(String name, boolean inverted, List<Part> parts) implements Part {}

    private Template(String name, List<Part> parts) {
        this.name = name;
        this.parts = parts;
    }

    /**
     * Compiles {@code source}; {@code name} identifies the template in error messages (e.g. {@code
     * channels.soc-mail.templates.zh-CN.body}).
     *
     * @throws IllegalArgumentException naming the template and the offset of an unknown variable, an unclosed tag or a
     *     mismatched section
     */
    public static Template compile(String name, String source) {
        requireNonNull(name, "name");
        requireNonNull(source, "source");
        List<List<Part>> stack = new ArrayList<>();
        List<String> open = new ArrayList<>();
        List<Boolean> inverted = new ArrayList<>();
        List<Part> current = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            int start = source.indexOf("{{", i);
            if (start < 0) {
                current.add(new Literal(source.substring(i)));
                break;
            }
            if (start > i) {
                current.add(new Literal(source.substring(i, start)));
            }
            int end = source.indexOf("}}", start + 2);
            if (end < 0) {
                throw error(name, start, "'{{' is not closed by '}}'");
            }
            String tag = source.substring(start + 2, end).trim();
            char sigil = tag.isEmpty() ? ' ' : tag.charAt(0);
            String var = (sigil == '#' || sigil == '^' || sigil == '/')
                    ? tag.substring(1).trim()
                    : tag;
            if (!VARIABLES.contains(var)) {
                throw error(name, start, "unknown variable '" + var + "'; known: " + String.join(", ", sorted()));
            }
            switch (sigil) {
                case '#', '^' -> {
                    stack.add(current);
                    open.add(var);
                    inverted.add(sigil == '^');
                    current = new ArrayList<>();
                }
                case '/' -> {
                    if (open.isEmpty() || !open.getLast().equals(var)) {
                        throw error(
                                name,
                                start,
                                "'{{/" + var + "}}' closes no open section"
                                        + (open.isEmpty() ? "" : " (open: '" + open.getLast() + "')"));
                    }
                    Section s = new Section(open.removeLast(), inverted.removeLast(), List.copyOf(current));
                    current = stack.removeLast();
                    current.add(s);
                }
                default -> current.add(new Variable(var));
            }
            i = end + 2;
        }
        if (!open.isEmpty()) {
            throw error(name, source.length(), "section '" + open.getLast() + "' is not closed");
        }
        return new Template(name, List.copyOf(current));
    }

    private static List<String> sorted() {
        return VARIABLES.stream().sorted().toList();
    }

    private static IllegalArgumentException error(String name, int offset, String message) {
        return new IllegalArgumentException("template " + name + " at offset " + offset + ": " + message);
    }

    /** The template's name as given to {@link #compile}. */
    public String name() {
        return name;
    }

    /** Renders with already-escaped {@code values}; a missing name renders empty. */
    public String render(Map<String, String> values) {
        StringBuilder b = new StringBuilder(256);
        render(parts, values, b);
        return b.toString();
    }

    private static void render(List<Part> parts, Map<String, String> values, StringBuilder b) {
        for (Part p : parts) {
            switch (p) {
                case Literal l -> b.append(l.text());
                case Variable v -> b.append(values.getOrDefault(v.name(), ""));
                case Section s -> {
                    boolean present = !values.getOrDefault(s.name(), "").isEmpty();
                    if (present != s.inverted()) {
                        render(s.parts(), values, b);
                    }
                }
            }
        }
    }
}
