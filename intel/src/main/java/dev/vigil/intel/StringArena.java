package dev.vigil.intel;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Metadata strings (feed names, external ids, tags, references, descriptions) interned once into a UTF-8 arena and
 * referred to by number: an import's feed name or a malware name shared by 100,000 indicators is stored once.
 */
final class StringArena {
    private final byte[] arena;
    private final int[] offsets;

    private StringArena(byte[] arena, int[] offsets) {
        this.arena = arena;
        this.offsets = offsets;
    }

    String get(int id) {
        return new String(arena, offsets[id], offsets[id + 1] - offsets[id], StandardCharsets.UTF_8);
    }

    long heapBytes() {
        return 32 + arena.length + offsets.length * 4L;
    }

    /** Collects strings while an index is built; the map is dropped when {@link #freeze()} returns. */
    static final class Builder {
        private final Map<String, Integer> ids = new HashMap<>();
        private final ByteSink bytes = new ByteSink(1 << 16);
        private int[] offsets = new int[1024];
        private int count;

        int intern(String s) {
            Integer id = ids.get(s);
            if (id != null) {
                return id;
            }
            int n = count++;
            if (count >= offsets.length) {
                offsets = java.util.Arrays.copyOf(offsets, offsets.length * 2);
            }
            offsets[n] = bytes.size();
            bytes.write(s.getBytes(StandardCharsets.UTF_8));
            offsets[count] = bytes.size();
            ids.put(s, n);
            return n;
        }

        StringArena freeze() {
            return new StringArena(bytes.toArray(), java.util.Arrays.copyOf(offsets, count + 1));
        }
    }
}
