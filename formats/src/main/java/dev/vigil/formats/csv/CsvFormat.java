package dev.vigil.formats.csv;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.SourceRef;
import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextFormat;
import dev.vigil.formats.text.TextParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Comma-separated values with a header line (RFC 4180): the header's names become the field names of each row's event,
 * as the source wrote them. Quoted fields may hold commas, doubled quotes and line breaks, so a record may span lines
 * (at most {@link #MAX_RECORD_LINES} lines and {@link #MAX_RECORD_CHARS} characters).
 *
 * <p>The event time comes from the first column named {@code @timestamp}, {@code timestamp}, {@code time}, {@code
 * date}, {@code datetime}, {@code _time}, {@code ts} or {@code eventtime} (any case) whose value parses: ISO 8601 with
 * or without offset (without, the {@link TextContext#defaultZone()} applies), a date, or epoch seconds or
 * milliseconds; it is also put in {@code @timestamp} when the file has no such column.
 *
 * <p>Problems, each reported with the line where its record starts, the parser going on at the next line: a quote in
 * the middle of an unquoted field and a quote left open at the end of the file or past the record bounds (the record
 * is dropped and reading resumes at the line after its first); a row with fewer or more columns than the header
 * (emitted with the columns it has, extra ones named {@code column<n>}). The log source is unknown: a CSV file can
 * hold anything.
 */
public final class CsvFormat implements TextFormat {
    /** The most lines one quoted record may span. */
    public static final int MAX_RECORD_LINES = 1000;
    /** The most characters one record may hold. */
    public static final int MAX_RECORD_CHARS = 1 << 20;

    /** Time column names, in order of preference. */
    private static final List<String> TIME_COLUMNS =
            List.of("@timestamp", "timestamp", "datetime", "time", "date", "_time", "eventtime", "ts");

    @Override
    public String name() {
        return "csv";
    }

    @Override
    public String description() {
        return "comma-separated values with a header line (RFC 4180)";
    }

    /**
     * 50 when the first line is a header of at least two identifier-like names (a letter, {@code _} or {@code @} first,
     * no white space around) and at least 80% of the following
     * sample lines that hold whole records have as many columns; else 0.
     */
    @Override
    public int score(List<String> sample) {
        if (sample.size() < 2) {
            return 0;
        }
        List<String> header = split(sample.get(0));
        if (header == null || header.size() < 2) {
            return 0;
        }
        for (String h : header) {
            if (!isIdentifier(h)) {
                return 0;
            }
        }
        int whole = 0;
        int same = 0;
        for (int i = 1; i < sample.size(); i++) {
            List<String> row = split(sample.get(i));
            if (row != null) {
                whole++;
                if (row.size() == header.size()) {
                    same++;
                }
            }
        }
        return whole > 0 && same * 10 >= whole * 8 ? 50 : 0;
    }

    private static boolean isIdentifier(String t) {
        if (t.isEmpty() || t.length() > 64 || !t.strip().equals(t)) {
            return false;
        }
        char first = t.charAt(0);
        if (!(Character.isLetter(first) || first == '_' || first == '@')) {
            return false;
        }
        for (int i = 1; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(Character.isLetterOrDigit(c)
                    || c == '_'
                    || c == '.'
                    || c == '-'
                    || c == ' '
                    || c == '@'
                    || c == '('
                    || c == ')'
                    || c == '/')) {
                return false;
            }
        }
        return true;
    }

    /** The fields of one complete line, or {@code null} when it is not a whole valid record. */
    static List<String> split(String line) {
        Splitter s = new Splitter();
        return s.feed(line) == Splitter.DONE ? s.values : null;
    }

    @Override
    public TextParser newParser(TextContext context) {
        return new Parser(context);
    }

    /** An RFC 4180 record splitter fed line by line. */
    static final class Splitter {
        static final int DONE = 0;
        static final int MORE = 1;
        static final int BROKEN = 2;

        final List<String> values = new ArrayList<>();
        private final StringBuilder field = new StringBuilder();
        private boolean inQuotes;
        private boolean afterQuote;
        private boolean fieldStarted;
        String error;

        /** Feeds the next line of the record; DONE, MORE (a quoted field continues) or BROKEN ({@link #error}). */
        int feed(String line) {
            if (inQuotes) {
                field.append('\n');
            }
            int n = line.length();
            for (int i = 0; i < n; i++) {
                if (!inQuotes && !afterQuote && !fieldStarted) {
                    // fast path: a whole unquoted field up to the next comma, without copying it char by char
                    int end = i;
                    char e = 0;
                    while (end < n && (e = line.charAt(end)) != ',' && e != '"') {
                        end++;
                    }
                    if (end == n || e == ',') {
                        values.add(line.substring(i, end));
                        if (end == n) {
                            return DONE;
                        }
                        i = end;
                        continue;
                    }
                }
                char c = line.charAt(i);
                if (inQuotes) {
                    int q = line.indexOf('"', i);
                    if (q < 0) {
                        field.append(line, i, n);
                        break;
                    }
                    field.append(line, i, q);
                    i = q;
                    if (q + 1 < n && line.charAt(q + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        inQuotes = false;
                        afterQuote = true;
                    }
                } else if (c == ',') {
                    values.add(field.toString());
                    field.setLength(0);
                    afterQuote = false;
                    fieldStarted = false;
                    if (i == n - 1) {
                        values.add("");
                        return DONE;
                    }
                } else if (afterQuote) {
                    if (c != ' ' && c != '\t') {
                        error = "text after a closing quote at column " + (i + 1);
                        return BROKEN;
                    }
                } else if (c == '"') {
                    if (fieldStarted) {
                        error = "quote in the middle of an unquoted field at column " + (i + 1);
                        return BROKEN;
                    }
                    inQuotes = true;
                    fieldStarted = true;
                } else {
                    field.append(c);
                    fieldStarted = true;
                }
            }
            if (inQuotes) {
                return MORE;
            }
            values.add(field.toString());
            return DONE;
        }

        int length() {
            return field.length();
        }
    }

    private static final class Parser implements TextParser {
        private final TextContext context;
        private List<String> header;
        private int timeColumn = -1;
        private boolean hasTimestampColumn;
        private Splitter pending;
        private final List<String> pendingLines = new ArrayList<>();
        private long pendingStart;

        Parser(TextContext context) {
            this.context = context;
        }

        @Override
        public void line(String line, long lineNumber, Consumer<Event> out, ProblemSink problems) {
            if (pending == null) {
                if (line.isBlank()) {
                    return;
                }
                pending = new Splitter();
                pendingStart = lineNumber;
            }
            pendingLines.add(line);
            int state = pending.feed(line);
            if (state == Splitter.DONE) {
                record(pending.values, String.join("\n", pendingLines), pendingStart, out, problems);
                reset();
            } else if (state == Splitter.BROKEN) {
                problems.report(new Problem(
                        context.source(),
                        pendingStart,
                        "broken CSV record: " + pending.error
                                + (pendingLines.size() > 1 ? " (on line " + lineNumber + ")" : "")
                                + "; record skipped"));
                resync(lineNumber, out, problems);
            } else if (pendingLines.size() >= MAX_RECORD_LINES || pending.length() > MAX_RECORD_CHARS) {
                problems.report(new Problem(
                        context.source(),
                        pendingStart,
                        "quoted field not closed within " + pendingLines.size() + " lines; record skipped"));
                resync(lineNumber, out, problems);
            }
        }

        /** Drops the record that failed and reads again from the line after its first. */
        private void resync(long lineNumber, Consumer<Event> out, ProblemSink problems) {
            List<String> again = new ArrayList<>(pendingLines.subList(1, pendingLines.size()));
            long first = pendingStart + 1;
            reset();
            for (int i = 0; i < again.size(); i++) {
                line(again.get(i), first + i, out, problems);
            }
        }

        private void reset() {
            pending = null;
            pendingLines.clear();
        }

        @Override
        public void end(Consumer<Event> out, ProblemSink problems) {
            if (pending != null) {
                problems.report(new Problem(
                        context.source(),
                        pendingStart,
                        "quoted field not closed at the end of the input; record skipped"));
                resync(pendingStart, out, problems);
                if (pending != null) {
                    end(out, problems);
                }
            }
        }

        private void record(
                List<String> values, String original, long lineNumber, Consumer<Event> out, ProblemSink problems) {
            if (header == null) {
                setHeader(values);
                return;
            }
            if (values.size() != header.size()) {
                problems.report(new Problem(
                        context.source(),
                        lineNumber,
                        "row has " + values.size() + " columns, the header " + header.size()
                                + "; emitted with the columns it has"));
            }
            Map<String, Object> fields = new LinkedHashMap<>(Math.max(16, values.size() * 2));
            for (int i = 0; i < values.size(); i++) {
                fields.put(i < header.size() ? header.get(i) : "column" + (i + 1), values.get(i));
            }
            Instant time = timeColumn >= 0 && timeColumn < values.size()
                    ? parseTime(values.get(timeColumn).strip(), context.defaultZone())
                    : null;
            if (time != null && !hasTimestampColumn) {
                fields.put("@timestamp", time.toString());
            }
            out.accept(Event.builder()
                    .tenant(context.tenant())
                    .fields(fields)
                    .original(original)
                    .logSource(LogSource.UNKNOWN)
                    .timestamp(time)
                    .source(new SourceRef(context.source(), lineNumber))
                    .build());
        }

        private void setHeader(List<String> names) {
            List<String> h = new ArrayList<>(names.size());
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i).strip();
                if (n.isEmpty()) {
                    n = "column" + (i + 1);
                }
                String unique = n;
                for (int k = 2; !seen.add(unique); k++) {
                    unique = n + "_" + k;
                }
                h.add(unique);
            }
            header = h;
            for (String wanted : TIME_COLUMNS) {
                for (int i = 0; i < h.size() && timeColumn < 0; i++) {
                    if (h.get(i).toLowerCase(Locale.ROOT).equals(wanted)) {
                        timeColumn = i;
                    }
                }
            }
            hasTimestampColumn = h.contains("@timestamp");
        }
    }

    /** {@code yyyy-MM-ddTHH:mm:ssZ} (or with a space), the commonest form, without the formatter; else {@code null}. */
    private static Instant utcSeconds(String s) {
        if (s.length() != 20
                || s.charAt(19) != 'Z'
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int[] v = new int[6];
        int[] at = {0, 5, 8, 11, 14, 17};
        int[] len = {4, 2, 2, 2, 2, 2};
        for (int k = 0; k < 6; k++) {
            for (int i = at[k]; i < at[k] + len[k]; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                v[k] = v[k] * 10 + (c - '0');
            }
        }
        try {
            return LocalDateTime.of(v[0], v[1], v[2], v[3], v[4], v[5]).toInstant(java.time.ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** ISO 8601 (offset or local), a date, or epoch seconds/milliseconds; {@code null} when none. */
    static Instant parseTime(String s, ZoneId zone) {
        if (s.isEmpty()) {
            return null;
        }
        char c = s.charAt(0);
        if (c >= '0'
                && c <= '9'
                && s.indexOf('-') < 0
                && s.indexOf(':') < 0
                && s.indexOf('/') < 0
                && s.length() <= 17) {
            try {
                double d = Double.parseDouble(s);
                if (d >= 1e11) {
                    return Instant.ofEpochMilli((long) d);
                }
                long secs = (long) d;
                return Instant.ofEpochSecond(secs, Math.round((d - secs) * 1e9));
            } catch (NumberFormatException | DateTimeException e) {
                return null;
            }
        }
        Instant fast = utcSeconds(s);
        if (fast != null) {
            return fast;
        }
        String t = s.replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            // other forms
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            // other forms
        }
        try {
            return LocalDateTime.parse(t).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            // other forms
        }
        try {
            return LocalDate.parse(s).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
