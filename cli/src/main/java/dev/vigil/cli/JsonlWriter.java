package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.Event;
import dev.vigil.core.SourceRef;
import dev.vigil.sigma.Detection;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;

/**
 * One detection per line: {@code {"timestamp","rule":{id,title,level,tags},"source":{file,record},"event":{...}}};
 * a correlation adds {@code "correlation":{"group_by":{...},"sources":[{file,record}...]}}.
 */
final class JsonlWriter implements DetectionWriter {
    private final Writer out;
    private final ObjectMapper json;

    JsonlWriter(Writer out, ObjectMapper json) {
        this.out = out;
        this.json = json;
    }

    @Override
    public void write(Detection d) throws IOException {
        JsonGenerator g = json.getFactory().createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeStringField(
                "timestamp", d.timestamp() == null ? null : d.timestamp().toString());
        g.writeObjectFieldStart("rule");
        g.writeStringField("id", d.rule().id());
        g.writeStringField("title", d.rule().title());
        g.writeStringField("level", d.rule().level());
        g.writeArrayFieldStart("tags");
        for (String t : d.rule().tags()) {
            g.writeString(t);
        }
        g.writeEndArray();
        g.writeEndObject();
        SourceRef src = d.event().source();
        g.writeObjectFieldStart("source");
        g.writeStringField("file", src == null ? null : src.source());
        if (src != null) {
            g.writeNumberField("record", src.record());
        }
        g.writeEndObject();
        if (d.correlation()) {
            g.writeObjectFieldStart("correlation");
            g.writeObjectField("group_by", d.groupBy());
            g.writeArrayFieldStart("sources");
            for (SourceRef s : d.sources()) {
                g.writeStartObject();
                g.writeStringField("file", s.source());
                g.writeNumberField("record", s.record());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeFieldName("event");
        json.writeValue(g, eventBody(d.event()));
        g.writeEndObject();
        g.flush();
        out.write('\n');
    }

    /** A mapper for detections: it escapes UTF-16 surrogates, see {@link SurrogateEscapes}. */
    static ObjectMapper mapper() {
        ObjectMapper json = new ObjectMapper();
        json.getFactory().setCharacterEscapes(new SurrogateEscapes());
        return json;
    }

    /**
     * Escapes every UTF-16 surrogate the JSON way (backslash, u, four hex digits). Jackson writes a lone surrogate (log
     * data is attacker-written) as it is, which UTF-8 cannot encode; escaped it is valid JSON that reads back as the
     * same string. A generator sees one char at a time, so pairs are escaped too; JSON readers join them again.
     */
    static final class SurrogateEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private static final int[] ASCII = standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII.clone();
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return Character.isSurrogate((char) ch) ? new SerializedString("\\u" + Integer.toHexString(ch)) : null;
        }
    }

    /** The event as the source had it when it was a JSON object or Windows event; its Sigma fields otherwise. */
    static Object eventBody(Event e) {
        return e.original() instanceof Map<?, ?> m ? m : e.fields();
    }

    @Override
    public void finish(HuntSummary summary) throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
