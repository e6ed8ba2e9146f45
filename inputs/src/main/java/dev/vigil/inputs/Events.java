package dev.vigil.inputs;

import dev.vigil.core.Event;
import dev.vigil.core.FieldMap;
import java.time.Instant;
import java.util.Map;

/** Small operations on built events, which are immutable: adding transport metadata means building a copy. */
final class Events {
    private Events() {}

    /**
     * A copy of {@code event} with {@code extra} fields added where the event has none of that name, its own or
     * derived (the record's fields win over transport metadata) and, when {@code time} is non-null, that time. The
     * extra fields join the record's own; derived fields stay derived, so keyword searches still see only the record's
     * values and the metadata.
     */
    static Event withMetadata(Event event, Map<String, Object> extra, Instant time) {
        if (extra.isEmpty() && time == null) {
            return event;
        }
        Map<String, Object> all = event.fields();
        Map<String, Object> fields = new FieldMap(event.ownFields().size() + extra.size());
        fields.putAll(event.ownFields());
        extra.forEach((name, value) -> {
            if (!all.containsKey(name)) {
                fields.putIfAbsent(name, value);
            }
        });
        return Event.builder()
                .tenant(event.tenant())
                .fields(fields)
                .derivedFields(event.fieldDeriver())
                .original(event.original())
                .logSource(event.logSource())
                .timestamp(time != null ? time : event.timestamp())
                .source(event.source())
                .build();
    }
}
