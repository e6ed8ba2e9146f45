package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.TenantId;
import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorIndex;
import dev.vigil.intel.IndicatorSource;
import dev.vigil.intel.IndicatorType;
import dev.vigil.intel.IndicatorValues;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link IndicatorSearch} against a plain scan of a list, on seeded random knowledge bases and queries. */
class IndicatorSearchTest {
    private static final Instant NOW = Instant.parse("2026-05-04T10:00:00Z");
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final String[] WORDS = {"evil", "bad", "c2", "cdn", "login", "mail", "update", "example", "corp"};
    private static final String[] FEEDS = {"abuse-feodo", "partner-taxii", "misp-circl", "local-csv"};

    @Test
    void matchesAPlainScanOnRandomIndicatorsAndQueries() {
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            Map<Indicator.Key, Indicator> byKey = new LinkedHashMap<>();
            int n = 20 + random.nextInt(200);
            for (int i = 0; i < n; i++) {
                Indicator ind = randomIndicator(random);
                byKey.merge(ind.key(), ind, Indicator::merge);
            }
            List<Indicator> all = new ArrayList<>(byKey.values());
            IndicatorSearch search =
                    new IndicatorSearch(IndicatorIndex.builder().addAll(all).build());
            for (int q = 0; q < 30; q++) {
                TenantId tenant = random.nextBoolean() ? ACME : GLOBEX;
                IndicatorSearch.Query query = randomQuery(random, all);
                List<Indicator> expected = reference(all, tenant, query);
                List<Indicator> got = new ArrayList<>();
                int limit = 1 + random.nextInt(9);
                IndicatorSearch.Result first = search.search(tenant, query, NOW, 0, limit);
                for (int offset = 0; offset < first.total(); offset += limit) {
                    got.addAll(search.search(tenant, query, NOW, offset, limit).page());
                }
                String what = "seed " + seed + " query " + query + " for " + tenant;
                assertThat(first.total()).as(what).isEqualTo(expected.size());
                int exact = first.exact();
                assertThat(new HashSet<>(got.subList(0, exact)))
                        .as(what + ": exact answers first")
                        .isEqualTo(new HashSet<>(expected.subList(0, exact)));
                assertThat(got.subList(exact, got.size())).as(what).isEqualTo(expected.subList(exact, expected.size()));
            }
            assertThat(search.count(ACME))
                    .isEqualTo(all.stream()
                            .filter(i -> i.tenant() == null || i.tenant().equals(ACME))
                            .count());
        }
    }

    /** Exact answers (equal value, or a parent domain, live, visible) in any order, then text matches sorted. */
    private static List<Indicator> reference(List<Indicator> all, TenantId tenant, IndicatorSearch.Query q) {
        List<Indicator> exact = new ArrayList<>();
        Optional<IndicatorType> type = q.value().isEmpty()
                ? Optional.empty()
                : q.type() != null ? Optional.of(q.type()) : IndicatorValues.guessType(q.value());
        String normalized = null;
        if (type.isPresent()) {
            try {
                normalized = IndicatorValues.normalize(type.get(), q.value());
            } catch (IllegalArgumentException e) {
                normalized = null;
            }
        }
        for (Indicator i : all) {
            boolean visible = i.tenant() == null || i.tenant().equals(tenant);
            if (normalized != null
                    && visible
                    && i.type() == type.get()
                    && i.isLiveAt(NOW)
                    && source(i, q.source())
                    && (i.value().equals(normalized)
                            || i.type() == IndicatorType.DOMAIN && normalized.endsWith("." + i.value()))) {
                exact.add(i);
            }
        }
        List<Indicator> text = new ArrayList<>();
        for (Indicator i : all) {
            boolean visible = i.tenant() == null || i.tenant().equals(tenant);
            if (visible
                    && (q.type() == null || i.type() == q.type())
                    && i.value().toLowerCase(Locale.ROOT).contains(q.value().toLowerCase(Locale.ROOT))
                    && source(i, q.source())
                    && !exact.contains(i)) {
                text.add(i);
            }
        }
        text.sort(Comparator.comparing(Indicator::value)
                .thenComparing(Indicator::type)
                .thenComparing(i -> i.tenant() == null ? "" : i.tenant().value()));
        List<Indicator> out = new ArrayList<>(exact);
        out.addAll(text);
        return out;
    }

    private static boolean source(Indicator i, String part) {
        return part.isEmpty()
                || i.sources().stream()
                        .anyMatch(s -> s.feed().toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT)));
    }

    private static Indicator randomIndicator(Random random) {
        IndicatorType type;
        String value;
        switch (random.nextInt(3)) {
            case 0 -> {
                type = IndicatorType.DOMAIN;
                value = (random.nextBoolean() ? WORDS[random.nextInt(WORDS.length)] + "." : "")
                        + WORDS[random.nextInt(WORDS.length)] + ".example";
            }
            case 1 -> {
                type = IndicatorType.IPV4;
                value = "10." + random.nextInt(3) + "." + random.nextInt(3) + "." + random.nextInt(20);
            }
            default -> {
                type = IndicatorType.MD5;
                StringBuilder hex = new StringBuilder();
                for (int i = 0; i < 32; i++) {
                    hex.append("0123456789abcdef".charAt(random.nextInt(4)));
                }
                value = hex.toString();
            }
        }
        TenantId tenant = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> ACME;
            default -> GLOBEX;
        };
        Indicator.Builder b = Indicator.builder(
                        type,
                        IndicatorValues.normalize(type, value),
                        new IndicatorSource(FEEDS[random.nextInt(FEEDS.length)], "", random.nextInt(101), null, null))
                .tenant(tenant);
        if (random.nextInt(5) == 0) {
            b.validUntil(NOW.minus(Duration.ofDays(1)));
        }
        return b.build();
    }

    private static IndicatorSearch.Query randomQuery(Random random, List<Indicator> all) {
        String value = "";
        int pick = random.nextInt(4);
        Indicator some = all.get(random.nextInt(all.size()));
        if (pick == 1) {
            value = some.value();
        } else if (pick == 2) {
            int from = random.nextInt(some.value().length());
            value = some.value().substring(from, Math.min(some.value().length(), from + 1 + random.nextInt(6)));
        } else if (pick == 3 && some.type() == IndicatorType.DOMAIN) {
            value = "www." + some.value();
        }
        IndicatorType type = random.nextInt(3) == 0
                ? List.of(IndicatorType.DOMAIN, IndicatorType.IPV4, IndicatorType.MD5)
                        .get(random.nextInt(3))
                : null;
        String source = random.nextInt(4) == 0 ? FEEDS[random.nextInt(FEEDS.length)].substring(0, 4) : "";
        return new IndicatorSearch.Query(value, type, source);
    }

    @Test
    void pagesBeyondTheEndAreEmptyAndBadPagesAreRefused() {
        IndicatorSearch search = new IndicatorSearch(IndicatorIndex.builder().build());
        assertThat(search.search(ACME, new IndicatorSearch.Query("", null, ""), NOW, 100, 10)
                        .page())
                .isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> search.search(ACME, new IndicatorSearch.Query("", null, ""), NOW, -1, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
