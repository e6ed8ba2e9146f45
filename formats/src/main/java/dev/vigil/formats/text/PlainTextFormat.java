package dev.vigil.formats.text;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.SourceRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The last resort: each non-blank line is an event whose only field is {@code message} (also the original record).
 * Keyword rules still run on it. Chosen only when no other format fits and the text is printable.
 */
public final class PlainTextFormat implements TextFormat {
    @Override
    public String name() {
        return "text";
    }

    @Override
    public String description() {
        return "plain text lines (one event per line, field 'message')";
    }

    @Override
    public int score(List<String> sample) {
        int printable = 0;
        int total = 0;
        for (String line : sample) {
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                total++;
                if (c == '\t' || (c >= 0x20 && c != 0x7f && c != '\uFFFD')) {
                    printable++;
                }
            }
        }
        // Binary data decoded as UTF-8 is full of control and replacement characters: not text.
        return total > 0 && printable >= total * 0.95 ? 1 : 0;
    }

    @Override
    public TextParser newParser(TextContext context) {
        return new TextParser() {
            @Override
            public void line(String line, long lineNumber, Consumer<Event> out, ProblemSink problems) {
                if (line.isBlank()) {
                    return;
                }
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("message", line);
                out.accept(Event.builder()
                        .tenant(context.tenant())
                        .fields(fields)
                        .original(line)
                        .logSource(LogSource.UNKNOWN)
                        .source(new SourceRef(context.source(), lineNumber))
                        .build());
            }
        };
    }
}
