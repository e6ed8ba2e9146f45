package dev.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.testing.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WindowsLogSourcesTest {
    private static final String SYSMON = "Microsoft-Windows-Sysmon/Operational";

    @Test
    void sysmonProcessCreation() {
        assertThat(WindowsLogSources.classify(SYSMON, 1, "Microsoft-Windows-Sysmon"))
                .isEqualTo(new LogSource("windows", Set.of("process_creation"), Set.of("sysmon")));
    }

    @Test
    void securityProcessCreation() {
        assertThat(WindowsLogSources.classify("Security", 4688, "Microsoft-Windows-Security-Auditing"))
                .isEqualTo(new LogSource("windows", Set.of("process_creation"), Set.of("security")));
        assertThat(WindowsLogSources.classify("Security", 4624, "Microsoft-Windows-Security-Auditing"))
                .isEqualTo(new LogSource("windows", Set.of(), Set.of("security")));
    }

    @Test
    void sysmonRegistryEventsHaveTwoCategories() {
        assertThat(WindowsLogSources.classify(SYSMON, 13, null).categories())
                .containsExactlyInAnyOrder("registry_set", "registry_event");
        assertThat(WindowsLogSources.classify(SYSMON, 14, null).categories())
                .containsExactlyInAnyOrder("registry_rename", "registry_event");
        assertThat(WindowsLogSources.classify(SYSMON, 12, null).categories())
                .containsExactlyInAnyOrder("registry_add", "registry_delete", "registry_event");
        assertThat(WindowsLogSources.classify(SYSMON, 12, null, "CreateKey").categories())
                .containsExactlyInAnyOrder("registry_add", "registry_event");
        assertThat(WindowsLogSources.classify(SYSMON, 12, null, "DeleteValue").categories())
                .containsExactlyInAnyOrder("registry_delete", "registry_event");
    }

    @Test
    void powershell() {
        assertThat(WindowsLogSources.classify("Microsoft-Windows-PowerShell/Operational", 4104, null))
                .isEqualTo(new LogSource("windows", Set.of("ps_script"), Set.of("powershell")));
        assertThat(WindowsLogSources.classify("PowerShellCore/Operational", 4103, null))
                .isEqualTo(new LogSource("windows", Set.of("ps_module"), Set.of("powershell")));
        assertThat(WindowsLogSources.classify("Windows PowerShell", 400, null))
                .isEqualTo(new LogSource("windows", Set.of("ps_classic_start"), Set.of("powershell-classic")));
        assertThat(WindowsLogSources.classify("Windows PowerShell", 600, null).categories())
                .containsExactly("ps_classic_provider_start");
    }

    @Test
    void channelsCompareCaseInsensitively() {
        assertThat(WindowsLogSources.classify("microsoft-windows-sysmon/operational", 3, null))
                .isEqualTo(new LogSource("windows", Set.of("network_connection"), Set.of("sysmon")));
        assertThat(WindowsLogSources.classify("SECURITY", 1102, null).services())
                .containsExactly("security");
    }

    @Test
    void unknownSysmonEventIsStillSysmon() {
        assertThat(WindowsLogSources.classify(SYSMON, 9999, null))
                .isEqualTo(new LogSource("windows", Set.of(), Set.of("sysmon")));
    }

    @Test
    void unknownChannelIsPlainWindows() {
        assertThat(WindowsLogSources.classify("Contoso-App/Operational", 1, "Contoso"))
                .isEqualTo(new LogSource("windows", Set.of(), Set.of()));
        assertThat(WindowsLogSources.classify(null, 1, null)).isEqualTo(new LogSource("windows", Set.of(), Set.of()));
    }

    @Test
    void kernelFileProviderGivesFileAccessAndRename() {
        String channel = "Microsoft-Windows-Kernel-File/Analytic";
        assertThat(WindowsLogSources.classify(channel, 12, "Microsoft-Windows-Kernel-File")
                        .categories())
                .containsExactly("file_access");
        assertThat(WindowsLogSources.classify(channel, 19, "Microsoft-Windows-Kernel-File")
                        .categories())
                .containsExactly("file_rename");
    }

    @Test
    void defenderDetectionsAreAntivirus() {
        LogSource ls = WindowsLogSources.classify("Microsoft-Windows-Windows Defender/Operational", 1116, null);
        assertThat(ls.categories()).containsExactly("antivirus");
        assertThat(ls.services()).containsExactly("windefend");
    }

    @Test
    void channelsOfService() {
        assertThat(WindowsLogSources.channelsOf("powershell"))
                .containsExactlyInAnyOrder("Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational");
        assertThat(WindowsLogSources.channelsOf("sysmon")).containsExactly(SYSMON);
        assertThat(WindowsLogSources.channelsOf("no-such-service")).isEmpty();
    }

    /** Every windows service and category the Sigma field list knows must be assignable to some event. */
    @Test
    void everyWindowsLogSourceOfTheSigmaFieldListIsMapped() throws IOException {
        Path file = Corpus.require("sigma/tests/logsource.json");
        Object root = new MiniJson(Files.readString(file, StandardCharsets.UTF_8)).value();
        Map<?, ?> windows = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) root).get("legit")).get("windows");
        Set<?> categories = ((Map<?, ?>) windows.get("category")).keySet();
        Set<?> services = ((Map<?, ?>) windows.get("service")).keySet();
        assertThat(categories).hasSizeGreaterThan(20);
        assertThat(services).hasSizeGreaterThan(20);

        assertThat(WindowsLogSources.knownCategories()).containsAll(strings(categories));
        assertThat(WindowsLogSources.knownServices()).containsAll(strings(services));
        for (Object service : services) {
            Set<String> channels = WindowsLogSources.channelsOf((String) service);
            assertThat(channels).as("channels of %s", service).isNotEmpty();
            for (String channel : channels) {
                assertThat(WindowsLogSources.classify(channel, 0, null).services())
                        .as("service of channel %s", channel)
                        .contains((String) service);
            }
        }
    }

    private static List<String> strings(Set<?> keys) {
        List<String> out = new ArrayList<>();
        keys.forEach(k -> out.add((String) k));
        return out;
    }

    /** Just enough JSON for the test: objects, arrays, strings, and other literals kept as text. */
    private static final class MiniJson {
        private final String s;
        private int i;

        MiniJson(String s) {
            this.s = s;
        }

        Object value() {
            skip();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> map = new LinkedHashMap<>();
                i++;
                skip();
                if (s.charAt(i) == '}') {
                    i++;
                    return map;
                }
                while (true) {
                    skip();
                    String key = string();
                    skip();
                    expect(':');
                    map.put(key, value());
                    skip();
                    if (s.charAt(i++) == '}') {
                        return map;
                    }
                }
            }
            if (c == '[') {
                List<Object> list = new ArrayList<>();
                i++;
                skip();
                if (s.charAt(i) == ']') {
                    i++;
                    return list;
                }
                while (true) {
                    list.add(value());
                    skip();
                    if (s.charAt(i++) == ']') {
                        return list;
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            int start = i;
            while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            return s.substring(start, i);
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    char e = s.charAt(i++);
                    if (e == 'u') {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    } else {
                        sb.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
                    }
                } else {
                    sb.append(c);
                }
            }
            i++;
            return sb.toString();
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalStateException("expected '" + c + "' at " + i);
            }
            i++;
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
