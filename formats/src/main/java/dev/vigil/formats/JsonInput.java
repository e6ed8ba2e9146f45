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

    /** What {@code parseValue} returns for input that is not JSON (a JSON {@code null} is {@code null}). */
    private static final Object INVALID = new Object();

    private static final byte[] RECORD = "Record ".getBytes(StandardCharsets.US_ASCII);

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

    /** Whether {@code text} holds exactly one complete JSON value (with white space around it). */
    boolean isCompleteValue(String text) {
        try {
            readComplete(factory.createParser(text));
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
            if (value == INVALID) {
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
     * and reading resumes at the next chunk. The {@code Record N} line evtx_dump writes before each object also starts
     * a chunk, and numbers the object that follows (when it has no EventRecordID of its own).
     */
    long readObjects(InputStream in, String source, Consumer<Event> sink, ProblemSink problems) throws IOException {
        LineReader lines = new LineReader(in, maxRecordBytes);
        Chunk chunk = new Chunk();
        long[] position = {0};
        long events = 0;
        boolean skipping = false;
        while (lines.next()) {
            long lineNo = lines.lineNumber();
            long record = lines.firstByte() == 'R' ? evtxDumpRecord(lines.bytes(), lines.offset(), lines.length()) : -1;
            if (record >= 0) {
                events += chunk.flush(source, position, sink, problems);
                skipping = false;
                position[0] = record - 1;
                continue;
            }
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

    /**
     * A JSON array (or several, or values between them), cut into elements by a scan that follows only strings and
     * brackets; each element is then parsed on its own. An element that breaks a limit (nesting, size) or is not valid
     * JSON is reported with its line and skipped, and the next one is read, so one bad element cannot hide the rest.
     * An element longer than the record limit is skipped as it streams past, never held whole. Only broken structure
     * between elements (a stray bracket, a missing comma) ends the input: where the next element starts is lost.
     */
    long readArray(InputStream in, String source, Consumer<Event> sink, ProblemSink problems) throws IOException {
        return new ArrayScan(in, source, sink, problems).run();
    }

    /** N when {@code b[off, off + len)} is evtx_dump's {@code Record N} line, else -1. */
    static long evtxDumpRecord(byte[] b, int off, int len) {
        int end = off + len;
        while (end > off && (b[end - 1] == ' ' || b[end - 1] == '\t' || b[end - 1] == '\r')) {
            end--;
        }
        int digits = off + RECORD.length;
        if (end <= digits || end - digits > 18 || !Arrays.equals(b, off, digits, RECORD, 0, RECORD.length)) {
            return -1;
        }
        long n = 0;
        for (int i = digits; i < end; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            n = n * 10 + (b[i] - '0');
        }
        return n;
    }

    private Object parseValue(byte[] b, int off, int len, String source, long lineNo, ProblemSink problems) {
        return parseValue(b, off, len, source, lineNo, 1, "", problems);
    }

    /**
     * The value in {@code b}, or {@link #INVALID} when it is not valid JSON (reported). {@code lineNo} and {@code
     * column} are where the value starts in its file; {@code after} ends the message of a problem.
     */
    private Object parseValue(
            byte[] b, int off, int len, String source, long lineNo, long column, String after, ProblemSink problems) {
        try {
            return readComplete(factory.createParser(b, off, len));
        } catch (IOException | RuntimeException e) {
            if (!validUtf8(b, off, len)) {
                problems.report(new Problem(source, lineNo, "invalid UTF-8 replaced with U+FFFD"));
                String text = new String(b, off, len, StandardCharsets.UTF_8);
                try {
                    return readComplete(factory.createParser(text));
                } catch (IOException | RuntimeException again) {
                    problems.report(invalid(again, source, lineNo, column, after));
                    return INVALID;
                }
            }
            problems.report(invalid(e, source, lineNo, column, after));
            return INVALID;
        }
    }

    /** The problem for a value that is not valid JSON, located in its file from where the value starts. */
    private static Problem invalid(Exception e, String source, long lineNo, long column, String after) {
        if (!(e instanceof JsonProcessingException jpe)) {
            return new Problem(source, lineNo, "invalid JSON: " + e.getMessage() + after);
        }
        JsonLocation loc = jpe.getLocation();
        if (loc != null && loc.getLineNr() > 1) {
            lineNo += loc.getLineNr() - 1;
            column = 1;
        }
        String at = loc == null || loc.getColumnNr() <= 0 ? "" : " at column " + (loc.getColumnNr() + column - 1);
        return new Problem(source, lineNo, "invalid JSON" + at + ": " + jpe.getOriginalMessage() + after);
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

    /** The scan of {@link #readArray}: finds each element's bytes and hands them to the parser one at a time. */
    private final class ArrayScan {
        private final InputStream in;
        private final String source;
        private final Consumer<Event> sink;
        private final ProblemSink problems;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int limit;
        private long bufStart; // the file offset of buf[0]
        private long line = 1;
        private long lineStart; // the file offset of the current line's first byte
        private byte[] element = new byte[1 << 14];
        private int elementLength;
        private long elementSize; // all its bytes, those past the record limit included

        ArrayScan(InputStream in, String source, Consumer<Event> sink, ProblemSink problems) {
            this.in = in;
            this.source = source;
            this.sink = sink;
            this.problems = problems;
        }

        long run() throws IOException {
            long events = 0;
            long position = 0;
            boolean inArray = false;
            boolean afterElement = false; // in an array: a comma or its end must come next
            boolean afterComma = false; // in an array: an element must come next
            int b;
            while ((b = nextNonSpace()) >= 0) {
                long elementLine = line;
                long column = bufStart + pos - lineStart + 1;
                if (inArray && b == ',' && afterElement) {
                    pos++;
                    afterElement = false;
                    afterComma = true;
                    continue;
                }
                if (inArray && b == ']' && !afterComma) {
                    pos++;
                    inArray = false;
                    afterElement = false;
                    continue;
                }
                if (!inArray && b == '[') {
                    pos++;
                    inArray = true;
                    continue;
                }
                if (afterElement || b == ',' || b == ']' || b == '}' || b == ':') {
                    problems.report(new Problem(
                            source,
                            elementLine,
                            "invalid JSON at column " + column + ": unexpected " + describeByte(b)
                                    + (position > 0 ? " after element " + position : "")
                                    + "; the rest of the input is skipped"));
                    return events;
                }
                position++;
                boolean complete = scanElement();
                afterElement = inArray;
                afterComma = false;
                String truncated = complete ? "" : "; the input is truncated";
                if (elementSize > maxRecordBytes) {
                    problems.report(new Problem(
                            source,
                            elementLine,
                            "element " + position + " longer than " + maxRecordBytes + " bytes (" + elementSize
                                    + " bytes) skipped" + truncated));
                } else {
                    String after = complete ? "; element " + position + " skipped" : truncated;
                    Object value = parseValue(element, 0, elementLength, source, elementLine, column, after, problems);
                    if (value instanceof Map<?, ?>) {
                        if (emit(value, source, elementLine, position, sink, problems)) {
                            events++;
                        }
                    } else if (value != INVALID) {
                        problems.report(new Problem(
                                source,
                                elementLine,
                                "element " + position + " is not a JSON object but " + describe(value)));
                    }
                }
                if (element.length > 1 << 20) {
                    element = new byte[1 << 14];
                }
                if (!complete) {
                    return events; // the element's problem says the input ends in it
                }
            }
            if (inArray) {
                problems.report(new Problem(source, line, "JSON array not closed: the input is truncated"));
            }
            return events;
        }

        /**
         * Reads the element (an object, array, string or bare scalar) that starts at {@code pos} into {@code element},
         * keeping at most the record limit of it; false when the input ends inside it. Nesting is only counted here:
         * the parser applies the nesting limit to the element alone, so a too-deep one costs no more than its bytes.
         */
        private boolean scanElement() throws IOException {
            elementLength = 0;
            elementSize = 0;
            byte first = buf[pos];
            boolean bare = first != '{' && first != '[' && first != '"';
            boolean inString = false;
            boolean escaped = false;
            int depth = 0;
            int start = pos;
            while (true) {
                if (pos >= limit) {
                    keep(start, pos);
                    if (!fill()) {
                        return bare;
                    }
                    start = pos;
                }
                byte c = buf[pos];
                if (bare) {
                    if (endsBareValue(c)) {
                        keep(start, pos);
                        return true;
                    }
                } else if (inString) {
                    if (escaped) {
                        escaped = false;
                    } else if (c == '\\') {
                        escaped = true;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                }
                if (c == '\n') {
                    line++;
                    lineStart = bufStart + pos + 1;
                }
                pos++;
                if (!bare && depth == 0 && !inString) {
                    keep(start, pos);
                    return true;
                }
            }
        }

        /** Adds {@code buf[from, to)} to the element while it fits the record limit; counts it either way. */
        private void keep(int from, int to) {
            int n = to - from;
            elementSize += n;
            if (elementSize > maxRecordBytes) {
                return;
            }
            if (elementSize > element.length) {
                element = Arrays.copyOf(
                        element, (int) Math.min(Math.max(elementSize, element.length * 2L), maxRecordBytes));
            }
            System.arraycopy(buf, from, element, elementLength, n);
            elementLength += n;
        }

        /** The next byte that is not white space, not consumed; -1 at the end of the input. */
        private int nextNonSpace() throws IOException {
            while (true) {
                if (pos >= limit && !fill()) {
                    return -1;
                }
                byte c = buf[pos];
                if (!isSpace(c)) {
                    return c & 0xFF;
                }
                if (c == '\n') {
                    line++;
                    lineStart = bufStart + pos + 1;
                }
                pos++;
            }
        }

        private boolean fill() throws IOException {
            int n;
            do {
                n = in.read(buf, 0, buf.length);
            } while (n == 0);
            if (n < 0) {
                return false;
            }
            bufStart += limit;
            pos = 0;
            limit = n;
            return true;
        }

        private static boolean isSpace(byte c) {
            return c == ' ' || c == '\t' || c == '\r' || c == '\n';
        }

        /** Whether {@code c} ends a number or literal ({@code true}, {@code null}, or garbage) that it follows. */
        private static boolean endsBareValue(byte c) {
            return isSpace(c) || c == ',' || c == ':' || c == ']' || c == '}' || c == '[' || c == '{' || c == '"';
        }

        private static String describeByte(int b) {
            return b >= 0x21 && b < 0x7F ? "'" + (char) b + "'" : String.format("byte 0x%02X", b);
        }
    }
}
