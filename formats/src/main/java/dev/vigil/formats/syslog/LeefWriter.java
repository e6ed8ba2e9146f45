package dev.vigil.formats.syslog;

import dev.vigil.core.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders an event as a LEEF 2.0 record, the inverse of {@link LeefFormat}'s reader. The header comes from {@code
 * deviceVendor}, {@code deviceProduct}, {@code deviceVersion} and {@code eventId} (or {@code signatureId}, {@code
 * event.code}); the attributes from every field whose name is a LEEF key (letters, digits, {@code _}).
 *
 * <p>LEEF has no escapes, so the writer picks as delimiter a character that occurs in no key or value (tab first,
 * then {@code ^}, {@code ~}, {@code ¦} and control characters), written as {@code xHH}; values therefore round-trip
 * exactly, except line breaks, which a one-line record cannot hold and which become spaces, and {@code |} in header
 * values, which becomes {@code ¦}.
 */
public final class LeefWriter {
    private static final char[] DELIMITERS = {'\t', '^', '~', '\u00a6', '\u0001', '\u0002', '\u0003', '\u001f'};

    /** The LEEF 2.0 record of {@code event}, one line. */
    public String write(Event event) {
        Map<String, Object> f = event.fields();
        List<String[]> attrs = new ArrayList<>();
        for (Map.Entry<String, Object> e : f.entrySet()) {
            String k = e.getKey();
            if (CefWriter.HEADER.contains(k)
                    || CefWriter.SYSLOG.contains(k)
                    || !CefWriter.isKey(k)
                    || e.getValue() == null) {
                continue;
            }
            Object v = e.getValue();
            String s = v instanceof List<?> list
                    ? String.join(",", list.stream().map(String::valueOf).toList())
                    : v.toString();
            attrs.add(new String[] {k, s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ')});
        }
        char delimiter = delimiter(attrs);
        StringBuilder b = new StringBuilder(256);
        b.append("LEEF:2.0|");
        header(b, f, "Vigil", "deviceVendor");
        header(b, f, "Vigil", "deviceProduct");
        header(b, f, "0", "deviceVersion");
        header(b, f, "0", "eventId", "signatureId", "event.code");
        b.append(String.format(Locale.ROOT, "x%02X", (int) delimiter)).append('|');
        boolean first = true;
        for (String[] a : attrs) {
            if (!first) {
                b.append(delimiter);
            }
            first = false;
            b.append(a[0]).append('=').append(a[1]);
        }
        return b.toString();
    }

    private static char delimiter(List<String[]> attrs) {
        for (char d : DELIMITERS) {
            boolean free = true;
            for (String[] a : attrs) {
                if (a[1].indexOf(d) >= 0) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return d;
            }
        }
        for (char d = 0x80; d < 0xff; d++) {
            char c = d;
            if (attrs.stream().noneMatch(a -> a[1].indexOf(c) >= 0)) {
                return c;
            }
        }
        return '\t'; // cannot happen with values of fewer than 140 distinct characters
    }

    private static void header(StringBuilder b, Map<String, Object> f, String fallback, String... keys) {
        String v = fallback;
        for (String k : keys) {
            Object o = f.get(k);
            if (o != null) {
                v = o.toString();
                break;
            }
        }
        b.append(v.replace('|', '\u00a6').replace('\n', ' ').replace('\r', ' ')).append('|');
    }
}
