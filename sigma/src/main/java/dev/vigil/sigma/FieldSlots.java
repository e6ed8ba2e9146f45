package dev.vigil.sigma;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Numbers the distinct event field names of a rule set, so evaluation can cache per-field work in arrays. */
final class FieldSlots {
    private final Map<String, Integer> byName = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    int slot(String name) {
        Integer s = byName.get(name);
        if (s == null) {
            s = names.size();
            names.add(name);
            byName.put(name, s);
        }
        return s;
    }

    String name(int slot) {
        return names.get(slot);
    }

    int size() {
        return names.size();
    }
}
