package dev.vigil.intel.csv;

import static java.util.Objects.requireNonNull;

import dev.vigil.intel.ImportOptions;
import dev.vigil.intel.ImportResult;
import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorSource;
import dev.vigil.intel.IndicatorType;
import dev.vigil.intel.IndicatorValues;
import dev.vigil.intel.IntelJson;
import dev.vigil.intel.IntelReferences;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Imports CSV feeds and plain lists (abuse.ch style) through a {@link CsvMapping}.
 *
 * <p>Lines starting with {@code #} are comments, and empty lines are ignored; neither is counted. Fields may be quoted
 * with {@code "} ({@code ""} inside is a quote); a record is one line. A line with an unterminated quote or too few
 * fields for the mapping is rejected with its line number, as is a value that is not a valid indicator; the other lines
 * are imported. Times are read as ISO-8601 instants or offsets, {@code yyyy-MM-dd HH:mm:ss} (UTC) or {@code
 * yyyy-MM-dd} (the start of that day, UTC).
 */
public final class CsvImporter {
    private static final DateTimeFormatter SPACE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]", Locale.ROOT);

    /** Imports a CSV feed or list held in memory. */
    public ImportResult importCsv(String source, byte[] bytes, CsvMapping mapping, ImportOptions options) {
        return importCsv(source, new ByteArrayInputStream(bytes), mapping, options);
    }

    /** Imports a CSV feed or list read from {@code in} (not closed here). */
    public ImportResult importCsv(String source, InputStream in, CsvMapping mapping, ImportOptions options) {
        requireNonNull(mapping, "mapping");
        requireNonNull(options, "options");
        ImportResult.Collector out = new ImportResult.Collector(source);
        BufferedReader reader = new BufferedReader(
                new InputStreamReader(IntelJson.limit(in, options.maxBytes()), StandardCharsets.UTF_8));
        Columns columns = null;
        boolean needHeader = mapping.header();
        if (!needHeader) {
            columns = new Columns(mapping, List.of());
        }
        long lineNumber = 0;
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                boolean comment = trimmed.startsWith("#");
                if (needHeader) {
                    String body = comment ? trimmed.substring(1).strip() : trimmed;
                    List<String> fields = split(body, mapping.delimiter());
                    if (fields != null
                            && (fields.contains(mapping.value()) || (isNumber(mapping.value()) && !comment))) {
                        columns = new Columns(mapping, fields);
                        String missing = columns.missing();
                        if (missing != null) {
                            out.problem(
                                    lineNumber, "the header has no column '" + missing + "' that the mapping names");
                            return out.result();
                        }
                        needHeader = false;
                        continue;
                    }
                    if (comment) {
                        continue;
                    }
                    out.problem(lineNumber, "no header naming the column '" + mapping.value() + "' before this line");
                    return out.result();
                }
                if (comment) {
                    continue;
                }
                out.read();
                row(line, lineNumber, columns, mapping, options, out);
            }
        } catch (IOException e) {
            out.problem(lineNumber, "cannot read further: " + e.getMessage());
        }
        if (needHeader) {
            out.problem(0, "no header naming the column '" + mapping.value() + "'");
        }
        return out.result();
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    /** Column positions of a mapping against a header. */
    private static final class Columns {
        final int value;
        final int type;
        final int id;
        final int firstSeen;
        final int lastSeen;
        final int validUntil;
        final int tags;
        final int malware;
        final List<String> header;
        final CsvMapping mapping;

        Columns(CsvMapping m, List<String> header) {
            this.header = header;
            this.mapping = m;
            value = index(m.value());
            type = index(m.type());
            id = index(m.id());
            firstSeen = index(m.firstSeen());
            lastSeen = index(m.lastSeen());
            validUntil = index(m.validUntil());
            tags = index(m.tags());
            malware = index(m.malware());
        }

        private int index(String column) {
            if (column == null) {
                return -1;
            }
            int i = header.indexOf(column);
            if (i >= 0) {
                return i;
            }
            return isNumber(column) ? Integer.parseInt(column) - 1 : -2;
        }

        /** The first mapped column the header lacks, or {@code null}. */
        String missing() {
            String[] names = {
                mapping.value(),
                mapping.type(),
                mapping.id(),
                mapping.firstSeen(),
                mapping.lastSeen(),
                mapping.validUntil(),
                mapping.tags(),
                mapping.malware()
            };
            int[] indexes = {value, type, id, firstSeen, lastSeen, validUntil, tags, malware};
            for (int i = 0; i < names.length; i++) {
                if (indexes[i] == -2) {
                    return names[i];
                }
            }
            return null;
        }

        int width() {
            return Math.max(
                    Math.max(Math.max(value, type), Math.max(id, firstSeen)),
                    Math.max(Math.max(lastSeen, validUntil), Math.max(tags, malware)));
        }
    }

    private static void row(
            String line,
            long lineNumber,
            Columns c,
            CsvMapping mapping,
            ImportOptions options,
            ImportResult.Collector out) {
        List<String> f = split(line, mapping.delimiter());
        if (f == null) {
            out.rejected(lineNumber, "unterminated quoted field");
            return;
        }
        if (f.size() <= c.width()) {
            out.rejected(lineNumber, "expected at least " + (c.width() + 1) + " fields, found " + f.size());
            return;
        }
        String raw = f.get(c.value).strip();
        if (raw.isEmpty()) {
            out.rejected(lineNumber, "empty value");
            return;
        }
        Optional<IndicatorType> type = mapping.fixedType() != null
                ? Optional.of(mapping.fixedType())
                : c.type >= 0 ? typeFromColumn(f.get(c.type), raw) : IndicatorValues.guessType(stripPort(raw));
        if (type.isEmpty()) {
            out.rejected(lineNumber, "cannot tell the type of '" + raw + "'");
            return;
        }
        IndicatorType t = type.get();
        String value = raw;
        if (t == IndicatorType.IPV4 || t == IndicatorType.IPV6 || t == IndicatorType.CIDR) {
            value = stripPort(raw);
            t = IndicatorValues.ipTypeOf(value).orElse(t);
        }
        String normalized;
        try {
            normalized = IndicatorValues.normalize(t, value);
        } catch (IllegalArgumentException e) {
            out.rejected(lineNumber, e.getMessage());
            return;
        }
        Instant first;
        Instant last;
        Instant until;
        try {
            first = c.firstSeen >= 0 ? time(f.get(c.firstSeen)) : null;
            last = c.lastSeen >= 0 ? time(f.get(c.lastSeen)) : null;
            until = c.validUntil >= 0 ? time(f.get(c.validUntil)) : null;
        } catch (DateTimeParseException e) {
            out.rejected(lineNumber, "not a time: '" + e.getParsedString() + "'");
            return;
        }
        if (until == null && mapping.validFor() != null) {
            Instant base = last != null ? last : first;
            until = base == null ? null : base.plus(mapping.validFor());
        }
        Set<String> tags = new LinkedHashSet<>();
        if (c.tags >= 0) {
            for (String tag : f.get(c.tags).split("[,;|]")) {
                if (!tag.isBlank()) {
                    tags.add(tag.strip());
                }
            }
        }
        Set<String> malware = Set.of();
        if (c.malware >= 0 && !f.get(c.malware).isBlank() && !f.get(c.malware).equals("None")) {
            malware = Set.of(f.get(c.malware).strip());
        }
        String id = c.id >= 0 ? f.get(c.id).strip() : "line " + lineNumber;
        IndicatorSource src = new IndicatorSource(out.source(), id, mapping.confidence(), first, last);
        out.indicator(Indicator.builder(t, normalized, src)
                .tenant(options.tenant())
                .validUntil(until)
                .tags(tags)
                .references(new IntelReferences(Set.of(), malware, Set.of(), Set.of()))
                .build());
        out.imported();
    }

    /** {@code 1.2.3.4:443} → {@code 1.2.3.4}; IPv6 and other values unchanged. */
    private static String stripPort(String s) {
        int colon = s.indexOf(':');
        return colon > 0 && colon == s.lastIndexOf(':') && s.indexOf('/') < 0 ? s.substring(0, colon) : s;
    }

    private static Optional<IndicatorType> typeFromColumn(String typeText, String value) {
        String t = typeText.strip().toLowerCase(Locale.ROOT);
        if (t.contains("url")) {
            return Optional.of(IndicatorType.URL);
        }
        if (t.contains("domain") || t.contains("hostname")) {
            return Optional.of(IndicatorType.DOMAIN);
        }
        if (t.contains("md5")) {
            return Optional.of(IndicatorType.MD5);
        }
        if (t.contains("sha1") || t.contains("sha_1") || t.contains("sha-1")) {
            return Optional.of(IndicatorType.SHA1);
        }
        if (t.contains("sha256") || t.contains("sha_256") || t.contains("sha-256")) {
            return Optional.of(IndicatorType.SHA256);
        }
        if (t.contains("mail")) {
            return Optional.of(IndicatorType.EMAIL);
        }
        if (t.contains("file")) {
            return Optional.of(IndicatorType.FILE_NAME);
        }
        if (t.startsWith("ip") || t.contains("cidr")) {
            return Optional.of(IndicatorType.IPV4);
        }
        return IndicatorValues.guessType(stripPort(value));
    }

    static Instant time(String text) {
        String s = text.strip();
        if (s.isEmpty() || s.equalsIgnoreCase("none") || s.equalsIgnoreCase("null")) {
            return null;
        }
        if (s.length() == 10) {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        if (s.indexOf('T') > 0) {
            return s.endsWith("Z") ? Instant.parse(s) : OffsetDateTime.parse(s).toInstant();
        }
        return LocalDateTime.parse(s, SPACE_TIME).toInstant(ZoneOffset.UTC);
    }

    /** Splits one line; {@code null} when a quote is not closed. A zero delimiter gives the whole line. */
    static List<String> split(String line, char delimiter) {
        List<String> out = new ArrayList<>();
        if (delimiter == '\0') {
            out.add(line.strip());
            return out;
        }
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            field.setLength(0);
            if (i < n && line.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && line.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                        } else {
                            i++;
                            closed = true;
                            break;
                        }
                    } else {
                        field.append(c);
                        i++;
                    }
                }
                if (!closed) {
                    return null;
                }
                while (i < n && line.charAt(i) != delimiter) {
                    i++;
                }
            } else {
                while (i < n && line.charAt(i) != delimiter) {
                    field.append(line.charAt(i++));
                }
            }
            out.add(field.toString());
            if (i >= n) {
                return out;
            }
            i++;
        }
    }
}
