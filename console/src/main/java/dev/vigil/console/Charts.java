package dev.vigil.console;

import dev.vigil.store.AlertLevelBucket;
import dev.vigil.store.HistogramBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chart descriptions for {@code console.js}: plain data (labels and numbers), which the script turns into ECharts
 * options. Labels are text that ECharts draws on a canvas, never HTML.
 */
final class Charts {
    private Charts() {}

    /** One bar series over time. */
    static String histogram(List<HistogramBucket> buckets, String seriesName) {
        List<String> x = new ArrayList<>(buckets.size());
        List<Long> y = new ArrayList<>(buckets.size());
        for (HistogramBucket b : buckets) {
            x.add(Html.time(b.start()));
            y.add(b.count());
        }
        return Html.json(Map.of("kind", "bars", "x", x, "series", List.of(Map.of("name", seriesName, "data", y))));
    }

    /** Alerts per bucket stacked by level, every bucket of [from, to) present. */
    static String alertsByLevel(List<AlertLevelBucket> counts, Instant from, Instant to, Duration bucket) {
        long step = bucket.toMillis();
        long first = Math.floorDiv(from.toEpochMilli(), step);
        long last = Math.floorDiv(to.toEpochMilli() - 1, step);
        int n = (int) Math.max(0, last - first + 1);
        List<String> x = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            x.add(Html.time(Instant.ofEpochMilli((first + i) * step)));
        }
        Map<String, long[]> byLevel = new LinkedHashMap<>();
        for (String level : Levels.LEVELS.reversed()) {
            byLevel.put(level, new long[n]);
        }
        for (AlertLevelBucket c : counts) {
            int i = (int) (Math.floorDiv(c.start().toEpochMilli(), step) - first);
            long[] row = byLevel.get(c.level());
            if (row != null && i >= 0 && i < n) {
                row[i] += c.count();
            }
        }
        List<Map<String, Object>> series = new ArrayList<>();
        byLevel.forEach((level, data) -> series.add(Map.of("name", level, "data", data)));
        return Html.json(Map.of("kind", "stacked", "x", x, "series", series));
    }
}
