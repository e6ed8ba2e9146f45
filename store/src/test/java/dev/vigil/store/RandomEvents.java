package dev.vigil.store;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Seeded random events with every value type the codec and store must keep (Long and Double, not Integer). */
final class RandomEvents {
    private static final String[] WORDS = {
        "alpha",
        "Beta",
        "GAMMA",
        "δέλτα",
        "e\"quote",
        "back\\slash",
        "per%cent",
        "under_score",
        "star*",
        "",
        "new\nline",
        "tab\t",
        "10.1.2.3",
        "2001:db8::1",
        "4625",
        "Ünïcödé",
        "'; DROP TABLE events; --"
    };

    private RandomEvents() {}

    static Event event(Random r, TenantId tenant) {
        Event.Builder b = Event.builder().tenant(tenant);
        int n = r.nextInt(8);
        for (int i = 0; i < n; i++) {
            b.field(fieldName(r), value(r, 0));
        }
        if (r.nextBoolean()) {
            b.timestamp(Instant.ofEpochSecond(1_700_000_000L + r.nextInt(100_000_000), r.nextInt(1_000_000_000)));
        }
        switch (r.nextInt(3)) {
            case 0 -> b.original(word(r) + " " + word(r));
            case 1 -> b.original(map(r, 0));
            default -> {
                // no original
            }
        }
        if (r.nextBoolean()) {
            b.logSource(new LogSource(
                    r.nextBoolean() ? "windows" : null,
                    r.nextBoolean() ? Set.of("process_creation") : Set.of(),
                    r.nextBoolean() ? Set.of("security", "sysmon") : Set.of()));
        }
        if (r.nextBoolean()) {
            b.source(new SourceRef("file-" + r.nextInt(5) + ".log", r.nextInt(100_000)));
        }
        return b.build();
    }

    static String fieldName(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> "EventID";
            case 1 -> "source.ip";
            case 2 -> "a/b~c";
            case 3 -> "quote\"d";
            default -> "f" + r.nextInt(20);
        };
    }

    static String word(Random r) {
        return WORDS[r.nextInt(WORDS.length)];
    }

    static Object value(Random r, int depth) {
        return switch (r.nextInt(depth < 2 ? 9 : 6)) {
            case 0, 1 -> word(r);
            case 2 -> r.nextLong();
            case 3 -> r.nextDouble() * 1000 - 500;
            case 4 -> r.nextBoolean();
            case 5 -> null;
            case 6, 7 -> {
                List<Object> list = new ArrayList<>();
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    list.add(value(r, depth + 1));
                }
                yield list;
            }
            default -> map(r, depth + 1);
        };
    }

    static Map<String, Object> map(Random r, int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            map.put(word(r) + i, value(r, depth + 1));
        }
        return map;
    }
}
