package dev.vigil.store;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.UtcInstants;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes an event's JSON as {@link EventJson}'s Jackson generator writes it, byte for byte, for the values a log stream
 * carries nearly always: strings without UTF-16 surrogates, integers, booleans, nulls, maps with string keys and lists.
 * It exists for speed: encoding the log record was about a third of the server's HTTP threads, and Jackson copies each
 * string into a char buffer before it encodes it, where this writer reads the string once. For anything else (a
 * fractional or big number, a surrogate, another type) {@link #write} gives null and {@link EventJson} falls back to
 * the generator, which also names what it cannot write. A seeded test holds both to the same bytes.
 *
 * <p>The escapes are Jackson's defaults: a backslash before {@code "} and {@code \}, the short escapes for backspace,
 * tab, newline, form feed and carriage return, every other control character as a backslash, {@code u00} and two
 * upper-case hex digits; everything else as UTF-8, {@code /} and U+007F included.
 */
final class EventJsonWriter {
    /** Per ASCII character: 0 written as it is, -1 as a hex escape, else the letter after the backslash. */
    private static final byte[] ESCAPES = new byte[128];

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    static {
        Arrays.fill(ESCAPES, 0, 32, (byte) -1);
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\f'] = 'f';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
    }

    /** Thrown, without a stack trace, at the first value this writer leaves to Jackson. */
    private static final class NotHandled extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final NotHandled INSTANCE = new NotHandled();

        private NotHandled() {
            super(null, null, false, false);
        }
    }

    private byte[] buffer;
    private int size;

    private EventJsonWriter(int reserve) {
        buffer = new byte[Math.max(512, reserve + 256)];
        size = reserve;
    }

    /**
     * The event's JSON behind {@code reserve} zero bytes, or null when it holds a value left to Jackson.
     *
     * @param reserve leading bytes the caller fills (a log record's header), so the record needs no second copy
     */
    static byte[] write(Event event, int reserve) {
        EventJsonWriter w = new EventJsonWriter(reserve);
        try {
            w.event(event);
        } catch (NotHandled e) {
            return null;
        }
        return Arrays.copyOf(w.buffer, w.size);
    }

    private void event(Event event) {
        ascii("{\"tenant\":");
        string(event.tenant().value());
        if (event.timestamp() != null) {
            ascii(",\"timestamp\":");
            string(UtcInstants.format(event.timestamp()));
        }
        LogSource ls = event.logSource();
        if (!ls.isUnknown()) {
            ascii(",\"logSource\":{");
            boolean first = true;
            if (ls.product() != null) {
                ascii("\"product\":");
                string(ls.product());
                first = false;
            }
            first = strings("categories", ls.categories(), first);
            strings("services", ls.services(), first);
            put('}');
        }
        if (event.source() != null) {
            ascii(",\"source\":{\"source\":");
            string(event.source().source());
            ascii(",\"record\":");
            ascii(Long.toString(event.source().record()));
            put('}');
        }
        ascii(",\"fields\":");
        value(event.fields());
        if (event.original() != null) {
            ascii(",\"original\":");
            value(event.original());
        }
        put('}');
    }

    /** A log source's set, sorted as {@link EventJson} writes it; nothing when empty. Whether none was written yet. */
    private boolean strings(String name, Set<String> values, boolean first) {
        if (values.isEmpty()) {
            return first;
        }
        if (!first) {
            put(',');
        }
        put('"');
        ascii(name);
        ascii("\":[");
        boolean firstValue = true;
        for (String v : values.size() == 1 ? values : new TreeSet<>(values)) {
            if (!firstValue) {
                put(',');
            }
            string(v);
            firstValue = false;
        }
        put(']');
        return false;
    }

    private void value(Object v) {
        switch (v) {
            case null -> ascii("null");
            case String s -> string(s);
            case Long l -> ascii(Long.toString(l));
            case Integer i -> ascii(Integer.toString(i));
            case Short s -> ascii(Short.toString(s));
            case Byte b -> ascii(Byte.toString(b));
            case Boolean b -> ascii(b ? "true" : "false");
            case Map<?, ?> map -> {
                put('{');
                boolean[] first = {true};
                map.forEach((k, value) -> {
                    if (!(k instanceof String key)) {
                        throw NotHandled.INSTANCE;
                    }
                    if (!first[0]) {
                        put(',');
                    }
                    first[0] = false;
                    string(key);
                    put(':');
                    value(value);
                });
                put('}');
            }
            case List<?> list -> {
                put('[');
                for (int i = 0, n = list.size(); i < n; i++) {
                    if (i > 0) {
                        put(',');
                    }
                    value(list.get(i));
                }
                put(']');
            }
            default -> throw NotHandled.INSTANCE;
        }
    }

    /** A JSON string: at most three bytes per character plus the escapes' six, so room is made once. */
    private void string(String s) {
        int n = s.length();
        if (n > (Integer.MAX_VALUE - 64) / 6) {
            throw NotHandled.INSTANCE; // the room reckoned below would not fit an int
        }
        ensure(6 * n + 2);
        byte[] b = buffer;
        int at = size;
        b[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte escape = ESCAPES[c];
                if (escape == 0) {
                    b[at++] = (byte) c;
                } else if (escape > 0) {
                    b[at++] = '\\';
                    b[at++] = escape;
                } else {
                    b[at++] = '\\';
                    b[at++] = 'u';
                    b[at++] = '0';
                    b[at++] = '0';
                    b[at++] = HEX[c >> 4];
                    b[at++] = HEX[c & 0xF];
                }
            } else if (c < 0x800) {
                b[at++] = (byte) (0xC0 | (c >> 6));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (!Character.isSurrogate(c)) {
                b[at++] = (byte) (0xE0 | (c >> 12));
                b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            } else {
                throw NotHandled.INSTANCE; // pairs and lone halves: Jackson's rules, not repeated here
            }
        }
        b[at++] = '"';
        size = at;
    }

    /** Text known to be ASCII without anything to escape: member names, numbers, literals. */
    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buffer[size++] = (byte) s.charAt(i);
        }
    }

    private void put(char c) {
        ensure(1);
        buffer[size++] = (byte) c;
    }

    private void ensure(int more) {
        if (more > buffer.length - size) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
