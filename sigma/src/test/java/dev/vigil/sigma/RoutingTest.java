package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.WindowsLogSources;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rule sees only the events of its log source; events Vigil cannot place meet every rule. */
class RoutingTest {
    private static final String PROCESS_RULE = """
            title: Any process named x
            logsource:
              product: windows
              category: process_creation
            detection:
              selection:
                Image|endswith: '\\x.exe'
              condition: selection
            """;
    private static final String SECURITY_RULE = """
            title: Any x on the security channel
            logsource:
              product: windows
              service: security
            detection:
              keywords:
                - 'x.exe'
              condition: keywords
            """;
    private static final String LINUX_RULE = """
            title: Linux x
            logsource:
              product: linux
              category: process_creation
            detection:
              selection:
                Image|endswith: '/x.exe'
              condition: selection
            """;

    private static final SigmaRuleSet RULES = SigmaRuleSet.builder()
            .addYaml("process.yml", PROCESS_RULE)
            .addYaml("security.yml", SECURITY_RULE)
            .addYaml("linux.yml", LINUX_RULE)
            .build();

    private static List<String> fired(LogSource source, String image) {
        Event e = Event.builder().logSource(source).field("Image", image).build();
        return new SigmaDetector(RULES)
                .process(e).stream().map(d -> d.rule().file()).toList();
    }

    @Test
    void sysmonProcessCreationMeetsProcessRulesOnly() {
        LogSource sysmon1 = WindowsLogSources.classify(WindowsLogSources.SYSMON_CHANNEL, 1, "Microsoft-Windows-Sysmon");
        assertThat(fired(sysmon1, "C:\\x.exe")).containsExactly("process.yml");
    }

    @Test
    void securityProcessCreationMeetsBothWindowsRules() {
        LogSource security4688 = WindowsLogSources.classify("Security", 4688, "Microsoft-Windows-Security-Auditing");
        assertThat(fired(security4688, "C:\\x.exe")).containsExactly("process.yml", "security.yml");
    }

    @Test
    void aSecurityLogonEventMeetsNoProcessRule() {
        LogSource security4625 = WindowsLogSources.classify("Security", 4625, "Microsoft-Windows-Security-Auditing");
        assertThat(fired(security4625, "C:\\x.exe")).containsExactly("security.yml");
    }

    @Test
    void linuxEventsMeetLinuxRules() {
        assertThat(fired(LogSource.of("linux", "process_creation", null), "/tmp/x.exe"))
                .containsExactly("linux.yml");
    }

    @Test
    void eventsOfUnknownOriginMeetEveryRule() {
        assertThat(fired(LogSource.UNKNOWN, "C:\\x.exe")).containsExactly("process.yml", "security.yml");
        assertThat(fired(LogSource.UNKNOWN, "/x.exe")).containsExactly("security.yml", "linux.yml");
    }
}
