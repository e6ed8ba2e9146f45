package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.TenantId;
import dev.vigil.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchPageTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

    private static StoredEvent event(long seq, Map<String, Object> fields) {
        Event.Builder b = Event.builder().tenant(ACME).timestamp(T);
        fields.forEach(b::field);
        return new StoredEvent(seq, T, b.build());
    }

    @Test
    void sidebarCountsEachValueOncePerEventAndListElementsAsValues() {
        List<StoredEvent> events = List.of(
                event(1, Map.of("User", "alice", "Tags", List.of("a", "b", "a"), "Nested", Map.of("x", 1))),
                event(2, Map.of("User", "alice", "Tags", List.of("b"), "EventID", 4625L)),
                event(3, Map.of("User", "bob", "EventID", 4625L)));

        Map<String, List<SearchPage.ValueCount>> top = SearchPage.topValues(events);

        assertThat(top.keySet())
                .as("fields by how many events have them, ties by name; maps are not values")
                .containsExactly("User", "EventID", "Tags");
        assertThat(top.get("User"))
                .containsExactly(new SearchPage.ValueCount("alice", 2), new SearchPage.ValueCount("bob", 1));
        assertThat(top.get("Tags"))
                .as("an element repeated in one event counts once for it")
                .containsExactly(new SearchPage.ValueCount("b", 2), new SearchPage.ValueCount("a", 1));
        assertThat(top.get("EventID")).containsExactly(new SearchPage.ValueCount("4625", 2));
    }

    @Test
    void sidebarAgreesWithPlainCountingOnRandomEvents() {
        Random random = new Random(20261126L);
        for (int round = 0; round < 50; round++) {
            List<StoredEvent> events = new ArrayList<>();
            int n = random.nextInt(60);
            for (int i = 0; i < n; i++) {
                Map<String, Object> fields = new HashMap<>();
                for (int f = 0; f < 10; f++) {
                    if (random.nextInt(3) > 0) {
                        fields.put("f" + f, "v" + random.nextInt(4 + f));
                    }
                }
                events.add(event(i + 1, fields));
            }

            Map<String, List<SearchPage.ValueCount>> top = SearchPage.topValues(events);

            Map<String, Map<String, Long>> expected = new HashMap<>();
            for (StoredEvent e : events) {
                e.event()
                        .fields()
                        .forEach((k, v) -> expected.computeIfAbsent(k, x -> new HashMap<>())
                                .merge((String) v, 1L, Long::sum));
            }
            assertThat(top).hasSizeLessThanOrEqualTo(6);
            for (Map.Entry<String, List<SearchPage.ValueCount>> f : top.entrySet()) {
                Map<String, Long> counts = expected.get(f.getKey());
                List<Long> sorted = counts.values().stream()
                        .sorted(java.util.Comparator.reverseOrder())
                        .limit(5)
                        .toList();
                assertThat(f.getValue())
                        .extracting(SearchPage.ValueCount::count)
                        .containsExactlyElementsOf(sorted);
                for (SearchPage.ValueCount v : f.getValue()) {
                    assertThat(counts.get(v.value())).isEqualTo(v.count());
                }
            }
            Set<String> shown = top.keySet();
            long leastShown = shown.stream()
                    .mapToLong(k -> expected.get(k).values().stream()
                            .mapToLong(Long::longValue)
                            .sum())
                    .min()
                    .orElse(Long.MAX_VALUE);
            for (String field : expected.keySet()) {
                if (!shown.contains(field)) {
                    long have = expected.get(field).values().stream()
                            .mapToLong(Long::longValue)
                            .sum();
                    assertThat(have)
                            .as("a field left out is no more common than one shown")
                            .isLessThanOrEqualTo(leastShown);
                }
            }
        }
    }

    @Test
    void thePageQueryStartsAtTheNewestBucketsHoldingEnoughMatches() {
        Random random = new Random(7);
        Instant from = T.minusSeconds(30);
        for (int round = 0; round < 200; round++) {
            List<dev.vigil.store.HistogramBucket> histogram = new ArrayList<>();
            int buckets = 1 + random.nextInt(30);
            for (int b = 0; b < buckets; b++) {
                histogram.add(new dev.vigil.store.HistogramBucket(
                        T.plusSeconds(60L * b - 60), random.nextInt(4) == 0 ? 0 : random.nextInt(100)));
            }
            long rows = 1 + random.nextInt(1500);

            Instant start = SearchPage.newestHolding(histogram, rows, from);

            long total = histogram.stream()
                    .mapToLong(dev.vigil.store.HistogramBucket::count)
                    .sum();
            // A bucket counts the matches in [its start, its start + 60 s) within [from, to): those after start
            // are all of it when it ends after start (start is a bucket start or from, inside the first bucket).
            long after = histogram.stream()
                    .filter(b -> b.start().plusSeconds(60).isAfter(start))
                    .mapToLong(dev.vigil.store.HistogramBucket::count)
                    .sum();
            assertThat(start).isAfterOrEqualTo(from);
            if (total < rows) {
                assertThat(start).isEqualTo(from);
            } else {
                assertThat(after)
                        .as("the range from %s holds the newest %d", start, rows)
                        .isGreaterThanOrEqualTo(rows);
                long afterNext = histogram.stream()
                        .filter(b -> b.start().isAfter(start))
                        .mapToLong(dev.vigil.store.HistogramBucket::count)
                        .sum();
                assertThat(afterNext < rows || start.equals(from))
                        .as("no later bucket start would do")
                        .isTrue();
            }
        }
    }
}
