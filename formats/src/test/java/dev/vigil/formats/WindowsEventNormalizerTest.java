package dev.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.TenantId;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WindowsEventNormalizerTest {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) throws IOException {
        return MAPPER.readValue(text.replace('\'', '"'), Map.class);
    }

    private static Event normalize(String text) throws IOException {
        return JsonEventNormalizer.normalize(json(text), "test.json", 9, TenantId.DEFAULT);
    }

    @Test
    void securityEventWithQualifiersAndNamedData() throws IOException {
        Event e = normalize("""
                {'Event': {'#attributes': {'xmlns': 'http://schemas.microsoft.com/win/2004/08/events/event'},
                  'System': {
                    'Provider': {'#attributes': {'Name': 'Microsoft-Windows-Security-Auditing',
                                                 'Guid': '54849625-5478-4994-A5BA-3E3B0328C30D'}},
                    'EventID': {'#attributes': {'Qualifiers': 0}, '#text': 4688},
                    'Version': 2, 'Level': 0, 'Task': 13312, 'Opcode': 0, 'Keywords': '0x8020000000000000',
                    'TimeCreated': {'#attributes': {'SystemTime': '2024-05-01T10:00:00.123456Z'}},
                    'EventRecordID': 1234, 'Correlation': null,
                    'Execution': {'#attributes': {'ProcessID': 4, 'ThreadID': 8}},
                    'Channel': 'Security', 'Computer': 'dc01', 'Security': null},
                  'EventData': {'SubjectUserSid': 'S-1-5-18', 'NewProcessName': 'C:\\\\Windows\\\\cmd.exe',
                                'CommandLine': 'cmd /c whoami', 'NewProcessId': '0x1a4'}}}
                """);
        assertThat(e.fields())
                .containsEntry("EventID", 4688L)
                .containsEntry("Channel", "Security")
                .containsEntry("Computer", "dc01")
                .containsEntry("Provider_Name", "Microsoft-Windows-Security-Auditing")
                .containsEntry("Provider_Guid", "54849625-5478-4994-A5BA-3E3B0328C30D")
                .containsEntry("EventRecordID", 1234L)
                .containsEntry("Version", 2L)
                .containsEntry("Level", 0L)
                .containsEntry("Task", 13312L)
                .containsEntry("Opcode", 0L)
                .containsEntry("Keywords", "0x8020000000000000")
                .containsEntry("ProcessID", 4L)
                .containsEntry("ThreadID", 8L)
                .containsEntry("TimeCreated_SystemTime", "2024-05-01T10:00:00.123456Z")
                .containsEntry("CommandLine", "cmd /c whoami")
                .containsEntry("NewProcessName", "C:\\Windows\\cmd.exe")
                .containsEntry("NewProcessId", "0x1a4")
                .doesNotContainKeys("Correlation", "Security", "Security_UserID", "#attributes");
        assertThat(e.logSource()).isEqualTo(new LogSource("windows", Set.of("process_creation"), Set.of("security")));
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456Z"));
        assertThat(e.source().record()).isEqualTo(1234);
        assertThat(e.source().source()).isEqualTo("test.json");
        assertThat(e.original()).isInstanceOf(Map.class);
    }

    @Test
    void classicPowerShellUnnamedDataStaysAList() throws IOException {
        Event e = normalize("""
                {'Event': {'System': {'Provider': {'#attributes': {'Name': 'PowerShell'}},
                    'EventID': {'#attributes': {'Qualifiers': 0}, '#text': 400}, 'Channel': 'Windows PowerShell',
                    'TimeCreated': {'#attributes': {'SystemTime': '2024-05-01T10:00:00Z'}}},
                  'EventData': {'Data': {'#text': ['Available', 'None', 'NewEngineState=Available']},
                                'Binary': null}}}
                """);
        assertThat(e.fields().get("Data")).isEqualTo(List.of("Available", "None", "NewEngineState=Available"));
        assertThat(e.fields()).containsEntry("EventID", 400L).containsEntry("Binary", null);
        assertThat(e.logSource())
                .isEqualTo(new LogSource("windows", Set.of("ps_classic_start"), Set.of("powershell-classic")));
        assertThat(e.source().record()).isEqualTo(9); // no EventRecordID: the position
    }

    @Test
    void namedDataGivenAsAListOfElements() throws IOException {
        Event e = normalize("""
                {'Event': {'System': {'EventID': 4104, 'Channel': 'Microsoft-Windows-PowerShell/Operational'},
                  'EventData': {'Data': [{'#attributes': {'Name': 'ScriptBlockText'}, '#text': 'Get-Process'},
                                         {'#attributes': {'Name': 'Path'}}]}}}
                """);
        assertThat(e.fields()).containsEntry("ScriptBlockText", "Get-Process").containsEntry("Path", null);
        assertThat(e.logSource()).isEqualTo(new LogSource("windows", Set.of("ps_script"), Set.of("powershell")));
    }

    @Test
    void userDataLeavesByTheirInnermostNames() throws IOException {
        Event e = normalize("""
                {'Event': {'System': {'Provider': {'#attributes': {'Name': 'Microsoft-Windows-Eventlog'}},
                    'EventID': 1102, 'Channel': 'Security', 'EventRecordID': 5},
                  'UserData': {'LogFileCleared': {
                      '#attributes': {'xmlns': 'http://manifests.microsoft.com/win/2004/08/windows/eventlog'},
                      'SubjectUserSid': 'S-1-5-21-1', 'SubjectUserName': 'admin',
                      'SubjectDomainName': 'CONTOSO', 'SubjectLogonId': '0x3e7'}}}}
                """);
        assertThat(e.fields())
                .containsEntry("SubjectUserName", "admin")
                .containsEntry("SubjectDomainName", "CONTOSO")
                .containsEntry("SubjectLogonId", "0x3e7")
                .doesNotContainKeys("LogFileCleared", "xmlns", "UserData");
        assertThat(e.logSource().services()).containsExactly("security");
    }

    @Test
    void flatSystemFieldsGiveTheSameNames() throws IOException {
        Event nested = normalize("""
                {'Event': {'System': {'Provider': {'#attributes': {'Name': 'Microsoft-Windows-Sysmon', 'Guid': 'G'}},
                    'EventID': 13, 'Channel': 'Microsoft-Windows-Sysmon/Operational', 'EventRecordID': 3,
                    'TimeCreated': {'#attributes': {'SystemTime': '2024-05-01T10:00:00Z'}},
                    'Execution': {'#attributes': {'ProcessID': 1, 'ThreadID': 2}},
                    'Security': {'#attributes': {'UserID': 'S-1-5-18'}}},
                  'EventData': {'EventType': 'SetValue', 'TargetObject': 'HKLM\\\\x', 'Details': 'DWORD (0x00000001)'}}}
                """);
        Event flat = normalize("""
                {'Event': {'System': {'Provider_Name': 'Microsoft-Windows-Sysmon', 'Provider_Guid': 'G',
                    'EventID': '13', 'Channel': 'Microsoft-Windows-Sysmon/Operational', 'EventRecordID': 3,
                    'TimeCreated_SystemTime': '2024-05-01T10:00:00Z',
                    'Execution_ProcessID': 1, 'Execution_ThreadID': 2, 'Security_UserID': 'S-1-5-18'},
                  'EventData': {'EventType': 'SetValue', 'TargetObject': 'HKLM\\\\x', 'Details': 'DWORD (0x00000001)'}}}
                """);
        assertThat(flat.fields()).isEqualTo(nested.fields());
        assertThat(nested.fields()).containsEntry("Security_UserID", "S-1-5-18").containsEntry("EventID", 13L);
        assertThat(flat.logSource()).isEqualTo(nested.logSource());
        assertThat(flat.logSource().categories()).containsExactlyInAnyOrder("registry_set", "registry_event");
        assertThat(flat.timestamp()).isEqualTo(nested.timestamp()).isNotNull();
    }

    @Test
    void sysmonRegistryCreateKeyIsRegistryAdd() throws IOException {
        Event e = normalize("""
                {'Event': {'System': {'EventID': 12, 'Channel': 'Microsoft-Windows-Sysmon/Operational'},
                  'EventData': {'EventType': 'CreateKey', 'TargetObject': 'HKLM\\\\x'}}}
                """);
        assertThat(e.logSource().categories()).containsExactlyInAnyOrder("registry_add", "registry_event");
    }

    @Test
    void winlogbeatGivesTheSameFlatNames() throws IOException {
        Event evtx = normalize("""
                {'Event': {'System': {
                    'Provider': {'#attributes': {'Name': 'Microsoft-Windows-Sysmon',
                                                 'Guid': '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'}},
                    'EventID': 1, 'Version': 5, 'Task': 1, 'Opcode': 0, 'Keywords': '0x8000000000000000',
                    'TimeCreated': {'#attributes': {'SystemTime': '2024-05-01T10:00:00.5Z'}},
                    'EventRecordID': 42,
                    'Execution': {'#attributes': {'ProcessID': 2980, 'ThreadID': 3916}},
                    'Channel': 'Microsoft-Windows-Sysmon/Operational', 'Computer': 'ws01',
                    'Security': {'#attributes': {'UserID': 'S-1-5-18'}}},
                  'EventData': {'Image': 'C:\\\\Windows\\\\System32\\\\whoami.exe', 'CommandLine': 'whoami /all',
                                'ParentImage': 'C:\\\\Windows\\\\System32\\\\cmd.exe', 'ProcessId': '4242'}}}
                """);
        // winlogbeat 8 ECS document for the same event (task and opcode are rendered names there)
        Event beat = normalize("""
                {'@timestamp': '2024-05-01T10:00:00.500Z',
                 'event': {'code': '1', 'kind': 'event', 'provider': 'Microsoft-Windows-Sysmon'},
                 'host': {'name': 'ws01'},
                 'process': {'command_line': 'whoami /all', 'executable': 'C:\\\\Windows\\\\System32\\\\whoami.exe'},
                 'winlog': {'channel': 'Microsoft-Windows-Sysmon/Operational', 'event_id': '1',
                   'provider_name': 'Microsoft-Windows-Sysmon',
                   'provider_guid': '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}', 'computer_name': 'ws01',
                   'record_id': 42, 'version': 5, 'task': 'Process Create (rule: ProcessCreate)', 'opcode': 'Info',
                   'process': {'pid': 2980, 'thread': {'id': 3916}}, 'user': {'identifier': 'S-1-5-18'},
                   'event_data': {'Image': 'C:\\\\Windows\\\\System32\\\\whoami.exe', 'CommandLine': 'whoami /all',
                                  'ParentImage': 'C:\\\\Windows\\\\System32\\\\cmd.exe', 'ProcessId': '4242'}}}
                """);
        for (String name : List.of(
                "EventID",
                "Channel",
                "Computer",
                "Provider_Name",
                "Provider_Guid",
                "EventRecordID",
                "Version",
                "ProcessID",
                "ThreadID",
                "Security_UserID",
                "Image",
                "CommandLine",
                "ParentImage",
                "ProcessId")) {
            assertThat(beat.fields().get(name)).as(name).isEqualTo(evtx.fields().get(name));
        }
        assertThat(beat.fields()).containsKeys("Task", "Opcode", "TimeCreated_SystemTime");
        assertThat(beat.logSource()).isEqualTo(evtx.logSource());
        assertThat(beat.timestamp()).isEqualTo(evtx.timestamp());
        assertThat(beat.source().record()).isEqualTo(42);
        assertThat(beat.field("process.command_line")).isEqualTo("whoami /all");
    }
}
