package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded randomized comparison of the engine with {@link ReferenceInterpreter}, in the manner of Lucene's randomized
 * tests: each seed generates many random rules over a tiny alphabet (so that matches are frequent), compiles them into
 * one rule set (so that the candidate index routes between them), and runs random events through one detector. For
 * every event the engine's matching rule ids must equal the reference's.
 *
 * <p>Every failure names its seed. Replay one seed with {@code -Dtests.seed=<seed>} (decimal, or hex with {@code 0x}).
 */
class RandomizedMatcherTest {
    private static final int SEEDS = 200;
    private static final int RULES_PER_SEED = 50;
    private static final int EVENTS_PER_SEED = 200;

    private static final List<String> TEXT_FIELDS = List.of("A", "B", "C", "CommandLine", "Image");
    private static final String RULE_CHARS = "abc-/\\. *?";
    private static final String ENCODABLE_CHARS = "abcAB-/. ";
    private static final String EVENT_CHARS = "abcABC-/\\. *?\u2013";
    private static final List<String> REGEXES = List.of(
            "a.b",
            "^ab",
            "c$",
            "[ab]+c",
            "(a|b)c",
            "a\\.b",
            "^$",
            "b.*c",
            "A",
            "[^a]b",
            "a{2}",
            "^a$",
            "^b",
            "b$",
            "^-?[abc]$",
            "a.c",
            "C",
            "c/?b");
    private static final List<String> RANGES = List.of(
            "10.0.0.0/8", "10.1.0.0/16", "192.168.1.0/24", "10.0.0.5", "10.0.0.4/30", "0.0.0.0/0", "192.168.1.128/25");

    static LongStream seeds() {
        String replay = System.getProperty("tests.seed");
        if (replay != null && !replay.isBlank()) {
            return LongStream.of(Long.decode(replay.trim()));
        }
        return LongStream.range(0, SEEDS).map(i -> 0x5EED_0000L + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void engineAgreesWithReference(long seed) {
        Generator gen = new Generator(new Random(seed));
        List<String> ids = new ArrayList<>();
        List<String> yamls = new ArrayList<>();
        List<Map<String, Object>> detections = new ArrayList<>();
        SigmaRuleSet.Builder builder = SigmaRuleSet.builder();
        for (int r = 0; r < RULES_PER_SEED; r++) {
            String id = "r" + r;
            String yaml = gen.rule(id);
            ids.add(id);
            yamls.add(yaml);
            builder.addYaml(id + ".yml", yaml);
            @SuppressWarnings("unchecked")
            Map<String, Object> detection =
                    (Map<String, Object>) ReferenceInterpreter.load(yaml).get("detection");
            detections.add(detection);
        }
        SigmaRuleSet set = builder.build();
        assertThat(set.report().errors()).as("seed %s: rules must load", seed).isEmpty();
        SigmaDetector detector = new SigmaDetector(set);

        List<String> failures = new ArrayList<>();
        for (int e = 0; e < EVENTS_PER_SEED && failures.size() < 5; e++) {
            Map<String, Object> fields = gen.event();
            Event event = Event.builder().fields(fields).build();
            Set<String> engine = detector.process(event).stream()
                    .map(d -> d.rule().id())
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> reference = new TreeSet<>();
            for (int r = 0; r < detections.size(); r++) {
                if (ReferenceInterpreter.matches(detections.get(r), fields)) {
                    reference.add(ids.get(r));
                }
            }
            if (!engine.equals(reference)) {
                failures.add(describe(seed, e, fields, engine, reference, ids, yamls));
            }
        }
        assertThat(failures)
                .as("seed %s (replay with -Dtests.seed=%s)", seed, seed)
                .isEmpty();
    }

    /** A failure report: the event, both answers, and each disputed rule with its verdict when compiled alone. */
    private static String describe(
            long seed,
            int eventIndex,
            Map<String, Object> fields,
            Set<String> engine,
            Set<String> reference,
            List<String> ids,
            List<String> yamls) {
        StringBuilder sb = new StringBuilder();
        sb.append("seed ")
                .append(seed)
                .append(" event #")
                .append(eventIndex)
                .append(' ')
                .append(show(fields))
                .append("\n  engine:    ")
                .append(engine)
                .append("\n  reference: ")
                .append(reference);
        Set<String> disputed = new TreeSet<>(engine);
        disputed.addAll(reference);
        Set<String> agreed = new TreeSet<>(engine);
        agreed.retainAll(reference);
        disputed.removeAll(agreed);
        for (String id : disputed) {
            String yaml = yamls.get(ids.indexOf(id));
            SigmaRuleSet alone = SigmaRuleSet.builder().addYaml(id, yaml).build();
            boolean aloneMatches = !new SigmaDetector(alone)
                    .process(Event.builder().fields(fields).build())
                    .isEmpty();
            sb.append("\n  --- ")
                    .append(id)
                    .append(" (engine alone: ")
                    .append(aloneMatches)
                    .append(")\n")
                    .append(yaml);
        }
        return sb.toString();
    }

    private static String show(Map<String, Object> fields) {
        return fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + showValue(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String showValue(Object v) {
        if (v instanceof List<?> list) {
            return list.stream().map(RandomizedMatcherTest::showValue).collect(Collectors.joining(", ", "[", "]"));
        }
        if (v instanceof String s) {
            return "'" + s.replace("\n", "\\n") + "'";
        }
        return String.valueOf(v) + (v == null ? "" : "(" + v.getClass().getSimpleName() + ")");
    }

    /** Random rules and events from one seed. */
    private static final class Generator {
        private final Random rnd;
        /** (field, literal) pairs that the rules of this seed look for, to build near-miss and hit events. */
        private final List<String[]> literals = new ArrayList<>();

        Generator(Random rnd) {
            this.rnd = rnd;
        }

        private <T> T pick(List<T> list) {
            return list.get(rnd.nextInt(list.size()));
        }

        private boolean chance(int percent) {
            return rnd.nextInt(100) < percent;
        }

        private String chars(String alphabet, int min, int max) {
            int n = min + rnd.nextInt(max - min + 1);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            return sb.toString();
        }

        private static String quote(String s) {
            return "'" + s.replace("'", "''") + "'";
        }

        // ----- rules ---------------------------------------------------------------------------------------------

        String rule(String id) {
            List<String> names = new ArrayList<>(
                    List.of("selection_a", "selection_b", "filter_x", "filter_y", "_hidden", "keywords"));
            Collections.shuffle(names, rnd);
            int count = 1 + rnd.nextInt(4);
            List<String> chosen = new ArrayList<>(names.subList(0, count));
            if (chosen.stream().allMatch(n -> n.startsWith("_"))) {
                chosen.set(0, "selection_a");
            }
            StringBuilder sb = new StringBuilder();
            sb.append("title: random rule ")
                    .append(id)
                    .append("\nid: ")
                    .append(id)
                    .append("\nlogsource:\n  product: test\ndetection:\n");
            for (String name : chosen) {
                sb.append("  ").append(name).append(":\n");
                sb.append(selection(name.equals("keywords") || chance(8)));
            }
            if (chance(10)) {
                sb.append("  condition:\n    - ")
                        .append(quote(condition(chosen, 2)))
                        .append("\n    - ")
                        .append(quote(condition(chosen, 2)))
                        .append('\n');
            } else {
                sb.append("  condition: ").append(quote(condition(chosen, 3))).append('\n');
            }
            sb.append("level: high\n");
            return sb.toString();
        }

        private String selection(boolean keywords) {
            StringBuilder sb = new StringBuilder();
            if (keywords) {
                List<String> values = new ArrayList<>();
                int n = listSize();
                for (int i = 0; i < n; i++) {
                    String v = chars(RULE_CHARS, 1, 5);
                    values.add(v);
                    literals.add(new String[] {pick(TEXT_FIELDS), v});
                }
                if (chance(25) && n > 1) {
                    sb.append("    '|all':\n");
                    values.forEach(v -> sb.append("      - ").append(quote(v)).append('\n'));
                } else {
                    values.forEach(v -> sb.append("    - ").append(quote(v)).append('\n'));
                }
                return sb.toString();
            }
            if (chance(15)) {
                // A list of maps: any of them.
                for (int m = 0; m < 2; m++) {
                    // Re-indent the items by two spaces and turn the first one into a list entry.
                    String block = items().stream()
                            .flatMap(String::lines)
                            .map(l -> "  " + l + "\n")
                            .collect(Collectors.joining());
                    sb.append("    - ").append(block.substring(6));
                }
                return sb.toString();
            }
            items().forEach(sb::append);
            return sb.toString();
        }

        /** 1 to 3 items, each indented for a map under a search identifier (6 spaces of values). */
        private List<String> items() {
            int n = 1 + rnd.nextInt(3);
            List<String> out = new ArrayList<>();
            Set<String> used = new java.util.HashSet<>();
            while (out.size() < n) {
                String item = item();
                String key = item.substring(0, item.indexOf(':'));
                if (used.add(key)) {
                    out.add(item);
                }
            }
            return out;
        }

        private int listSize() {
            int r = rnd.nextInt(100);
            return r < 50 ? 1 : r < 80 ? 2 + rnd.nextInt(4) : 6 + rnd.nextInt(35);
        }

        /** One item: "    key:\n      - v\n" or "    key: v\n". */
        private String item() {
            int kind = rnd.nextInt(100);
            String field = pick(TEXT_FIELDS);
            if (kind < 50) {
                return textItem(field);
            }
            if (kind < 60) {
                return encodedItem(field);
            }
            if (kind < 70) {
                List<String> mods = new ArrayList<>(List.of("re"));
                for (String f : List.of("i", "m", "s")) {
                    if (chance(30)) {
                        mods.add(f);
                    }
                }
                int n = 1 + rnd.nextInt(3);
                List<String> values = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    values.add(pick(REGEXES));
                }
                if (n > 1 && chance(30)) {
                    mods.add("all");
                }
                if (chance(15)) {
                    mods.add("neq");
                }
                return render(field, mods, values, n > 1);
            }
            if (kind < 75) {
                return "    " + field + "|exists: " + rnd.nextBoolean() + "\n";
            }
            if (kind < 80) {
                return "    " + field + (chance(30) ? "|neq" : "") + ": " + (chance(50) ? "null" : "''") + "\n";
            }
            if (kind < 90) {
                String op = pick(List.of("lt", "lte", "gt", "gte", "", "neq"));
                int n = chance(70) ? 1 : 2 + rnd.nextInt(3);
                List<String> values = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    values.add(Integer.toString(rnd.nextInt(11)));
                }
                List<String> mods = new ArrayList<>();
                if (!op.isEmpty()) {
                    mods.add(op);
                }
                if (n > 1 && chance(30)) {
                    mods.add("all");
                }
                return renderRaw("N", mods, values, n > 1);
            }
            int n = chance(60) ? 1 : 2 + rnd.nextInt(3);
            List<String> values = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                values.add(pick(RANGES));
            }
            List<String> mods = new ArrayList<>(List.of("cidr"));
            if (n > 1 && chance(30)) {
                mods.add("all");
            }
            if (chance(20)) {
                mods.add("neq");
            }
            return render("IP", mods, values, n > 1);
        }

        private String textItem(String field) {
            List<String> mods = new ArrayList<>();
            String match = pick(List.of("", "", "contains", "contains", "startswith", "endswith"));
            if (!match.isEmpty()) {
                mods.add(match);
            }
            if (chance(20)) {
                mods.add("windash");
            }
            if (chance(20)) {
                mods.add("cased");
            }
            if (chance(12)) {
                mods.add("neq");
            }
            int n = listSize();
            if (n > 1 && chance(25)) {
                mods.add("all");
            }
            Collections.shuffle(mods, rnd);
            List<String> values = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String v = chance(4) ? "" : chars(chance(15) ? RULE_CHARS + "ABC" : RULE_CHARS, 1, 5);
                values.add(v);
                literals.add(new String[] {field, v});
            }
            return render(field, mods, values, n > 1 || chance(10));
        }

        private String encodedItem(String field) {
            List<String> mods = new ArrayList<>(pick(List.of(
                    List.of("base64offset", "contains"),
                    List.of("base64offset", "contains"),
                    List.of("base64", "contains"),
                    List.of("base64"),
                    List.of("wide", "base64offset", "contains"),
                    List.of("utf16le", "base64offset", "contains"),
                    List.of("windash", "base64offset", "contains"))));
            if (chance(20)) {
                mods.add("cased");
            }
            int n = chance(60) ? 1 : 2 + rnd.nextInt(8);
            if (n > 1 && chance(20)) {
                mods.add("all");
            }
            List<String> values = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String v = chars(ENCODABLE_CHARS, 2, 6);
                if (chance(10)) {
                    v = v + "\\*"; // an escaped star is a plain character, so it can be encoded
                }
                values.add(v);
                literals.add(new String[] {
                    field,
                    "b64:" + (mods.contains("wide") || mods.contains("utf16le") ? "w" : "u") + v.replace("\\*", "*")
                });
            }
            return render(field, mods, values, n > 1);
        }

        private String render(String field, List<String> mods, List<String> values, boolean asList) {
            List<String> quoted = values.stream().map(Generator::quote).toList();
            return renderRaw(field, mods, quoted, asList);
        }

        private String renderRaw(String field, List<String> mods, List<String> values, boolean asList) {
            StringBuilder sb = new StringBuilder("    ").append(field);
            mods.forEach(m -> sb.append('|').append(m));
            sb.append(':');
            if (!asList) {
                return sb.append(' ').append(values.get(0)).append('\n').toString();
            }
            sb.append('\n');
            values.forEach(v -> sb.append("      - ").append(v).append('\n'));
            return sb.toString();
        }

        // ----- conditions ----------------------------------------------------------------------------------------

        private String condition(List<String> names, int depth) {
            int r = rnd.nextInt(100);
            if (depth == 0 || r < 25) {
                return atom(names);
            }
            if (r < 35) {
                return "not " + wrap(condition(names, depth - 1));
            }
            String op = r < 70 ? " and " : " or ";
            int n = 2 + rnd.nextInt(2);
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                parts.add(wrap(condition(names, depth - 1)));
            }
            return String.join(op, parts);
        }

        /** Parenthesizes compound conditions (and sometimes simple ones, redundantly). */
        private String wrap(String c) {
            boolean compound = c.contains(" and ") || c.contains(" or ") || c.startsWith("not ");
            return compound || chance(10) ? "(" + c + ")" : c;
        }

        private String atom(List<String> names) {
            int r = rnd.nextInt(100);
            if (r < 60) {
                return pick(names);
            }
            String quantifier = pick(List.of("1 of ", "all of ", "any of "));
            if (r < 75 && names.stream().anyMatch(n -> !n.startsWith("_"))) {
                return quantifier + "them";
            }
            String name = pick(names);
            int cut = 1 + rnd.nextInt(name.length() - 1);
            return quantifier + (rnd.nextBoolean() ? name.substring(0, cut) + "*" : "*" + name.substring(cut));
        }

        // ----- events --------------------------------------------------------------------------------------------

        Map<String, Object> event() {
            Map<String, Object> fields = new LinkedHashMap<>();
            int r = rnd.nextInt(100);
            if (r < 35 && !literals.isEmpty()) {
                targeted(fields);
            }
            List<String> all = new ArrayList<>(TEXT_FIELDS);
            all.addAll(List.of("N", "IP", "D"));
            Collections.shuffle(all, rnd);
            int n = rnd.nextInt(6);
            for (int i = 0; i < n; i++) {
                String f = all.get(i);
                if (fields.containsKey(f)) {
                    continue;
                }
                fields.put(
                        f,
                        switch (f) {
                            case "N" -> numberValue();
                            case "IP" -> chance(15) ? java.util.Arrays.asList(ipValue(), ipValue()) : ipValue();
                            default -> textValue();
                        });
            }
            return fields;
        }

        /** Puts a literal some rule looks for into the event: in its field, a different case, split, or elsewhere. */
        private void targeted(Map<String, Object> fields) {
            String[] lit = pick(literals);
            String field = lit[0];
            String text = materialize(lit[1]);
            switch (rnd.nextInt(6)) {
                case 0 -> fields.put(field, text);
                case 1 -> fields.put(field, flipCase(text));
                case 2 -> {
                    // only across a list element boundary
                    int cut = text.isEmpty() ? 0 : rnd.nextInt(text.length() + 1);
                    fields.put(field, List.of(text.substring(0, cut), text.substring(cut)));
                }
                case 3 ->
                    fields.put(
                            pick(TEXT_FIELDS.stream()
                                    .filter(f -> !f.equals(field))
                                    .toList()),
                            text);
                case 4 -> fields.put(field, chars(EVENT_CHARS, 0, 3) + flipCase(text) + chars(EVENT_CHARS, 0, 3));
                default -> fields.put(field, List.of(scalarText(), chars(EVENT_CHARS, 0, 2) + text));
            }
        }

        /** Event text for a rule literal: wildcards become random characters, escapes are resolved. */
        private String materialize(String literal) {
            if (literal.startsWith("b64:")) {
                boolean wide = literal.charAt(4) == 'w';
                String plain = chars(ENCODABLE_CHARS, 0, 3) + literal.substring(5) + chars(ENCODABLE_CHARS, 0, 3);
                byte[] bytes = plain.getBytes(wide ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_8);
                return chars("ab ", 0, 2) + Base64.getEncoder().encodeToString(bytes);
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < literal.length(); i++) {
                char c = literal.charAt(i);
                if (c == '\\' && i + 1 < literal.length() && "*?\\".indexOf(literal.charAt(i + 1)) >= 0) {
                    sb.append(literal.charAt(++i));
                } else if (c == '*') {
                    sb.append(chars(EVENT_CHARS, 0, 2));
                } else if (c == '?') {
                    sb.append(chars(EVENT_CHARS, 1, 1));
                } else if ((c == '-' || c == '/') && chance(30)) {
                    sb.append(pick(List.of("-", "/", "\u2013", "\u2014", "\u2015")));
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }

        private String flipCase(String s) {
            StringBuilder sb = new StringBuilder();
            for (char c : s.toCharArray()) {
                sb.append(
                        chance(60)
                                ? (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c))
                                : c);
            }
            return sb.toString();
        }

        private Object textValue() {
            int r = rnd.nextInt(100);
            if (r < 8) {
                return null;
            }
            if (r < 20) {
                List<Object> list = new ArrayList<>();
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    list.add(chance(15) ? null : scalarText());
                }
                return list;
            }
            if (r < 25) {
                return (long) rnd.nextInt(11);
            }
            if (r < 45 && !literals.isEmpty()) {
                String[] lit = pick(literals);
                String text = materialize(lit[1]);
                return chance(50) ? flipCase(text) : text;
            }
            return scalarText();
        }

        private String scalarText() {
            String s = chars(EVENT_CHARS, 0, 8);
            if (chance(5)) {
                // Only inside the text: RE2J (the engine) and PCRE (the spec) differ on '$' before a final newline.
                s = s + "\n" + chars(EVENT_CHARS, 1, 4);
            }
            return s;
        }

        private Object numberValue() {
            return switch (rnd.nextInt(8)) {
                case 0 -> null;
                case 1 -> Integer.toString(rnd.nextInt(11));
                case 2 -> "0x" + Integer.toHexString(rnd.nextInt(11));
                case 3 -> "abc";
                case 4 -> List.of((long) rnd.nextInt(11), (long) rnd.nextInt(11));
                default -> (long) rnd.nextInt(11);
            };
        }

        private Object ipValue() {
            return switch (rnd.nextInt(8)) {
                case 0 -> "192.168.1." + rnd.nextInt(256);
                case 1 -> "not-an-ip";
                case 2 -> "";
                case 3 -> "10.0.0." + rnd.nextInt(8);
                case 4 -> null;
                default -> "10." + rnd.nextInt(3) + "." + rnd.nextInt(3) + "." + rnd.nextInt(256);
            };
        }
    }
}
