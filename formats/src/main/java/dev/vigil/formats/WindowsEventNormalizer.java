package dev.vigil.formats;

import dev.vigil.core.Event;
import dev.vigil.core.FieldDeriver;
import dev.vigil.core.FieldMap;
import dev.vigil.core.LogSource;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import dev.vigil.core.WindowsLogSources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a Windows event into an {@link Event} whose flat fields are named as Sigma rules name them.
 *
 * <p>Two input shapes are understood:
 *
 * <ul>
 *   <li>the <b>evtx_dump</b> shape, from EVTX files and from JSON exports: {@code {"Event": {"System": {...},
 *       "EventData": {...}}}}, XML attributes under {@code #attributes} and element text under {@code #text}; System
 *       fields may also be given flat ({@code "Provider_Name"} instead of {@code Provider.#attributes.Name});
 *   <li><b>winlogbeat</b>/ECS JSON: {@code winlog.channel}, {@code winlog.event_id}, {@code winlog.event_data.*}, ...
 * </ul>
 *
 * <p>Both give the same flat names: {@code EventID} (a {@code Long}), {@code Channel}, {@code Computer}, {@code
 * Provider_Name}, {@code Provider_Guid}, {@code EventRecordID}, {@code Level}, {@code Task}, {@code Opcode}, {@code
 * Keywords}, {@code Version}, {@code Security_UserID}, {@code ProcessID} and {@code ThreadID}, {@code
 * TimeCreated_SystemTime}; every {@code EventData} entry by its name (unnamed {@code Data} elements stay one field
 * {@code Data}, a list when there are several); every leaf of {@code UserData} by its innermost element name. Where an
 * EventData name repeats a System name (Sysmon 4's {@code Version}), the EventData value wins, as rules for that event
 * mean it. Other System elements with attributes give {@code Element_Attribute} (e.g. {@code Correlation_ActivityID}).
 *
 * <p>Besides the Sigma names, every event carries Elastic Common Schema fields under their flat dotted names (the time,
 * {@code event.code}, {@code process.executable}, ...), derived by {@link WindowsEcs} when first asked for (see {@link
 * FieldDeriver}); a winlogbeat event's own ECS values are kept.
 *
 * <p>The event keeps the input map as its {@link Event#original()}, its time from {@code TimeCreated.SystemTime} (or
 * {@code @timestamp} for winlogbeat), its record as {@code EventRecordID}, and its {@link LogSource} from {@link
 * WindowsLogSources}. Stateless and thread-safe.
 */
public final class WindowsEventNormalizer {
    private WindowsEventNormalizer() {}

    /** Whether {@code root} is an evtx_dump-shaped Windows event ({@code Event.System} is an object). */
    public static boolean isWindowsEvent(Map<String, Object> root) {
        Map<String, Object> event = Values.map(root.get("Event"));
        return event != null && Values.map(event.get("System")) != null;
    }

    /** Whether {@code root} is a winlogbeat event ({@code winlog} is an object with a channel or event ID). */
    public static boolean isWinlogbeat(Map<String, Object> root) {
        Map<String, Object> winlog = Values.map(root.get("winlog"));
        return winlog != null && (winlog.containsKey("channel") || winlog.containsKey("event_id"));
    }

    /**
     * Normalises an evtx_dump-shaped event.
     *
     * @param root the map with the {@code Event} key, kept as the event's original
     * @param source the file or input name for the {@link SourceRef}
     * @param position the record number to use when the event has no {@code EventRecordID}
     * @param tenant the event's tenant
     */
    public static Event normalize(Map<String, Object> root, String source, long position, TenantId tenant) {
        return normalize(root, source, position, tenant, null);
    }

    /** As {@link #normalize(Map, String, long, TenantId)}, timed {@code fallbackTime} when the event has no time. */
    static Event normalize(
            Map<String, Object> root, String source, long position, TenantId tenant, Instant fallbackTime) {
        Map<String, Object> event = Values.map(root.get("Event"));
        if (event == null) {
            event = root;
        }
        Map<String, Object> fields = new FieldMap(64);
        Header h = new Header();
        Map<String, Object> system = Values.map(event.get("System"));
        if (system != null) {
            system(system, fields, h);
        }
        Object eventData = event.get("EventData");
        if (eventData != null) {
            eventData(eventData, fields);
        }
        Object userData = event.get("UserData");
        if (userData != null) {
            leaves(userData, null, fields);
        }
        if (h.time == null) {
            h.time = fallbackTime;
        }
        return build(root, fields, h, source, position, tenant, WindowsEcs.EVTX);
    }

    /**
     * Normalises a winlogbeat (ECS) event to the same flat names as {@link #normalize}; the ECS fields stay reachable by
     * their dotted names through {@link Event#field(String)}.
     */
    public static Event normalizeWinlogbeat(Map<String, Object> root, String source, long position, TenantId tenant) {
        Map<String, Object> winlog = Values.map(root.get("winlog"));
        Map<String, Object> fields = new FieldMap(64);
        Header h = new Header();
        if (winlog != null) {
            h.eventId = putNumber(fields, "EventID", winlog.get("event_id"));
            h.channel = putString(fields, "Channel", winlog.get("channel"));
            putString(fields, "Computer", winlog.get("computer_name"));
            h.provider = putString(fields, "Provider_Name", winlog.get("provider_name"));
            putString(fields, "Provider_Guid", winlog.get("provider_guid"));
            h.record = putNumber(fields, "EventRecordID", winlog.get("record_id"));
            putScalar(fields, "Task", winlog.get("task"));
            putScalar(fields, "Opcode", winlog.get("opcode"));
            putScalar(fields, "Keywords", winlog.get("keywords"));
            putNumber(fields, "Version", winlog.get("version"));
            Map<String, Object> user = Values.map(winlog.get("user"));
            if (user != null) {
                putString(fields, "Security_UserID", user.get("identifier"));
            }
            Map<String, Object> process = Values.map(winlog.get("process"));
            if (process != null) {
                putNumber(fields, "ProcessID", process.get("pid"));
                Map<String, Object> thread = Values.map(process.get("thread"));
                if (thread != null) {
                    putNumber(fields, "ThreadID", thread.get("id"));
                }
            }
        }
        Object ts = root.get("@timestamp");
        if (ts != null) {
            fields.put("TimeCreated_SystemTime", Values.scalar(ts));
            h.time = Values.timestamp(ts);
        }
        if (winlog != null) {
            Map<String, Object> eventData = Values.map(winlog.get("event_data"));
            if (eventData != null) {
                for (Map.Entry<String, Object> e : eventData.entrySet()) {
                    fields.put(e.getKey(), Values.scalar(e.getValue()));
                }
            }
            Object userData = winlog.get("user_data");
            if (userData != null) {
                leaves(userData, null, fields);
            }
        }
        return build(root, fields, h, source, position, tenant, WindowsEcs.WINLOGBEAT);
    }

    private static Event build(
            Map<String, Object> root,
            Map<String, Object> fields,
            Header h,
            String source,
            long position,
            TenantId tenant,
            FieldDeriver ecs) {
        String eventType = fields.get("EventType") instanceof String s ? s : null;
        LogSource logSource =
                WindowsLogSources.classify(h.channel, h.eventId == null ? -1 : h.eventId, h.provider, eventType);
        return Event.builder()
                .tenant(tenant)
                .fields(fields)
                .derivedFields(ecs)
                .original(root)
                .logSource(logSource)
                .timestamp(h.time)
                .source(new SourceRef(source, h.record == null ? position : h.record))
                .build();
    }

    /** The System values the event's routing needs, taken before EventData can shadow a name. */
    private static final class Header {
        Long eventId;
        String channel;
        String provider;
        Long record;
        Instant time;
    }

    private static void system(Map<String, Object> system, Map<String, Object> fields, Header h) {
        for (Map.Entry<String, Object> e : system.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            if (v == null) {
                continue;
            }
            if (v instanceof Map<?, ?> m) {
                Map<String, Object> attrs = Values.map(m.get("#attributes"));
                Object text = m.get("#text");
                switch (key) {
                    case "EventID" -> h.eventId = putNumber(fields, "EventID", text);
                    case "Execution" -> {
                        if (attrs != null) {
                            for (Map.Entry<String, Object> a : attrs.entrySet()) {
                                fields.put(a.getKey(), Values.number(a.getValue()));
                            }
                        }
                    }
                    default -> {
                        if (text != null) {
                            systemScalar(key, text, fields, h);
                        }
                        if (attrs != null) {
                            for (Map.Entry<String, Object> a : attrs.entrySet()) {
                                systemScalar(key + "_" + a.getKey(), a.getValue(), fields, h);
                            }
                        }
                    }
                }
            } else {
                systemScalar(key, v, fields, h);
            }
        }
    }

    private static void systemScalar(String key, Object v, Map<String, Object> fields, Header h) {
        switch (key) {
            case "EventID" -> h.eventId = putNumber(fields, key, v);
            case "EventRecordID" -> h.record = putNumber(fields, key, v);
            case "Version", "Level", "Task", "Opcode" -> putNumber(fields, key, v);
            case "Execution_ProcessID" -> putNumber(fields, "ProcessID", v);
            case "Execution_ThreadID" -> putNumber(fields, "ThreadID", v);
            case "Channel" -> h.channel = putString(fields, key, v);
            case "Provider_Name" -> h.provider = putString(fields, key, v);
            case "TimeCreated_SystemTime" -> {
                Object value = Values.scalar(v);
                fields.put(key, value);
                h.time = Values.timestamp(value);
            }
            default -> fields.put(key, Values.scalar(v));
        }
    }

    private static void eventData(Object eventData, Map<String, Object> fields) {
        if (eventData instanceof Map<?, ?> raw) {
            Map<String, Object> map = Values.map(raw);
            for (Map.Entry<String, Object> e : map.entrySet()) {
                String key = e.getKey();
                switch (key) {
                    case "#attributes" -> {
                        // attributes of the EventData element itself (e.g. Name) are not event fields
                    }
                    case "Data", "#text" -> data(e.getValue(), fields);
                    default -> {
                        Object value = Values.scalar(e.getValue());
                        fields.put(key, value);
                        if (key.indexOf(' ') >= 0) {
                            // Sigma names fields without their spaces ("Threat Name" is ThreatName in rules), so
                            // offer both: the source's own name and the one rules use.
                            fields.putIfAbsent(key.replace(" ", ""), value);
                        }
                    }
                }
            }
        } else {
            fields.put("Data", Values.scalar(eventData));
        }
    }

    /** {@code Data} elements: named ones become fields by their names, unnamed ones one field {@code Data}. */
    private static void data(Object data, Map<String, Object> fields) {
        if (data instanceof List<?> list) {
            List<Object> unnamed = null;
            for (Object item : list) {
                if (!named(item, fields)) {
                    if (unnamed == null) {
                        unnamed = new ArrayList<>();
                    }
                    Object value = Values.scalar(item);
                    if (value instanceof List<?> inner) {
                        unnamed.addAll(inner);
                    } else {
                        unnamed.add(value);
                    }
                }
            }
            if (unnamed != null) {
                putData(fields, unnamed.size() == 1 ? unnamed.get(0) : unnamed);
            }
        } else if (!named(data, fields)) {
            putData(fields, Values.scalar(data));
        }
    }

    private static void putData(Map<String, Object> fields, Object value) {
        Object previous = fields.get("Data");
        if (previous == null) {
            fields.put("Data", value);
            return;
        }
        List<Object> merged = new ArrayList<>();
        addAll(merged, previous);
        addAll(merged, value);
        fields.put("Data", merged);
    }

    private static void addAll(List<Object> into, Object value) {
        if (value instanceof List<?> list) {
            into.addAll(list);
        } else {
            into.add(value);
        }
    }

    /** A {@code <Data Name="x">v</Data>} element as {@code x = v}; false when the item has no name. */
    private static boolean named(Object item, Map<String, Object> fields) {
        if (item instanceof Map<?, ?> m && m.get("#attributes") instanceof Map<?, ?> attrs) {
            if (attrs.get("Name") instanceof String name) {
                fields.put(name, Values.scalar(m.get("#text")));
                return true;
            }
        }
        return false;
    }

    /** Every leaf under {@code node} by its innermost element name; attributes are skipped. */
    private static void leaves(Object node, String name, Map<String, Object> fields) {
        if (node instanceof Map<?, ?> raw) {
            Map<String, Object> map = Values.map(raw);
            boolean children = false;
            for (Map.Entry<String, Object> e : map.entrySet()) {
                String key = e.getKey();
                if (key.equals("#attributes")) {
                    continue;
                }
                if (key.equals("#text")) {
                    if (name != null) {
                        fields.put(name, Values.scalar(e.getValue()));
                    }
                    continue;
                }
                children = true;
                leaves(e.getValue(), key, fields);
            }
            if (!children && name != null && !map.containsKey("#text")) {
                fields.putIfAbsent(name, null);
            }
        } else if (node instanceof List<?> list) {
            boolean scalars = true;
            for (Object o : list) {
                if (o instanceof Map<?, ?> || o instanceof List<?>) {
                    scalars = false;
                    break;
                }
            }
            if (scalars) {
                if (name != null) {
                    fields.put(name, Values.scalar(list));
                }
            } else {
                for (Object o : list) {
                    leaves(o, name, fields);
                }
            }
        } else if (name != null) {
            fields.put(name, Values.scalar(node));
        }
    }

    private static Long putNumber(Map<String, Object> fields, String key, Object v) {
        if (v == null) {
            return null;
        }
        Object n = Values.number(v);
        fields.put(key, n);
        return n instanceof Long l ? l : null;
    }

    private static String putString(Map<String, Object> fields, String key, Object v) {
        if (v == null) {
            return null;
        }
        String s = Values.string(v);
        fields.put(key, s);
        return s;
    }

    private static void putScalar(Map<String, Object> fields, String key, Object v) {
        if (v != null) {
            fields.put(key, Values.scalar(v));
        }
    }
}
