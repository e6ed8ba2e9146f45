package dev.vigil.sigma;

import dev.vigil.core.Event;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.util.List;
import java.util.function.DoublePredicate;

/**
 * A compiled detection condition. Nodes are immutable and shared by all threads; per-event state lives in the {@link
 * EvalContext}.
 */
sealed interface Node {
    boolean eval(EvalContext ctx);

    record And(Node[] children) implements Node {
        @Override
        public boolean eval(EvalContext ctx) {
            for (Node c : children) {
                if (!c.eval(ctx)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Or(Node[] children) implements Node {
        @Override
        public boolean eval(EvalContext ctx) {
            for (Node c : children) {
                if (c.eval(ctx)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Not(Node child) implements Node {
        @Override
        public boolean eval(EvalContext ctx) {
            return !child.eval(ctx);
        }
    }

    record Const(boolean value) implements Node {
        @Override
        public boolean eval(EvalContext ctx) {
            return value;
        }
    }

    /**
     * A text test of one field. A missing field and a null value never match; a multi-valued field matches when any
     * element does. {@code triggers}: lower-cased literals of which at least one occurs in the field whenever this
     * node matches (null when no such set exists), for the candidate index. {@code cost}: a rough relative price of one
     * test ({@link #HASH_COST} for equality and affix sets, {@link #SCAN_COST} when the text is scanned, {@link
     * #REGEX_COST}), for {@link EvaluationOrder}.
     */
    record Text(int slot, String field, boolean cased, StringPredicate predicate, String[] triggers, int cost)
            implements Node {
        static final int HASH_COST = 1;
        static final int SCAN_COST = 2;
        static final int REGEX_COST = 4;

        @Override
        public boolean eval(EvalContext ctx) {
            Object v = cased ? ctx.cased(slot) : ctx.lower(slot);
            if (v instanceof String s) {
                return predicate.test(s);
            }
            if (v instanceof String[] list) {
                for (String s : list) {
                    if (s != null && predicate.test(s)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** {@code field: null}: the field is absent or null (an empty list counts as null). */
    record IsNull(int slot, String field) implements Node {
        @Override
        public boolean eval(EvalContext ctx) {
            Object v = ctx.raw(slot);
            return v == Event.MISSING || v == null || (v instanceof List<?> l && l.isEmpty());
        }
    }

    /** {@code field|exists: true/false}: presence only, whatever the value. */
    record Exists(int slot, String field, boolean expected) implements Node {
        @Override
        public boolean eval(EvalContext ctx) {
            return (ctx.raw(slot) != Event.MISSING) == expected;
        }
    }

    /** Numeric comparison; values that are not numbers do not match. */
    record Numeric(int slot, String field, DoublePredicate test) implements Node {
        @Override
        public boolean eval(EvalContext ctx) {
            Object v = ctx.raw(slot);
            if (v instanceof List<?> list) {
                for (Object e : list) {
                    Double d = Values.number(e);
                    if (d != null && test.test(d)) {
                        return true;
                    }
                }
                return false;
            }
            Double d = Values.number(v);
            return d != null && test.test(d);
        }
    }

    /** {@code cidr}: the field is an IP address inside one of the ranges. */
    record Cidr(int slot, String field, IPAddress[] ranges) implements Node {
        @Override
        public boolean eval(EvalContext ctx) {
            Object v = ctx.raw(slot);
            if (v instanceof List<?> list) {
                for (Object e : list) {
                    if (inRange(e)) {
                        return true;
                    }
                }
                return false;
            }
            return inRange(v);
        }

        private boolean inRange(Object v) {
            if (!(v instanceof String s) || s.isEmpty()) {
                return false;
            }
            IPAddress addr = new IPAddressString(s.trim()).getAddress();
            if (addr == null) {
                return false;
            }
            for (IPAddress r : ranges) {
                if (r.getIPVersion() == addr.getIPVersion() && r.contains(addr)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Time modifiers: a part of the field's date (minute, hour, day, week, month, year) tested as a number. */
    record TimePart(int slot, String field, String part, DoublePredicate test) implements Node {
        private static final DateTimeFormatter SPACE_SEPARATED =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS]");

        @Override
        public boolean eval(EvalContext ctx) {
            OffsetDateTime t = parse(ctx.raw(slot));
            if (t == null) {
                return false;
            }
            int n = switch (part) {
                case "minute" -> t.getMinute();
                case "hour" -> t.getHour();
                case "day" -> t.getDayOfMonth();
                case "week" -> t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
                case "month" -> t.getMonthValue();
                case "year" -> t.get(ChronoField.YEAR);
                default -> throw new IllegalStateException(part);
            };
            return test.test(n);
        }

        static OffsetDateTime parse(Object v) {
            if (v instanceof Number n) {
                long x = n.longValue();
                Instant i = x > 100_000_000_000L ? Instant.ofEpochMilli(x) : Instant.ofEpochSecond(x);
                return i.atOffset(ZoneOffset.UTC);
            }
            if (!(v instanceof String s) || s.isBlank()) {
                return null;
            }
            String t = s.trim();
            try {
                return OffsetDateTime.parse(t);
            } catch (DateTimeParseException e) {
                // fall through to the zone-less forms
            }
            try {
                return LocalDateTime.parse(t).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // fall through
            }
            try {
                return LocalDateTime.parse(t, SPACE_SEPARATED).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    /** {@code fieldref}: compares a field with another field of the same event. */
    record FieldRef(int slot, String field, int otherSlot, String other, Kind kind, boolean cased) implements Node {
        enum Kind {
            EQUALS,
            STARTS_WITH,
            ENDS_WITH,
            CONTAINS
        }

        @Override
        public boolean eval(EvalContext ctx) {
            Object a = cased ? ctx.cased(slot) : ctx.lower(slot);
            Object b = cased ? ctx.cased(otherSlot) : ctx.lower(otherSlot);
            if (a instanceof String x && b instanceof String y) {
                return test(x, y);
            }
            // A multi-valued field matches when one of its values does, as for a value written in the rule.
            for (String x : texts(a)) {
                for (String y : texts(b)) {
                    if (x != null && y != null && test(x, y)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** The texts of a field as {@link EvalContext#lower} gives it: none when missing or null. */
        private static String[] texts(Object v) {
            return v instanceof String s ? new String[] {s} : v instanceof String[] list ? list : new String[0];
        }

        private boolean test(String x, String y) {
            return switch (kind) {
                case EQUALS -> x.equals(y);
                case STARTS_WITH -> x.startsWith(y);
                case ENDS_WITH -> x.endsWith(y);
                case CONTAINS -> x.contains(y);
            };
        }
    }

    /** A keyword: any value of the event matches (lower-cased text). */
    record Keyword(StringPredicate predicate, boolean cased, String[] triggers) implements Node {
        @Override
        public boolean eval(EvalContext ctx) {
            boolean[] hit = {false};
            ctx.event().forEachValue(v -> {
                // Event.forEachValue passes the null elements of a list: a null is no text, so no keyword is in it
                // (without this, the text "null" would match keywords such as '*' or 'u').
                if (!hit[0] && v != null) {
                    String s = Values.text(v);
                    hit[0] = predicate.test(cased ? s : EvalContext.lowerText(s));
                }
            });
            return hit[0];
        }
    }
}
