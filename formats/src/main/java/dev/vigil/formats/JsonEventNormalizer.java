package dev.vigil.formats;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import dev.vigil.core.WindowsLogSources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a JSON object into an {@link Event}: Windows events (evtx_dump shape or winlogbeat) go to {@link
 * WindowsEventNormalizer}; any other object becomes a generic event.
 *
 * <p>A generic event's flat fields are the object's keys, nested objects joined with dots ({@code {"process":{"pid":1}}}
 * gives {@code process.pid}); a list of scalars stays a list; objects inside lists contribute their values to a
 * multi-valued field ({@code {"a":[{"b":1},{"b":2}]}} gives {@code a.b = [1, 2]}). Its time is the first of the keys
 * <code>&#64;timestamp</code>, {@code timestamp}, {@code time}, {@code ts} that parses (ISO-8601, or epoch seconds,
 * milliseconds, microseconds or nanoseconds). Its log source is {@link LogSource#UNKNOWN} unless the object carries a {@code logsource} object with {@code product},
 * {@code category}, {@code service} (strings or lists of strings), or is an already flat Windows event with {@code
 * Channel} and {@code EventID}. Stateless and thread-safe.
 */
public final class JsonEventNormalizer {
    private static final String[] TIME_KEYS = {"@timestamp", "timestamp", "time", "ts"};

    private JsonEventNormalizer() {}

    /**
     * Normalises any JSON object.
     *
     * @param root the parsed object, kept as the original
     * @param source the file or input name
     * @param position the record number when the object has none of its own (line or 1-based position)
     * @param tenant the event's tenant
     */
    public static Event normalize(Map<String, Object> root, String source, long position, TenantId tenant) {
        if (WindowsEventNormalizer.isWindowsEvent(root)) {
            return WindowsEventNormalizer.normalize(root, source, position, tenant);
        }
        if (WindowsEventNormalizer.isWinlogbeat(root)) {
            return WindowsEventNormalizer.normalizeWinlogbeat(root, source, position, tenant);
        }
        for (JsonShape shape : JsonShapes.all()) {
            if (shape.matches(root)) {
                return shape.normalize(root, source, position, tenant);
            }
        }
        return generic(root, source, position, tenant);
    }

    /** Normalises {@code root} as a generic JSON event, whatever its shape. */
    public static Event generic(Map<String, Object> root, String source, long position, TenantId tenant) {
        Map<String, Object> fields = new LinkedHashMap<>(Math.max(16, root.size() * 2));
        flatten(root, null, fields);
        Instant time = null;
        for (String key : TIME_KEYS) {
            Object v = root.get(key);
            if (v != null) {
                time = Values.timestamp(v);
                if (time != null) {
                    break;
                }
            }
        }
        return Event.builder()
                .tenant(tenant)
                .fields(fields)
                .original(root)
                .logSource(logSource(root))
                .timestamp(time)
                .source(new SourceRef(source, position))
                .build();
    }

    private static LogSource logSource(Map<String, Object> root) {
        Map<String, Object> ls = Values.map(root.get("logsource"));
        if (ls != null) {
            String product = Values.string(ls.get("product"));
            return new LogSource(product, strings(ls.get("category")), strings(ls.get("service")));
        }
        if (root.get("Channel") instanceof String channel && root.containsKey("EventID")) {
            Object id = Values.number(root.get("EventID"));
            if (id instanceof Long eventId) {
                Object provider = root.get("Provider_Name");
                Object eventType = root.get("EventType");
                return WindowsLogSources.classify(
                        channel,
                        eventId,
                        provider instanceof String p ? p : null,
                        eventType instanceof String t ? t : null);
            }
        }
        return LogSource.UNKNOWN;
    }

    private static Set<String> strings(Object v) {
        if (v == null) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                if (o != null) {
                    out.add(Values.string(o));
                }
            }
        } else {
            out.add(Values.string(v));
        }
        return out;
    }

    private static void flatten(Map<?, ?> map, String prefix, Map<String, Object> fields) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix == null ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> nested) {
                flatten(nested, key, fields);
            } else if (v instanceof List<?> list) {
                list(list, key, fields);
            } else {
                add(fields, key, Values.scalar(v));
            }
        }
    }

    private static void list(List<?> list, String key, Map<String, Object> fields) {
        List<Object> scalars = null;
        for (Object o : list) {
            if (o instanceof Map<?, ?> nested) {
                flatten(nested, key, fields);
            } else if (o instanceof List<?> inner) {
                list(inner, key, fields);
            } else {
                if (scalars == null) {
                    scalars = new ArrayList<>(list.size());
                }
                scalars.add(Values.scalar(o));
            }
        }
        if (scalars != null) {
            add(fields, key, scalars);
        } else if (list.isEmpty()) {
            fields.putIfAbsent(key, List.of());
        }
    }

    /** Puts a value; a second value for the same key (from objects in a list) makes the field multi-valued. */
    @SuppressWarnings("unchecked")
    private static void add(Map<String, Object> fields, String key, Object value) {
        if (!fields.containsKey(key)) {
            fields.put(key, value);
            return;
        }
        Object previous = fields.get(key);
        // Every ArrayList in fields was built here and is not shared, so it grows in place: copying it for each
        // repeated key made a line with millions of repeats quadratic. Other lists (List.of()) are copied once.
        List<Object> merged;
        if (previous instanceof ArrayList<?> own) {
            merged = (List<Object>) own;
        } else {
            merged = new ArrayList<>();
            if (previous instanceof List<?> l) {
                merged.addAll(l);
            } else {
                merged.add(previous);
            }
        }
        if (value instanceof List<?> l) {
            merged.addAll(l);
        } else {
            merged.add(value);
        }
        fields.put(key, merged);
    }
}
