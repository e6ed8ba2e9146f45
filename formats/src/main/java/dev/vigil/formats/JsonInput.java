package dev.vigil.formats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.vigil.core.Event;
import dev.vigil.core.FieldMap;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The JSON readers: JSON lines, a JSON array, and concatenated (pretty-printed) objects. One instance owns one Jackson
 * factory, bounded by {@link StreamReadConstraints}; objects are parsed from its token stream straight into {@code
 * FieldMap} (no data binding in the hot path) and handed to the normalisers without a copy. Not thread-safe (it is
 * used by one {@link EventReader}).
 */
final class JsonInput {
    static final int MAX_NESTING_DEPTH = 64;
    static final int MAX_STRING_LENGTH = 16 << 20;
    static final int MAX_NUMBER_LENGTH = 256;

    private final JsonFactory factory;

    private final int maxRecordBytes;
    private final TenantId tenant;

    JsonInput(TenantId tenant, int maxRecordBytes) {
        this.tenant = tenant;
        this.maxRecordBytes = maxRecordBytes;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .build();
    }

    /** One complete JSON value and nothing after it but white space. */
    private Object readComplete(JsonParser p) throws IOException {
        try (p) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new JsonParseException(p, "no JSON value");
            }
            Object value = readValue(p, t);
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "unexpected content after the JSON value");
            }
            return value;
        }
    }

    /**
     * The value starting at token {@code t}: objects as insertion-ordered {@link FieldMap}s, arrays as {@code
     * ArrayList}, whole numbers as {@code Long} ({@code BigInteger} past its range), other numbers as {@code Double}.
     * Depth is bounded by the factory's nesting limit, so the recursion is too.
     */
    static Object readValue(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                // FieldMap keeps LinkedHashMap's order and semantics without an entry object per member; small to start
                // with, as most objects of a Windows event hold one or two members (#attributes, #text).
                Map<String, Object> map = new FieldMap(4);
                String name;
                while ((name = p.nextFieldName()) != null) {
                    map.put(name, readValue(p, p.nextToken()));
                }
                if (p.currentToken() != JsonToken.END_OBJECT) {
                    throw new JsonParseException(p, "expected a field name or the end of the object");
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (next == null) {
                        throw new JsonParseException(p, "unexpected end of input in an array");
                    }
                    list.add(readValue(p, next));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? (Object) p.getBigIntegerValue()
                        : (Object) p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new JsonParseException(p, "unexpected token " + t);
        }
    }

    /** Whether {@code bytes} hold exactly one complete JSON value (with white space around it). */
    boolean isCompleteValue(byte[] bytes, int off, int len) {
        try {
            readComplete(factory.createParser(bytes, off, len));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** JSON lines: each line one value; a bad line is reported with its number and the next line still read. */
    long readLines(InputStream in, String source, Consumer<Event> sink, ProblemSink problems) throws IOException {
        LineReader lines = new LineReader(in, maxRecordBytes);
        long events = 0;
        while (lines.next()) {
            long lineNo = lines.lineNumber();
            if (lines.tooLong()) {
                problems.report(new Problem(
                        source,
                        lineNo,
                        "line longer than " + maxRecordBytes + " bytes (" + lines.skippedBytes() + "+ bytes) skipped"));
                continue;
            }
            if (lines.isBlank()) {
                continue;
            }
            Object value = parseValue(lines.bytes(), lines.offset(), lines.length(), source, lineNo, problems);
            if (value == null) {
                continue;
            }
            if (emit(value, source, lineNo, lineNo, sink, problems)) {
                events++;
            }
        }
        return events;
    }

    /**
     * Concatenated objects: the input is cut into chunks, each starting at a line that begins with an opening brace at
     * column 1, and each chunk is parsed as a sequence of values. A syntax error is reported with its line and column
     * and reading resumes at the next chunk.
     */
    long readObjects(InputStream in, String source, Consumer<Event> sink, ProblemSink problems) throws IOException {
        LineReader lines = new LineReader(in, maxRecordBytes);
        Chunk chunk = new Chunk();
        long[] position = {0};
        long events = 0;
        boolean skipping = false;
        while (lines.next()) {
            long lineNo = lines.lineNumber();
            boolean starts = lines.firstByte() == '{';
            if (starts) {
                events += chunk.flush(source, position, sink, problems);
                skipping = false;
            }
            if (skipping) {
                continue;
            }
            if (lines.tooLong()) {
                problems.report(new Problem(
                        source,
                        lineNo,
                        "line longer than " + maxRecordBytes + " bytes skipped; the object it belongs to is skipped"));
                chunk.clear();
                skipping = true;
                continue;
            }
            if (chunk.length == 0 && lines.isBlank()) {
                continue;
            }
            if (!chunk.append(lines.bytes(), lines.offset(), lines.length(), lineNo)) {
                problems.report(new Problem(
                        source, chunk.firstLine, "object longer than " + maxRecordBytes + " bytes skipped"));
                chunk.clear();
                skipping = true;
            }
        }
        events += chunk.flush(source, position, sink, problems);
        return events;
    }

    /** A JSON array (or several, or objects between them) streamed element by element. */
    long readArray(InputStream in, String source, Consumer<Event> sink, ProblemSink problems) throws IOException {
        // A Reader decodes UTF-8 with replacement, so an invalid byte sequence cannot stop the stream.
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        long events = 0;
        long position = 0;
        try (JsonParser p = factory.createParser(reader)) {
            JsonToken t;
            int depth = 0;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_ARRAY && depth == 0) {
                    depth = 1;
                    continue;
                }
                if (t == JsonToken.END_ARRAY && depth == 1) {
                    depth = 0;
                    continue;
                }
                long line = p.currentTokenLocation().getLineNr();
                position++;
                if (t == JsonToken.START_OBJECT) {
                    Object value = readValue(p, t);
                    if (emit(value, source, line, position, sink, problems)) {
                        events++;
                    }
                } else {
                    problems.report(new Problem(
                            source, line, "element " + position + " is not a JSON object but " + describe(t)));
                    p.skipChildren();
                }
            }
            if (depth != 0) {
                problems.report(new Problem(
                        source, p.currentLocation().getLineNr(), "JSON array not closed: the input is truncated"));
            }
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            problems.report(new Problem(
                    source,
                    loc == null ? 0 : Math.max(0, loc.getLineNr()),
                    "invalid JSON" + column(loc) + ": " + e.getOriginalMessage()
                            + "; the rest of the input is skipped"));
        }
        return events;
    }

    private Object parseValue(byte[] b, int off, int len, String source, long lineNo, ProblemSink problems) {
        try {
            return readComplete(factory.createParser(b, off, len));
        } catch (IOException | RuntimeException e) {
            if (!validUtf8(b, off, len)) {
                problems.report(new Problem(source, lineNo, "invalid UTF-8 replaced with U+FFFD"));
                String text = new String(b, off, len, StandardCharsets.UTF_8);
                try {
                    return readComplete(factory.createParser(text));
                } catch (IOException | RuntimeException again) {
                    report(again, source, lineNo, problems);
                    return null;
                }
            }
            report(e, source, lineNo, problems);
            return null;
        }
    }

    private static void report(Exception e, String source, long lineNo, ProblemSink problems) {
        if (e instanceof JsonProcessingException jpe) {
            problems.report(new Problem(
                    source, lineNo, "invalid JSON" + column(jpe.getLocation()) + ": " + jpe.getOriginalMessage()));
        } else {
            problems.report(new Problem(source, lineNo, "invalid JSON: " + e.getMessage()));
        }
    }

    private static String column(JsonLocation loc) {
        return loc == null || loc.getColumnNr() <= 0 ? "" : " at column " + loc.getColumnNr();
    }

    private static boolean validUtf8(byte[] b, int off, int len) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, off, len));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private boolean emit(
            Object value, String source, long line, long position, Consumer<Event> sink, ProblemSink problems) {
        if (value instanceof Map<?, ?> map) {
            sink.accept(JsonEventNormalizer.normalize((Map<String, Object>) map, source, position, tenant));
            return true;
        }
        problems.report(new Problem(source, line, "not a JSON object but " + describe(value)));
        return false;
    }

    private static String describe(Object value) {
        if (value instanceof JsonToken t) {
            return switch (t) {
                case START_ARRAY -> "an array";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                default -> t.toString();
            };
        }
        if (value instanceof java.util.List<?>) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return "null";
    }

    /** The lines of one chunk of concatenated objects. */
    private final class Chunk {
        byte[] bytes = new byte[1 << 14];
        int length;
        long firstLine;

        boolean append(byte[] b, int off, int len, long lineNo) {
            if (length == 0) {
                firstLine = lineNo;
            }
            long needed = (long) length + len + 1;
            if (needed > maxRecordBytes) {
                return false;
            }
            if (needed > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(Math.max(needed, bytes.length * 2L), maxRecordBytes));
            }
            System.arraycopy(b, off, bytes, length, len);
            length += len;
            bytes[length++] = '\n';
            return true;
        }

        void clear() {
            length = 0;
            if (bytes.length > 1 << 20) {
                bytes = new byte[1 << 14];
            }
        }

        long flush(String source, long[] position, Consumer<Event> sink, ProblemSink problems) throws IOException {
            if (length == 0) {
                return 0;
            }
            long events;
            try {
                if (validUtf8(bytes, 0, length)) {
                    events = parse(factory.createParser(bytes, 0, length), source, position, sink, problems);
                } else {
                    problems.report(new Problem(source, firstLine, "invalid UTF-8 replaced with U+FFFD"));
                    String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
                    events = parse(factory.createParser(text), source, position, sink, problems);
                }
            } finally {
                clear();
            }
            return events;
        }

        private long parse(JsonParser p, String source, long[] position, Consumer<Event> sink, ProblemSink problems)
                throws IOException {
            long events = 0;
            try (p) {
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    long line = firstLine + p.currentTokenLocation().getLineNr() - 1;
                    if (t == JsonToken.START_OBJECT) {
                        Object value = readValue(p, t);
                        position[0]++;
                        if (emit(value, source, line, position[0], sink, problems)) {
                            events++;
                        }
                    } else {
                        problems.report(new Problem(source, line, "expected a JSON object but found " + describe(t)));
                        p.skipChildren();
                    }
                }
            } catch (JsonProcessingException e) {
                JsonLocation loc = e.getLocation();
                long line = loc == null || loc.getLineNr() <= 0 ? firstLine : firstLine + loc.getLineNr() - 1;
                problems.report(new Problem(
                        source,
                        line,
                        "invalid JSON" + column(loc) + ": " + e.getOriginalMessage()
                                + "; skipped to the next line starting with '{'"));
            }
            return events;
        }
    }
}
