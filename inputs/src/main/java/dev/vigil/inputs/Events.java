package dev.vigil.inputs;

import dev.vigil.core.Event;
import dev.vigil.core.FieldMap;
import java.time.Instant;
import java.util.Map;

/** Small operations on built events, which are immutable: adding transport metadata means building a copy. */
final class Events {
    private Events() {}

    /**
     * A copy of {@code event} with {@code extra} fields added where the event has none of that name (the record's own
     * fields win over transport metadata) and, when {@code time} is non-null, that time.
     */
    static Event withMetadata(Event event, Map<String, Object> extra, Instant time) {
        if (extra.isEmpty() && time == null) {
            return event;
        }
        Map<String, Object> fields = new FieldMap(event.fields().size() + extra.size());
        fields.putAll(event.fields());
        extra.forEach(fields::putIfAbsent);
        return Event.builder()
                .tenant(event.tenant())
                .fields(fields)
                .original(event.original())
                .logSource(event.logSource())
                .timestamp(time != null ? time : event.timestamp())
                .source(event.source())
                .build();
    }
}
