package dev.vigil.intel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Compares {@link IndicatorIndex} with the simplest possible implementation: a list scanned linearly, with containment
 * decided by {@code IPAddress.contains} and string suffixes. Seeded, so a failure repeats; the seed is in the message.
 */
class IndicatorIndexRandomizedTest {
    private static final List<TenantId> TENANTS = List.of(TenantId.of("a"), TenantId.of("b"), TenantId.of("c"));
    private static final String[] LABELS = {"evil", "bad", "cdn", "x", "mail", "a1", "login"};
    private static final String[] TLDS = {"com", "net", "example"};
    /** Parsed stored ranges: parsing each for every query would make the reference the slow part. */
    private static final java.util.Map<String, inet.ipaddr.IPAddress> RANGES =
            new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void matchesAgreeWithALinearScan() {
        for (long seed = 1; seed <= 8; seed++) {
            run(seed);
        }
    }

    private void run(long seed) {
        Random r = new Random(seed);
        List<Indicator> all = new ArrayList<>();
        IndicatorIndex.Builder builder = IndicatorIndex.builder();
        int n = 300 + r.nextInt(500);
        for (int k = 0; k < n; k++) {
            Indicator i = randomIndicator(r, k);
            builder.add(i);
            all.add(i);
        }
        IndicatorIndex index = builder.build();
        List<Indicator> merged = merge(all);
        for (int q = 0; q < 1000; q++) {
            IndicatorType type;
            String value;
            if (q % 3 == 0 && !all.isEmpty()) {
                // Probe around a stored value, so hits are frequent.
                Indicator near = all.get(r.nextInt(all.size()));
                type = near.type() == IndicatorType.CIDR
                        ? (near.value().contains(":") ? IndicatorType.IPV6 : IndicatorType.IPV4)
                        : near.type();
                value = probeNear(r, near);
            } else {
                type = IndicatorType.values()[r.nextInt(IndicatorType.values().length)];
                if (type == IndicatorType.CIDR) {
                    type = IndicatorType.IPV4;
                }
                value = randomValue(r, type);
            }
            TenantId tenant = TENANTS.get(r.nextInt(TENANTS.size()));
            Instant at = Instant.ofEpochSecond(1_700_000_000L + r.nextInt(2_000_000));
            List<String> expected = reference(merged, type, value, tenant, at);
            List<String> actual = index.match(type, value, tenant, at).stream()
                    .map(IndicatorIndexRandomizedTest::describe)
                    .sorted()
                    .toList();
            assertThat(actual)
                    .as("seed %d query %d: %s %s for %s at %s", seed, q, type, value, tenant, at)
                    .isEqualTo(expected);
            List<String> scoped = index.scoped(tenant, at).match(type, value).stream()
                    .map(IndicatorIndexRandomizedTest::describe)
                    .sorted()
                    .toList();
            assertThat(scoped)
                    .as("scoped, seed %d query %d: %s %s for %s at %s", seed, q, type, value, tenant, at)
                    .isEqualTo(expected);
        }
        int split = all.size() * 4 / 5;
        IndicatorIndex base =
                IndicatorIndex.builder().addAll(all.subList(0, split)).build();
        IndicatorIndex delta =
                IndicatorIndex.builder().addAll(all.subList(split, all.size())).build();
        LayeredIndex layered = new LayeredIndex(base, delta);
        for (int q = 0; q < 60; q++) {
            // Sometimes a tenant without indicators of its own: it sees the global ones only.
            TenantId tenant = q % 5 == 0 ? TenantId.of("nobody") : TENANTS.get(r.nextInt(TENANTS.size()));
            IndicatorType type =
                    r.nextInt(3) == 0 ? IndicatorType.values()[r.nextInt(IndicatorType.values().length)] : null;
            String text = switch (r.nextInt(4)) {
                case 0 -> "";
                case 1 -> LABELS[r.nextInt(LABELS.length)];
                default -> {
                    String v = merged.get(r.nextInt(merged.size())).value().toLowerCase(Locale.ROOT);
                    int from = r.nextInt(v.length());
                    yield v.substring(from, from + 1 + r.nextInt(Math.min(6, v.length() - from)));
                }
            };
            String what = String.format("text search, seed %d query %d: %s '%s' for %s", seed, q, type, text, tenant);
            // The reference: every merged indicator the tenant may see, filtered as the search says.
            List<String> expected = merged.stream()
                    .filter(i -> i.tenant() == null || i.tenant().equals(tenant))
                    .filter(i -> type == null || i.type() == type)
                    .filter(i -> i.value().toLowerCase(Locale.ROOT).contains(text))
                    .map(IndicatorIndexRandomizedTest::describe)
                    .sorted()
                    .toList();
            assertThat(containing(index, tenant, type, text)).as(what).isEqualTo(expected);
            String source = new String[] {"", "", "feed1", "eed", "none"}[r.nextInt(5)];
            List<String> fromSource = merged.stream()
                    .filter(i -> i.tenant() == null || i.tenant().equals(tenant))
                    .filter(i -> type == null || i.type() == type)
                    .filter(i -> i.value().toLowerCase(Locale.ROOT).contains(text))
                    .filter(i -> IndicatorLookup.fromSource(i, source))
                    .map(IndicatorIndexRandomizedTest::describe)
                    .sorted()
                    .toList();
            int limit = r.nextInt(fromSource.size() + 2);
            List<String> first = new ArrayList<>();
            assertThat(index.countContaining(tenant, type, text, source, limit, i -> first.add(describe(i))))
                    .as(what + " from '" + source + "'")
                    .isEqualTo(fromSource.size());
            assertThat(first).as(what + ", the first " + limit).hasSize(Math.min(limit, fromSource.size()));
            assertThat(fromSource).as(what).containsAll(first);
            assertThat(index.countVisible(tenant))
                    .as(what)
                    .isEqualTo(merged.stream()
                            .filter(i -> i.tenant() == null || i.tenant().equals(tenant))
                            .count());
            // The layered index against its own forEach, through the interface's plain implementations.
            IndicatorLookup plain = new IndicatorLookup() {
                @Override
                public ScopedLookup scoped(TenantId t, Instant at) {
                    return layered.scoped(t, at);
                }

                @Override
                public boolean contains(Indicator.Key key) {
                    return layered.contains(key);
                }

                @Override
                public void forEach(java.util.function.Consumer<Indicator> visitor) {
                    layered.forEach(visitor);
                }

                @Override
                public int size() {
                    return layered.size();
                }
            };
            assertThat(containing(layered, tenant, type, text))
                    .as("layered " + what)
                    .isEqualTo(containing(plain, tenant, type, text));
            assertThat(layered.countVisible(tenant)).as("layered " + what).isEqualTo(plain.countVisible(tenant));
            List<String> layeredAll = new ArrayList<>();
            plain.forEachContaining(tenant, type, text, i -> {
                if (IndicatorLookup.fromSource(i, source)) {
                    layeredAll.add(describe(i));
                }
            });
            List<String> layeredFirst = new ArrayList<>();
            assertThat(layered.countContaining(tenant, type, text, source, limit, i -> layeredFirst.add(describe(i))))
                    .as("layered " + what)
                    .isEqualTo(layeredAll.size());
            // A base match the delta replaces is skipped, not replaced, so a page may come out short.
            assertThat(layeredFirst.size()).as("layered " + what).isLessThanOrEqualTo(limit);
            assertThat(layeredAll).as("layered " + what).containsAll(layeredFirst);
        }
    }

    private static List<String> containing(IndicatorLookup lookup, TenantId tenant, IndicatorType type, String text) {
        List<String> out = new ArrayList<>();
        lookup.forEachContaining(tenant, type, text, i -> out.add(describe(i)));
        return out.stream().sorted().toList();
    }

    private static String describe(Indicator i) {
        return i.type() + " " + i.value() + " " + i.tenant() + " " + i.sources().size();
    }

    /** Merges duplicates the way the index must, by a quadratic scan. */
    private static List<Indicator> merge(List<Indicator> all) {
        List<Indicator> merged = new ArrayList<>();
        for (Indicator i : all) {
            Indicator norm = normalizedCopy(i);
            boolean done = false;
            for (int k = 0; k < merged.size(); k++) {
                if (merged.get(k).key().equals(norm.key())) {
                    merged.set(k, merged.get(k).merge(norm));
                    done = true;
                }
            }
            if (!done) {
                merged.add(norm);
            }
        }
        return merged;
    }

    /** The linear-scan reference. */
    private static List<String> reference(
            List<Indicator> merged, IndicatorType type, String value, TenantId tenant, Instant at) {
        Set<String> out = new HashSet<>();
        for (Indicator i : merged) {
            if ((i.tenant() == null || i.tenant().equals(tenant)) && i.isLiveAt(at) && meets(i, type, value)) {
                out.add(describe(i));
            }
        }
        return out.stream().sorted(Comparator.naturalOrder()).toList();
    }

    private static Indicator normalizedCopy(Indicator i) {
        String v = IndicatorValues.normalize(i.type(), i.value());
        IndicatorType t = i.type();
        if (t == IndicatorType.CIDR && !v.contains("/")) {
            t = v.contains(":") ? IndicatorType.IPV6 : IndicatorType.IPV4;
        }
        return new Indicator(
                t,
                v,
                i.tenant(),
                i.sources(),
                i.validFrom(),
                i.validUntil(),
                i.tlp(),
                i.tags(),
                i.references(),
                i.description());
    }

    private static boolean meets(Indicator i, IndicatorType type, String value) {
        switch (type) {
            case IPV4, IPV6, CIDR -> {
                if (i.type() != IndicatorType.IPV4
                        && i.type() != IndicatorType.IPV6
                        && i.type() != IndicatorType.CIDR) {
                    return false;
                }
                var q = IndicatorValues.parseIp(value);
                var range = RANGES.computeIfAbsent(i.value(), IndicatorValues::parseIp);
                return q != null && range != null && q.isIPv4() == range.isIPv4() && range.contains(q);
            }
            case DOMAIN -> {
                if (i.type() != IndicatorType.DOMAIN) {
                    return false;
                }
                String d;
                try {
                    d = IndicatorValues.normalizeDomain(value);
                } catch (IllegalArgumentException e) {
                    return false;
                }
                return d.equals(i.value()) || d.endsWith("." + i.value());
            }
            default -> {
                if (i.type() != type) {
                    return false;
                }
                try {
                    return IndicatorValues.normalize(type, value).equals(i.value());
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }
        }
    }

    private static Indicator randomIndicator(Random r, int k) {
        IndicatorType type = IndicatorType.values()[r.nextInt(IndicatorType.values().length)];
        String value = randomValue(r, type);
        Instant from = r.nextInt(3) == 0 ? null : Instant.ofEpochSecond(1_700_000_000L + r.nextInt(1_500_000));
        Instant until = r.nextInt(3) == 0 || from == null ? null : from.plusSeconds(1 + r.nextInt(1_000_000));
        TenantId tenant = r.nextInt(3) == 0 ? TENANTS.get(r.nextInt(TENANTS.size())) : null;
        return Indicator.builder(
                        type, value, new IndicatorSource("feed" + r.nextInt(3), "id" + k, r.nextInt(101), null, null))
                .tenant(tenant)
                .validFrom(from)
                .validUntil(until)
                .build();
    }

    private static String randomValue(Random r, IndicatorType type) {
        return switch (type) {
            // Small spaces so that values collide and ranges overlap.
            case IPV4 -> "10." + r.nextInt(3) + "." + r.nextInt(4) + "." + r.nextInt(8);
            case IPV6 -> "2001:db8:" + Integer.toHexString(r.nextInt(3)) + "::" + Integer.toHexString(r.nextInt(8));
            case CIDR ->
                r.nextBoolean()
                        ? "10." + r.nextInt(3) + "." + r.nextInt(4) + ".0/" + (8 + r.nextInt(25))
                        : "2001:db8:" + Integer.toHexString(r.nextInt(3)) + "::/" + (32 + r.nextInt(97));
            case DOMAIN -> domain(r);
            case URL ->
                (r.nextBoolean() ? "http" : "HTTP") + "://" + domain(r) + (r.nextBoolean() ? ":80" : "") + "/"
                        + LABELS[r.nextInt(LABELS.length)] + (r.nextBoolean() ? "/./x" : "");
            case MD5 -> hex(r, 32);
            case SHA1 -> hex(r, 40);
            case SHA256 -> hex(r, 64);
            case EMAIL -> LABELS[r.nextInt(LABELS.length)] + "@" + domain(r).toUpperCase(Locale.ROOT);
            case FILE_NAME -> (r.nextBoolean() ? "C:\\Temp\\" : "") + LABELS[r.nextInt(LABELS.length)] + ".EXE";
        };
    }

    private static String domain(Random r) {
        StringBuilder sb = new StringBuilder();
        int labels = 1 + r.nextInt(3);
        for (int k = 0; k < labels; k++) {
            sb.append(LABELS[r.nextInt(LABELS.length)]).append('.');
        }
        return sb.append(TLDS[r.nextInt(TLDS.length)]).toString();
    }

    private static String hex(Random r, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int k = 0; k < length; k++) {
            // Four distinct hex digits only: collisions happen, and both cases are used.
            sb.append("0aFf".charAt(r.nextInt(4)));
        }
        return length == 32 && r.nextInt(4) == 0 ? "00000000000000000000000000000000" : sb.toString();
    }

    private static String probeNear(Random r, Indicator near) {
        String v = near.value();
        return switch (near.type()) {
            case CIDR -> {
                var range = IndicatorValues.parseIp(v);
                yield range.getLower().withoutPrefixLength().toCanonicalString();
            }
            case DOMAIN ->
                switch (r.nextInt(4)) {
                    case 0 -> LABELS[r.nextInt(LABELS.length)] + "." + v;
                    case 1 -> v.toUpperCase(Locale.ROOT) + ".";
                    // A-Z folded in place, without normalising a copy.
                    case 2 -> "Www." + v.toUpperCase(Locale.ROOT);
                    default -> "x.." + v;
                };
            case FILE_NAME ->
                switch (r.nextInt(3)) {
                    case 0 -> "C:\\Windows\\" + v.toUpperCase(Locale.ROOT);
                    case 1 -> "/tmp/" + v + " ";
                    default -> v;
                };
            case MD5, SHA1, SHA256 -> v.toUpperCase(Locale.ROOT);
            default -> v;
        };
    }
}
