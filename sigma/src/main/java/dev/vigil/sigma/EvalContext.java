package dev.vigil.sigma;

import dev.vigil.core.Event;
import java.util.List;
import java.util.Locale;

/**
 * The per-event scratch space of one evaluation: field values looked up once and lower-cased once, however many rules
 * read them. Each field name a rule set uses has a slot number assigned at compile time, so a lookup is an array read.
 * One context per thread; {@link #reset(Event)} before each event.
 */
final class EvalContext {
    private static final Object UNSET = new Object();

    private final FieldSlots slots;
    private final Object[] raw;
    private final Object[] lower;
    private final int[] touched;
    private int touchedCount;
    private Event event;

    EvalContext(FieldSlots slots) {
        this.slots = slots;
        int n = slots.size();
        this.raw = new Object[n];
        this.lower = new Object[n];
        this.touched = new int[n];
        java.util.Arrays.fill(raw, UNSET);
        java.util.Arrays.fill(lower, UNSET);
    }

    void reset(Event event) {
        for (int i = 0; i < touchedCount; i++) {
            int s = touched[i];
            raw[s] = UNSET;
            lower[s] = UNSET;
        }
        touchedCount = 0;
        this.event = event;
    }

    Event event() {
        return event;
    }

    /** The raw value of a slot's field, or {@link Event#MISSING}. */
    Object raw(int slot) {
        Object v = raw[slot];
        if (v == UNSET) {
            v = event.field(slots.name(slot));
            raw[slot] = v;
            touched[touchedCount++] = slot;
        }
        return v;
    }

    /**
     * The field as lower-cased text: a {@code String}, a {@code String[]} for a multi-valued field, {@code null} for a
     * null value, or {@link Event#MISSING}.
     */
    Object lower(int slot) {
        Object v = lower[slot];
        if (v == UNSET) {
            Object r = raw(slot);
            v = lowerOf(r);
            lower[slot] = v;
        }
        return v;
    }

    /** The field as text with its case kept, in the same shapes as {@link #lower(int)}. */
    Object cased(int slot) {
        return textOf(raw(slot));
    }

    static Object lowerOf(Object r) {
        if (r == Event.MISSING || r == null) {
            return r;
        }
        if (r instanceof List<?> list) {
            String[] out = new String[list.size()];
            for (int i = 0; i < out.length; i++) {
                Object e = list.get(i);
                out[i] = e == null ? null : lowerText(Values.text(e));
            }
            return out;
        }
        return lowerText(Values.text(r));
    }

    static Object textOf(Object r) {
        if (r == Event.MISSING || r == null) {
            return r;
        }
        if (r instanceof List<?> list) {
            String[] out = new String[list.size()];
            for (int i = 0; i < out.length; i++) {
                Object e = list.get(i);
                out[i] = e == null ? null : Values.text(e);
            }
            return out;
        }
        return Values.text(r);
    }

    /** Lower-cases without allocating when the text has no upper-case ASCII and no non-ASCII characters. */
    static String lowerText(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if ((c >= 'A' && c <= 'Z') || c > 0x7f) {
                return s.toLowerCase(Locale.ROOT);
            }
        }
        return s;
    }
}
