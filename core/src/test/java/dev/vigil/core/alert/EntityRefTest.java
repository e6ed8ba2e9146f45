package dev.vigil.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
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
}
