package dev.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FieldMapTest {
    @Test
    void keepsInsertionOrderAndPlaceOnOverwrite() {
        FieldMap m = new FieldMap(2);
        m.put("b", 1L);
        m.put("a", "x");
        m.put("c", null);
        m.put("b", 2L);
        assertThat(new ArrayList<>(m.keySet())).containsExactly("b", "a", "c");
        assertThat(new ArrayList<>(m.values())).containsExactly(2L, "x", null);
        assertThat(m).containsEntry("c", null).hasSize(3);
        assertThat(m.containsKey("c")).isTrue();
        assertThat(m.get("missing")).isNull();
        assertThat(m.containsKey(null)).isFalse();
        Map<?, ?> untyped = m;
        assertThat(untyped.get(42)).isNull();
        assertThat(m.toString()).isEqualTo("{b=2, a=x, c=null}");
        Map<String, Object> same = new LinkedHashMap<>();
        same.put("a", "x");
        same.put("c", null);
        same.put("b", 2L);
        assertThat(m).isEqualTo(same).hasSameHashCodeAs(same);
        assertThatThrownBy(() -> m.put(null, "v")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void iteratorsFailFastAndRemoveThroughTheIterator() {
        FieldMap m = new FieldMap();
        for (int i = 0; i < 10; i++) {
            m.put("k" + i, (long) i);
        }
        Iterator<Map.Entry<String, Object>> it = m.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Object> e = it.next();
            if (((Long) e.getValue()) % 2 == 0) {
                it.remove();
            } else {
                e.setValue("odd");
            }
        }
        assertThat(new ArrayList<>(m.keySet())).containsExactly("k1", "k3", "k5", "k7", "k9");
        assertThat(m.values()).containsOnly("odd");
        assertThat(m.get("k4")).isNull();
        assertThat(m.get("k5")).isEqualTo("odd");
        Iterator<String> keys = m.keySet().iterator();
        keys.next();
        m.put("new", 1L);
        assertThatThrownBy(keys::next).isInstanceOf(ConcurrentModificationException.class);
    }

    /**
     * Seeded random operations on a {@code FieldMap} and a {@code LinkedHashMap} side by side (the reference): every
     * result, the iteration order and the map's equality and hash code must agree. Keys come from a small pool so that
     * overwrites, removals and hash collisions ("Aa" and "BB" have one hash code) are frequent.
     */
    @Test
    void behavesAsLinkedHashMapOnRandomOperations() {
        Random r = new Random(3164_5424L);
        List<String> pool = new ArrayList<>(List.of("Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa"));
        for (int i = 0; i < 200; i++) {
            pool.add("field." + i);
        }
        for (int round = 0; round < 300; round++) {
            FieldMap m = new FieldMap(r.nextInt(40));
            Map<String, Object> ref = new LinkedHashMap<>();
            int keys = 2 + r.nextInt(pool.size() - 2);
            for (int op = 0; op < 400; op++) {
                String k = pool.get(r.nextInt(keys));
                Object v = r.nextInt(10) == 0 ? null : (Object) (long) r.nextInt(5);
                switch (r.nextInt(10)) {
                    case 0, 1, 2, 3 -> assertThat(m.put(k, v)).isEqualTo(ref.put(k, v));
                    case 4 -> assertThat(m.putIfAbsent(k, v)).isEqualTo(ref.putIfAbsent(k, v));
                    case 5 -> assertThat(m.remove(k)).isEqualTo(ref.remove(k));
                    case 6 -> assertThat(m.containsKey(k)).isEqualTo(ref.containsKey(k));
                    case 7 -> assertThat(m.getOrDefault(k, "d")).isEqualTo(ref.getOrDefault(k, "d"));
                    case 8 -> {
                        if (r.nextInt(50) == 0) {
                            m.clear();
                            ref.clear();
                        } else {
                            assertThat(m.containsValue(v)).isEqualTo(ref.containsValue(v));
                        }
                    }
                    default -> assertThat(m.get(k)).isEqualTo(ref.get(k));
                }
                assertThat(m.size()).isEqualTo(ref.size());
            }
            assertThat(new ArrayList<>(m.entrySet())).isEqualTo(new ArrayList<>(ref.entrySet()));
            assertThat(m).isEqualTo(ref);
            assertThat(ref).isEqualTo(m);
            assertThat(m.hashCode()).isEqualTo(ref.hashCode());
            List<String> visited = new ArrayList<>();
            m.forEach((k, v) -> visited.add(k));
            assertThat(visited).isEqualTo(new ArrayList<>(ref.keySet()));
        }
    }
}
