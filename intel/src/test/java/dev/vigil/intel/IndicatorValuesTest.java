package dev.vigil.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class IndicatorValuesTest {
    @Test
    void addressesTakeTheirCanonicalFormAndMappedIpv6BecomesIpv4() {
        assertThat(IndicatorValues.normalize(IndicatorType.IPV4, " 192.168.001.010 "))
                .isEqualTo("192.168.1.10");
        assertThat(IndicatorValues.normalize(IndicatorType.IPV6, "2001:DB8:0:0:0:0:0:1"))
                .isEqualTo("2001:db8::1");
        assertThat(IndicatorValues.normalize(IndicatorType.IPV4, "::ffff:10.1.2.3"))
                .isEqualTo("10.1.2.3");
        assertThat(IndicatorValues.normalize(IndicatorType.CIDR, "10.1.2.3/8")).isEqualTo("10.0.0.0/8");
        assertThat(IndicatorValues.normalize(IndicatorType.CIDR, "2001:db8::1/32"))
                .isEqualTo("2001:db8::/32");
        assertThat(IndicatorValues.normalize(IndicatorType.CIDR, "10.1.2.3/32")).isEqualTo("10.1.2.3");
        assertThatThrownBy(() -> IndicatorValues.normalize(IndicatorType.IPV4, "999.1.1.1"))
                .hasMessageContaining("999.1.1.1");
        assertThatThrownBy(() -> IndicatorValues.normalize(IndicatorType.IPV4, "::1"))
                .hasMessageContaining("IPV6");
    }

    @Test
    void domainsAreLowerCaseAsciiWithoutTrailingDot() {
        assertThat(IndicatorValues.normalize(IndicatorType.DOMAIN, "Evil.COM.")).isEqualTo("evil.com");
        assertThat(IndicatorValues.normalize(IndicatorType.DOMAIN, "bücher.example"))
                .isEqualTo("xn--bcher-kva.example");
        assertThat(IndicatorValues.normalize(IndicatorType.DOMAIN, "*.evil.com"))
                .isEqualTo("evil.com");
        assertThatThrownBy(() -> IndicatorValues.normalize(IndicatorType.DOMAIN, "evil..com"))
                .hasMessageContaining("evil..com");
        assertThatThrownBy(() -> IndicatorValues.normalize(IndicatorType.DOMAIN, "http://evil.com/"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void urlsAreNormalised() {
        assertThat(IndicatorValues.normalizeUrl("HTTP://Evil.COM.:80/a/./b/../c?q=%7e%2f#frag"))
                .isEqualTo("http://evil.com/a/c?q=~%2F");
        assertThat(IndicatorValues.normalizeUrl("https://evil.com:443")).isEqualTo("https://evil.com/");
        assertThat(IndicatorValues.normalizeUrl("https://evil.com:8443/x")).isEqualTo("https://evil.com:8443/x");
        assertThat(IndicatorValues.normalizeUrl("evil.com/path with space"))
                .isEqualTo("http://evil.com/path%20with%20space");
        assertThat(IndicatorValues.normalizeUrl("http://bücher.example/ü"))
                .isEqualTo("http://xn--bcher-kva.example/%C3%BC");
        assertThat(IndicatorValues.normalizeUrl("http://[2001:DB8::1]:80/")).isEqualTo("http://[2001:db8::1]/");
        assertThat(IndicatorValues.normalizeUrl("http://158.220.080.167:2967/"))
                .isEqualTo("http://158.220.80.167:2967/");
        assertThat(IndicatorValues.normalizeUrl("http://evil.com/%41%62c/../../x"))
                .isEqualTo("http://evil.com/x");
    }

    @Test
    void hashesAreLowerCaseAndTheirLengthDecidesTheType() {
        assertThat(IndicatorValues.normalize(IndicatorType.MD5, "D41D8CD98F00B204E9800998ECF8427E"))
                .isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(IndicatorValues.hashType("da39a3ee5e6b4b0d3255bfef95601890afd80709"))
                .contains(IndicatorType.SHA1);
        assertThatThrownBy(() -> IndicatorValues.normalize(IndicatorType.SHA256, "d41d8cd98f00b204e9800998ecf8427e"))
                .hasMessageContaining("SHA256");
        assertThatThrownBy(() -> IndicatorValues.normalize(IndicatorType.MD5, "z41d8cd98f00b204e9800998ecf8427e"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emailsKeepTheirLocalPartAndLowerCaseTheDomain() {
        assertThat(IndicatorValues.normalize(IndicatorType.EMAIL, "John.Doe@Evil.COM"))
                .isEqualTo("John.Doe@evil.com");
        assertThat(IndicatorValues.normalize(IndicatorType.EMAIL, "<x@evil.com>"))
                .isEqualTo("x@evil.com");
        assertThatThrownBy(() -> IndicatorValues.normalize(IndicatorType.EMAIL, "nobody"))
                .hasMessageContaining("nobody");
    }

    @Test
    void fileNamesAreLowerCaseBaseNames() {
        assertThat(IndicatorValues.normalize(IndicatorType.FILE_NAME, "C:\\Windows\\Temp\\EVIL.exe"))
                .isEqualTo("evil.exe");
        assertThat(IndicatorValues.normalize(IndicatorType.FILE_NAME, "/tmp/x.sh"))
                .isEqualTo("x.sh");
    }

    @Test
    void typesAreGuessedFromBareValues() {
        assertThat(IndicatorValues.guessType("1.2.3.4")).contains(IndicatorType.IPV4);
        assertThat(IndicatorValues.guessType("10.0.0.0/8")).contains(IndicatorType.CIDR);
        assertThat(IndicatorValues.guessType("fe80::1")).contains(IndicatorType.IPV6);
        assertThat(IndicatorValues.guessType("evil.com")).contains(IndicatorType.DOMAIN);
        assertThat(IndicatorValues.guessType("http://evil.com/")).contains(IndicatorType.URL);
        assertThat(IndicatorValues.guessType("a@evil.com")).contains(IndicatorType.EMAIL);
        assertThat(IndicatorValues.guessType("d41d8cd98f00b204e9800998ecf8427e"))
                .contains(IndicatorType.MD5);
        assertThat(IndicatorValues.guessType("not a value")).isEmpty();
    }

    @Test
    void theNormalisedUrlShortcutAcceptsOnlyUrlsThatNormalisingLeavesAlone() {
        assertThat(IndicatorValues.isNormalizedUrl("http://evil.com/a/b.php?x=1&y=%2F"))
                .isFalse();
        assertThat(IndicatorValues.isNormalizedUrl("http://evil.com/a/b.php?x=1&y=2"))
                .isTrue();
        assertThat(IndicatorValues.isNormalizedUrl("https://cdn-1.evil.com/")).isTrue();
        assertThat(IndicatorValues.isNormalizedUrl("http://evil.com")).isFalse();
        assertThat(IndicatorValues.isNormalizedUrl("http://10.0.0.1/")).isFalse();
        assertThat(IndicatorValues.isNormalizedUrl("http://evil.com/a/../b")).isFalse();
        assertThat(IndicatorValues.isNormalizedUrl("HTTP://evil.com/")).isFalse();
        // Seeded: random URLs from pieces that normalising changes or keeps; every accepted one must be a fixed point.
        String[] schemes = {"http://", "https://", "HTTP://", "ftp://", "", "//"};
        String[] hosts = {
            "evil.com",
            "Evil.com",
            "a.b",
            "1.2.3.4",
            "x..y",
            "evil.com.",
            "u@evil.com",
            "evil.com:80",
            "evil.com:8080",
            "[::1]",
            "a_b.c-d",
            "bücher.de",
            "evil.1",
            "-",
            ""
        };
        String[] pieces = {
            "/", "a", ".", "..", "?", "=", "&", "%41", "%2f", " ", "#", "\\", "~", "'", "é", "+", ":", "@"
        };
        Random r = new Random(42);
        int accepted = 0;
        for (int k = 0; k < 50_000; k++) {
            // Half of them from the pieces a normalised URL is made of (the first two schemes, three hosts, the
            // pieces before "%41"), so that both answers are common.
            boolean plain = r.nextBoolean();
            StringBuilder url = new StringBuilder(schemes[r.nextInt(plain ? 2 : schemes.length)]);
            url.append(hosts[r.nextInt(plain ? 3 : hosts.length)]);
            if (plain) {
                url.append('/');
            }
            int parts = r.nextInt(8);
            for (int p = 0; p < parts; p++) {
                url.append(pieces[r.nextInt(plain ? 7 : pieces.length)]);
            }
            String s = url.toString();
            if (IndicatorValues.isNormalizedUrl(s)) {
                accepted++;
                assertThat(IndicatorValues.normalizeUrl(s))
                        .as("seed 42, url %s", s)
                        .isEqualTo(s);
            }
        }
        assertThat(accepted).as("the shortcut is taken for some URLs").isGreaterThan(5000);
    }

    @Test
    void anOverflowingPrefixLengthIsNotAnAddressRatherThanAnError() {
        assertThat(IndicatorValues.parseIp("::/6464646464")).isNull();
        assertThatThrownBy(() -> IndicatorValues.normalize(IndicatorType.CIDR, "::/6464646464"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("::/6464646464");
        IndicatorIndex index = IndicatorIndex.builder()
                .add(Indicator.builder(
                                IndicatorType.CIDR, "2001:db8::/32", new IndicatorSource("f", "1", 50, null, null))
                        .build())
                .build();
        assertThat(index.match(
                        IndicatorType.IPV6, "::/6464646464", dev.vigil.core.TenantId.of("a"), java.time.Instant.EPOCH))
                .isEmpty();
    }
}
