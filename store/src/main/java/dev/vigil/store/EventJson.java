package dev.vigil.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.vigil.core.Event;
import dev.vigil.core.FieldDeriver;
import dev.vigil.core.FieldMap;
import dev.vigil.core.LogSource;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import dev.vigil.core.UtcInstants;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exact JSON form of an {@link Event}, shared by the store and the server's write-ahead log.
 *
 * <p>Layout: {@code {"tenant":…, "timestamp":"ISO-8601 instant"|absent, "logSource":{"product","categories",
 * "services"}, "source":{"source","record"}|absent, "fields":{…}, "ownFields":n|absent, "original":…}}, where {@code
 * ownFields} is written for an event with derived fields ({@link Event#fieldDeriver()}): its first n fields are its
 * own and the rest derived, and it reads back so. Reading it back gives an equal event:
 * strings, booleans, {@code null}, lists and maps keep their type and order; every integral number reads back as a
 * {@code Long} (so an {@code Integer} becomes a {@code Long}) and every fractional number as a {@code Double} (a
 * {@code Float} becomes a {@code Double}); integers beyond the range of a long read back as {@code BigInteger}.
 * A map key that is not Unicode text (it holds a lone UTF-16 surrogate, which a JSON escape can carry) reads back with
 * U+FFFD in its place: the JSON library writes such a name in bytes its own parser refuses.
 * Non-finite doubles are written as the bare tokens {@code NaN}, {@code Infinity} and {@code -Infinity}, which this
 * codec (and DuckDB's JSON reader) accept, so they round-trip too. Values of any other type are refused with a message
 * naming the field, rather than written in a form that would not read back equal.
 *
 * <p>Streaming generator and parser only (no data binding), so a round trip costs one pass each way; parsing is bounded
 * (nesting depth, string and document length) because the bytes may come from a damaged log. Instances are
 * thread-safe; their only state is a bounded cache of decoded log sources and tenants (immutable values).
 */
public final class EventJson {
    /** Deeper nesting than any real log record; protects the stack against crafted input. */
    public static final int MAX_NESTING_DEPTH = 256;

    /** The longest number this codec reads (digits and signs); longer ones are refused as damage. */
    static final int MAX_NUMBER_LENGTH = 400;

    private final JsonFactory factory;

    /**
     * Log sources and tenants as decoded before, by their text: nearly every record of a stream repeats a few of each,
     * and building a log source (sorted, lower-cased sets) for every record was a tenth of decoding one. Both are
     * immutable values; the caches stop growing at {@link #MAX_CACHED} entries.
     */
    private final ConcurrentHashMap<LogSourceText, LogSource> logSources = new ConcurrentHashMap<>();

    /** A log source as a record spells it, before {@link LogSource} normalises it. */
    private record LogSourceText(String product, List<String> categories, List<String> services) {}

    private final ConcurrentHashMap<String, TenantId> tenants = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 1024;

    public EventJson() {
        this.factory = JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                // A character beyond the BMP as its four UTF-8 bytes, not as two escapes: the store keeps this JSON
                // as text, which bare terms search, and "\ud83d\ude00" would match "d".
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(64 * 1024 * 1024)
                        .maxDocumentLength(256L * 1024 * 1024)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .build();
    }

    /** A generator with this codec's settings (non-finite numbers as bare tokens), for the store's batch files. */
    JsonGenerator generator(java.io.OutputStream out) throws IOException {
        return factory.createGenerator(out);
    }

    /** The event as JSON bytes (UTF-8). */
    public byte[] toBytes(Event event) {
        return toBytes(event, 0);
    }

    /**
     * The event as JSON bytes (UTF-8) behind {@code reserve} zero bytes, which the caller fills (a log record's
     * header), so that the record needs no second copy.
     *
     * @throws IllegalArgumentException when {@code reserve} is negative or over a mebibyte ({@link EventJsonWriter})
     */
    public byte[] toBytes(Event event, int reserve) {
        EventJsonWriter.Written fast = EventJsonWriter.write(event, reserve);
        return fast != null ? fast.bytes() : generated(event, reserve);
    }

    /**
     * An event's JSON as {@link #toBytes(Event, int)} writes it, and, when decoding those bytes would give back this
     * very event (every value of the type written: see {@link EventJsonWriter}), where its fields and original lie in
     * them: what {@link #decode} would give, without decoding.
     *
     * @param encoded the spans over {@code bytes} for {@code event} itself, or null when the event must be decoded from
     *     the bytes to be what a reader of them sees
     */
    public record Encoded(byte[] bytes, EncodedEvent encoded) {}

    /**
     * As {@link #toBytes(Event, int)}, with the spans of the fields and original when the event reads back as itself.
     *
     * @throws IllegalArgumentException when {@code reserve} is negative or over a mebibyte
     */
    public Encoded encode(Event event, int reserve) {
        EventJsonWriter.Written fast = EventJsonWriter.write(event, reserve);
        if (fast == null) {
            return new Encoded(generated(event, reserve), null);
        }
        EncodedEvent spans = fast.readsBackIdentical()
                ? new EncodedEvent(
                        fast.bytes(),
                        fast.fieldsFrom(),
                        fast.fieldsTo(),
                        fast.originalFrom(),
                        fast.originalTo(),
                        event,
                        true)
                : null;
        return new Encoded(fast.bytes(), spans);
    }

    private byte[] generated(Event event, int reserve) {
        byte[] json = generate(event);
        if (reserve == 0) {
            return json;
        }
        byte[] out = new byte[reserve + json.length];
        System.arraycopy(json, 0, out, reserve, json.length);
        return out;
    }

    /**
     * The event's JSON through Jackson's generator: the reference form, and the path for the values {@link
     * EventJsonWriter} leaves to it.
     */
    byte[] generate(Event event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("tenant", event.tenant().value());
            if (event.timestamp() != null) {
                g.writeStringField("timestamp", UtcInstants.format(event.timestamp()));
            }
            LogSource ls = event.logSource();
            if (!ls.isUnknown()) {
                g.writeObjectFieldStart("logSource");
                if (ls.product() != null) {
                    g.writeStringField("product", ls.product());
                }
                writeStrings(g, "categories", ls.categories());
                writeStrings(g, "services", ls.services());
                g.writeEndObject();
            }
            if (event.source() != null) {
                g.writeObjectFieldStart("source");
                g.writeStringField("source", event.source().source());
                g.writeNumberField("record", event.source().record());
                g.writeEndObject();
            }
            g.writeFieldName("fields");
            writeValue(g, event.fields(), "fields");
            if (event.fieldDeriver() != null) {
                g.writeNumberField("ownFields", event.ownFields().size());
            }
            if (event.original() != null) {
                g.writeFieldName("original");
                writeValue(g, event.original(), "original");
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads an event written by {@link #toBytes}.
     *
     * @throws IllegalArgumentException naming the byte offset when the bytes are not such an event
     */
    public Event fromBytes(byte[] json) {
        return decode(json, 0, json.length).event();
    }

    /** An event read by {@link #decode}, with the spans of its JSON the store can copy instead of encoding again. */
    public record Decoded(Event event, EncodedEvent encoded) {}

    /**
     * Reads an event written by {@link #toBytes} from {@code length} bytes of {@code json} at {@code offset} (a log
     * record holds one behind a header), remembering where its fields and original lie.
     *
     * @throws IllegalArgumentException naming the byte offset when the bytes are not such an event
     */
    public Decoded decode(byte[] json, int offset, int length) {
        try (JsonParser p = factory.createParser(json, offset, length)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT);
            Event.Builder b = Event.builder();
            boolean sawTenant = false;
            // Byte offsets in json; the parser counts from offset.
            int fieldsFrom = -1;
            int fieldsTo = -1;
            int originalFrom = -1;
            int originalTo = -1;
            FieldMap fields = null;
            int ownFields = -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "tenant" -> {
                        expect(p, t, JsonToken.VALUE_STRING);
                        b.tenant(tenant(p.getText()));
                        sawTenant = true;
                    }
                    case "timestamp" -> {
                        expect(p, t, JsonToken.VALUE_STRING);
                        b.timestamp(UtcInstants.parse(p.getText()));
                    }
                    case "logSource" -> b.logSource(readLogSource(p, t));
                    case "source" -> b.source(readSource(p, t));
                    case "fields" -> {
                        expect(p, t, JsonToken.START_OBJECT);
                        fieldsFrom = offset + (int) p.currentTokenLocation().getByteOffset();
                        fields = new FieldMap();
                        readObject(p, fields);
                        fieldsTo = offset + (int) p.currentLocation().getByteOffset();
                    }
                    case "ownFields" -> {
                        ownFields = t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT
                                ? p.getIntValue()
                                : -1;
                        if (ownFields < 0) {
                            throw bad(p, "'ownFields' is not a count");
                        }
                    }
                    case "original" -> {
                        originalFrom = offset + (int) p.currentTokenLocation().getByteOffset();
                        b.original(readValue(p, t));
                        originalTo = offset + (int) p.currentLocation().getByteOffset();
                    }
                    default -> throw bad(p, "unknown member '" + name + "'");
                }
            }
            if (!sawTenant) {
                throw bad(p, "missing member 'tenant'");
            }
            if (p.nextToken() != null) {
                throw bad(p, "trailing content after the event");
            }
            if (ownFields >= 0) {
                if (fields == null || ownFields > fields.size()) {
                    throw bad(p, "'ownFields' " + ownFields + " is more than the event's fields");
                }
                // The fields after the record's own were derived from them: they stay derived, as they were.
                FieldMap own = new FieldMap(ownFields);
                FieldMap derived = new FieldMap(fields.size() - ownFields);
                int i = 0;
                for (Map.Entry<String, Object> e : fields.entrySet()) {
                    (i++ < ownFields ? own : derived).put(e.getKey(), e.getValue());
                }
                b.fields(own).derivedFields(FieldDeriver.of(derived));
            } else if (fields != null) {
                b.fields(fields);
            }
            Event event = b.build();
            if (fieldsFrom < 0) {
                return new Decoded(event, null); // no fields member: nothing to copy
            }
            if (event.original() == null) {
                originalFrom = -1; // "original": null is written as no original
                originalTo = -1;
            }
            return new Decoded(
                    event, new EncodedEvent(json, fieldsFrom, fieldsTo, originalFrom, originalTo, event, false));
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid event JSON: " + message(e) + " at byte " + offsetOf(e));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("invalid event JSON: bad timestamp: " + e.getMessage(), e);
        }
    }

    /** A single field value or original record as JSON text, in the same exact form as inside {@link #toBytes}. */
    public String valueToJson(Object value) {
        return valueToJson(value, "value");
    }

    /** As {@link #valueToJson(Object)}, naming the value {@code path} in the message about an unsupported type. */
    public String valueToJson(Object value, String path) {
        StringBuilderWriter out = new StringBuilderWriter();
        try (JsonGenerator g = factory.createGenerator(out)) {
            writeValue(g, value, path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Reads a value written by {@link #valueToJson}; {@code null} text gives {@code null}. */
    public Object valueFromJson(String json) {
        if (json == null) {
            return null;
        }
        try (JsonParser p = factory.createParser(json)) {
            Object v = readValue(p, p.nextToken());
            if (p.nextToken() != null) {
                throw bad(p, "trailing content after the value");
            }
            return v;
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid JSON value: " + message(e) + " at offset " + offsetOf(e));
        }
    }

    /** Reads a JSON object written by {@link #valueToJson} of a map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> objectFromJson(String json) {
        Object v = valueFromJson(json);
        if (v instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("expected a JSON object, got " + (v == null ? "null" : "a " + kind(v)));
    }

    private static void writeStrings(JsonGenerator g, String name, java.util.Set<String> values) throws IOException {
        if (values.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (String v : new TreeSet<>(values)) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /**
     * Writes {@code v}; a value of an unsupported type is reported with its path below {@code path}. The path is
     * built only on that failure, while the exception unwinds, so writing allocates nothing per key.
     */
    static void writeValue(JsonGenerator g, Object v, String path) throws IOException {
        writeValue(g, v, path, false);
    }

    /**
     * As {@link #writeValue(JsonGenerator, Object, String)}; with {@code wellFormed}, every string and key as {@link
     * #wellFormed(String)} gives it.
     */
    static void writeValue(JsonGenerator g, Object v, String path, boolean wellFormed) throws IOException {
        try {
            writeValue(g, v, wellFormed);
        } catch (UnsupportedValueException e) {
            throw new IllegalArgumentException("cannot write " + path + e.path() + ": " + e.getMessage());
        }
    }

    /** A value the codec cannot write; carries the path from the failing value up to where it is caught. */
    private static final class UnsupportedValueException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final ArrayDeque<String> segments = new ArrayDeque<>();

        UnsupportedValueException(String message) {
            super(message, null, false, false);
        }

        UnsupportedValueException under(String segment) {
            segments.addFirst(segment);
            return this;
        }

        String path() {
            return String.join("", segments);
        }
    }

    /**
     * {@code s} with every lone UTF-16 surrogate (one not in a high-low pair) replaced by U+FFFD, or {@code s} itself
     * when it has none. JSON can carry a lone surrogate as an escape ({@code "\\ud800"}), so a record may hold one,
     * but it is no Unicode text: DuckDB's JSON reader refuses it, so the store writes the replacement character, as
     * UTF-8 decoders do for bytes they cannot decode.
     */
    static String wellFormed(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return replaceLoneSurrogates(s);
            }
        }
        return s;
    }

    /**
     * Whether JSON text can be stored as it is: well-formed UTF-8 (RFC 3629: no encoded surrogates, overlong forms or
     * code points past U+10FFFF) with no surrogate written as an escape ({@code "\\ud800"}). This codec writes a
     * character beyond the BMP as four UTF-8 bytes, so an escaped surrogate is either lone (text DuckDB refuses) or a
     * pair in a record written before it did (text in which a bare term "d" would match the escape); either way the
     * store encodes the value again. Escapes are followed, so an escaped backslash before a {@code u} is not taken for
     * one.
     */
    static boolean isStorableText(byte[] json, int from, int to) {
        int i = from;
        while (i < to) {
            int b = json[i] & 0xFF;
            if (b != '\\' && b < 0x80) {
                i++;
                continue;
            }
            if (b == '\\') {
                int unit = i + 5 < to && json[i + 1] == 'u' ? hex4(json, i + 2) : -1;
                if (unit >= 0) {
                    if (unit >= 0xD800 && unit <= 0xDFFF) {
                        return false;
                    }
                    i += 6;
                } else if (i + 1 < to && json[i + 1] >= 0) {
                    i += 2; // an escaped ASCII character
                } else {
                    i++; // not an escape JSON has; what follows is checked as text
                }
                continue;
            }
            int continuation;
            int low = 0x80;
            int high = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                continuation = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                continuation = 2;
                low = b == 0xE0 ? 0xA0 : 0x80; // no overlong form
                high = b == 0xED ? 0x9F : 0xBF; // no surrogate
            } else if (b >= 0xF0 && b <= 0xF4) {
                continuation = 3;
                low = b == 0xF0 ? 0x90 : 0x80;
                high = b == 0xF4 ? 0x8F : 0xBF; // nothing past U+10FFFF
            } else {
                return false;
            }
            if (i + continuation >= to) {
                return false;
            }
            int first = json[i + 1] & 0xFF;
            if (first < low || first > high) {
                return false;
            }
            for (int k = 2; k <= continuation; k++) {
                int c = json[i + k] & 0xFF;
                if (c < 0x80 || c > 0xBF) {
                    return false;
                }
            }
            i += continuation + 1;
        }
        return true;
    }

    /** The value of four hex digits, or -1. */
    private static int hex4(byte[] json, int at) {
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            int d = Character.digit(json[i], 16);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static String replaceLoneSurrogates(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\ufffd' : c);
            }
        }
        return out.toString();
    }

    private static void writeValue(JsonGenerator g, Object v, boolean wellFormed) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(wellFormed ? wellFormed(s) : s);
            case Long l -> g.writeNumber(l);
            case Integer i -> g.writeNumber(i);
            case Short s -> g.writeNumber(s);
            case Byte b -> g.writeNumber(b);
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber((double) f);
            case Boolean b -> g.writeBoolean(b);
            case BigInteger bi -> g.writeNumber(bi);
            case BigDecimal bd -> g.writeNumber(bd.doubleValue());
            case Map<?, ?> map -> {
                g.writeStartObject();
                // forEach, not the entry set: an event's fields are a read-only view whose entry set wraps every
                // entry in an object of its own, which was a sixth of encoding an event.
                try {
                    map.forEach((k, value) -> {
                        if (!(k instanceof String key)) {
                            throw new UnsupportedValueException("map key " + k + " is not a string");
                        }
                        try {
                            // Always well-formed: Jackson writes a lone surrogate in a name as bytes its parser
                            // refuses, so the log record could not be read back (values it escapes readably).
                            g.writeFieldName(wellFormed(key));
                            writeValue(g, value, wellFormed);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        } catch (UnsupportedValueException bad) {
                            throw bad.under("." + key);
                        }
                    });
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                g.writeEndObject();
            }
            case List<?> list -> {
                g.writeStartArray();
                int i = 0;
                for (Object e : list) {
                    try {
                        writeValue(g, e, wellFormed);
                    } catch (UnsupportedValueException bad) {
                        throw bad.under("[" + i + "]");
                    }
                    i++;
                }
                g.writeEndArray();
            }
            default ->
                throw new UnsupportedValueException("unsupported value type "
                        + v.getClass().getName() + " (use String, Long, Double, Boolean, null, List or Map)");
        }
    }

    private static Object readValue(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            throw bad(p, "unexpected end of input");
        }
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT ->
                p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case START_OBJECT -> readObject(p);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(p, e));
                }
                yield list;
            }
            default -> throw bad(p, "unexpected " + t);
        };
    }

    private static Map<String, Object> readObject(JsonParser p) throws IOException {
        return readObject(p, new LinkedHashMap<>());
    }

    /**
     * Reads an object's members into {@code map}. An event's fields go into a {@link FieldMap} (four arrays, where a
     * {@code LinkedHashMap} allocates an entry per field: filling those was a seventh of decoding a record).
     */
    private static Map<String, Object> readObject(JsonParser p, Map<String, Object> map) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            map.put(key, readValue(p, p.nextToken()));
        }
        if (t != JsonToken.END_OBJECT) {
            throw bad(p, "unexpected " + t + " in an object");
        }
        return map;
    }

    private LogSource readLogSource(JsonParser p, JsonToken t) throws IOException {
        expect(p, t, JsonToken.START_OBJECT);
        String product = null;
        List<String> categories = List.of();
        List<String> services = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "product" -> {
                    expect(p, v, JsonToken.VALUE_STRING);
                    product = p.getText();
                }
                case "categories" -> categories = readStrings(p, v);
                case "services" -> services = readStrings(p, v);
                default -> throw bad(p, "unknown logSource member '" + name + "'");
            }
        }
        LogSourceText key = new LogSourceText(product, categories, services);
        LogSource known = logSources.get(key);
        if (known != null) {
            return known;
        }
        LogSource decoded = new LogSource(product, new TreeSet<>(categories), new TreeSet<>(services));
        if (logSources.size() < MAX_CACHED) {
            logSources.putIfAbsent(key, decoded);
        }
        return decoded;
    }

    private TenantId tenant(String value) {
        TenantId known = tenants.get(value);
        if (known != null) {
            return known;
        }
        TenantId decoded = TenantId.of(value);
        if (tenants.size() < MAX_CACHED) {
            tenants.putIfAbsent(value, decoded);
        }
        return decoded;
    }

    private static List<String> readStrings(JsonParser p, JsonToken t) throws IOException {
        expect(p, t, JsonToken.START_ARRAY);
        List<String> out = new ArrayList<>();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            expect(p, e, JsonToken.VALUE_STRING);
            out.add(p.getText());
        }
        return out;
    }

    private static SourceRef readSource(JsonParser p, JsonToken t) throws IOException {
        expect(p, t, JsonToken.START_OBJECT);
        String source = null;
        long record = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "source" -> {
                    expect(p, v, JsonToken.VALUE_STRING);
                    source = p.getText();
                }
                case "record" -> {
                    expect(p, v, JsonToken.VALUE_NUMBER_INT);
                    record = p.getLongValue();
                }
                default -> throw bad(p, "unknown source member '" + name + "'");
            }
        }
        if (source == null) {
            throw bad(p, "source without 'source'");
        }
        return new SourceRef(source, record);
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw bad(p, "expected " + expected + " but found " + actual);
        }
    }

    private static IOException bad(JsonParser p, String message) {
        return new com.fasterxml.jackson.core.JsonParseException(p, message);
    }

    private static long offsetOf(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null
                ? jpe.getLocation().getByteOffset() >= 0
                        ? jpe.getLocation().getByteOffset()
                        : jpe.getLocation().getCharOffset()
                : -1;
    }

    private static String message(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                ? jpe.getOriginalMessage()
                : e.getMessage();
    }

    private static String kind(Object v) {
        return v instanceof List<?> ? "array" : v.getClass().getSimpleName();
    }

    /** A Writer over a StringBuilder without StringWriter's synchronisation. */
    private static final class StringBuilderWriter extends java.io.Writer {
        private final StringBuilder sb = new StringBuilder(256);

        @Override
        public void write(char[] cbuf, int off, int len) {
            sb.append(cbuf, off, len);
        }

        @Override
        public void write(String str, int off, int len) {
            sb.append(str, off, off + len);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
