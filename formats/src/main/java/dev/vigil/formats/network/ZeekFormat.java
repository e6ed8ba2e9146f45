package dev.vigil.formats.network;

import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextFormat;
import dev.vigil.formats.text.TextParser;
import java.util.List;

/**
 * Zeek (Bro) logs in Zeek's default TSV format: {@code #separator}, {@code #set_separator}, {@code #empty_field},
 * {@code #unset_field}, {@code #path}, {@code #fields} and {@code #types} header lines, then one tab-separated entry per
 * line. Detection: 90 when the sample has a {@code #separator} or {@code #fields} header line. See {@link ZeekParser}.
 */
public final class ZeekFormat implements TextFormat {
    @Override
    public String name() {
        return "zeek";
    }

    @Override
    public String description() {
        return "Zeek/Bro TSV logs (#separator, #fields, #types headers); service = the log's #path";
    }

    @Override
    public int score(List<String> sample) {
        for (String line : sample) {
            if (line.startsWith("#separator ") || line.startsWith("#fields\t")) {
                return 90;
            }
        }
        return 0;
    }

    @Override
    public TextParser newParser(TextContext context) {
        return new ZeekParser(context);
    }
}
