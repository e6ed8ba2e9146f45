package dev.vigil.benchmarks;

import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorSource;
import dev.vigil.intel.IndicatorType;
import dev.vigil.intel.IntelReferences;
import dev.vigil.intel.Tlp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Synthetic threat intelligence for the intel benchmarks: a mix of types like a large feed collection (hashes the
 * most, then addresses, domains and URLs), each indicator with its own STIX id, validity and confidence, and metadata
 * shared the way real imports share it (a feed name, a few tags, one of 200 malware families, a TLP marking).
 */
final class IntelData {
    static final String[] WORDS = {
        "update",
        "cdn",
        "login",
        "secure",
        "mail",
        "api",
        "static",
        "files",
        "download",
        "portal",
        "cloud",
        "data",
        "img",
        "track",
        "verify",
        "account",
        "service",
        "office",
        "sync",
        "web"
    };
    static final String[] TLDS = {"com", "net", "org", "info", "ru", "cn", "top", "xyz", "io", "biz"};

    private IntelData() {}

    /** The type of the {@code i}-th indicator: 30% SHA-256, 10% MD5, 10% SHA-1, 17% IPv4, 3% CIDR, 2% IPv6, 15% domains, 10% URLs, 2% e-mail, 1% file names. */
    static IndicatorType typeOf(int i) {
        int p = Math.floorMod(i * 37, 100);
        if (p < 30) {
            return IndicatorType.SHA256;
        } else if (p < 40) {
            return IndicatorType.MD5;
        } else if (p < 50) {
            return IndicatorType.SHA1;
        } else if (p < 67) {
            return IndicatorType.IPV4;
        } else if (p < 70) {
            return IndicatorType.CIDR;
        } else if (p < 72) {
            return IndicatorType.IPV6;
        } else if (p < 87) {
            return IndicatorType.DOMAIN;
        } else if (p < 97) {
            return IndicatorType.URL;
        } else if (p < 99) {
            return IndicatorType.EMAIL;
        }
        return IndicatorType.FILE_NAME;
    }

    /** A normalised value of {@code type}, distinct for distinct {@code (random state)}. */
    static String value(IndicatorType type, Random r) {
        return switch (type) {
            case SHA256 -> hex(r, 64);
            case MD5 -> hex(r, 32);
            case SHA1 -> hex(r, 40);
            case IPV4 -> (1 + r.nextInt(222)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
            case CIDR ->
                (1 + r.nextInt(222)) + "." + r.nextInt(256) + "." + r.nextInt(256) + ".0/" + (16 + r.nextInt(9));
            case IPV6 ->
                "2001:db8:" + Integer.toHexString(r.nextInt(65536)) + ":" + Integer.toHexString(r.nextInt(65536)) + "::"
                        + Integer.toHexString(1 + r.nextInt(65535));
            case DOMAIN -> domain(r);
            case URL -> "http://" + domain(r) + "/" + WORDS[r.nextInt(WORDS.length)] + "/" + hex(r, 8) + ".php";
            case EMAIL -> WORDS[r.nextInt(WORDS.length)] + r.nextInt(1000) + "@" + domain(r);
            case FILE_NAME -> WORDS[r.nextInt(WORDS.length)] + hex(r, 6) + ".exe";
        };
    }

    static String domain(Random r) {
        return WORDS[r.nextInt(WORDS.length)] + "-" + hex(r, 6) + "." + WORDS[r.nextInt(WORDS.length)] + "."
                + TLDS[r.nextInt(TLDS.length)];
    }

    static String hex(Random r, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        return sb.toString();
    }

    /** {@code n} indicators with seeded values. */
    static List<Indicator> indicators(int n, long seed) {
        Random r = new Random(seed);
        List<Indicator> out = new ArrayList<>(n);
        Instant base = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            IndicatorType type = typeOf(i);
            Instant from = base.plusSeconds(r.nextInt(30_000_000));
            out.add(Indicator.builder(
                            type,
                            value(type, r),
                            new IndicatorSource(
                                    "feed-" + (i % 4),
                                    new UUID(r.nextLong(), r.nextLong()).toString(),
                                    50 + r.nextInt(51),
                                    null,
                                    null))
                    .validFrom(from)
                    .validUntil(r.nextInt(4) == 0 ? null : from.plusSeconds(90L * 86400))
                    .tlp(Tlp.values()[1 + r.nextInt(4)])
                    .tags(Set.of("malicious-activity"))
                    .references(new IntelReferences(Set.of(), Set.of("family-" + r.nextInt(200)), Set.of(), Set.of()))
                    .build());
        }
        return out;
    }

    /** A STIX 2.1 bundle of {@code n} indicators (one comparison each, as most feeds write them) and 200 malware objects. */
    static byte[] stixBundle(int n, long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(n * 400);
        StringBuilder sb = new StringBuilder(512);
        sb.append("{\"type\":\"bundle\",\"id\":\"bundle--")
                .append(new UUID(r.nextLong(), r.nextLong()))
                .append("\",\"objects\":[");
        for (int m = 0; m < 200; m++) {
            sb.append("{\"type\":\"malware\",\"spec_version\":\"2.1\",\"id\":\"malware--")
                    .append(m)
                    .append(
                            "\",\"created\":\"2025-01-01T00:00:00Z\",\"modified\":\"2025-01-01T00:00:00Z\",\"name\":\"family-")
                    .append(m)
                    .append("\",\"is_family\":true},");
        }
        out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < n; i++) {
            sb.setLength(0);
            IndicatorType type = typeOf(i);
            String value = value(type, r);
            String id = "indicator--" + new UUID(r.nextLong(), r.nextLong());
            String pattern = switch (type) {
                case SHA256 -> "[file:hashes.'SHA-256' = '" + value + "']";
                case MD5 -> "[file:hashes.MD5 = '" + value + "']";
                case SHA1 -> "[file:hashes.'SHA-1' = '" + value + "']";
                case IPV4, CIDR -> "[ipv4-addr:value = '" + value + "']";
                case IPV6 -> "[ipv6-addr:value = '" + value + "']";
                case DOMAIN -> "[domain-name:value = '" + value + "']";
                case URL -> "[url:value = '" + value + "']";
                case EMAIL -> "[email-addr:value = '" + value + "']";
                case FILE_NAME -> "[file:name = '" + value + "']";
            };
            sb.append("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"")
                    .append(id)
                    .append("\",\"created\":\"2025-01-01T00:00:00.000Z\",\"modified\":\"2025-01-01T00:00:00.000Z\",")
                    .append("\"indicator_types\":[\"malicious-activity\"],\"pattern_type\":\"stix\",\"pattern\":\"")
                    .append(pattern)
                    .append("\",\"valid_from\":\"2025-01-01T00:00:00Z\",\"confidence\":")
                    .append(50 + r.nextInt(51))
                    .append(
                            ",\"object_marking_refs\":[\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\"]},");
            sb.append("{\"type\":\"relationship\",\"spec_version\":\"2.1\",\"id\":\"relationship--")
                    .append(new UUID(r.nextLong(), r.nextLong()))
                    .append("\",\"created\":\"2025-01-01T00:00:00Z\",\"modified\":\"2025-01-01T00:00:00Z\",")
                    .append("\"relationship_type\":\"indicates\",\"source_ref\":\"")
                    .append(id)
                    .append("\",\"target_ref\":\"malware--")
                    .append(r.nextInt(200))
                    .append("\"}")
                    .append(i == n - 1 ? "" : ",");
            out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A query: what an event would look up. */
    record Query(IndicatorType type, String value) {}

    /**
     * {@code n} lookups, half of them hits on stored values (subdomains for domains, addresses inside ranges), half
     * misses of the same types, as raw values from logs (upper-case hashes, mixed-case hosts).
     */
    static Query[] queries(List<Indicator> stored, int n, long seed) {
        Random r = new Random(seed);
        Query[] q = new Query[n];
        for (int i = 0; i < n; i++) {
            Indicator s = stored.get(r.nextInt(stored.size()));
            IndicatorType type = s.type() == IndicatorType.CIDR ? IndicatorType.IPV4 : s.type();
            String value;
            if (r.nextBoolean()) {
                value = switch (s.type()) {
                    case DOMAIN -> "www." + s.value();
                    case CIDR -> s.value().substring(0, s.value().lastIndexOf('.')) + ".77";
                    case SHA256, MD5, SHA1 -> s.value().toUpperCase(java.util.Locale.ROOT);
                    default -> s.value();
                };
            } else {
                value = value(s.type() == IndicatorType.CIDR ? IndicatorType.IPV4 : s.type(), r);
            }
            q[i] = new Query(type, value);
        }
        return q;
    }
}
