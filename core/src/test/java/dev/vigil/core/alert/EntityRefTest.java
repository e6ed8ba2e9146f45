package dev.vigil.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EntityRefTest {
    private static Optional<String> norm(EntityType type, String raw) {
        return EntityRef.of(type, raw).map(EntityRef::value);
    }

    @Test
    void hostsAreLowerCaseShortNamesButAddressesStayWhole() {
        assertThat(norm(EntityType.HOST, " WS01.corp.example.com ")).contains("ws01");
        assertThat(norm(EntityType.HOST, "WS01")).contains("ws01");
        assertThat(norm(EntityType.HOST, "10.1.2.3")).contains("10.1.2.3");
        assertThat(norm(EntityType.HOST, "localhost")).isEmpty();
        assertThat(norm(EntityType.HOST, "-")).isEmpty();
    }

    @Test
    void usersBecomeDomainBackslashNameWhicheverWayTheyAreWritten() {
        assertThat(norm(EntityType.USER, "CORP\\Alice")).contains("corp\\alice");
        assertThat(norm(EntityType.USER, "alice@corp.example.com")).contains("corp\\alice");
        assertThat(EntityRef.user("Alice", "CORP").map(EntityRef::value)).contains("corp\\alice");
        assertThat(EntityRef.user("CORP\\Alice", "OTHER").map(EntityRef::value)).contains("corp\\alice");
        assertThat(EntityRef.user("root", "-").map(EntityRef::value)).contains("root");
    }

    @Test
    void sharedAndMachineAccountsAreNotEntities() {
        assertThat(norm(EntityType.USER, "NT AUTHORITY\\SYSTEM")).isEmpty();
        assertThat(norm(EntityType.USER, "NT AUTHORITY\\LOCAL SERVICE")).isEmpty();
        assertThat(norm(EntityType.USER, "SYSTEM")).isEmpty();
        assertThat(EntityRef.user("WS01$", "CORP")).isEmpty();
        assertThat(norm(EntityType.USER, "Window Manager\\DWM-1")).isEmpty();
        assertThat(norm(EntityType.USER, "-")).isEmpty();
    }

    @Test
    void addressesAreValidatedAndPlaceholdersDropped() {
        assertThat(norm(EntityType.IP, "::ffff:10.0.0.5")).contains("10.0.0.5");
        assertThat(norm(EntityType.IP, "[FE80::1]")).contains("fe80::1");
        assertThat(norm(EntityType.IP, "127.0.0.1")).isEmpty();
        assertThat(norm(EntityType.IP, "::1")).isEmpty();
        assertThat(norm(EntityType.IP, "0.0.0.0")).isEmpty();
        assertThat(norm(EntityType.IP, "300.1.1.1")).isEmpty();
        assertThat(norm(EntityType.IP, "not an address")).isEmpty();
    }

    @Test
    void windowsPathsAreCaseInsensitivePosixPathsAreNot() {
        assertThat(norm(EntityType.PROCESS, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\PowerShell.exe"))
                .contains("c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe");
        assertThat(norm(EntityType.FILE, "/tmp/Payload.sh")).contains("/tmp/Payload.sh");
    }

    @Test
    void hashesDomainsAndUrls() {
        assertThat(norm(EntityType.FILE_HASH, "D41D8CD98F00B204E9800998ECF8427E"))
                .contains("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(norm(EntityType.FILE_HASH, "xyz")).isEmpty();
        assertThat(norm(EntityType.DOMAIN, "Evil.Example.COM.")).contains("evil.example.com");
        assertThat(norm(EntityType.URL, "HTTPS://Evil.Example.com/Path?Q=1"))
                .contains("https://evil.example.com/Path?Q=1");
    }

    @Test
    void overlongValuesAreCut() {
        assertThat(new EntityRef(EntityType.FILE, "x".repeat(5000)).value()).hasSize(EntityRef.MAX_VALUE_CHARS);
    }

    /** The regular expressions the hash and path checks once were: the reference the checks must still agree with. */
    private static final Pattern REFERENCE_HEX_HASH =
            Pattern.compile("[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128}");

    private static final Pattern REFERENCE_WINDOWS_PATH = Pattern.compile("^(?:[a-zA-Z]:|\\\\).*|.*\\\\.*");

    @Test
    void hashAndPathChecksAgreeWithTheRegularExpressionsTheyReplaced() {
        // Characters at the edges of both checks: hex digits of both cases, letters just past 'f', the drive colon,
        // backslashes, every line terminator of java.util.regex's '.', a dotted capital I (two chars in lower case).
        String alphabet = "0189afAFgGzZ:\\/ \n\r\u0085\u2028\u2029\u0130-";
        int[] lengths = {0, 1, 2, 3, 31, 32, 33, 40, 64, 65, 128};
        long seed = 0x51_6e_a7L;
        Random random = new Random(seed);
        for (int round = 0; round < 50_000; round++) {
            int length = random.nextBoolean() ? lengths[random.nextInt(lengths.length)] : random.nextInt(140);
            // Mostly hex, so that the long lengths are reached often enough to matter.
            String pool = random.nextInt(4) == 0 ? alphabet : "0123456789abcdefABCDEF";
            StringBuilder b = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                b.append(pool.charAt(random.nextInt(pool.length())));
            }
            String v = b.toString();
            assertThat(EntityRef.isWindowsPath(v))
                    .as("path check of %s (seed %s, round %d)", escape(v), seed, round)
                    .isEqualTo(REFERENCE_WINDOWS_PATH.matcher(v).matches());
            assertThat(norm(EntityType.FILE_HASH, v))
                    .as("hash of %s (seed %s, round %d)", escape(v), seed, round)
                    .isEqualTo(referenceHash(v));
        }
    }

    private static Optional<String> referenceHash(String raw) {
        String v = raw.strip();
        if (v.isEmpty() || v.equals("-")) {
            return Optional.empty();
        }
        String h = v.toLowerCase(Locale.ROOT);
        return REFERENCE_HEX_HASH.matcher(h).matches() ? Optional.of(h) : Optional.empty();
    }

    private static String escape(String v) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append('"').toString();
    }
}
