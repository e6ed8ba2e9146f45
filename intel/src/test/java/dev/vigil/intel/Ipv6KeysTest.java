package dev.vigil.intel;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The allocation-free IPv6 parser against the IPAddress library, on seeded random text well formed and not: what it
 * parses, the library reads as the same address; what it declines (the library may still read it, such as groups with
 * extra leading zeros) goes to the library in the index.
 */
class Ipv6KeysTest {
    @Test
    void parsesWhatTheLibraryParsesAndDeclinesTheRest() {
        long[] w = new long[2];
        assertThat(Ipv6Keys.parse("2001:DB8::1", w)).isTrue();
        assertThat(w).containsExactly(0x20010db800000000L, 1L);
        assertThat(Ipv6Keys.parse("::", w)).isTrue();
        assertThat(w).containsExactly(0L, 0L);
        assertThat(Ipv6Keys.parse("::ffff:1.2.3.4", w)).isFalse();
        assertThat(Ipv6Keys.parse("fe80::1%eth0", w)).isFalse();
        assertThat(Ipv6Keys.parse("1:2:3:4:5:6:7::8", w)).isFalse();

        Random r = new Random(5);
        String[] junk = {":", "::", "0", "ffff", "12345", "g", ".", "%", "/64", "1.2.3.4"};
        int parsed = 0;
        for (int k = 0; k < 20_000; k++) {
            String text;
            boolean wellFormed = r.nextBoolean();
            if (wellFormed) {
                // A valid address, written compressed, in full or in between, in either case.
                byte[] bytes = new byte[16];
                for (int b = r.nextInt(17); b < 16; b++) {
                    bytes[b] = (byte) (r.nextInt(4) == 0 ? 0 : r.nextInt(256));
                }
                IPAddress a = new inet.ipaddr.ipv6.IPv6Address(bytes);
                text = switch (r.nextInt(3)) {
                    case 0 -> a.toCanonicalString();
                    case 1 -> a.toFullString();
                    default -> a.toNormalizedString();
                };
                if (r.nextBoolean()) {
                    text = text.toUpperCase(Locale.ROOT);
                }
            } else {
                StringBuilder sb = new StringBuilder();
                int parts = 1 + r.nextInt(10);
                for (int p = 0; p < parts; p++) {
                    sb.append(junk[r.nextInt(junk.length)]);
                }
                text = sb.toString();
            }
            IPAddress expected = IndicatorValues.parseIp(text);
            if (Ipv6Keys.parse(text, w)) {
                parsed++;
                assertThat(expected).as("seed 5, %s", text).isNotNull();
                byte[] bytes = expected.isIPv6() ? expected.getBytes() : new byte[16];
                if (expected.isIPv4()) {
                    // The library reads an IPv4-mapped address as IPv4; the caller checks for the mapped prefix.
                    assertThat(w[0]).as(text).isZero();
                    assertThat(w[1] >>> 32).as(text).isEqualTo(0xffffL);
                    continue;
                }
                long high = 0;
                long low = 0;
                for (int b = 0; b < 8; b++) {
                    high = (high << 8) | (bytes[b] & 0xff);
                    low = (low << 8) | (bytes[8 + b] & 0xff);
                }
                assertThat(w).as("seed 5, %s", text).containsExactly(high, low);
            } else {
                // Declining only costs speed (the full parser takes over), but plain groups must not be declined.
                assertThat(wellFormed && text.indexOf('.') < 0)
                        .as("seed 5, declined %s", text)
                        .isFalse();
            }
        }
        assertThat(parsed).isGreaterThan(5_000);
    }
}
