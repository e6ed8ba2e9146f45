package dev.vigil.sigma;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * A deliberately plain evaluator of a Sigma {@code detection} section over an event's flat field map, written from the
 * Sigma specification (rules specification and modifiers appendix) and not from the engine, to serve as the oracle of
 * {@link RandomizedMatcherTest}.
 *
 * <p>Everything is interpreted on every call: each value becomes a {@link java.util.regex.Pattern}, each condition is
 * parsed again. Nothing is indexed or cached; correctness should be evident from reading the code.
 *
 * <p>Choices where the specification leaves room (the engine makes the same ones, see the report of the test):
 *
 * <ul>
 *   <li>{@code windash} varies a {@code -} or {@code /} only where it starts a word (pySigma's {@code \B[-/]\b}), judged
 *       inside a run of literal characters; the dash itself may be any of the five variants.
 *   <li>{@code neq} is the negation of the plain match ("different from every value"), so a missing field is different.
 *   <li>{@code field: null} matches a missing field, a null value and an empty list.
 *   <li>{@code re} matches anywhere in the value (find, not whole match), case-sensitive unless {@code i}.
 *   <li>Encoded values (base64, base64offset) are compared case-insensitively unless {@code cased}, like other text.
 *   <li>A keyword is a substring of the text of any scalar value of the event, list elements included.
 * </ul>
 */
final class ReferenceInterpreter {
    private ReferenceInterpreter() {}

    /** Marks a {@code *} wildcard in a parsed value. */
    private static final Object STAR = new Object();
    /** Marks a {@code ?} wildcard in a parsed value. */
    private static final Object QUESTION = new Object();

    private static final char[] DASHES = {'-', '/', '\u2013', '\u2014', '\u2015'};

    /** Parses one YAML rule document with the JSON schema. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String yaml) {
        Load load = new Load(LoadSettings.builder().setSchema(new JsonSchema()).build());
        return (Map<String, Object>) load.loadFromString(yaml);
    }

    /** Whether the detection section matches the event given as field name to value (scalar, null or list). */
    static boolean matches(Map<String, Object> detection, Map<String, Object> event) {
        Object condition = detection.get("condition");
        List<String> conditions = new ArrayList<>();
        if (condition instanceof List<?> list) {
            list.forEach(c -> conditions.add((String) c));
        } else {
            conditions.add((String) condition);
        }
        // A list of conditions is an OR of them.
        for (String c : conditions) {
            if (new ConditionParser(c, detection, event).parse()) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Conditions: or < and < not, parentheses, "1 of" / "any of" / "all of" a pattern or "them".

    private static final class ConditionParser {
        private final List<String> tokens = new ArrayList<>();
        private final Map<String, Object> detection;
        private final Map<String, Object> event;
        private int pos;

        ConditionParser(String text, Map<String, Object> detection, Map<String, Object> event) {
            for (String word :
                    text.replace("(", " ( ").replace(")", " ) ").trim().split("\\s+")) {
                tokens.add(word);
            }
            this.detection = detection;
            this.event = event;
        }

        boolean parse() {
            boolean result = orExpression();
            if (pos != tokens.size()) {
                throw new IllegalArgumentException("trailing condition tokens at " + pos + ": " + tokens);
            }
            return result;
        }

        private boolean isKeyword(String word) {
            return pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(word);
        }

        private boolean orExpression() {
            boolean result = andExpression();
            while (isKeyword("or")) {
                pos++;
                boolean right = andExpression();
                result = result || right;
            }
            return result;
        }

        private boolean andExpression() {
            boolean result = notExpression();
            while (isKeyword("and")) {
                pos++;
                boolean right = notExpression();
                result = result && right;
            }
            return result;
        }

        private boolean notExpression() {
            if (isKeyword("not")) {
                pos++;
                return !notExpression();
            }
            return primary();
        }

        private boolean primary() {
            String token = tokens.get(pos++);
            if (token.equals("(")) {
                boolean inner = orExpression();
                if (!tokens.get(pos++).equals(")")) {
                    throw new IllegalArgumentException("missing ')' in " + tokens);
                }
                return inner;
            }
            if ((token.equals("1") || token.equalsIgnoreCase("any") || token.equalsIgnoreCase("all"))
                    && isKeyword("of")) {
                pos++;
                String target = tokens.get(pos++);
                boolean all = token.equalsIgnoreCase("all");
                List<String> names = new ArrayList<>();
                for (String name : detection.keySet()) {
                    if (name.equals("condition")) {
                        continue;
                    }
                    boolean included = target.equalsIgnoreCase("them")
                            ? !name.startsWith("_")
                            : identifierPattern(target).matcher(name).matches();
                    if (included) {
                        names.add(name);
                    }
                }
                if (names.isEmpty()) {
                    throw new IllegalArgumentException("'" + target + "' matches no search identifier");
                }
                for (String name : names) {
                    boolean hit = selection(detection.get(name), event);
                    if (all && !hit) {
                        return false;
                    }
                    if (!all && hit) {
                        return true;
                    }
                }
                return all;
            }
            if (!detection.containsKey(token) || token.equals("condition")) {
                throw new IllegalArgumentException("unknown search identifier " + token);
            }
            return selection(detection.get(token), event);
        }

        /** A search-identifier pattern: {@code *} is any number of characters, all else literal. */
        private static Pattern identifierPattern(String pattern) {
            StringBuilder regex = new StringBuilder();
            for (String part : pattern.split("\\*", -1)) {
                if (regex.length() > 0) {
                    regex.append(".*");
                }
                regex.append(Pattern.quote(part));
            }
            return Pattern.compile(regex.toString(), Pattern.DOTALL);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Search identifiers: a map is AND of its items, a list of maps is OR of the maps, a list of scalars is keywords.

    private static boolean selection(Object definition, Map<String, Object> event) {
        if (definition instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> item : map.entrySet()) {
                if (!item(String.valueOf(item.getKey()), item.getValue(), event)) {
                    return false;
                }
            }
            return true;
        }
        if (definition instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map) {
            for (Object map : list) {
                if (selection(map, event)) {
                    return true;
                }
            }
            return false;
        }
        // Plain keywords: any of them anywhere in the event.
        return item("|contains", definition, event);
    }

    /** One {@code field|modifier|...: value(s)} item; an empty field name is a keyword item. */
    private static boolean item(String key, Object value, Map<String, Object> event) {
        String[] parts = key.split("\\|", -1);
        String field = parts[0];
        List<String> modifiers = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            modifiers.add(parts[i].toLowerCase(Locale.ROOT));
        }
        boolean keyword = field.isEmpty();
        if (keyword
                && !modifiers.contains("contains")
                && !modifiers.contains("startswith")
                && !modifiers.contains("endswith")
                && !modifiers.contains("re")) {
            modifiers.add("contains"); // keywords are substrings of a value
        }
        List<Object> values = new ArrayList<>();
        if (value instanceof List<?> list) {
            values.addAll(list);
        } else {
            values.add(value);
        }
        boolean all = modifiers.contains("all");
        boolean neq = modifiers.contains("neq");

        if (modifiers.contains("exists")) {
            return event.containsKey(field) == (Boolean) values.get(0);
        }
        if (values.size() == 1 && values.get(0) == null) {
            Object v = event.get(field);
            boolean isNull = v == null || (v instanceof List<?> l && l.isEmpty());
            return neq != isNull;
        }

        // The texts (or raw values) this item looks at: the field's value or its elements, or for a keyword every
        // scalar value of the event.
        List<Object> candidates = new ArrayList<>();
        if (keyword) {
            for (Object v : event.values()) {
                addScalars(v, candidates);
            }
        } else if (event.containsKey(field)) {
            addScalars(event.get(field), candidates);
        }

        boolean matched;
        if (all) {
            matched = true;
            for (Object v : values) {
                matched &= matchesAny(v, modifiers, candidates);
            }
        } else {
            matched = false;
            for (Object v : values) {
                matched |= matchesAny(v, modifiers, candidates);
            }
        }
        return neq ? !matched : matched;
    }

    private static void addScalars(Object v, List<Object> out) {
        if (v instanceof List<?> list) {
            for (Object e : list) {
                if (e != null) {
                    out.add(e);
                }
            }
        } else if (v != null) {
            out.add(v);
        }
    }

    /** Whether one rule value matches at least one of the candidate event values. */
    private static boolean matchesAny(Object ruleValue, List<String> modifiers, List<Object> candidates) {
        for (Object candidate : candidates) {
            if (matchesOne(ruleValue, modifiers, candidate)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesOne(Object ruleValue, List<String> modifiers, Object eventValue) {
        for (String op : List.of("lt", "lte", "gt", "gte")) {
            if (modifiers.contains(op)) {
                Double n = number(eventValue);
                double limit = ((Number) ruleValue).doubleValue();
                return n != null
                        && switch (op) {
                            case "lt" -> n < limit;
                            case "lte" -> n <= limit;
                            case "gt" -> n > limit;
                            default -> n >= limit;
                        };
            }
        }
        if (modifiers.contains("cidr")) {
            return inCidr(text(ruleValue), eventValue);
        }
        if (modifiers.contains("re")) {
            int flags = 0;
            flags |= modifiers.contains("i") ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
            // java.util.regex never matches '^' on empty input in MULTILINE mode, unlike PCRE; for empty text the
            // flag changes nothing in PCRE, so leave it off there.
            flags |= modifiers.contains("m") && !text(eventValue).isEmpty() ? Pattern.MULTILINE : 0;
            flags |= modifiers.contains("s") ? Pattern.DOTALL : 0;
            return Pattern.compile((String) ruleValue, flags)
                    .matcher(text(eventValue))
                    .find();
        }
        String eventText = text(eventValue);
        for (Pattern p : patterns(text(ruleValue), modifiers)) {
            if (p.matcher(eventText).matches()) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // String values: wildcards, escapes and the transforming modifiers.

    /** The patterns one rule value stands for after its modifiers (windash and base64offset make several). */
    private static List<Pattern> patterns(String raw, List<String> modifiers) {
        List<List<Object>> variants = new ArrayList<>();
        variants.add(parseWildcards(raw));
        for (String m : modifiers) {
            if (m.equals("windash")) {
                List<List<Object>> next = new ArrayList<>();
                for (List<Object> v : variants) {
                    next.addAll(windash(v));
                }
                variants = next;
            }
        }
        byte[] encodedText = null;
        Charset utf16 = null;
        boolean bom = false;
        for (String m : modifiers) {
            switch (m) {
                case "wide", "utf16le" -> utf16 = StandardCharsets.UTF_16LE;
                case "utf16be" -> utf16 = StandardCharsets.UTF_16BE;
                case "utf16" -> {
                    utf16 = StandardCharsets.UTF_16LE;
                    bom = true;
                }
                default -> {
                    // not an encoding
                }
            }
        }
        boolean base64 = modifiers.contains("base64");
        boolean base64offset = modifiers.contains("base64offset");
        if (base64 || base64offset) {
            List<List<Object>> encoded = new ArrayList<>();
            for (List<Object> v : variants) {
                String plain = plainText(v);
                encodedText = utf16 == null ? plain.getBytes(StandardCharsets.UTF_8) : plain.getBytes(utf16);
                if (bom) {
                    byte[] withBom = new byte[encodedText.length + 2];
                    withBom[0] = (byte) 0xFF;
                    withBom[1] = (byte) 0xFE;
                    System.arraycopy(encodedText, 0, withBom, 2, encodedText.length);
                    encodedText = withBom;
                }
                List<String> texts =
                        base64 ? List.of(Base64.getEncoder().encodeToString(encodedText)) : base64Offsets(encodedText);
                for (String t : texts) {
                    encoded.add(literal(t));
                }
            }
            variants = encoded;
        }
        boolean leadingStar = modifiers.contains("contains") || modifiers.contains("endswith");
        boolean trailingStar = modifiers.contains("contains") || modifiers.contains("startswith");
        int flags =
                Pattern.DOTALL | (modifiers.contains("cased") ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        List<Pattern> out = new ArrayList<>();
        for (List<Object> v : variants) {
            StringBuilder regex = new StringBuilder(leadingStar ? ".*" : "");
            for (Object token : v) {
                if (token == STAR) {
                    regex.append(".*");
                } else if (token == QUESTION) {
                    regex.append('.');
                } else {
                    regex.append(Pattern.quote(String.valueOf(token)));
                }
            }
            regex.append(trailingStar ? ".*" : "");
            out.add(Pattern.compile(regex.toString(), flags));
        }
        return out;
    }

    /**
     * Splits a Sigma string into literal characters and wildcards. Per the specification: {@code \*} and {@code \?}
     * are literal wildcard characters, {@code \\} is one backslash, and any other backslash is itself.
     */
    private static List<Object> parseWildcards(String raw) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            char next = i + 1 < raw.length() ? raw.charAt(i + 1) : 0;
            if (c == '\\' && (next == '*' || next == '?' || next == '\\')) {
                out.add(next);
                i++;
            } else if (c == '*') {
                out.add(STAR);
            } else if (c == '?') {
                out.add(QUESTION);
            } else {
                out.add(c);
            }
        }
        return out;
    }

    private static List<Object> literal(String text) {
        List<Object> out = new ArrayList<>();
        for (char c : text.toCharArray()) {
            out.add(c);
        }
        return out;
    }

    private static String plainText(List<Object> tokens) {
        StringBuilder sb = new StringBuilder();
        for (Object t : tokens) {
            if (!(t instanceof Character c)) {
                throw new IllegalArgumentException("an encoded value cannot hold wildcards");
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static boolean isWordChar(Object token) {
        return token instanceof Character c && (Character.isLetterOrDigit(c) || c == '_');
    }

    /** Every dash variant of a value: each {@code -} or {@code /} that starts a word becomes each of five dashes. */
    private static List<List<Object>> windash(List<Object> tokens) {
        List<List<Object>> out = new ArrayList<>();
        out.add(tokens);
        for (int i = 0; i < tokens.size(); i++) {
            Object t = tokens.get(i);
            boolean dash = t instanceof Character c && (c == '-' || c == '/');
            boolean afterNonWord = i == 0 || !isWordChar(tokens.get(i - 1));
            boolean beforeWord = i + 1 < tokens.size() && isWordChar(tokens.get(i + 1));
            if (dash && afterNonWord && beforeWord) {
                List<List<Object>> next = new ArrayList<>();
                for (List<Object> v : out) {
                    for (char d : DASHES) {
                        List<Object> copy = new ArrayList<>(v);
                        copy.set(i, d);
                        next.add(copy);
                    }
                }
                out = next;
            }
        }
        return out;
    }

    /**
     * The three base64 forms of bytes that may sit at any offset in a larger encoded text: encode with 0, 1 or 2
     * leading filler bytes, then drop the leading characters that depend on the filler and the trailing ones that
     * depend on whatever follows.
     */
    private static List<String> base64Offsets(byte[] bytes) {
        List<String> out = new ArrayList<>();
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[bytes.length + shift];
            System.arraycopy(bytes, 0, shifted, shift, bytes.length);
            String encoded = Base64.getEncoder().encodeToString(shifted);
            // Characters wholly determined by the value: the first covers filler bits when shifted.
            int start = shift == 0 ? 0 : shift + 1;
            int total = bytes.length + shift;
            // A trailing partial group is padded: drop its characters, which depend on the following bytes.
            int end = total % 3 == 0 ? encoded.length() : encoded.length() - (total % 3 == 1 ? 3 : 2);
            if (end > start) {
                out.add(encoded.substring(start, end));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Scalars: text, numbers, IPv4 ranges.

    /** The text of a YAML or event scalar; integral numbers without a fraction. */
    static String text(Object v) {
        if (v instanceof Double d && d == Math.rint(d)) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(v);
    }

    /** A number from an event value: numbers, decimal text and {@code 0x} hexadecimal text; otherwise null. */
    private static Double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        String s = String.valueOf(v).trim();
        if (s.matches("0[xX][0-9a-fA-F]+")) {
            return (double) Long.parseLong(s.substring(2), 16);
        }
        if (s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            return Double.parseDouble(s);
        }
        return null;
    }

    /** IPv4 only: {@code a.b.c.d/n} or a single address, against a dotted-quad event value. */
    private static boolean inCidr(String range, Object eventValue) {
        String[] parts = range.split("/", -1);
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
        long network = ipv4(parts[0]);
        long address = ipv4(String.valueOf(eventValue));
        if (network < 0 || address < 0) {
            return false;
        }
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        return (network & mask) == (address & mask);
    }

    /** A dotted-quad IPv4 address as a number, or -1 when the text is not one. */
    private static long ipv4(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return -1;
        }
        long out = 0;
        for (String o : octets) {
            if (!o.matches("\\d{1,3}") || Integer.parseInt(o) > 255) {
                return -1;
            }
            out = out * 256 + Integer.parseInt(o);
        }
        return out;
    }
}
