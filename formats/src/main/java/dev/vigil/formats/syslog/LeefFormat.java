package dev.vigil.formats.syslog;

import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextFormat;
import dev.vigil.formats.text.TextParser;
import java.util.List;

/**
 * LEEF records, alone on a line or after a syslog header (see {@link SyslogFormat}); header and extension fields keep
 * their LEEF names and the common ones are mapped to ECS ({@code src} to {@code source.ip}, {@code dst} to
 * {@code destination.ip}, ports, users, {@code act} to {@code event.action}, the device time to {@code @timestamp}).
 * The log source's product is the device vendor in lower case; category and service stay empty (the vendor is not
 * part of Sigma's taxonomy, so rules that name a category or service do not run on these events by accident).
 *
 * <p>Detection score: 90 when most sample lines hold a {@code LEEF:} record.
 */
public final class LeefFormat implements TextFormat {
    @Override
    public String name() {
        return "leef";
    }

    @Override
    public String description() {
        return "LEEF records, alone or after a syslog header";
    }

    @Override
    public int score(List<String> sample) {
        int hits = 0;
        for (String line : sample) {
            int i = Payloads.markerIndex(line, 0);
            if (i >= 0 && line.startsWith("LEEF:", i)) {
                hits++;
            }
        }
        return !sample.isEmpty() && hits * 2 > sample.size() ? 90 : 0;
    }

    @Override
    public TextParser newParser(TextContext context) {
        return new SyslogParser(context);
    }
}
