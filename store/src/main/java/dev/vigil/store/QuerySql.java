package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.search.Query;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Translates a {@link Query} into a SQL condition over the store's row layout, with every user-supplied value and
 * field name passed as a bind parameter (field names become RFC 6901 JSON pointers, which need no quoting).
 *
 * <p>How a field resolves: {@code @timestamp} is the {@code ts} column; a {@link PromotedField} is its column, falling
 * back to the JSON only on rows whose {@code overflow} flag says a promoted value did not fit its column; any other
 * name is looked up in the flat {@code fields} JSON and, for a dotted name absent there, as a nested path in the
 * {@code original} (winlogbeat's {@code process.command_line}). A JSON value is seen as the list of its elements'
 * texts (a scalar is a list of one, null or missing an empty list), so a multi-valued field matches when any element
 * does, as Sigma's do.
 *
 * <p>Leaves are never SQL {@code NULL} (a missing field is {@code false}), so {@code NOT} means "does not match" as
 * the in-memory matcher's does. Comparisons are case-insensitive: the value is lower-cased here with {@link
 * Locale#ROOT} and compared with {@code lower(column)}. A term that reads as a number also matches a value that reads
 * as the same number ({@code EventID:4625} matches the long 4625 and the text "4625.0").
 */
final class QuerySql {
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();
    /** Whether rows may have {@code overflow} set; when not, the JSON fallbacks of promoted fields are left out. */
    private final boolean overflow;

    private QuerySql(boolean overflow) {
        this.overflow = overflow;
    }

    /** A condition and its parameters, in order. */
    record Condition(String sql, List<Object> params) {}

    /**
     * A query's condition in two forms: {@code anyRow} for rows of any kind, {@code noOverflow} for rows known to have
     * every promoted value in its column (files whose manifest counts no overflow row). The second never reads the
     * {@code fields} JSON for a promoted field, so a scan of Parquet files need not read that column at all: a
     * condition that names a column anywhere, even in a {@code CASE} arm no row reaches, makes DuckDB read the column
     * for every row.
     */
    record Filter(Condition anyRow, Condition noOverflow) {}

    static Condition translate(Query query) {
        return translate(query, true);
    }

    static Filter filter(Query query) {
        return new Filter(translate(query, true), translate(query, false));
    }

    private static Condition translate(Query query, boolean overflow) {
        QuerySql t = new QuerySql(overflow);
        t.emit(requireNonNull(query, "query"));
        return new Condition(t.sql.toString(), List.copyOf(t.params));
    }

    /**
     * The SQL expression of a field's JSON value (for countBy, which selects it once per row in a subquery and lists
     * its elements with {@code vigil_values}, so the document is parsed once rather than once per use).
     */
    static Condition jsonValueOf(String field) {
        QuerySql t = new QuerySql(true);
        t.jsonValue(field);
        return new Condition(t.sql.toString(), List.copyOf(t.params));
    }

    /** The promoted column of a field, or {@code null}: lets countBy group a plain column. */
    static PromotedField promoted(String field) {
        return PromotedField.BY_FIELD.get(field);
    }

    private void emit(Query q) {
        switch (q) {
            case Query.MatchAll m -> sql.append("TRUE");
            case Query.And and -> junction(and.clauses(), " AND ", "TRUE");
            case Query.Or or -> junction(or.clauses(), " OR ", "FALSE");
            case Query.Not not -> {
                sql.append("(NOT ");
                emit(not.clause());
                sql.append(')');
            }
            case Query.Term term -> equality(term.field(), term.value());
            case Query.Phrase phrase -> equality(phrase.field(), phrase.text());
            case Query.Wildcard w -> wildcard(w.field(), w.pattern());
            case Query.Range r -> range(r);
            case Query.Cidr c -> cidr(c.field(), c.block());
            case Query.Exists e -> exists(e.field());
        }
    }

    private void junction(List<Query> clauses, String op, String empty) {
        if (clauses.isEmpty()) {
            sql.append(empty);
            return;
        }
        sql.append('(');
        for (int i = 0; i < clauses.size(); i++) {
            if (i > 0) {
                sql.append(op);
            }
            emit(clauses.get(i));
        }
        sql.append(')');
    }

    private void equality(String field, String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (field == null) {
            sql.append("contains(").append(RAW_TEXT).append(", ?)");
            params.add(jsonEscaped(lower));
            return;
        }
        if (field.equals("@timestamp")) {
            Instant t = parseTime(value);
            if (t == null) {
                sql.append("FALSE");
            } else {
                sql.append("(ts = make_timestamp(?::BIGINT))");
                params.add(micros(t));
            }
            return;
        }
        Double number = parseNumber(value);
        Predicate equalsValue = (v, numeric) -> {
            sql.append("(lower(").append(v).append(") = ?");
            params.add(lower);
            if (number != null) {
                sql.append(" OR ").append(numeric).append(" = ?");
                params.add(number);
            }
            sql.append(')');
        };
        PromotedField p = PromotedField.BY_FIELD.get(field);
        if (p != null && p.kind() == PromotedField.Kind.LONG) {
            // A long's text is always a number: a non-numeric term cannot equal it, a numeric one compares as a number
            // without turning every row's value into lower-cased text.
            sql.append("(CASE WHEN ").append(p.column()).append(" IS NOT NULL THEN ");
            if (number == null) {
                sql.append("FALSE");
            } else {
                sql.append(p.column()).append(" = ?");
                params.add(number);
            }
            if (overflow) {
                sql.append(" WHEN overflow THEN ");
                jsonLeaf(field, equalsValue);
            }
            sql.append(" ELSE FALSE END)");
            return;
        }
        leaf(field, equalsValue);
    }

    private void wildcard(String field, String pattern) {
        String like = toLike(pattern, false);
        if (field == null) {
            sql.append("(").append(RAW_TEXT).append(" LIKE ? ESCAPE '\\')");
            params.add("%" + toLike(pattern, true) + "%");
            return;
        }
        if (field.equals("@timestamp")) {
            sql.append("(lower(strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ')) LIKE ? ESCAPE '\\')");
            params.add(like);
            return;
        }
        leaf(field, (v, numeric) -> {
            sql.append("(lower(").append(v).append(") LIKE ? ESCAPE '\\')");
            params.add(like);
        });
    }

    /**
     * What a bare term searches: the event as it arrived, lower-cased. The original is kept as JSON text (a line as a
     * JSON string, a structured record as an object), so a term matches it escaped as inside a JSON string; an event
     * without an original is searched in its fields. Keys are part of that text, as in a search of raw events.
     */
    private static final String RAW_TEXT = "lower(coalesce(original, fields))";

    /** {@code s} as it appears inside a JSON string written by DuckDB (quotes and backslashes escaped). */
    static String jsonEscaped(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            String escape = jsonEscape(s.charAt(i));
            if (escape != null && out == null) {
                out = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (out != null) {
                out.append(escape != null ? escape : String.valueOf(s.charAt(i)));
            }
        }
        return out == null ? s : out.toString();
    }

    private static String jsonEscape(char c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            default -> c < 0x20 ? String.format(Locale.ROOT, "\\u%04x", (int) c) : null;
        };
    }

    /**
     * {@code *} and {@code ?} become {@code %} and {@code _}; a backslash makes the next character literal. With
     * {@code jsonEscaped}, literal characters are written as inside a JSON string, for matching {@link #RAW_TEXT}.
     */
    static String toLike(String pattern, boolean jsonEscaped) {
        StringBuilder out = new StringBuilder(pattern.length() + 8);
        String p = pattern.toLowerCase(Locale.ROOT);
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                appendLiteral(out, p.charAt(++i), jsonEscaped);
            } else if (c == '*') {
                out.append('%');
            } else if (c == '?') {
                out.append('_');
            } else {
                appendLiteral(out, c, jsonEscaped);
            }
        }
        return out.toString();
    }

    private static void appendLiteral(StringBuilder out, char c, boolean jsonEscaped) {
        String escaped = jsonEscaped ? jsonEscape(c) : null;
        if (escaped == null) {
            escaped = String.valueOf(c);
        }
        for (int i = 0; i < escaped.length(); i++) {
            char e = escaped.charAt(i);
            if (e == '%' || e == '_' || e == '\\') {
                out.append('\\');
            }
            out.append(e);
        }
    }

    private void range(Query.Range r) {
        String field = r.field();
        boolean numeric = (r.lower() == null || parseNumber(r.lower()) != null)
                && (r.upper() == null || parseNumber(r.upper()) != null);
        boolean time = !numeric
                && (r.lower() == null || parseTime(r.lower()) != null)
                && (r.upper() == null || parseTime(r.upper()) != null);
        if (field.equals("@timestamp")) {
            if (!time && !(r.lower() == null && r.upper() == null)) {
                throw new IllegalArgumentException("field '@timestamp': range ends must be ISO-8601 times, got ["
                        + r.lower() + " TO " + r.upper() + "]");
            }
            sql.append("(TRUE");
            bound(" AND ts", r.lower(), r.lowerInclusive(), true, "make_timestamp(?::BIGINT)", Kind.TIME);
            bound(" AND ts", r.upper(), r.upperInclusive(), false, "make_timestamp(?::BIGINT)", Kind.TIME);
            sql.append(')');
            return;
        }
        Kind kind = numeric ? Kind.NUMBER : time ? Kind.TIME : Kind.TEXT;
        leaf(field, (v, num) -> {
            String subject = switch (kind) {
                case NUMBER -> num;
                case TIME -> "TRY_CAST(" + v + " AS TIMESTAMPTZ)";
                case TEXT -> "lower(" + v + ")";
            };
            String placeholder = kind == Kind.TIME ? "make_timestamp(?::BIGINT)::TIMESTAMPTZ" : "?";
            sql.append("(TRUE");
            bound(" AND " + subject, r.lower(), r.lowerInclusive(), true, placeholder, kind);
            bound(" AND " + subject, r.upper(), r.upperInclusive(), false, placeholder, kind);
            sql.append(')');
        });
    }

    private enum Kind {
        NUMBER,
        TIME,
        TEXT
    }

    private void bound(String subject, String end, boolean inclusive, boolean lower, String placeholder, Kind kind) {
        if (end == null) {
            return;
        }
        sql.append(subject).append(lower ? (inclusive ? " >= " : " > ") : (inclusive ? " <= " : " < "));
        sql.append(placeholder);
        params.add(
                switch (kind) {
                    case NUMBER -> parseNumber(end);
                    case TIME -> micros(parseTime(end));
                    case TEXT -> end.toLowerCase(Locale.ROOT);
                });
    }

    private void cidr(String field, String block) {
        if (field.equals("@timestamp")) {
            throw new IllegalArgumentException("field '@timestamp' holds times, not addresses: " + block);
        }
        String[] range = IpKey.range(field, block);
        PromotedField p = PromotedField.BY_FIELD.get(field);
        if (p != null && p.kind() == PromotedField.Kind.IP) {
            sql.append("(CASE WHEN ").append(p.keyColumn()).append(" IS NOT NULL THEN ");
            sql.append(p.keyColumn()).append(" BETWEEN ? AND ?");
            params.add(range[0]);
            params.add(range[1]);
            if (overflow) {
                sql.append(" WHEN overflow THEN ");
                ipKeysMatch(field, range);
            }
            sql.append(" ELSE FALSE END)");
            return;
        }
        ipKeysMatch(field, range);
    }

    private void ipKeysMatch(String field, String[] range) {
        sql.append("coalesce(len(list_filter(vigil_values(json_extract(ip_keys, ?)), lambda x_: x_ BETWEEN ? AND ?))"
                + " > 0, FALSE)");
        params.add(pointer(field));
        params.add(range[0]);
        params.add(range[1]);
    }

    private void exists(String field) {
        if (field.equals("@timestamp")) {
            sql.append("TRUE");
            return;
        }
        PromotedField p = PromotedField.BY_FIELD.get(field);
        if (p != null && !overflow) {
            sql.append("(").append(p.column()).append(" IS NOT NULL)");
        } else if (p != null) {
            sql.append("(").append(p.column()).append(" IS NOT NULL OR (overflow AND ");
            jsonExists(field);
            sql.append("))");
        } else {
            jsonExists(field);
        }
    }

    private void jsonExists(String field) {
        sql.append("coalesce(json_type(");
        jsonValue(field);
        sql.append(") <> 'NULL', FALSE)");
    }

    /** Writes a predicate over one value: {@code v} is its text, {@code numeric} its DOUBLE (or NULL) form. */
    @FunctionalInterface
    private interface Predicate {
        void write(String v, String numeric);
    }

    private void leaf(String field, Predicate predicate) {
        PromotedField p = PromotedField.BY_FIELD.get(field);
        if (p == null) {
            jsonLeaf(field, predicate);
            return;
        }
        String column = p.column();
        boolean isLong = p.kind() == PromotedField.Kind.LONG;
        String text = isLong ? "CAST(" + column + " AS VARCHAR)" : column;
        String numeric = isLong ? "CAST(" + column + " AS DOUBLE)" : "TRY_CAST(" + column + " AS DOUBLE)";
        sql.append("(CASE WHEN ").append(column).append(" IS NOT NULL THEN coalesce(");
        predicate.write(text, numeric);
        sql.append(", FALSE)");
        if (overflow) {
            sql.append(" WHEN overflow THEN ");
            jsonLeaf(field, predicate);
        }
        sql.append(" ELSE FALSE END)");
    }

    private void jsonLeaf(String field, Predicate predicate) {
        sql.append("coalesce(len(list_filter(");
        jsonValues(field);
        sql.append(", lambda x_: ");
        predicate.write("x_", "TRY_CAST(x_ AS DOUBLE)");
        sql.append(")) > 0, FALSE)");
    }

    private void jsonValues(String field) {
        sql.append("vigil_values(");
        jsonValue(field);
        sql.append(')');
    }

    private void jsonValue(String field) {
        if (field.indexOf('.') > 0) {
            sql.append("coalesce(json_extract(fields, ?), json_extract(original, ?))");
            params.add(pointer(field));
            params.add(nestedPointer(field));
        } else {
            sql.append("json_extract(fields, ?)");
            params.add(pointer(field));
        }
    }

    /** RFC 6901: the whole name as one key. */
    static String pointer(String field) {
        return "/" + escapePointer(field);
    }

    /** RFC 6901: each dotted part a level deeper. */
    static String nestedPointer(String field) {
        StringBuilder out = new StringBuilder();
        for (String part : field.split("\\.", -1)) {
            out.append('/').append(escapePointer(part));
        }
        return out.toString();
    }

    private static String escapePointer(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    static Double parseNumber(String s) {
        String t = s.trim();
        if (!NUMBER.matcher(t).matches()) {
            return null;
        }
        double d = Double.parseDouble(t);
        return Double.isFinite(d) ? d : null;
    }

    /** ISO-8601 instant, offset date-time, local date-time (UTC) or date (its start, UTC); else {@code null}. */
    static Instant parseTime(String s) {
        String t = s.trim();
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Microseconds since the epoch, clamped to what DuckDB's TIMESTAMP holds (about ±290,000 years). */
    static long micros(Instant t) {
        long seconds = Math.max(-9_000_000_000_000L, Math.min(9_000_000_000_000L, t.getEpochSecond()));
        return seconds * 1_000_000L + t.getNano() / 1000;
    }

    static Instant fromMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
