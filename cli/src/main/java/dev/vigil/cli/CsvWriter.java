package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.SourceRef;
import dev.vigil.sigma.Detection;
import java.io.IOException;
import java.io.Writer;

/**
 * RFC 4180 CSV, one detection per row. Cells that a spreadsheet would take for a formula ({@code = + - @} and tab or
 * carriage return first) are prefixed with an apostrophe: log content is attacker-written.
 */
final class CsvWriter implements DetectionWriter {
    private final Writer out;
    private final ObjectMapper json;

    CsvWriter(Writer out, ObjectMapper json) throws IOException {
        this.out = out;
        this.json = json;
        out.write("timestamp,rule_id,rule_title,level,tags,file,record,group_by,event\r\n");
    }

    @Override
    public void write(Detection d) throws IOException {
        SourceRef src = d.event().source();
        String[] cells = {
            d.timestamp() == null ? "" : d.timestamp().toString(),
            d.rule().id(),
            d.rule().title(),
            d.rule().level(),
            String.join(" ", d.rule().tags()),
            src == null ? "" : src.source(),
            src == null ? "" : Long.toString(src.record()),
            d.correlation() ? json.writeValueAsString(d.groupBy()) : "",
            json.writeValueAsString(JsonlWriter.eventBody(d.event()))
        };
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cell(cells[i]));
        }
        out.write("\r\n");
    }

    static String cell(String v) {
        String s = v == null ? "" : v;
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
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
