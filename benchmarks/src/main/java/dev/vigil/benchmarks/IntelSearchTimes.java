package dev.vigil.benchmarks;

import dev.vigil.console.IndicatorSearch;
import dev.vigil.core.TenantId;
import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorIndex;
import dev.vigil.intel.IndicatorType;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The threat-intel page's indicator search ({@link IndicatorSearch}: a text scan of the index, the count of what the
 * tenant sees) over an index of {@code n} generated indicators of every type, wall time per query, median of {@code
 * rounds} after three warm-up rounds. Usage: {@code IntelSearchTimes [n] [rounds]}.
 */
public final class IntelSearchTimes {
    private IntelSearchTimes() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        List<Indicator> all = IntelData.indicators(n, 7);
        IndicatorIndex index = IndicatorIndex.builder().addAll(all).build();
        IndicatorSearch search = new IndicatorSearch(index);
        TenantId tenant = TenantId.of("acme");
        Map<String, IndicatorSearch.Query> queries = new LinkedHashMap<>();
        queries.put("the page with no query", new IndicatorSearch.Query("", null, ""));
        queries.put("part of a hash", new IndicatorSearch.Query(hashPart(all), null, ""));
        queries.put("a stored address", new IndicatorSearch.Query(firstOf(all, IndicatorType.IPV4), null, ""));
        queries.put("a word", new IndicatorSearch.Query("evil", null, ""));
        queries.put("type domain", new IndicatorSearch.Query("", IndicatorType.DOMAIN, ""));
        queries.put("a feed name", new IndicatorSearch.Query("", null, "feed-1"));
        System.out.printf("%,d indicators%n", index.size());
        for (Map.Entry<String, IndicatorSearch.Query> q : queries.entrySet()) {
            double[] ms = new double[rounds];
            long total = 0;
            for (int r = -3; r < rounds; r++) {
                long t0 = System.nanoTime();
                IndicatorSearch.Result result = search.search(tenant, q.getValue(), Instant.now(), 0, 50);
                long count = search.count(tenant);
                if (r >= 0) {
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                }
                total = result.total();
                if (count != index.size()) {
                    throw new IllegalStateException("count " + count + " of " + index.size());
                }
            }
            Arrays.sort(ms);
            System.out.printf(
                    "%-24s median %6.0f ms, slowest %6.0f ms (%,d matches)%n",
                    q.getKey(), ms[rounds / 2], ms[rounds - 1], total);
        }
    }

    private static String hashPart(List<Indicator> all) {
        return all.stream()
                .filter(i -> i.type() == IndicatorType.SHA256)
                .findFirst()
                .orElseThrow()
                .value()
                .substring(10, 16);
    }

    private static String firstOf(List<Indicator> all, IndicatorType type) {
        return all.stream()
                .filter(i -> i.type() == type)
                .findFirst()
                .orElseThrow()
                .value();
    }
}
