package dev.vigil.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IndicatorIndexTest {
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    static Indicator.Builder indicator(IndicatorType type, String value) {
        return Indicator.builder(
                type,
                IndicatorValues.normalize(type, value),
                new IndicatorSource("feed", "id-" + value, 80, null, null));
    }

    static List<String> values(List<Indicator> found) {
        List<String> out = new ArrayList<>();
        for (Indicator i : found) {
            out.add(i.type() + " " + i.value());
        }
        return out;
    }

    @Test
    void eachTypeMatchesItsOwnValues() {
        IndicatorIndex index = IndicatorIndex.builder()
                .add(indicator(IndicatorType.IPV4, "203.0.113.7").build())
                .add(indicator(IndicatorType.IPV6, "2001:db8::7").build())
                .add(indicator(IndicatorType.DOMAIN, "evil.com").build())
                .add(indicator(IndicatorType.URL, "http://bad.example/x").build())
                .add(indicator(IndicatorType.MD5, "d41d8cd98f00b204e9800998ecf8427e")
                        .build())
                .add(indicator(IndicatorType.SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709")
                        .build())
                .add(indicator(IndicatorType.SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                        .build())
                .add(indicator(IndicatorType.EMAIL, "boss@evil.com").build())
                .add(indicator(IndicatorType.FILE_NAME, "mimikatz.exe").build())
                .build();
        assertThat(index.size()).isEqualTo(9);
        assertThat(values(index.match(IndicatorType.IPV4, "203.0.113.7", ACME, NOW)))
                .containsExactly("IPV4 203.0.113.7");
        assertThat(index.match(IndicatorType.IPV4, "203.0.113.8", ACME, NOW)).isEmpty();
        assertThat(values(index.match(IndicatorType.IPV6, "2001:DB8:0::7", ACME, NOW)))
                .containsExactly("IPV6 2001:db8::7");
        assertThat(values(index.match(IndicatorType.DOMAIN, "EVIL.com.", ACME, NOW)))
                .containsExactly("DOMAIN evil.com");
        assertThat(values(index.match(IndicatorType.URL, "HTTP://BAD.example:80/./x#top", ACME, NOW)))
                .containsExactly("URL http://bad.example/x");
        assertThat(index.match(IndicatorType.URL, "http://bad.example/y", ACME, NOW))
                .isEmpty();
        assertThat(values(index.match(IndicatorType.MD5, "D41D8CD98F00B204E9800998ECF8427E", ACME, NOW)))
                .containsExactly("MD5 d41d8cd98f00b204e9800998ecf8427e");
        assertThat(values(index.match(IndicatorType.SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", ACME, NOW)))
                .hasSize(1);
        assertThat(values(index.match(
                        IndicatorType.SHA256,
                        "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
                        ACME,
                        NOW)))
                .hasSize(1);
        assertThat(index.match(IndicatorType.SHA256, "d41d8cd98f00b204e9800998ecf8427e", ACME, NOW))
                .isEmpty();
        assertThat(values(index.match(IndicatorType.EMAIL, "boss@EVIL.com", ACME, NOW)))
                .containsExactly("EMAIL boss@evil.com");
        assertThat(values(index.match(IndicatorType.FILE_NAME, "C:\\Users\\x\\MimiKatz.EXE", ACME, NOW)))
                .containsExactly("FILE_NAME mimikatz.exe");
        assertThat(index.match(IndicatorType.IPV4, "not an address", ACME, NOW)).isEmpty();
    }

    @Test
    void cidrRangesMatchTheAddressesInsideThemNestedOrNot() {
        IndicatorIndex index = IndicatorIndex.builder()
                .add(indicator(IndicatorType.CIDR, "10.0.0.0/8").build())
                .add(indicator(IndicatorType.CIDR, "10.1.2.0/24").build())
                .add(indicator(IndicatorType.IPV4, "10.1.2.3").build())
                .add(indicator(IndicatorType.CIDR, "2001:db8::/32").build())
                .add(indicator(IndicatorType.CIDR, "2001:db8:ff::/48").build())
                .add(indicator(IndicatorType.CIDR, "0.0.0.0/1").build())
                .build();
        assertThat(values(index.match(IndicatorType.IPV4, "10.1.2.3", ACME, NOW)))
                .containsExactlyInAnyOrder("IPV4 10.1.2.3", "CIDR 10.1.2.0/24", "CIDR 10.0.0.0/8", "CIDR 0.0.0.0/1");
        assertThat(values(index.match(IndicatorType.IPV4, "10.9.9.9", ACME, NOW)))
                .containsExactlyInAnyOrder("CIDR 10.0.0.0/8", "CIDR 0.0.0.0/1");
        assertThat(values(index.match(IndicatorType.IPV4, "11.0.0.1", ACME, NOW)))
                .containsExactly("CIDR 0.0.0.0/1");
        assertThat(index.match(IndicatorType.IPV4, "128.0.0.1", ACME, NOW)).isEmpty();
        assertThat(index.match(IndicatorType.IPV4, "255.255.255.255", ACME, NOW))
                .isEmpty();
        assertThat(values(index.match(IndicatorType.IPV6, "2001:db8:ff::1", ACME, NOW)))
                .containsExactlyInAnyOrder("CIDR 2001:db8::/32", "CIDR 2001:db8:ff::/48");
        assertThat(values(index.match(IndicatorType.IPV6, "2001:db8:1::1", ACME, NOW)))
                .containsExactly("CIDR 2001:db8::/32");
        assertThat(index.match(IndicatorType.IPV6, "2001:db9::1", ACME, NOW)).isEmpty();
        // An IPv4-mapped IPv6 address is the IPv4 address.
        assertThat(values(index.match(IndicatorType.IPV6, "::ffff:10.1.2.3", ACME, NOW)))
                .hasSize(4);
        // A range looked up meets the ranges that hold it.
        assertThat(values(index.match(IndicatorType.CIDR, "10.1.0.0/16", ACME, NOW)))
                .containsExactlyInAnyOrder("CIDR 10.0.0.0/8", "CIDR 0.0.0.0/1");
    }

    @Test
    void aDomainMatchesItsSubdomainsButNotLookalikes() {
        IndicatorIndex index = IndicatorIndex.builder()
                .add(indicator(IndicatorType.DOMAIN, "evil.com").build())
                .add(indicator(IndicatorType.DOMAIN, "b.evil.com").build())
                .build();
        assertThat(values(index.match(IndicatorType.DOMAIN, "a.b.evil.com", ACME, NOW)))
                .containsExactlyInAnyOrder("DOMAIN b.evil.com", "DOMAIN evil.com");
        assertThat(values(index.match(IndicatorType.DOMAIN, "x.evil.com", ACME, NOW)))
                .containsExactly("DOMAIN evil.com");
        assertThat(index.match(IndicatorType.DOMAIN, "notevil.com", ACME, NOW)).isEmpty();
        assertThat(index.match(IndicatorType.DOMAIN, "evil.com.au", ACME, NOW)).isEmpty();
        assertThat(index.match(IndicatorType.DOMAIN, "com", ACME, NOW)).isEmpty();
    }

    @Test
    void validityIsFromInclusiveUntilExclusive() {
        Instant from = Instant.parse("2025-06-01T00:00:00Z");
        Instant until = Instant.parse("2025-07-01T00:00:00Z");
        IndicatorIndex index = IndicatorIndex.builder()
                .add(indicator(IndicatorType.IPV4, "198.51.100.1")
                        .validFrom(from)
                        .validUntil(until)
                        .build())
                .build();
        assertThat(index.match(IndicatorType.IPV4, "198.51.100.1", ACME, from.minusMillis(1)))
                .isEmpty();
        assertThat(index.match(IndicatorType.IPV4, "198.51.100.1", ACME, from)).hasSize(1);
        assertThat(index.match(IndicatorType.IPV4, "198.51.100.1", ACME, until.minusMillis(1)))
                .hasSize(1);
        assertThat(index.match(IndicatorType.IPV4, "198.51.100.1", ACME, until)).isEmpty();
        assertThat(index.contains(new Indicator.Key(IndicatorType.IPV4, "198.51.100.1", null)))
                .isTrue();
    }

    @Test
    void tenantsSeeGlobalIndicatorsAndTheirOwnOnly() {
        IndicatorIndex index = IndicatorIndex.builder()
                .add(indicator(IndicatorType.DOMAIN, "global.example").build())
                .add(indicator(IndicatorType.DOMAIN, "acme-only.example")
                        .tenant(ACME)
                        .build())
                .add(indicator(IndicatorType.DOMAIN, "shared.example")
                        .tenant(ACME)
                        .build())
                .add(indicator(IndicatorType.DOMAIN, "shared.example")
                        .tenant(GLOBEX)
                        .build())
                .build();
        assertThat(index.match(IndicatorType.DOMAIN, "global.example", GLOBEX, NOW))
                .hasSize(1);
        assertThat(index.match(IndicatorType.DOMAIN, "acme-only.example", ACME, NOW))
                .hasSize(1);
        assertThat(index.match(IndicatorType.DOMAIN, "acme-only.example", GLOBEX, NOW))
                .isEmpty();
        assertThat(index.match(IndicatorType.DOMAIN, "acme-only.example", TenantId.of("other"), NOW))
                .isEmpty();
        List<Indicator> shared = index.match(IndicatorType.DOMAIN, "shared.example", GLOBEX, NOW);
        assertThat(shared).hasSize(1);
        assertThat(shared.get(0).tenant()).isEqualTo(GLOBEX);
        assertThat(index.size()).isEqualTo(4);
    }

    @Test
    void theSameIndicatorFromTwoFeedsIsStoredOnceWithBothSources() {
        Indicator a = Indicator.builder(
                        IndicatorType.IPV4, "192.0.2.1", new IndicatorSource("abuse.ch", "line 3", 60, null, null))
                .validFrom(Instant.parse("2025-01-01T00:00:00Z"))
                .validUntil(Instant.parse("2025-03-01T00:00:00Z"))
                .tlp(Tlp.GREEN)
                .tags(Set.of("c2"))
                .references(new IntelReferences(Set.of("T1071"), Set.of("Pikabot"), Set.of(), Set.of()))
                .build();
        Indicator b = Indicator.builder(
                        IndicatorType.IPV4, "192.0.2.1", new IndicatorSource("unit42", "indicator--1", 90, null, null))
                .validFrom(Instant.parse("2025-02-01T00:00:00Z"))
                .validUntil(Instant.parse("2025-05-01T00:00:00Z"))
                .tlp(Tlp.AMBER)
                .tags(Set.of("botnet"))
                .references(new IntelReferences(Set.of(), Set.of("QakBot"), Set.of("Campaign X"), Set.of()))
                .description("C2 server")
                .build();
        IndicatorIndex index = IndicatorIndex.builder().add(a).add(b).build();
        assertThat(index.size()).isEqualTo(1);
        Indicator merged = index.match(IndicatorType.IPV4, "192.0.2.1", ACME, Instant.parse("2025-04-01T00:00:00Z"))
                .get(0);
        assertThat(merged.sources()).extracting(IndicatorSource::feed).containsExactly("abuse.ch", "unit42");
        assertThat(merged.confidence()).isEqualTo(90);
        assertThat(merged.validFrom()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(merged.validUntil()).isEqualTo(Instant.parse("2025-05-01T00:00:00Z"));
        assertThat(merged.tlp()).isEqualTo(Tlp.AMBER);
        assertThat(merged.tags()).containsExactly("botnet", "c2");
        assertThat(merged.references().malware()).containsExactly("Pikabot", "QakBot");
        assertThat(merged.references().attackTechniques()).containsExactly("T1071");
        assertThat(merged.references().campaigns()).containsExactly("Campaign X");
        assertThat(merged.description()).isEqualTo("C2 server");
        assertThat(merged).isEqualTo(a.merge(b));
    }

    @Test
    void aMergeWithAnOpenEndedIndicatorHasNoEnd() {
        Indicator a = indicator(IndicatorType.MD5, "d41d8cd98f00b204e9800998ecf8427e")
                .validUntil(Instant.parse("2025-01-01T00:00:00Z"))
                .build();
        Indicator b =
                indicator(IndicatorType.MD5, "d41d8cd98f00b204e9800998ecf8427e").build();
        assertThat(a.merge(b).validUntil()).isNull();
        assertThatThrownBy(() -> a.merge(indicator(IndicatorType.MD5, "00000000000000000000000000000000")
                        .build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void indicatorsSurviveTheCompactEncodingIntact() {
        Indicator original = Indicator.builder(
                        IndicatorType.URL,
                        "http://evil.example/ü",
                        new IndicatorSource(
                                "feed",
                                "indicator--x",
                                IndicatorSource.UNKNOWN_CONFIDENCE,
                                Instant.parse("1969-12-31T23:59:59.123Z"),
                                Instant.parse("2030-01-01T00:00:00Z")))
                .tenant(ACME)
                .validFrom(Instant.parse("2020-01-01T00:00:00Z"))
                .tlp(Tlp.AMBER_STRICT)
                .tags(Set.of("a", "b"))
                .references(new IntelReferences(Set.of("T1059.001"), Set.of("m"), Set.of("c"), Set.of("actor")))
                .description("déscription")
                .build();
        IndicatorIndex index = IndicatorIndex.builder().add(original).build();
        List<Indicator> all = new ArrayList<>();
        index.forEach(all::add);
        assertThat(all).hasSize(1);
        Indicator back = all.get(0);
        assertThat(back.value()).isEqualTo("http://evil.example/%C3%BC");
        assertThat(back.sources()).isEqualTo(original.sources());
        assertThat(back.tenant()).isEqualTo(ACME);
        assertThat(back.tlp()).isEqualTo(Tlp.AMBER_STRICT);
        assertThat(back.tags()).isEqualTo(original.tags());
        assertThat(back.references()).isEqualTo(original.references());
        assertThat(back.description()).isEqualTo("déscription");
        assertThat(back.validFrom()).isEqualTo(original.validFrom());
        assertThat(back.validUntil()).isNull();
        assertThat(index.match(IndicatorType.URL, "http://evil.example/ü", ACME, NOW))
                .containsExactly(back);
    }

    @Test
    void aDeltaLayeredOverABaseReplacesItsIndicatorsAndAddsNewOnes() {
        IndicatorIndex base = IndicatorIndex.builder()
                .add(indicator(IndicatorType.DOMAIN, "old.example").build())
                .add(indicator(IndicatorType.DOMAIN, "changed.example")
                        .description("before")
                        .build())
                .build();
        IndicatorIndex delta = IndicatorIndex.builder()
                .add(indicator(IndicatorType.DOMAIN, "changed.example")
                        .description("after")
                        .build())
                .add(indicator(IndicatorType.DOMAIN, "new.example").build())
                .build();
        LayeredIndex layered = new LayeredIndex(base, delta);
        assertThat(layered.match(IndicatorType.DOMAIN, "old.example", ACME, NOW))
                .hasSize(1);
        assertThat(layered.match(IndicatorType.DOMAIN, "new.example", ACME, NOW))
                .hasSize(1);
        assertThat(layered.match(IndicatorType.DOMAIN, "x.changed.example", ACME, NOW))
                .extracting(Indicator::description)
                .containsExactly("after");
        IndicatorIndex.Builder rebuilt = IndicatorIndex.builder();
        layered.forEach(rebuilt::add);
        IndicatorIndex one = rebuilt.build();
        assertThat(one.size()).isEqualTo(3);
        assertThat(one.match(IndicatorType.DOMAIN, "changed.example", ACME, NOW))
                .extracting(Indicator::description)
                .containsExactly("after");
    }

    @Test
    void anInvalidValueCannotBeAdded() {
        Indicator bad = Indicator.builder(
                        IndicatorType.IPV4, "300.1.1.1", new IndicatorSource("feed", "1", 1, null, null))
                .build();
        assertThatThrownBy(() -> IndicatorIndex.builder().add(bad)).hasMessageContaining("300.1.1.1");
    }
}
