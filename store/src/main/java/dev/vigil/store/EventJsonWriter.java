package dev.vigil.store;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.UtcInstants;
import java.math.BigDecimal;
import java.math.BigInteger;
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
 * string into a char buffer before it encodes it, where this writer reads the string once. Numbers are written as
 * {@link EventJson} has Jackson write them ({@link Double#toString}, non-finite ones as bare tokens). For anything
 * else (a surrogate, another type, nesting past {@link EventJson#MAX_NESTING_DEPTH}, an event over about 2 GB)
 * {@link #write} gives null and {@link EventJson} falls back to the generator, which also names what it cannot write.
 * A seeded test holds both to the same bytes.
 *
 * <p>It also says where the fields and the original lie in the bytes, and whether {@link EventJson#decode} would give
 * back the very values written, number types included ({@link Written#readsBackIdentical}): not when a number is of a
 * type the codec reads back as another ({@code Integer} as {@code Long}, {@code Float} as {@code Double}, a small
 * {@code BigInteger} as {@code Long}, a {@code BigDecimal} as {@code Double}), nor past what the parser reads (a
 * container at the deepest level, a number over {@link EventJson#MAX_NUMBER_LENGTH} characters). Maps and lists read
 * back as maps and lists of the codec's own classes with equal entries in the same order. The server then hands the
 * event itself to its pipeline instead of decoding the record it wrote.
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

    /**
     * An event's JSON behind the reserved bytes, where its fields and original lie ({@code originalFrom} and {@code
     * originalTo} -1 without an original), and whether decoding it gives back values of the very types written.
     */
    record Written(
            byte[] bytes, int fieldsFrom, int fieldsTo, int originalFrom, int originalTo, boolean readsBackIdentical) {}

    private byte[] buffer;
    private int size;
    private int fieldsFrom;
    private int fieldsTo;
    private int originalFrom = -1;
    private int originalTo = -1;
    private boolean readsBackIdentical = true;

    private EventJsonWriter(int reserve) {
        buffer = new byte[Math.max(512, reserve + 256)];
        size = reserve;
    }

    /**
     * The event's JSON behind {@code reserve} zero bytes, or null when it holds a value left to Jackson.
     *
     * @param reserve leading bytes the caller fills (a log record's header), so the record needs no second copy
     */
    static Written write(Event event, int reserve) {
        if (reserve < 0 || reserve > 1 << 20) {
            throw new IllegalArgumentException("reserve of " + reserve + " bytes");
        }
        EventJsonWriter w = new EventJsonWriter(reserve);
        try {
            w.event(event);
        } catch (NotHandled e) {
            return null;
        }
        return new Written(
                Arrays.copyOf(w.buffer, w.size),
                w.fieldsFrom,
                w.fieldsTo,
                w.originalFrom,
                w.originalTo,
                w.readsBackIdentical);
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
        fieldsFrom = size;
        value(event.fields(), 1);
        fieldsTo = size;
        if (event.fieldDeriver() != null) {
            ascii(",\"ownFields\":");
            ascii(Integer.toString(event.ownFields().size()));
        }
        if (event.original() != null) {
            ascii(",\"original\":");
            originalFrom = size;
            value(event.original(), 1);
            originalTo = size;
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

    /** A value at nesting {@code depth} (the fields and the original are at 1). */
    private void value(Object v, int depth) {
        if (depth > EventJson.MAX_NESTING_DEPTH) {
            throw NotHandled.INSTANCE; // what the codec could not read back; Jackson's limits decide
        }
        switch (v) {
            case null -> ascii("null");
            case String s -> string(s);
            case Long l -> ascii(Long.toString(l));
            case Integer i -> ascii(Integer.toString(i), false);
            case Short s -> ascii(Short.toString(s), false);
            case Byte b -> ascii(Byte.toString(b), false);
            case Double d -> ascii(Double.toString(d));
            case Float f -> ascii(Double.toString(f), false);
            // Read back as a BigInteger only past the range of a long, and not at all past the parser's number length.
            case BigInteger bi -> {
                String digits = bi.toString();
                ascii(digits, bi.bitLength() > 63 && digits.length() <= EventJson.MAX_NUMBER_LENGTH);
            }
            case BigDecimal bd -> ascii(Double.toString(bd.doubleValue()), false);
            case Boolean b -> ascii(b ? "true" : "false");
            case Map<?, ?> map -> {
                deeper(depth);
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
                    value(value, depth + 1);
                });
                put('}');
            }
            case List<?> list -> {
                deeper(depth);
                put('[');
                boolean first = true;
                for (Object e : list) {
                    if (!first) {
                        put(',');
                    }
                    first = false;
                    value(e, depth + 1);
                }
                put(']');
            }
            default -> throw NotHandled.INSTANCE;
        }
    }

    /**
     * A JSON string, in slices of {@link #SLICE} characters: room for a slice's worst case (six bytes per character,
     * an escape) is made before it, so a long string grows the buffer by what it needs, not six times its length.
     */
    private void string(String s) {
        int n = s.length();
        ensure(2);
        buffer[size++] = '"';
        for (int from = 0; from < n; from += SLICE) {
            slice(s, from, Math.min(n, from + SLICE));
        }
        ensure(1);
        buffer[size++] = '"';
    }

    private static final int SLICE = 4096;

    private void slice(String s, int from, int to) {
        ensure(6 * (to - from));
        byte[] b = buffer;
        int at = size;
        for (int i = from; i < to; i++) {
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
        size = at;
    }

    /**
     * Notes a map or list at {@code depth}: the parser counts the event object too, so one at the deepest level this
     * writer takes is one level past what {@link EventJson#decode} reads back (Jackson writes it; a reader refuses).
     */
    private void deeper(int depth) {
        if (depth >= EventJson.MAX_NESTING_DEPTH) {
            readsBackIdentical = false;
        }
    }

    /** A number that reads back as another type when {@code identical} is false. */
    private void ascii(String number, boolean identical) {
        readsBackIdentical &= identical;
        ascii(number);
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

    /** Room for {@code more} bytes; past what an array holds the event is left to Jackson (which refuses it too). */
    private void ensure(int more) {
        if (more > buffer.length - size) {
            long needed = (long) size + more;
            if (needed > Integer.MAX_VALUE - 16) {
                throw NotHandled.INSTANCE;
            }
            buffer =
                    Arrays.copyOf(buffer, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(2L * buffer.length, needed)));
        }
    }
}
