package dev.vigil.sigma;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.DoublePredicate;

/**
 * Turns one detection item ({@code field|modifier|...: values}) into a {@link Node}.
 *
 * <p>Modifiers come in two kinds (as in the specification): transformations that rewrite the values (expand, windash,
 * wide/utf16*, base64, base64offset, contains/startswith/endswith), applied left to right, and types that decide how
 * the final values are compared (re, cidr, lt/lte/gt/gte, time parts, exists, fieldref, neq) plus the linking and case
 * switches ({@code all}, {@code cased}). Placeholders are substituted first, because {@code expand} works on the raw
 * text wherever it stands in the chain.
 */
final class ValueCompiler {
    private static final Set<String> KNOWN = Set.of(
            "contains",
            "startswith",
            "endswith",
            "all",
            "exists",
            "cased",
            "neq",
            "windash",
            "re",
            "i",
            "m",
            "s",
            "base64",
            "base64offset",
            "utf16le",
            "utf16be",
            "utf16",
            "wide",
            "lt",
            "lte",
            "gt",
            "gte",
            "minute",
            "hour",
            "day",
            "week",
            "month",
            "year",
            "cidr",
            "expand",
            "fieldref");
    private static final Set<String> TIME_PARTS = Set.of("minute", "hour", "day", "week", "month", "year");
    private static final int MAX_WINDASH_POSITIONS = 5;

    private final FieldSlots slots;
    private final Map<String, List<String>> placeholders;
    private final List<String> warnings;
    private final java.util.function.UnaryOperator<String> mapField;

    /**
     * @param mapField maps a field named in the rule (as in {@code fieldref} values) to the event's field name
     */
    ValueCompiler(
            FieldSlots slots,
            Map<String, List<String>> placeholders,
            List<String> warnings,
            java.util.function.UnaryOperator<String> mapField) {
        this.slots = slots;
        this.placeholders = placeholders;
        this.warnings = warnings;
        this.mapField = mapField;
    }

    /**
     * @param field the event field (already mapped), or {@code null} for a keyword item
     * @param sigmaField the field as the rule wrote it, for messages
     */
    Node compile(String field, String sigmaField, List<String> modifiers, Object value) throws SigmaException {
        String where = sigmaField == null || sigmaField.isEmpty() ? "keywords" : "field '" + sigmaField + "'";
        for (String m : modifiers) {
            if (!KNOWN.contains(m)) {
                throw new SigmaException(where + ": unknown modifier '" + m + "'");
            }
        }
        Set<String> mods = new LinkedHashSet<>(modifiers);
        List<Object> values = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> values.add(valueOrNull(v)));
        } else {
            values.add(valueOrNull(value));
        }
        if (values.isEmpty()) {
            throw new SigmaException(where + ": empty value list");
        }
        boolean linkAll = mods.contains("all");
        if (linkAll && values.size() == 1 && !(value instanceof List<?>)) {
            // The spec discourages |all on one value; it is harmless, so accept it.
            linkAll = false;
        }
        boolean cased = mods.contains("cased");

        if (mods.contains("exists")) {
            if (field == null) {
                throw new SigmaException("keywords: 'exists' needs a field");
            }
            if (values.size() != 1 || !(values.get(0) instanceof Boolean b)) {
                throw new SigmaException(where + ": 'exists' takes true or false");
            }
            return new Node.Exists(slots.slot(field), field, b);
        }
        if (values.contains(NULL)) {
            if (values.size() > 1) {
                throw new SigmaException(where + ": null cannot be part of a value list (use a separate selection)");
            }
            if (field == null) {
                throw new SigmaException("keywords: a keyword cannot be null");
            }
            Node isNull = new Node.IsNull(slots.slot(field), field);
            return mods.contains("neq") ? new Node.Not(isNull) : isNull;
        }
        if (mods.contains("fieldref")) {
            return fieldRef(field, where, mods, values, linkAll, cased);
        }
        if (mods.contains("cidr")) {
            return cidr(field, where, mods, values, linkAll);
        }
        String timePart = null;
        for (String m : mods) {
            if (TIME_PARTS.contains(m)) {
                if (timePart != null) {
                    throw new SigmaException(where + ": two time modifiers '" + timePart + "' and '" + m + "'");
                }
                timePart = m;
            }
        }
        String numericOp = numericOp(mods, where);
        if (timePart != null || numericOp != null) {
            return numeric(field, where, mods, values, linkAll, timePart, numericOp);
        }
        if (mods.contains("re")) {
            return regex(field, where, mods, values, linkAll);
        }
        for (String m : List.of("i", "m", "s")) {
            if (mods.contains(m)) {
                throw new SigmaException(where + ": modifier '" + m + "' only applies to 're'");
            }
        }
        return text(field, where, modifiers, mods, values, linkAll, cased);
    }

    private static final Object NULL = new Object();

    private static Object valueOrNull(Object v) {
        return v == null ? NULL : v;
    }

    private Node text(
            String field,
            String where,
            List<String> order,
            Set<String> mods,
            List<Object> values,
            boolean linkAll,
            boolean cased)
            throws SigmaException {
        List<List<Glob>> perValue = new ArrayList<>();
        for (Object v : values) {
            if (v == NULL) {
                throw new SigmaException(where + ": null cannot be part of a value list");
            }
            if (v instanceof Map<?, ?> || v instanceof List<?>) {
                throw new SigmaException(where + ": a value must be a string, number or boolean, not " + describe(v));
            }
            perValue.add(transform(where, order, mods, v));
        }
        boolean neq = mods.contains("neq");
        List<Node> nodes = new ArrayList<>();
        if (linkAll) {
            for (List<Glob> variants : perValue) {
                nodes.add(textNode(field, variants, cased));
            }
        } else {
            List<Glob> all = new ArrayList<>();
            perValue.forEach(all::addAll);
            nodes.add(textNode(field, all, cased));
        }
        Node node = nodes.size() == 1 ? nodes.get(0) : new Node.And(nodes.toArray(new Node[0]));
        if (neq) {
            // neq negates the whole item as 'all' links it: without 'all', "equal to none of the values"; with 'all',
            // "not equal to all of them" (NOT (v1 AND v2)), as the re, cidr, numeric and fieldref paths already do.
            return new Node.Not(node);
        }
        return node;
    }

    private Node textNode(String field, List<Glob> globs, boolean cased) {
        List<Glob> prepared = new ArrayList<>(globs.size());
        for (Glob g : globs) {
            prepared.add(cased ? g : g.lowerCase());
        }
        StringPredicate predicate = StringPredicate.anyOf(prepared);
        String[] triggers = triggers(globs);
        if (field == null) {
            return new Node.Keyword(predicate, cased, triggers);
        }
        boolean hashed = prepared.stream().allMatch(ValueCompiler::hashable);
        return new Node.Text(
                slots.slot(field),
                field,
                cased,
                predicate,
                triggers,
                hashed ? Node.Text.HASH_COST : Node.Text.SCAN_COST);
    }

    /** Whether {@link StringPredicate#anyOf} tests the glob by a hash lookup (equality, prefix, suffix, anything). */
    private static boolean hashable(Glob g) {
        List<Object> t = g.tokens();
        int stars = 0;
        for (Object o : t) {
            if (o == Glob.ONE) {
                return false;
            }
            if (o == Glob.STAR) {
                stars++;
            }
        }
        return t.size() <= 1 || t.size() == 2 && stars == 1;
    }

    /** One necessary literal per glob (its longest literal, lower-cased), or null if some glob has none. */
    private static String[] triggers(List<Glob> globs) {
        Set<String> out = new LinkedHashSet<>();
        for (Glob g : globs) {
            String lit = g.longestLiteral();
            if (lit.isEmpty()) {
                return null;
            }
            out.add(lit.toLowerCase(Locale.ROOT));
        }
        return out.toArray(new String[0]);
    }

    /** Applies the transformation modifiers in order to one value; a value may become several (windash, base64offset). */
    private List<Glob> transform(String where, List<String> order, Set<String> mods, Object value)
            throws SigmaException {
        String raw = Values.text(value);
        List<String> raws = mods.contains("expand") ? expand(where, raw) : List.of(raw);
        List<Object> current = new ArrayList<>();
        for (String r : raws) {
            current.add(Glob.parse(r));
        }
        boolean wrapContains = false;
        boolean wrapStart = false;
        boolean wrapEnd = false;
        for (String m : order) {
            switch (m) {
                case "windash" -> current = windash(where, current);
                case "wide", "utf16le" -> current = encode(where, m, current, StandardCharsets.UTF_16LE, false);
                case "utf16be" -> current = encode(where, m, current, StandardCharsets.UTF_16BE, false);
                case "utf16" -> current = encode(where, m, current, StandardCharsets.UTF_16LE, true);
                case "base64" -> current = base64(where, current, false);
                case "base64offset" -> current = base64(where, current, true);
                case "contains" -> wrapContains = true;
                case "startswith" -> wrapStart = true;
                case "endswith" -> wrapEnd = true;
                default -> {
                    // type and linking modifiers were handled by the caller
                }
            }
        }
        if ((wrapContains ? 1 : 0) + (wrapStart ? 1 : 0) + (wrapEnd ? 1 : 0) > 1) {
            throw new SigmaException(where + ": contains, startswith and endswith exclude each other");
        }
        List<Glob> out = new ArrayList<>(current.size());
        for (Object o : current) {
            Glob g =
                    o instanceof byte[] bytes ? Glob.literal(new String(bytes, StandardCharsets.ISO_8859_1)) : (Glob) o;
            if (wrapContains) {
                g = g.withLeadingStar().withTrailingStar();
            } else if (wrapStart) {
                g = g.withTrailingStar();
            } else if (wrapEnd) {
                g = g.withLeadingStar();
            }
            out.add(g);
        }
        return out;
    }

    private List<String> expand(String where, String raw) throws SigmaException {
        // Split the raw text into literal parts and %name% placeholders; "\%" is a literal percent.
        List<List<String>> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() && raw.charAt(i + 1) == '%') {
                lit.append('%');
                i += 2;
            } else if (c == '%') {
                int end = raw.indexOf('%', i + 1);
                if (end < 0) {
                    lit.append(raw, i, raw.length());
                    break;
                }
                String name = raw.substring(i + 1, end);
                parts.add(List.of(lit.toString()));
                lit.setLength(0);
                List<String> values = placeholders.get(name);
                if (values == null) {
                    warnings.add(where + ": placeholder %" + name + "% has no configured values, so this value never"
                            + " matches (define it in the placeholders file)");
                    values = List.of();
                }
                parts.add(values);
                i = end + 1;
            } else {
                lit.append(c);
                i++;
            }
        }
        parts.add(List.of(lit.toString()));
        List<String> out = new ArrayList<>(List.of(""));
        for (List<String> options : parts) {
            List<String> next = new ArrayList<>();
            for (String prefix : out) {
                for (String o : options) {
                    next.add(prefix + o);
                }
            }
            out = next;
            if (out.size() > 10_000) {
                throw new SigmaException(where + ": placeholder expansion gives over 10,000 values");
            }
        }
        return out;
    }

    private static final char[] DASHES = {'-', '/', '\u2013', '\u2014', '\u2015'};

    /** Replaces each dash or slash that starts a word (pySigma: {@code \B[-/]\b}) with every dash variant. */
    private static List<Object> windash(String where, List<Object> values) throws SigmaException {
        List<Object> out = new ArrayList<>();
        for (Object o : values) {
            if (!(o instanceof Glob g)) {
                throw new SigmaException(where + ": windash must come before encodings");
            }
            List<Glob> variants = new ArrayList<>(List.of(g));
            List<Object> tokens = g.tokens();
            // Positions are (token index, char index) of dash candidates, judged on the literal text around them.
            int positions = 0;
            for (int t = 0; t < tokens.size(); t++) {
                if (!(tokens.get(t) instanceof String s)) {
                    continue;
                }
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c != '-' && c != '/') {
                        continue;
                    }
                    boolean prevWord = i > 0
                            ? isWord(s.charAt(i - 1))
                            : t > 0
                                    && tokens.get(t - 1) instanceof String p
                                    && !p.isEmpty()
                                    && isWord(p.charAt(p.length() - 1));
                    boolean nextWord = i + 1 < s.length() && isWord(s.charAt(i + 1));
                    if (prevWord || !nextWord) {
                        continue;
                    }
                    if (++positions > MAX_WINDASH_POSITIONS) {
                        throw new SigmaException(where + ": windash on a value with more than " + MAX_WINDASH_POSITIONS
                                + " dashes would make too many variants");
                    }
                    List<Glob> next = new ArrayList<>();
                    final int tokenIndex = t;
                    final int charIndex = i;
                    for (Glob v : variants) {
                        for (char d : DASHES) {
                            next.add(replaceChar(v, tokenIndex, charIndex, d));
                        }
                    }
                    variants = next;
                }
            }
            out.addAll(new LinkedHashSet<>(variants));
        }
        return out;
    }

    private static Glob replaceChar(Glob g, int tokenIndex, int charIndex, char c) {
        List<Object> tokens = new ArrayList<>(g.tokens());
        String s = (String) tokens.get(tokenIndex);
        tokens.set(tokenIndex, s.substring(0, charIndex) + c + s.substring(charIndex + 1));
        StringBuilder sigma = new StringBuilder();
        for (Object o : tokens) {
            sigma.append(o instanceof String str ? Glob.literal(str).toString() : o.toString());
        }
        return Glob.parse(sigma.toString());
    }

    private static boolean isWord(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static List<Object> encode(
            String where, String modifier, List<Object> values, java.nio.charset.Charset cs, boolean bom)
            throws SigmaException {
        List<Object> out = new ArrayList<>();
        for (Object o : values) {
            String text = plain(where, modifier, o);
            byte[] body = text.getBytes(cs);
            if (bom) {
                byte[] withBom = new byte[body.length + 2];
                withBom[0] = (byte) 0xFF;
                withBom[1] = (byte) 0xFE;
                System.arraycopy(body, 0, withBom, 2, body.length);
                body = withBom;
            }
            out.add(body);
        }
        return out;
    }

    private static String plain(String where, String modifier, Object o) throws SigmaException {
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        String text = ((Glob) o).plainText();
        if (text == null) {
            throw new SigmaException(where + ": '" + modifier + "' cannot encode a value with wildcards: " + o);
        }
        return text;
    }

    private static List<Object> base64(String where, List<Object> values, boolean offsets) throws SigmaException {
        List<Object> out = new ArrayList<>();
        Base64.Encoder enc = Base64.getEncoder();
        for (Object o : values) {
            byte[] bytes = o instanceof byte[] b
                    ? b
                    : plain(where, offsets ? "base64offset" : "base64", o).getBytes(StandardCharsets.UTF_8);
            if (!offsets) {
                out.add(Glob.literal(enc.encodeToString(bytes)));
                continue;
            }
            // The value may start at any of three byte offsets inside the encoded data; keep only the characters
            // that do not depend on the neighbouring bytes.
            int[] starts = {0, 2, 3};
            for (int i = 0; i < 3; i++) {
                byte[] shifted = new byte[bytes.length + i];
                for (int k = 0; k < i; k++) {
                    shifted[k] = ' ';
                }
                System.arraycopy(bytes, 0, shifted, i, bytes.length);
                String b64 = enc.encodeToString(shifted);
                int endCut = switch ((bytes.length + i) % 3) {
                    case 1 -> 3;
                    case 2 -> 2;
                    default -> 0;
                };
                int end = b64.length() - endCut;
                if (end > starts[i]) {
                    out.add(Glob.literal(b64.substring(starts[i], end)));
                }
            }
        }
        return out;
    }

    private Node regex(String field, String where, Set<String> mods, List<Object> values, boolean linkAll)
            throws SigmaException {
        int flags = 0;
        if (mods.contains("i")) {
            flags |= Pattern.CASE_INSENSITIVE;
        }
        if (mods.contains("m")) {
            flags |= Pattern.MULTILINE;
        }
        if (mods.contains("s")) {
            flags |= Pattern.DOTALL;
        }
        for (String m : mods) {
            if (!Set.of("re", "i", "m", "s", "all", "cased", "neq").contains(m)) {
                throw new SigmaException(where + ": modifier '" + m + "' cannot be combined with 're'");
            }
        }
        List<StringPredicate> preds = new ArrayList<>();
        List<String[]> literals = new ArrayList<>();
        for (Object v : values) {
            if (!(v instanceof String s)) {
                throw new SigmaException(where + ": a regular expression must be a string, not " + describe(v));
            }
            boolean ci = (flags & Pattern.CASE_INSENSITIVE) != 0 || RegexLiterals.isInlineCaseInsensitive(s);
            String[] required = RegexLiterals.of(s, ci);
            preds.add(compileRegex(where, s, flags, RegexLiterals.of(s, ci, 1), ci));
            literals.add(required);
        }
        if (linkAll) {
            // 'all' links the values with AND: each regex must match some value of the field, not necessarily the
            // same element of a multi-valued field (as for plain text values; one predicate testing all regexes on
            // each element would demand that a single element match them all).
            List<Node> each = new ArrayList<>();
            for (int i = 0; i < preds.size(); i++) {
                each.add(regexNode(
                        field, preds.get(i), regexTriggers(java.util.Collections.singletonList(literals.get(i)))));
            }
            Node node = new Node.And(each.toArray(new Node[0]));
            return mods.contains("neq") ? new Node.Not(node) : node;
        }
        StringPredicate p;
        if (preds.size() == 1) {
            p = preds.get(0);
        } else {
            StringPredicate[] array = preds.toArray(new StringPredicate[0]);
            p = text -> {
                for (StringPredicate x : array) {
                    if (x.test(text)) {
                        return true;
                    }
                }
                return false;
            };
        }
        Node node = regexNode(field, p, regexTriggers(literals));
        return mods.contains("neq") ? new Node.Not(node) : node;
    }

    /**
     * Regexes are matched on the text as it is (case-sensitive unless 'i'). Their candidate-index triggers are the
     * lower-cased necessary literals of every regex ({@link RegexLiterals}), or null when one regex has none.
     */
    private Node regexNode(String field, StringPredicate p, String[] triggers) {
        return field == null
                ? new Node.Keyword(p, true, triggers)
                : new Node.Text(slots.slot(field), field, true, p, triggers, Node.Text.REGEX_COST);
    }

    /** The union of the regexes' necessary literals, lower-cased, or null when some regex has none. */
    private static String[] regexTriggers(List<String[]> literals) {
        Set<String> out = new LinkedHashSet<>();
        for (String[] l : literals) {
            if (l == null) {
                return null;
            }
            for (String s : l) {
                out.add(s.toLowerCase(Locale.ROOT));
            }
        }
        return out.toArray(new String[0]);
    }

    private StringPredicate compileRegex(
            String where, String regex, int flags, String[] required, boolean caseInsensitive) throws SigmaException {
        try {
            return StringPredicate.regex(Pattern.compile(regex, flags), required, caseInsensitive);
        } catch (PatternSyntaxException e) {
            throw new SigmaException(where + ": regular expression /" + regex + "/ cannot run on RE2J (linear-time"
                    + " regexes; no lookaround or backreferences): " + e.getDescription());
        }
    }

    private Node cidr(String field, String where, Set<String> mods, List<Object> values, boolean linkAll)
            throws SigmaException {
        if (field == null) {
            throw new SigmaException("keywords: 'cidr' needs a field");
        }
        List<IPAddress> ranges = new ArrayList<>();
        for (Object v : values) {
            String s = Values.text(v).trim();
            try {
                IPAddress a = new IPAddressString(s).toAddress();
                ranges.add(a.isPrefixed() ? a.toPrefixBlock() : a);
            } catch (AddressStringException e) {
                throw new SigmaException(where + ": '" + s + "' is not a CIDR range: " + e.getMessage());
            }
        }
        int slot = slots.slot(field);
        Node node;
        if (linkAll) {
            List<Node> each = new ArrayList<>();
            for (IPAddress r : ranges) {
                each.add(new Node.Cidr(slot, field, new IPAddress[] {r}));
            }
            node = new Node.And(each.toArray(new Node[0]));
        } else {
            node = new Node.Cidr(slot, field, ranges.toArray(new IPAddress[0]));
        }
        return mods.contains("neq") ? new Node.Not(node) : node;
    }

    private static String numericOp(Set<String> mods, String where) throws SigmaException {
        String op = null;
        for (String m : List.of("lt", "lte", "gt", "gte")) {
            if (mods.contains(m)) {
                if (op != null) {
                    throw new SigmaException(where + ": '" + op + "' and '" + m + "' cannot be combined");
                }
                op = m;
            }
        }
        return op;
    }

    private Node numeric(
            String field,
            String where,
            Set<String> mods,
            List<Object> values,
            boolean linkAll,
            String timePart,
            String op)
            throws SigmaException {
        if (field == null) {
            throw new SigmaException("keywords: numeric and time modifiers need a field");
        }
        boolean neq = mods.contains("neq");
        List<Node> nodes = new ArrayList<>();
        int slot = slots.slot(field);
        for (Object v : values) {
            Double d = Values.number(v);
            if (d == null) {
                throw new SigmaException(where + ": '" + (op != null ? op : timePart) + "' needs a number, not '"
                        + Values.text(v) + "'");
            }
            double x = d;
            DoublePredicate test = switch (op == null ? "eq" : op) {
                case "lt" -> n -> n < x;
                case "lte" -> n -> n <= x;
                case "gt" -> n -> n > x;
                case "gte" -> n -> n >= x;
                default -> n -> n == x;
            };
            nodes.add(
                    timePart != null
                            ? new Node.TimePart(slot, field, timePart, test)
                            : new Node.Numeric(slot, field, test));
        }
        Node node = nodes.size() == 1
                ? nodes.get(0)
                : linkAll ? new Node.And(nodes.toArray(new Node[0])) : new Node.Or(nodes.toArray(new Node[0]));
        return neq ? new Node.Not(node) : node;
    }

    private Node fieldRef(
            String field, String where, Set<String> mods, List<Object> values, boolean linkAll, boolean cased)
            throws SigmaException {
        if (field == null) {
            throw new SigmaException("keywords: 'fieldref' needs a field");
        }
        Node.FieldRef.Kind kind = Node.FieldRef.Kind.EQUALS;
        if (mods.contains("contains")) {
            kind = Node.FieldRef.Kind.CONTAINS;
        } else if (mods.contains("startswith")) {
            kind = Node.FieldRef.Kind.STARTS_WITH;
        } else if (mods.contains("endswith")) {
            kind = Node.FieldRef.Kind.ENDS_WITH;
        }
        for (String m : mods) {
            if (!Set.of("fieldref", "contains", "startswith", "endswith", "all", "cased", "neq")
                    .contains(m)) {
                throw new SigmaException(where + ": modifier '" + m + "' cannot be combined with 'fieldref'");
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (Object v : values) {
            if (!(v instanceof String other) || other.isEmpty()) {
                throw new SigmaException(where + ": 'fieldref' takes field names");
            }
            // The referenced field is named in Sigma terms too, so it goes through the same field mapping.
            String mapped = mapField.apply(other);
            nodes.add(new Node.FieldRef(slots.slot(field), field, slots.slot(mapped), mapped, kind, cased));
        }
        Node node = nodes.size() == 1
                ? nodes.get(0)
                : linkAll ? new Node.And(nodes.toArray(new Node[0])) : new Node.Or(nodes.toArray(new Node[0]));
        return mods.contains("neq") ? new Node.Not(node) : node;
    }

    private static String describe(Object v) {
        return v instanceof Map<?, ?>
                ? "a map"
                : v instanceof List<?> ? "a list" : v.getClass().getSimpleName();
    }
}
