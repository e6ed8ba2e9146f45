package dev.vigil.core;

import java.util.Map;

/** {@link FieldDeriver#of}: fields derived when the event was first read, handed out again. */
record DerivedBefore(Map<String, Object> fields) implements FieldDeriver {
    @Override
    public boolean mayDerive(String name) {
        return fields.containsKey(name);
    }

    @Override
    public void derive(Event event, Map<String, Object> into) {
        Map<String, Object> own = event.ownFields();
        fields.forEach((name, value) -> {
            if (!own.containsKey(name)) {
                into.put(name, value);
            }
        });
    }
}
