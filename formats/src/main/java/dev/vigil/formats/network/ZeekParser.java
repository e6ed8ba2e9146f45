package dev.vigil.formats.network;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.SourceRef;
import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Parses a Zeek TSV log, honouring its headers (which may change mid-file, as when logs are concatenated).
 *
 * <p>Each entry becomes an event whose fields are named as in {@code #fields} ({@code id.orig_h}, {@code query}, ...),
 * typed by {@code #types}: the unset field ({@code -}) leaves the field out, the empty field ({@code (empty)}) gives an
 * empty string or list, {@code set[...]}/{@code vector[...]} give lists, {@code count}/{@code int}/{@code port} Long,
 * {@code interval}/{@code double} Double, {@code bool} Boolean, {@code time} an ISO-8601 UTC string (the first
 * {@code time} column, normally {@code ts}, is also the event's timestamp); {@code \xHH} escapes are decoded. A line
 * whose column count differs from {@code #fields} is reported and skipped. ECS fields are added by {@link ZeekEcs}.
 */
public final class ZeekParser implements TextParser {
    private final TextContext context;
    private String separator = "\t";
    private String setSeparator = ",";
    private String emptyField = "(empty)";
    private String unsetField = "-";
    private String path;
    private String[] names;
    private String[] types;
    private boolean missingHeaderReported;

    /** A parser for one file. */
    public ZeekParser(TextContext context) {
        this.context = context;
    }

    @Override
    public void line(String line, long lineNumber, Consumer<Event> out, ProblemSink problems) {
        if (line.isEmpty()) {
            return;
        }
        if (line.charAt(0) == '#') {
            header(line);
            return;
        }
        if (names == null) {
            if (!missingHeaderReported) {
                missingHeaderReported = true;
                problems.report(
                        new Problem(context.source(), lineNumber, "Zeek entry before any #fields header, skipped"));
            }
            return;
        }
        String[] cols = split(line, separator);
        if (cols.length != names.length) {
            problems.report(new Problem(
                    context.source(),
                    lineNumber,
                    "Zeek entry has " + cols.length + " columns, #fields names " + names.length + "; skipped"));
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>(names.length * 3);
        Instant time = null;
        for (int i = 0; i < cols.length; i++) {
            String raw = cols[i];
            if (raw.equals(unsetField)) {
                continue;
            }
            String type = types != null && i < types.length ? types[i] : "string";
            Object value;
            if ("time".equals(type) && !raw.equals(emptyField)) {
                Instant t = NetFields.time(raw);
                if (t == null) {
                    problems.report(new Problem(
                            context.source(), lineNumber, "Zeek field " + names[i] + " is not a valid time: " + raw));
                    value = unescape(raw);
                } else {
                    value = NetFields.iso(t);
                    if (time == null) {
                        time = t;
                    }
                }
            } else {
                try {
                    value = convert(raw, type);
                } catch (RuntimeException e) {
                    problems.report(new Problem(
                            context.source(),
                            lineNumber,
                            "Zeek field " + names[i] + " is not a valid " + type + ": " + raw));
                    value = unescape(raw);
                }
            }
            fields.put(names[i], value);
        }
        if (time != null) {
            fields.put("@timestamp", NetFields.iso(time));
        }
        ZeekEcs.apply(path, fields);
        out.accept(Event.builder()
                .tenant(context.tenant())
                .fields(fields)
                .original(line)
                .logSource(ZeekEcs.logSource(path))
                .timestamp(time)
                .source(new SourceRef(context.source(), lineNumber))
                .build());
    }

    private void header(String line) {
        if (line.startsWith("#separator")) {
            String v = line.substring("#separator".length()).strip();
            separator = unescape(v);
            if (separator.isEmpty()) {
                separator = "\t";
            }
            return;
        }
        int sp = line.indexOf(separator);
        if (sp < 0) {
            return; // "#close" and comments
        }
        String key = line.substring(1, sp);
        String value = line.substring(sp + separator.length());
        switch (key) {
            case "set_separator" -> setSeparator = unescape(value);
            case "empty_field" -> emptyField = value;
            case "unset_field" -> unsetField = value;
            case "path" -> path = value;
            case "fields" -> {
                names = split(value, separator);
                types = null;
            }
            case "types" -> types = split(value, separator);
            default -> {
                // #open, #close
            }
        }
    }

    private Object convert(String raw, String type) {
        int bracket = type.indexOf('[');
        if (bracket > 0 && type.endsWith("]")) {
            if (raw.equals(emptyField)) {
                return List.of();
            }
            String inner = type.substring(bracket + 1, type.length() - 1);
            List<Object> out = new ArrayList<>();
            for (String part : split(raw, setSeparator)) {
                out.add(part.equals(unsetField) ? null : scalar(part, inner));
            }
            return out;
        }
        if (raw.equals(emptyField)) {
            return "";
        }
        return scalar(raw, type);
    }

    private static Object scalar(String raw, String type) {
        return switch (type) {
            case "count", "int", "port" -> Long.parseLong(raw);
            case "interval", "double" -> Double.parseDouble(raw);
            case "bool" ->
                switch (raw) {
                    case "T" -> Boolean.TRUE;
                    case "F" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException(raw);
                };
            case "time" -> NetFields.iso(requireTime(raw));
            default -> unescape(raw);
        };
    }

    private static Instant requireTime(String raw) {
        Instant t = NetFields.time(raw);
        if (t == null) {
            throw new IllegalArgumentException(raw);
        }
        return t;
    }

    private static String[] split(String s, String sep) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (true) {
            int i = s.indexOf(sep, start);
            if (i < 0) {
                parts.add(s.substring(start));
                return parts.toArray(String[]::new);
            }
            parts.add(s.substring(start, i));
            start = i + sep.length();
        }
    }

    /** Decodes Zeek's {@code \xHH} escapes (bytes, as UTF-8). */
    static String unescape(String s) {
        int i = s.indexOf("\\x");
        if (i < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        int last = 0;
        while (i >= 0 && i + 4 <= s.length()) {
            int hi = Character.digit(s.charAt(i + 2), 16);
            int lo = Character.digit(s.charAt(i + 3), 16);
            if (hi < 0 || lo < 0) {
                i = s.indexOf("\\x", i + 2);
                continue;
            }
            byte[] plain = s.substring(last, i).getBytes(StandardCharsets.UTF_8);
            bytes.write(plain, 0, plain.length);
            bytes.write(hi * 16 + lo);
            last = i + 4;
            i = s.indexOf("\\x", last);
        }
        byte[] rest = s.substring(last).getBytes(StandardCharsets.UTF_8);
        bytes.write(rest, 0, rest.length);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
