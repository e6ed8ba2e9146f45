package dev.vigil.formats;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextFormat;
import dev.vigil.formats.text.TextFormats;
import dev.vigil.formats.text.TextParser;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads event files of any supported {@link EventFormat}, detecting the format from the content (never the file name)
 * and decompressing gzip transparently. Everything that cannot be read, a bad line, a truncated array, an unsupported
 * file, is reported to the {@link ProblemSink} with the file and line, and the rest of the file is still read.
 *
 * <p>An instance owns one bounded Jackson parser factory and mapper; reuse it for many files. It counts the events
 * and problems of all files it has read. Not thread-safe: use one instance per thread.
 */
public final class EventReader {
    /** The longest line (and the largest pretty-printed object) read: 16 MiB. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 << 20;

    private static final int BUFFER = 1 << 16;
    private static final int PEEK = 1 << 16;
    /** The non-blank lines that decide between JSON lines and concatenated objects. */
    private static final int SAMPLE_JSON_LINES = 8;

    private final ReadOptions options;
    private final int maxRecordBytes;
    private final JsonInput json;
    private TextFormat detectedText;
    private long events;
    private long problems;
    private long files;

    public EventReader(ReadOptions options) {
        this(options, DEFAULT_MAX_RECORD_BYTES);
    }

    /** A reader whose lines and objects may be at most {@code maxRecordBytes} long. */
    public EventReader(ReadOptions options, int maxRecordBytes) {
        this.options = requireNonNull(options, "options");
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes < 1");
        }
        this.maxRecordBytes = maxRecordBytes;
        this.json = new JsonInput(options.tenant(), maxRecordBytes);
    }

    /**
     * Reads one file, passing each event to {@code sink} and each problem to {@code problems}.
     *
     * @throws IOException when the file cannot be opened; problems in its content are reported, not thrown
     */
    public ReadSummary read(Path file, Consumer<Event> sink, ProblemSink problems) throws IOException {
        String source = file.toString();
        long[] count = {0};
        ProblemSink counting = p -> {
            count[0]++;
            problems.report(p);
        };
        long[] emitted = {0};
        Consumer<Event> counted = e -> {
            emitted[0]++;
            sink.accept(e);
        };
        files++;
        EventFormat format = null;
        boolean gzip = false;
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = new BufferedInputStream(raw, BUFFER);
            try {
                byte[] head = peek(in, 8);
                if (head.length >= 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b) {
                    gzip = true;
                    in = new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
                    head = peek(in, 8);
                }
                format = options.format() != null ? options.format() : detect(in, head);
                if (format == null) {
                    if (isBlank(in)) {
                        counting.report(new Problem(source, 0, "empty file: no events"));
                    } else {
                        counting.report(new Problem(
                                source,
                                0,
                                "unsupported format: not EVTX, JSON, a text log nor gzip of these"
                                        + " (first bytes "
                                        + HexFormat.ofDelimiter(" ").formatHex(peek(in, 8)) + ")"));
                    }
                } else {
                    dispatch(format, file, gzip, in, source, counted, counting);
                }
            } catch (IOException e) {
                counting.report(new Problem(
                        source,
                        0,
                        "read failed" + (gzip ? " (gzip data corrupt or truncated?)" : "") + " after " + emitted[0]
                                + " events: " + e));
            }
        }
        events += emitted[0];
        this.problems += count[0];
        return new ReadSummary(source, format, gzip, emitted[0], count[0]);
    }

    private long dispatch(
            EventFormat format,
            Path file,
            boolean gzip,
            InputStream in,
            String source,
            Consumer<Event> sink,
            ProblemSink problems)
            throws IOException {
        return switch (format) {
            case EVTX -> gzip ? readGzippedEvtx(in, source, sink, problems) : readEvtx(file, source, sink, problems);
            case JSON_LINES -> json.readLines(in, source, sink, problems);
            case JSON_OBJECTS -> json.readObjects(in, source, sink, problems);
            case JSON_ARRAY -> json.readArray(skipBom(in), source, sink, problems);
            case TEXT -> readText(in, source, sink, problems);
        };
    }

    /** Reads a text log with the forced text format, or the one that best fits its first lines. */
    private long readText(InputStream in, String source, Consumer<Event> sink, ProblemSink problems)
            throws IOException {
        TextFormat format;
        if (options.textFormat() != null) {
            format = TextFormats.byName(options.textFormat())
                    .orElseThrow(() -> new IllegalArgumentException("unknown text format " + options.textFormat()));
        } else {
            format = detectedText != null
                    ? detectedText
                    : TextFormats.detect(sampleLines(in)).orElse(null);
            detectedText = null;
            if (format == null) {
                problems.report(new Problem(
                        source,
                        0,
                        "unsupported format: binary data, not a log format Vigil reads" + " (first bytes "
                                + HexFormat.ofDelimiter(" ").formatHex(peek(in, 8)) + ")"));
                return 0;
            }
        }
        TextParser parser = format.newParser(TextContext.of(source, options.tenant()));
        LineReader lines = new LineReader(in, maxRecordBytes);
        long[] events = {0};
        Consumer<Event> counted = e -> {
            events[0]++;
            sink.accept(e);
        };
        while (lines.next()) {
            long lineNo = lines.lineNumber();
            if (lines.tooLong()) {
                problems.report(new Problem(
                        source,
                        lineNo,
                        "line longer than " + maxRecordBytes + " bytes (" + lines.skippedBytes() + "+ bytes) skipped"));
                continue;
            }
            String line = new String(lines.bytes(), lines.offset(), lines.length(), StandardCharsets.UTF_8);
            try {
                parser.line(line, lineNo, counted, problems);
            } catch (StopReading e) {
                throw e;
            } catch (RuntimeException e) {
                // A parser bug must not cost the rest of the file; report it like bad input.
                problems.report(new Problem(source, lineNo, format.name() + " parser failed: " + e));
            }
        }
        parser.end(counted, problems);
        return events[0];
    }

    /** The first non-blank lines in the peek window, decoded as UTF-8. */
    private static List<String> sampleLines(InputStream in) throws IOException {
        byte[] window = peek(in, PEEK);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= window.length && out.size() < TextFormats.SAMPLE_LINES; i++) {
            if (i == window.length || window[i] == '\n') {
                if (i == window.length && window.length == PEEK && !out.isEmpty()) {
                    break; // a partial last line would mislead the detectors
                }
                int end = i > start && window[i - 1] == '\r' ? i - 1 : i;
                String line = new String(window, start, end - start, StandardCharsets.UTF_8);
                if (!line.isBlank()) {
                    out.add(line);
                }
                start = i + 1;
            }
        }
        return out;
    }

    private long readEvtx(Path file, String source, Consumer<Event> sink, ProblemSink problems) throws IOException {
        return EvtxInput.read(file, source, options.tenant(), sink, problems);
    }

    private long readGzippedEvtx(InputStream in, String source, Consumer<Event> sink, ProblemSink problems)
            throws IOException {
        // The EVTX reader needs random access: decompress to a private temporary file first.
        Path temp = Files.createTempFile("vigil-", ".evtx");
        try {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            return EvtxInput.read(temp, source, options.tenant(), sink, problems);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The format of the content at {@code in}'s position, or {@code null} when it is none (or empty). */
    private EventFormat detect(InputStream in, byte[] head) throws IOException {
        if (EvtxInput.isEvtx(head)) {
            return EventFormat.EVTX;
        }
        byte[] window = peek(in, PEEK);
        int i = 0;
        if (window.length >= 3
                && (window[0] & 0xFF) == 0xEF
                && (window[1] & 0xFF) == 0xBB
                && (window[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        while (i < window.length && isSpace(window[i])) {
            i++;
        }
        if (i >= window.length) {
            return null; // blank (or a window of white space: nothing recognisable)
        }
        if (window[i] == '[' && looksLikeJsonArray(window, i)) {
            return EventFormat.JSON_ARRAY;
        }
        if (isEvtxDumpJson(window, i)) {
            return EventFormat.JSON_OBJECTS;
        }
        if (window[i] != '{') {
            detectedText = TextFormats.detect(sampleLines(in)).orElse(null);
            return detectedText == null ? null : EventFormat.TEXT;
        }
        return looksLikeJsonLines(window, i) ? EventFormat.JSON_LINES : EventFormat.JSON_OBJECTS;
    }

    /**
     * Whether the window's first lines are mostly one JSON object each: at least half of the first {@value
     * #SAMPLE_JSON_LINES} non-blank complete lines, so that a truncated first line or one with invalid UTF-8 does not
     * make JSON lines read as concatenated objects (and shift every record number). Lines of pretty-printed objects
     * ({@code {}, {@code "key": value,}) are not objects alone. A first line longer than the window is not the start of
     * a pretty-printed object either.
     */
    private boolean looksLikeJsonLines(byte[] window, int from) {
        int sampled = 0;
        int objects = 0;
        for (int start = from; start < window.length && sampled < SAMPLE_JSON_LINES; ) {
            int end = start;
            while (end < window.length && window[end] != '\n') {
                end++;
            }
            if (end == window.length && window.length == PEEK) {
                if (sampled == 0) {
                    return true;
                }
                break; // a partial last line would mislead
            }
            int s = start;
            int e = end;
            while (s < e && isSpace(window[s])) {
                s++;
            }
            while (e > s && isSpace(window[e - 1])) {
                e--;
            }
            if (s < e) {
                sampled++;
                if (window[s] == '{' && json.isCompleteValue(new String(window, s, e - s, StandardCharsets.UTF_8))) {
                    objects++;
                }
            }
            start = end + 1;
        }
        return objects > 0 && objects * 2 >= sampled;
    }

    /** Whether the window starts with evtx_dump's default JSON output: a {@code Record N} line, then an object. */
    private static boolean isEvtxDumpJson(byte[] window, int i) {
        int end = i;
        while (end < window.length && window[end] != '\n') {
            end++;
        }
        if (window[i] != 'R' || end == window.length || JsonInput.evtxDumpRecord(window, i, end - i) < 0) {
            return false;
        }
        int next = end;
        while (next < window.length && isSpace(window[next])) {
            next++;
        }
        return next < window.length && window[next] == '{';
    }

    /** {@code [} followed by a JSON value start, not a text log line such as {@code [Sun Mar 07 ...] [error]}. */
    private static boolean looksLikeJsonArray(byte[] window, int i) {
        int j = i + 1;
        while (j < window.length && isSpace(window[j])) {
            j++;
        }
        if (j >= window.length) {
            return true;
        }
        byte b = window[j];
        return b == '{'
                || b == '['
                || b == ']'
                || b == '"'
                || b == '-'
                || (b >= '0' && b <= '9')
                || b == 't'
                || b == 'f'
                || b == 'n';
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private static boolean isBlank(InputStream in) throws IOException {
        byte[] window = peek(in, PEEK);
        for (byte b : window) {
            if (!isSpace(b)) {
                return false;
            }
        }
        return window.length < PEEK;
    }

    private static InputStream skipBom(InputStream in) throws IOException {
        byte[] head = peek(in, 3);
        if (head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            in.skipNBytes(3);
        }
        return in;
    }

    /** Up to {@code n} bytes from {@code in} without consuming them ({@code in} supports mark). */
    private static byte[] peek(InputStream in, int n) throws IOException {
        in.mark(n);
        try {
            return in.readNBytes(n);
        } finally {
            in.reset();
        }
    }

    /** Events passed to sinks by this reader, over all files. */
    public long eventsRead() {
        return events;
    }

    /** Problems reported by this reader, over all files. */
    public long problemsReported() {
        return problems;
    }

    /** Files this reader has read (or tried to). */
    public long filesRead() {
        return files;
    }

    /** The longest line or object this reader accepts. */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public ReadOptions options() {
        return options;
    }
}
