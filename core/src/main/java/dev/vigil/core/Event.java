package dev.vigil.core;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One security event as Vigil reads it.
 *
 * <p>An event keeps three views of the same record, because each has a reader that needs it:
 *
 * <ul>
 *   <li>the <b>original</b> record exactly as parsed (nested maps and lists for JSON and Windows events, a string for a
 *       text line), so that nothing the source said is lost and evidence can be shown as it was;
 *   <li>the <b>fields</b> as Sigma rules name them: a flat map from field name to value, e.g. {@code CommandLine} and
 *       {@code EventID} for a Windows event whose original nests them under {@code Event.EventData} and {@code
 *       Event.System};
 *   <li>the <b>log source</b> that routes the event to the rules written for it.
 * </ul>
 *
 * <p>An event may also have <b>derived</b> fields, computed from its own by a {@link FieldDeriver} the first time they
 * are asked for (Windows events get their Elastic Common Schema names this way). {@link #fields()} shows the own fields
 * followed by the derived ones; {@link #ownFields()} the own fields alone.
 *
 * <p>{@link #field(String)} looks a name up in the flat fields first and then as a dotted path in the original, so rules
 * and field mappings may use either (winlogbeat's {@code process.command_line} resolves through nested maps).
 *
 * <p>Values are {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code null}, or a {@code List} of these
 * (a multi-valued field). Events are immutable once built; the engine never copies them.
 */
public final class Event {
    private final TenantId tenant;
    private final Map<String, Object> fields;
    private final FieldDeriver deriver;
    /** The derived fields once computed; set once, by whichever thread derives first. */
    private volatile Map<String, Object> derived;
    /** {@link #fields} joined with {@link #derived}, so that {@link #fields()} returns the same map every time. */
    private volatile Map<String, Object> allFields;

    private final Object original;
    private final LogSource logSource;
    private final Instant timestamp;
    private final SourceRef source;

    private Event(Builder b) {
        this.tenant = requireNonNull(b.tenant, "tenant");
        this.fields = Collections.unmodifiableMap(b.fields);
        this.deriver = b.deriver;
        this.original = b.original;
        this.logSource = b.logSource == null ? LogSource.UNKNOWN : b.logSource;
        this.timestamp = b.timestamp;
        this.source = b.source;
    }

    private Event(Event from, TenantId tenant, Instant timestamp, SourceRef source, boolean sameDerived) {
        this.tenant = requireNonNull(tenant, "tenant");
        this.fields = from.fields;
        this.deriver = from.deriver;
        if (sameDerived) {
            // allFields first: it is published after derived, so a copy never has the one without the other.
            Map<String, Object> all = from.allFields;
            this.derived = from.derived;
            this.allFields = all;
        }
        this.original = from.original;
        this.logSource = from.logSource;
        this.timestamp = timestamp;
        this.source = source;
    }

    /** This event as received by another tenant: inputs set the tenant of the token, never one named in a payload. */
    public Event withTenant(TenantId newTenant) {
        return newTenant.equals(tenant) ? this : new Event(this, newTenant, timestamp, source, true);
    }

    /** This event with another source reference (the server numbers stored events by their log sequence). */
    public Event withSource(SourceRef newSource) {
        return new Event(this, tenant, timestamp, newSource, true);
    }

    /**
     * This event at another time (replays of recorded scenarios move them to the present). Derived fields are derived
     * again for it, so a derived time field follows.
     */
    public Event withTimestamp(Instant newTimestamp) {
        return new Event(this, tenant, newTimestamp, source, false);
    }

    public static Builder builder() {
        return new Builder();
    }

    public TenantId tenant() {
        return tenant;
    }

    /**
     * The flat fields: the Sigma-named fields of the record, then any derived fields (computed now if they were not
     * yet). Read-only; the same map on every call.
     */
    public Map<String, Object> fields() {
        if (deriver == null) {
            return fields;
        }
        Map<String, Object> all = allFields;
        if (all == null) {
            all = new JoinedFields(fields, derived());
            if (!ALL_FIELDS.compareAndSet(this, null, all)) {
                all = allFields;
            }
        }
        return all;
    }

    /** What derives this event's derived fields, or {@code null} when it has none; copies of the event keep it. */
    public FieldDeriver fieldDeriver() {
        return deriver;
    }

    /** The fields the record itself gave, without derived ones. Read-only. */
    public Map<String, Object> ownFields() {
        return fields;
    }

    private Map<String, Object> derived() {
        Map<String, Object> d = derived;
        if (d == null) {
            FieldMap computed = new FieldMap();
            deriver.derive(this, computed);
            // The contract says derived names are not own ones; a deriver that broke it would make fields() list a
            // name twice, so hold it here.
            computed.keySet().removeIf(fields::containsKey);
            d = Collections.unmodifiableMap(computed);
            if (!DERIVED.compareAndSet(this, null, d)) {
                d = derived;
            }
        }
        return d;
    }

    /** The record as parsed: a {@code Map}, a {@code List} or a {@code String}; may be {@code null}. */
    public Object original() {
        return original;
    }

    public LogSource logSource() {
        return logSource;
    }

    /** The event's time in UTC, or {@code null} when the source gave none. */
    public Instant timestamp() {
        return timestamp;
    }

    /** Where the event was read, or {@code null} for events built in memory. */
    public SourceRef source() {
        return source;
    }

    /**
     * The value of a field, or {@link #MISSING} when the event has no such field. A field that is present with a JSON
     * {@code null} returns {@code null}; Sigma distinguishes the two.
     */
    public Object field(String name) {
        // One lookup: a present key answers its value, null included; MISSING comes back only for an absent key.
        Object v = fields.getOrDefault(name, MISSING);
        if (v != MISSING) {
            return v;
        }
        if (deriver != null && deriver.mayDerive(name)) {
            v = derived().getOrDefault(name, MISSING);
            if (v != MISSING) {
                return v;
            }
        }
        return name.indexOf('.') >= 0 && original instanceof Map<?, ?> map ? path(map, name) : MISSING;
    }

    public boolean hasField(String name) {
        return field(name) != MISSING;
    }

    /** Marks an absent field; compare with {@code ==}. */
    public static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<missing>";
        }
    };

    /**
     * Visits every non-null scalar value of the record's own fields (list elements included), for keyword searches.
     * Derived fields are left out: they repeat the record's values in other names and add none of its own.
     */
    public void forEachValue(Consumer<Object> visitor) {
        forEachValueOf(fields, visitor);
    }

    /**
     * Visits every non-null scalar value of {@code fields} (list elements included, null elements skipped), in order;
     * {@link #forEachValue} over an event's own fields, or over {@link #fields()} for a search of all of them.
     */
    public static void forEachValueOf(Map<String, Object> fields, Consumer<Object> visitor) {
        // forEach, not an iterator over values(): a FieldMap walks its array, where the read-only wrapper's iterator
        // over the map's iterator cost as much as the keyword scan it feeds.
        fields.forEach((name, v) -> {
            if (v instanceof List<?> list) {
                for (Object e : list) {
                    if (e != null) {
                        visitor.accept(e);
                    }
                }
            } else if (v != null) {
                visitor.accept(v);
            }
        });
    }

    private static Object path(Map<?, ?> root, String dotted) {
        // A key may itself contain dots ("process.command_line" flat in a JSON object): try the longest key first at
        // each level, so flat and nested ECS both resolve.
        Object node = root;
        int start = 0;
        while (node instanceof Map<?, ?> map) {
            if (map.containsKey(dotted.substring(start))) {
                return map.get(dotted.substring(start));
            }
            int dot = dotted.indexOf('.', start);
            if (dot < 0) {
                return MISSING;
            }
            Object next = null;
            int end = dot;
            boolean found = false;
            while (end >= 0) {
                String key = dotted.substring(start, end);
                if (map.containsKey(key)) {
                    next = map.get(key);
                    found = true;
                    break;
                }
                end = dotted.indexOf('.', end + 1);
            }
            if (!found) {
                return MISSING;
            }
            node = next;
            start = end + 1;
            if (start >= dotted.length()) {
                return MISSING;
            }
        }
        return MISSING;
    }

    @Override
    public String toString() {
        return "Event{" + (source == null ? "" : source + " ") + fields + "}";
    }

    private static final VarHandle DERIVED;
    private static final VarHandle ALL_FIELDS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            DERIVED = lookup.findVarHandle(Event.class, "derived", Map.class);
            ALL_FIELDS = lookup.findVarHandle(Event.class, "allFields", Map.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Builds an {@link Event}; the builder's field map is taken over, not copied. */
    public static final class Builder {
        private TenantId tenant = TenantId.DEFAULT;
        private Map<String, Object> fields = new LinkedHashMap<>();
        private FieldDeriver deriver;
        private Object original;
        private LogSource logSource;
        private Instant timestamp;
        private SourceRef source;

        private Builder() {}

        public Builder tenant(TenantId tenant) {
            this.tenant = requireNonNull(tenant, "tenant");
            return this;
        }

        public Builder fields(Map<String, Object> fields) {
            this.fields = requireNonNull(fields, "fields");
            return this;
        }

        public Builder field(String name, Object value) {
            fields.put(name, value instanceof List<?> list ? new ArrayList<>(list) : value);
            return this;
        }

        /** Fields derived from the event's own on first use, or {@code null} for none. */
        public Builder derivedFields(FieldDeriver deriver) {
            this.deriver = deriver;
            return this;
        }

        public Builder original(Object original) {
            this.original = original;
            return this;
        }

        public Builder logSource(LogSource logSource) {
            this.logSource = logSource;
            return this;
        }

        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        public Builder source(SourceRef source) {
            this.source = source;
            return this;
        }

        public Event build() {
            return new Event(this);
        }
    }
}
