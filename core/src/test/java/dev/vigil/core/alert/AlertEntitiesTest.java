package dev.vigil.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertEntitiesTest {
    private static EntityRef e(EntityType type, String value) {
        return new EntityRef(type, value);
    }

    @Test
    void sysmonProcessCreationGivesHostUserProcessesAndHashes() {
        Event event = Event.builder()
                .field("EventID", 1L)
                .field("Computer", "WS01.corp.example.com")
                .field("User", "CORP\\alice")
                .field("Image", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe")
                .field("ParentImage", "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE")
                .field("Hashes", "SHA1=" + "A".repeat(40) + ",MD5=" + "b".repeat(32) + ",IMPHASH=" + "c".repeat(32))
                .build();
        assertThat(AlertEntities.extract(event))
                .containsExactly(
                        e(EntityType.HOST, "ws01"),
                        e(EntityType.USER, "corp\\alice"),
                        e(EntityType.PROCESS, "c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe"),
                        e(EntityType.PROCESS, "c:\\program files\\microsoft office\\root\\office16\\winword.exe"),
                        e(EntityType.FILE_HASH, "a".repeat(40)),
                        e(EntityType.FILE_HASH, "b".repeat(32)));
    }

    @Test
    void securityLogonJoinsNamesWithTheirDomainsAndSkipsPlaceholders() {
        Event event = Event.builder()
                .field("EventID", 4624L)
                .field("Computer", "SRV02")
                .field("SubjectUserName", "-")
                .field("TargetUserName", "alice")
                .field("TargetDomainName", "CORP")
                .field("IpAddress", "10.0.0.5")
                .field("WorkstationName", "WS01")
                .build();
        assertThat(AlertEntities.extract(event))
                .containsExactly(
                        e(EntityType.HOST, "srv02"),
                        e(EntityType.HOST, "ws01"),
                        e(EntityType.USER, "corp\\alice"),
                        e(EntityType.IP, "10.0.0.5"));
    }

    @Test
    void nestedEcsFieldsAreRead() {
        Map<String, Object> original = Map.of(
                "host", Map.of("name", "web-1.example.net"),
                "user", Map.of("name", "bob"),
                "source", Map.of("ip", "203.0.113.9"),
                "dns", Map.of("question", Map.of("name", "evil.example.org")),
                "url", Map.of("original", "http://evil.example.org/x"),
                "file", Map.of("path", "/tmp/x", "hash", Map.of("sha256", "F".repeat(64))));
        Event event = Event.builder().original(original).build();
        assertThat(AlertEntities.extract(event))
                .containsExactlyInAnyOrder(
                        e(EntityType.HOST, "web-1"),
                        e(EntityType.USER, "bob"),
                        e(EntityType.IP, "203.0.113.9"),
                        e(EntityType.DOMAIN, "evil.example.org"),
                        e(EntityType.URL, "http://evil.example.org/x"),
                        e(EntityType.FILE, "/tmp/x"),
                        e(EntityType.FILE_HASH, "f".repeat(64)));
    }

    @Test
    void iisLogsGiveAUrlFromHostPathAndQuery() {
        Event event = Event.builder()
                .field("cs-host", "Shop.Example.com")
                .field("cs-uri-stem", "/admin/upload.aspx")
                .field("cs-uri-query", "f=shell.aspx")
                .field("c-ip", "198.51.100.7")
                .build();
        assertThat(AlertEntities.extract(event))
                .containsExactly(
                        e(EntityType.IP, "198.51.100.7"),
                        e(EntityType.URL, "http://shop.example.com/admin/upload.aspx?f=shell.aspx"));
    }

    @Test
    void multiValuedFieldsGiveOneEntityPerValueAndDuplicatesCollapse() {
        Event event = Event.builder()
                .field("QueryName", List.of("a.example.com", "A.example.com.", "b.example.com"))
                .build();
        assertThat(AlertEntities.extract(event))
                .containsExactly(e(EntityType.DOMAIN, "a.example.com"), e(EntityType.DOMAIN, "b.example.com"));
    }
}
