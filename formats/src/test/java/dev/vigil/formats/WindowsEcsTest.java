package dev.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vigil.core.Event;
import dev.vigil.core.ProblemCollector;
import dev.vigil.core.TenantId;
import dev.vigil.core.testing.Corpus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WindowsEcsTest {
    private static final String DATA = "sigma/regression_data/";
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    private static List<Event> read(Path file) throws IOException {
        List<Event> out = new ArrayList<>();
        ProblemCollector problems = new ProblemCollector(10);
        EventReaders.read(file, ReadOptions.defaults(), out::add, problems);
        assertThat(problems.problems()).isEmpty();
        return out;
    }

    private static Event first(String relativeJson) throws IOException {
        List<Event> events = read(Corpus.require(DATA + relativeJson));
        assertThat(events).isNotEmpty();
        return events.get(0);
    }

    /** The ECS (dotted or @-prefixed) fields of an event, sorted. */
    private static Map<String, Object> ecs(Event e) {
        Map<String, Object> out = new TreeMap<>();
        e.fields().forEach((k, v) -> {
            if (k.indexOf('.') >= 0 || k.startsWith("@")) {
                out.put(k, v);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Event json(String text) throws IOException {
        Map<String, Object> root = MAPPER.readValue(text.replace('\'', '"'), Map.class);
        return JsonEventNormalizer.normalize(root, "test.json", 1, TenantId.DEFAULT);
    }

    @Test
    void sysmonProcessCreationFromTheRegressionCorpus() throws IOException {
        Event e = first("rules-emerging-threats/2025/Malware/Grixba/proc_creation_win_malware_grixba_recon/"
                + "af688c76-4ce4-4309-bfdd-e896f01acf27.json");
        assertThat(e.fields())
                .containsEntry("@timestamp", "2025-11-26T05:11:27.927693Z")
                .containsEntry("event.kind", "event")
                .containsEntry("event.code", "1")
                .containsEntry("event.provider", "Microsoft-Windows-Sysmon")
                .containsEntry("event.category", List.of("process"))
                .containsEntry("event.type", List.of("start"))
                .containsEntry("host.name", "swachchhanda")
                .containsEntry("winlog.channel", "Microsoft-Windows-Sysmon/Operational")
                .containsEntry("winlog.event_id", "1")
                .containsEntry("winlog.record_id", 142649L)
                .containsEntry("winlog.provider_name", "Microsoft-Windows-Sysmon")
                .containsEntry("winlog.computer_name", "swachchhanda")
                .containsEntry("process.executable", "C:\\Users\\xodih\\Downloads\\GRB_NET.exe")
                .containsEntry("process.name", "GRB_NET.exe")
                .containsEntry("process.pid", 10116L)
                .containsEntry("process.entity_id", "0197231E-8BFF-6926-1308-000000000D00")
                .containsEntry("process.command_line", "GRB_NET.exe  -m:scan -i:f -d:list.txt")
                .containsEntry("process.working_directory", "C:\\Users\\xodih\\Downloads\\")
                .containsEntry("process.pe.original_file_name", "GRB_NET.exe")
                .containsEntry("process.parent.executable", "C:\\Windows\\System32\\cmd.exe")
                .containsEntry("process.parent.name", "cmd.exe")
                .containsEntry("process.parent.pid", 7972L)
                .containsEntry("process.parent.command_line", "\"C:\\WINDOWS\\system32\\cmd.exe\"")
                .containsEntry("process.hash.md5", "88df27b6e794e3fd5f93f28b1ca1d3d0")
                .containsEntry(
                        "process.hash.sha256", "f8810179ab033a9b79cd7006c1a74fbcde6ed0451c92fbb8c7ce15b52499353a")
                .containsEntry("process.hash.imphash", "f34d5f2d4577ed6d9ceec516c1f5a744")
                .containsEntry("user.name", "xodih")
                .containsEntry("user.domain", "swachchhanda")
                // the Sigma names stay as they were
                .containsEntry("Image", "C:\\Users\\xodih\\Downloads\\GRB_NET.exe")
                .containsEntry("EventID", 1L)
                .doesNotContainKey("process.hash.sha1");
    }

    @Test
    void ecsFieldsAreDerivedNotPartOfTheRecordsOwnFields() throws IOException {
        String base = "rules-emerging-threats/2025/Malware/Grixba/proc_creation_win_malware_grixba_recon/"
                + "af688c76-4ce4-4309-bfdd-e896f01acf27";
        for (String ext : List.of(".json", ".evtx")) {
            Event e = read(Corpus.require(DATA + base + ext)).get(0);
            assertThat(e.ownFields().keySet())
                    .as("own fields of the %s record: Sigma names only", ext)
                    .noneMatch(k -> k.indexOf('.') >= 0 || k.startsWith("@"))
                    .contains("Image", "CommandLine", "EventID");
            assertThat(e.field("process.command_line"))
                    .as("a derived name by lookup, before the full map was asked for")
                    .isEqualTo("GRB_NET.exe  -m:scan -i:f -d:list.txt");
            List<Object> values = new ArrayList<>();
            e.forEachValue(values::add);
            assertThat(values)
                    .as("keyword searches see the record's values, not the derived constants")
                    .contains("GRB_NET.exe  -m:scan -i:f -d:list.txt")
                    .doesNotContain("Process Create", "event");
            assertThat(e.fields().keySet()).startsWith(e.ownFields().keySet().toArray(new String[0]));
            assertThat(e.fields()).hasSize(e.ownFields().size() + ecs(e).size());
        }
    }

    @Test
    void evtxAndJsonGiveTheSameEcsFields() throws IOException {
        String base = "rules-emerging-threats/2025/Malware/Grixba/proc_creation_win_malware_grixba_recon/"
                + "af688c76-4ce4-4309-bfdd-e896f01acf27";
        List<Event> fromJson = read(Corpus.require(DATA + base + ".json"));
        List<Event> fromEvtx = read(Corpus.require(DATA + base + ".evtx"));
        assertThat(fromEvtx).hasSameSizeAs(fromJson);
        for (int i = 0; i < fromJson.size(); i++) {
            assertThat(ecs(fromEvtx.get(i))).isEqualTo(ecs(fromJson.get(i)));
        }
    }

    @Test
    void sysmonFileCreation() throws IOException {
        Event e = first("rules/windows/file/file_event/file_event_win_creation_system_file/"
                + "d5866ddf-ce8f-4aea-b28e-d96485a20d3d.json");
        assertThat(e.fields())
                .containsEntry("event.code", "11")
                .containsEntry("event.category", List.of("file"))
                .containsEntry("event.type", List.of("creation"))
                .containsEntry("file.path", "C:\\bitsadmin.exe")
                .containsEntry("file.name", "bitsadmin.exe")
                .containsEntry("file.directory", "C:")
                .containsEntry("file.extension", "exe")
                .containsEntry("process.executable", "C:\\Windows\\system32\\cmd.exe")
                .containsEntry("process.name", "cmd.exe")
                .containsEntry("process.pid", 10048L)
                .containsEntry("user.name", "Administrator")
                .containsEntry("user.domain", "ATTACKRANGE");
    }

    @Test
    void sysmonRegistryValueSet() throws IOException {
        Event e = first("rules/windows/registry/registry_set/registry_set_disable_system_restore/"
                + "5de03871-5d46-4539-a82d-3aa992a69a83.json");
        assertThat(e.fields())
                .containsEntry("event.code", "13")
                .containsEntry("event.category", List.of("registry"))
                .containsEntry("event.type", List.of("change"))
                .containsEntry(
                        "registry.path",
                        "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\SystemRestore\\DisableConfig")
                .containsEntry("registry.hive", "HKLM")
                .containsEntry("registry.key", "SOFTWARE\\Policies\\Microsoft\\Windows NT\\SystemRestore")
                .containsEntry("registry.value", "DisableConfig")
                .containsEntry("registry.data.strings", List.of("1"))
                .containsEntry("registry.data.type", "SZ_DWORD")
                .containsEntry("process.name", "reg.exe")
                .containsEntry("Details", "DWORD (0x00000001)");
    }

    @Test
    void securityExplicitCredentialsFromTheRegressionCorpus() throws IOException {
        Event e = first("rules/windows/builtin/security/win_security_explicit_credential_local_logon/"
                + "e3c6d245-7b8f-4e2a-c17f-a9d0e5b38f62.json");
        assertThat(e.fields())
                .containsEntry("event.code", "4648")
                .containsEntry("event.category", List.of("authentication"))
                .containsEntry("user.name", "xodih")
                .containsEntry("user.domain", "SWACHCHHANDA")
                .containsEntry("user.target.name", "testuser")
                .containsEntry("process.executable", "C:\\Users\\xodih\\OneDrive\\Desktop\\LegacyHive.exe")
                .containsEntry("process.name", "LegacyHive.exe")
                .containsEntry("process.pid", 0x378L)
                .doesNotContainKeys("source.ip", "source.port");
    }

    private static final String SYSTEM = """
            'System': {'Provider': {'#attributes': {'Name': '%s'}}, 'EventID': %d, 'Channel': '%s',
                       'Computer': 'ws01.corp.local', 'EventRecordID': 77,
                       'TimeCreated': {'#attributes': {'SystemTime': '2024-05-01T10:00:00Z'}}}""";

    private static Event windows(String provider, int id, String channel, String eventData) throws IOException {
        return json("{'Event': {" + SYSTEM.formatted(provider, id, channel) + ", 'EventData': " + eventData + "}}");
    }

    @Test
    void sysmonNetworkConnection() throws IOException {
        Event e = windows("Microsoft-Windows-Sysmon", 3, "Microsoft-Windows-Sysmon/Operational", """
                {'ProcessId': 1234, 'Image': 'C:\\\\Tools\\\\nc.exe', 'User': 'CORP\\\\bob', 'Protocol': 'tcp',
                 'Initiated': 'true', 'SourceIsIpv6': 'false', 'SourceIp': '10.0.0.5', 'SourceHostname': '-',
                 'SourcePort': 50123, 'DestinationIsIpv6': 'false', 'DestinationIp': '203.0.113.9',
                 'DestinationHostname': 'evil.example', 'DestinationPort': 443, 'DestinationPortName': 'https'}""");
        assertThat(e.fields())
                .containsEntry("event.category", List.of("network"))
                .containsEntry("event.type", List.of("connection", "start"))
                .containsEntry("source.ip", "10.0.0.5")
                .containsEntry("source.port", 50123L)
                .containsEntry("destination.ip", "203.0.113.9")
                .containsEntry("destination.port", 443L)
                .containsEntry("destination.domain", "evil.example")
                .containsEntry("network.transport", "tcp")
                .containsEntry("network.direction", "egress")
                .containsEntry("network.type", "ipv4")
                .containsEntry("network.protocol", "https")
                .containsEntry("process.name", "nc.exe")
                .containsEntry("user.name", "bob")
                .containsEntry("user.domain", "CORP")
                .doesNotContainKey("source.domain");
    }

    @Test
    void sysmonDnsQuery() throws IOException {
        Event e = windows("Microsoft-Windows-Sysmon", 22, "Microsoft-Windows-Sysmon/Operational", """
                {'ProcessId': 99, 'Image': 'C:\\\\Windows\\\\System32\\\\svchost.exe', 'QueryName': 'www.example.com',
                 'QueryStatus': '0', 'QueryResults': 'type:  5 edge.example.net;::ffff:93.184.216.34;2606:2800::1;'}""");
        assertThat(e.fields())
                .containsEntry("dns.question.name", "www.example.com")
                .containsEntry("dns.answers", List.of("edge.example.net", "93.184.216.34", "2606:2800::1"))
                .containsEntry("dns.resolved_ip", List.of("93.184.216.34", "2606:2800::1"))
                .containsEntry("network.protocol", "dns")
                .containsEntry("event.category", List.of("network"));
    }

    @Test
    void securityLogonSuccessAndFailure() throws IOException {
        String data = """
                {'SubjectUserSid': 'S-1-5-18', 'SubjectUserName': 'WS01$', 'TargetUserSid': 'S-1-5-21-1-2-3-1105',
                 'TargetUserName': 'alice', 'TargetDomainName': 'CORP', 'TargetLogonId': '0x3e7', 'LogonType': 10,
                 'WorkstationName': 'ATTACKER', 'ProcessId': '0x244', 'ProcessName': 'C:\\\\Windows\\\\System32\\\\svchost.exe',
                 'IpAddress': '192.0.2.10', 'IpPort': '51515', 'Status': '0xc000006d', 'SubStatus': '0xc000006a'}""";
        Event ok = windows("Microsoft-Windows-Security-Auditing", 4624, "Security", data);
        assertThat(ok.fields())
                .containsEntry("event.category", List.of("authentication"))
                .containsEntry("event.type", List.of("start"))
                .containsEntry("event.outcome", "success")
                .containsEntry("event.action", "logged-in")
                .containsEntry("event.code", "4624")
                .containsEntry("host.name", "ws01.corp.local")
                .containsEntry("user.name", "alice")
                .containsEntry("user.domain", "CORP")
                .containsEntry("user.id", "S-1-5-21-1-2-3-1105")
                .containsEntry("source.ip", "192.0.2.10")
                .containsEntry("source.port", 51515L)
                .containsEntry("source.domain", "ATTACKER")
                .containsEntry("winlog.logon.type", "RemoteInteractive")
                .containsEntry("process.pid", 0x244L)
                .containsEntry("process.name", "svchost.exe")
                .containsEntry("TargetUserName", "alice");
        Event failed = windows("Microsoft-Windows-Security-Auditing", 4625, "Security", data);
        assertThat(failed.fields())
                .containsEntry("event.outcome", "failure")
                .containsEntry("event.action", "logon-failed")
                .containsEntry("winlog.logon.failure.sub_status", "0xc000006a");
        Event local = windows(
                "Microsoft-Windows-Security-Auditing",
                4624,
                "Security",
                "{'TargetUserName': 'bob', 'LogonType': 2, 'IpAddress': '-', 'IpPort': '-'}");
        assertThat(local.fields())
                .containsEntry("winlog.logon.type", "Interactive")
                .doesNotContainKeys("source.ip", "source.port");
    }

    @Test
    void securityProcessCreation() throws IOException {
        Event e = windows("Microsoft-Windows-Security-Auditing", 4688, "Security", """
                {'SubjectUserSid': 'S-1-5-21-1-2-3-1105', 'SubjectUserName': 'alice', 'SubjectDomainName': 'CORP',
                 'NewProcessId': '0x1a4', 'NewProcessName': 'C:\\\\Windows\\\\System32\\\\whoami.exe',
                 'ProcessId': '0x10', 'CommandLine': 'whoami /all', 'TargetUserName': '-',
                 'ParentProcessName': 'C:\\\\Windows\\\\System32\\\\cmd.exe'}""");
        assertThat(e.fields())
                .containsEntry("event.category", List.of("process"))
                .containsEntry("event.type", List.of("start"))
                .containsEntry("process.executable", "C:\\Windows\\System32\\whoami.exe")
                .containsEntry("process.name", "whoami.exe")
                .containsEntry("process.pid", 0x1a4L)
                .containsEntry("process.command_line", "whoami /all")
                .containsEntry("process.parent.executable", "C:\\Windows\\System32\\cmd.exe")
                .containsEntry("process.parent.name", "cmd.exe")
                .containsEntry("process.parent.pid", 0x10L)
                .containsEntry("user.name", "alice")
                .containsEntry("user.domain", "CORP")
                .doesNotContainKey("user.target.name");
        Event old = windows(
                "Microsoft-Windows-Security-Auditing",
                4688,
                "Security",
                "{'NewProcessName': 'C:\\\\x.exe', 'ProcessId': '0x10'}");
        assertThat(old.fields()).doesNotContainKeys("process.parent.executable", "process.parent.name");
    }

    @Test
    void winlogbeatKeepsItsOwnEcsValues() throws IOException {
        Event e = json("""
                {'@timestamp': '2024-05-01T10:00:00.000Z',
                 'event': {'code': '1', 'kind': 'event', 'category': ['process'], 'type': ['start']},
                 'host': {'name': 'ws01'},
                 'process.executable': 'C:\\\\Beat\\\\Own.exe',
                 'process': {'pid': 4242, 'parent': {'name': 'beat-parent.exe'}},
                 'winlog': {'channel': 'Microsoft-Windows-Sysmon/Operational', 'event_id': '1',
                            'provider_name': 'Microsoft-Windows-Sysmon', 'computer_name': 'WS01.corp.local',
                            'record_id': 5,
                            'event_data': {'ProcessId': '100', 'Image': 'C:\\\\Windows\\\\System32\\\\cmd.exe',
                                           'CommandLine': 'cmd /c whoami', 'ParentImage': 'C:\\\\Windows\\\\explorer.exe',
                                           'ParentProcessId': '50', 'User': 'CORP\\\\bob'}}}""");
        assertThat(e.fields())
                .containsEntry("@timestamp", "2024-05-01T10:00:00.000Z")
                .doesNotContainKeys(
                        "event.code",
                        "event.kind",
                        "event.category",
                        "host.name",
                        "process.executable",
                        "process.pid",
                        "process.parent.name",
                        "winlog.channel",
                        "winlog.event_id")
                // what the beat did not say is added
                .containsEntry("process.command_line", "cmd /c whoami")
                .containsEntry("process.parent.executable", "C:\\Windows\\explorer.exe")
                .containsEntry("process.parent.pid", 50L)
                .containsEntry("user.name", "bob")
                .containsEntry("event.provider", "Microsoft-Windows-Sysmon")
                .containsEntry("Image", "C:\\Windows\\System32\\cmd.exe");
        assertThat(e.field("process.executable")).isEqualTo("C:\\Beat\\Own.exe");
        assertThat(e.field("process.pid")).isEqualTo(4242L);
        assertThat(e.field("process.parent.name")).isEqualTo("beat-parent.exe");
        assertThat(e.field("host.name")).isEqualTo("ws01");
        assertThat(e.field("@timestamp")).isEqualTo("2024-05-01T10:00:00.000Z");
        assertThat(e.field("event.category")).isEqualTo(List.of("process"));
    }
}
