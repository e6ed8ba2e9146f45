package dev.vigil.core;

import static java.util.Objects.requireNonNull;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A read-only view of an event's own fields followed by the fields derived from them, in that order, without copying
 * either. The two maps have no key in common ({@link FieldDeriver#derive} leaves out the names the event has, and
 * {@link Event} drops any it did not) and are read-only views themselves.
 */
final class JoinedFields extends AbstractMap<String, Object> {
    private final Map<String, Object> own;
    private final Map<String, Object> derived;

    JoinedFields(Map<String, Object> own, Map<String, Object> derived) {
        this.own = requireNonNull(own, "own");
        this.derived = requireNonNull(derived, "derived");
    }

    @Override
    public int size() {
        return own.size() + derived.size();
    }

    @Override
    public boolean isEmpty() {
        return own.isEmpty() && derived.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return own.containsKey(key) || derived.containsKey(key);
    }

    @Override
    public Object get(Object key) {
        return getOrDefault(key, null);
    }

    @Override
    public Object getOrDefault(Object key, Object defaultValue) {
        Object v = own.getOrDefault(key, Event.MISSING);
        return v != Event.MISSING ? v : derived.getOrDefault(key, defaultValue);
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        own.forEach(action);
        derived.forEach(action);
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                Iterator<Map.Entry<String, Object>> first = own.entrySet().iterator();
                Iterator<Map.Entry<String, Object>> second = derived.entrySet().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return first.hasNext() || second.hasNext();
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        // The maps are read-only views (see Event), whose entries refuse setValue already.
                        if (first.hasNext()) {
                            return first.next();
                        }
                        if (second.hasNext()) {
                            return second.next();
                        }
                        throw new NoSuchElementException();
                    }
                };
            }

            @Override
            public int size() {
                return JoinedFields.this.size();
            }
        };
    }
}
