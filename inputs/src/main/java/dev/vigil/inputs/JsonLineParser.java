package dev.vigil.inputs;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.TenantId;
import dev.vigil.formats.JsonEventNormalizer;
import dev.vigil.formats.text.TextParser;
import java.util.Map;
import java.util.function.Consumer;

/** JSON lines read as a text format, so a tailed file of JSON objects goes through the same line machinery. */
final class JsonLineParser implements TextParser {
    private final BoundedJson json;
    private final String source;
    private final TenantId tenant;

    JsonLineParser(int maxLineBytes, String source, TenantId tenant) {
        this.json = new BoundedJson(Math.max(maxLineBytes, 16));
        this.source = source;
        this.tenant = tenant;
    }

    @Override
    public void line(String line, long lineNumber, Consumer<Event> out, ProblemSink problems) {
        if (line.isBlank()) {
            return;
        }
        Object value;
        try {
            value = json.parseComplete(line);
        } catch (Exception e) {
            // Syntax, limit and encoding failures alike reject this line only.
            problems.report(new Problem(source, lineNumber, BoundedJson.describe(e)));
            return;
        }
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) map;
            out.accept(JsonEventNormalizer.normalize(object, source, lineNumber, tenant));
        } else {
            problems.report(new Problem(source, lineNumber, "not a JSON object but " + BoundedJson.kind(value)));
        }
    }
}
