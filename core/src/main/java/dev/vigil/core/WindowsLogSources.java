package dev.vigil.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Classifies a Windows event into its Sigma {@link LogSource} from its channel, event ID and provider, following the
 * Sigma log source taxonomy for product {@code windows}.
 *
 * <p>The <b>service</b> comes from the channel ({@code Security} is {@code security}, {@code
 * Microsoft-Windows-Sysmon/Operational} is {@code sysmon}, ...). The <b>categories</b> come from the event ID on the
 * channel that defines them: Sysmon's event IDs ({@code 1} is {@code process_creation}, {@code 13} is both {@code
 * registry_set} and {@code registry_event}, ...), Security 4688 ({@code process_creation}), PowerShell 4103/4104
 * ({@code ps_module}/{@code ps_script}), classic PowerShell 400/600/800, Defender's detection events ({@code
 * antivirus}) and the Kernel-File ETW provider ({@code file_access}/{@code file_rename}). An event on a channel Vigil
 * does not know is {@code product: windows} with no category and no service; it still meets every rule that asks only
 * for {@code product: windows}.
 *
 * <p>Channel names compare case-insensitively. The class is stateless and thread-safe.
 */
public final class WindowsLogSources {
    /** The Sysmon operational channel. */
    public static final String SYSMON_CHANNEL = "Microsoft-Windows-Sysmon/Operational";

    private static final String PRODUCT = "windows";
    private static final String KERNEL_FILE_PROVIDER = "microsoft-windows-kernel-file";

    /** Lower-cased channel name to Sigma service names. */
    private static final Map<String, List<String>> SERVICES = new HashMap<>();

    /** Lower-cased channel name to (event ID to categories). */
    private static final Map<String, Map<Long, List<String>>> CATEGORIES = new HashMap<>();

    /** Channel name as the taxonomy spells it, by its lower-cased form. */
    private static final Map<String, String> CHANNEL_NAMES = new HashMap<>();

    private static final LogSource WINDOWS = new LogSource(PRODUCT, Set.of(), Set.of());
    private static final LogSource FILE_ACCESS = new LogSource(PRODUCT, Set.of("file_access"), Set.of());
    private static final LogSource FILE_RENAME = new LogSource(PRODUCT, Set.of("file_rename"), Set.of());

    /** Channel (exact and lower-cased spellings) to its precomputed log sources. */
    private static final Map<String, ChannelSources> BY_CHANNEL = new HashMap<>();

    static {
        service("security", "Security");
        service("system", "System");
        service("application", "Application");
        service("sysmon", SYSMON_CHANNEL);
        service("powershell", "Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational");
        service("powershell-classic", "Windows PowerShell");
        service(
                "application-experience",
                "Microsoft-Windows-Application-Experience/Program-Telemetry",
                "Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant");
        service(
                "applocker",
                "Microsoft-Windows-AppLocker/MSI and Script",
                "Microsoft-Windows-AppLocker/EXE and DLL",
                "Microsoft-Windows-AppLocker/Packaged app-Deployment",
                "Microsoft-Windows-AppLocker/Packaged app-Execution");
        service("appmodel-runtime", "Microsoft-Windows-AppModel-Runtime/Admin");
        service("appxdeployment-server", "Microsoft-Windows-AppXDeploymentServer/Operational");
        service("appxpackaging-om", "Microsoft-Windows-AppxPackaging/Operational");
        service("bitlocker", "Microsoft-Windows-BitLocker/BitLocker Management");
        service("bits-client", "Microsoft-Windows-Bits-Client/Operational");
        service("capi2", "Microsoft-Windows-CAPI2/Operational");
        service(
                "certificateservicesclient-lifecycle-system",
                "Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational");
        service("codeintegrity-operational", "Microsoft-Windows-CodeIntegrity/Operational");
        service("dhcp", "Microsoft-Windows-DHCP-Server/Operational");
        service("diagnosis-scripted", "Microsoft-Windows-Diagnosis-Scripted/Operational");
        service("dns-client", "Microsoft-Windows-DNS Client Events/Operational");
        service("dns-server", "DNS Server");
        service("dns-server-analytic", "Microsoft-Windows-DNS-Server/Analytical");
        service("dns-server-audit", "Microsoft-Windows-DNS-Server/Audit");
        service("driver-framework", "Microsoft-Windows-DriverFrameworks-UserMode/Operational");
        service("firewall-as", "Microsoft-Windows-Windows Firewall With Advanced Security/Firewall");
        service("hyper-v-worker", "Microsoft-Windows-Hyper-V-Worker", "Microsoft-Windows-Hyper-V-Worker-Admin");
        service("iis", "Microsoft-IIS-Logging/Logs");
        service("iis-configuration", "Microsoft-IIS-Configuration/Operational");
        service(
                "kernel-event-tracing",
                "Microsoft-Windows-Kernel-EventTracing",
                "Microsoft-Windows-Kernel-EventTracing/Admin");
        service(
                "kernel-shimengine",
                "Microsoft-Windows-Kernel-ShimEngine/Operational",
                "Microsoft-Windows-Kernel-ShimEngine/Diagnostic");
        service("ldap", "Microsoft-Windows-LDAP-Client/Debug");
        service("lsa-server", "Microsoft-Windows-LSA/Operational");
        service("msexchange-management", "MSExchange Management");
        service("ntfs", "Microsoft-Windows-Ntfs/Operational");
        service("ntlm", "Microsoft-Windows-NTLM/Operational");
        service("openssh", "OpenSSH/Operational");
        service("printservice-admin", "Microsoft-Windows-PrintService/Admin");
        service("printservice-operational", "Microsoft-Windows-PrintService/Operational");
        service(
                "security-mitigations",
                "Microsoft-Windows-Security-Mitigations/Kernel Mode",
                "Microsoft-Windows-Security-Mitigations/User Mode");
        service("sense", "Microsoft-Windows-SENSE/Operational");
        // The taxonomy names this service "servicebus-client"; the rules use "microsoft-servicebus-client". Give both.
        service("servicebus-client", "Microsoft-ServiceBus-Client/Operational", "Microsoft-ServiceBus-Client/Admin");
        service(
                "microsoft-servicebus-client",
                "Microsoft-ServiceBus-Client/Operational",
                "Microsoft-ServiceBus-Client/Admin");
        service("shell-core", "Microsoft-Windows-Shell-Core/Operational");
        service("smbclient-security", "Microsoft-Windows-SmbClient/Security");
        service("smbclient-connectivity", "Microsoft-Windows-SmbClient/Connectivity");
        service("smbserver-connectivity", "Microsoft-Windows-SMBServer/Connectivity");
        service("taskscheduler", "Microsoft-Windows-TaskScheduler/Operational");
        service(
                "terminalservices-localsessionmanager",
                "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational");
        service("vhdmp", "Microsoft-Windows-VHDMP/Operational");
        service("windefend", "Microsoft-Windows-Windows Defender/Operational");
        service("wmi", "Microsoft-Windows-WMI-Activity/Operational");

        category(SYSMON_CHANNEL, 1, "process_creation");
        category(SYSMON_CHANNEL, 2, "file_change");
        category(SYSMON_CHANNEL, 3, "network_connection");
        category(SYSMON_CHANNEL, 4, "sysmon_status");
        category(SYSMON_CHANNEL, 5, "process_termination");
        category(SYSMON_CHANNEL, 6, "driver_load");
        category(SYSMON_CHANNEL, 7, "image_load");
        category(SYSMON_CHANNEL, 8, "create_remote_thread");
        // Sysmon 9 is RawAccessRead; the taxonomy calls it raw_access_thread, older rules raw_access_read.
        category(SYSMON_CHANNEL, 9, "raw_access_thread", "raw_access_read");
        category(SYSMON_CHANNEL, 10, "process_access");
        category(SYSMON_CHANNEL, 11, "file_event");
        // Event 12 is refined by EventType (CreateKey / DeleteKey / DeleteValue) when it is known.
        category(SYSMON_CHANNEL, 12, "registry_event", "registry_add", "registry_delete");
        category(SYSMON_CHANNEL, 13, "registry_event", "registry_set");
        category(SYSMON_CHANNEL, 14, "registry_event", "registry_rename");
        category(SYSMON_CHANNEL, 15, "create_stream_hash");
        category(SYSMON_CHANNEL, 16, "sysmon_status");
        category(SYSMON_CHANNEL, 17, "pipe_created");
        category(SYSMON_CHANNEL, 18, "pipe_created");
        category(SYSMON_CHANNEL, 19, "wmi_event");
        category(SYSMON_CHANNEL, 20, "wmi_event");
        category(SYSMON_CHANNEL, 21, "wmi_event");
        category(SYSMON_CHANNEL, 22, "dns_query");
        category(SYSMON_CHANNEL, 23, "file_delete");
        // Sysmon 24 is ClipboardChange: the taxonomy's clipboard_capture, THOR's clipboard_change.
        category(SYSMON_CHANNEL, 24, "clipboard_capture", "clipboard_change");
        category(SYSMON_CHANNEL, 25, "process_tampering");
        category(SYSMON_CHANNEL, 26, "file_delete_detected");
        category(SYSMON_CHANNEL, 27, "file_block_executable", "file_block");
        category(SYSMON_CHANNEL, 28, "file_block_shredding", "file_block");
        category(SYSMON_CHANNEL, 29, "file_executable_detected");
        category(SYSMON_CHANNEL, 255, "sysmon_error");

        category("Security", 4688, "process_creation");

        for (String channel : List.of("Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational")) {
            category(channel, 4103, "ps_module");
            category(channel, 4104, "ps_script");
        }
        category("Windows PowerShell", 400, "ps_classic_start");
        category("Windows PowerShell", 600, "ps_classic_provider_start");
        category("Windows PowerShell", 800, "ps_classic_script");

        // Defender detections that name a threat and a path: Sigma's product-independent antivirus category.
        for (long id : new long[] {1006, 1007, 1008, 1009, 1010, 1011, 1012, 1017, 1018, 1019, 1115, 1116}) {
            category("Microsoft-Windows-Windows Defender/Operational", id, "antivirus");
        }
        precompute();
    }

    private WindowsLogSources() {}

    /** The channels that define {@code service}, as the taxonomy spells them; empty for an unknown service. */
    public static Set<String> channelsOf(String service) {
        String wanted = service.toLowerCase(Locale.ROOT);
        Set<String> channels = new TreeSet<>();
        SERVICES.forEach((lower, services) -> {
            if (services.contains(wanted)) {
                channels.add(CHANNEL_NAMES.get(lower));
            }
        });
        return channels;
    }

    /** Every service this class can assign. */
    public static Set<String> knownServices() {
        Set<String> all = new TreeSet<>();
        SERVICES.values().forEach(all::addAll);
        return all;
    }

    /** Every category this class can assign. */
    public static Set<String> knownCategories() {
        Set<String> all = new TreeSet<>();
        CATEGORIES.values().forEach(byId -> byId.values().forEach(all::addAll));
        all.addAll(FILE_ACCESS.categories());
        all.addAll(FILE_RENAME.categories());
        return all;
    }

    /** Same as {@link #classify(String, long, String, String)} without an event type. */
    public static LogSource classify(String channel, long eventId, String provider) {
        return classify(channel, eventId, provider, null);
    }

    /**
     * The Sigma log source of a Windows event.
     *
     * @param channel the event's {@code System.Channel}; may be {@code null}
     * @param eventId the event's {@code System.EventID}
     * @param provider the event's {@code System.Provider.Name}; may be {@code null}
     * @param eventType Sysmon's {@code EventData.EventType} ({@code CreateKey}, {@code DeleteValue}, ...), which narrows
     *     Sysmon event 12 to {@code registry_add} or {@code registry_delete}; may be {@code null}
     * @return product {@code windows} with the categories and services the taxonomy gives the event; never {@code null}
     */
    public static LogSource classify(String channel, long eventId, String provider, String eventType) {
        ChannelSources sources = null;
        if (channel != null) {
            sources = BY_CHANNEL.get(channel);
            if (sources == null) {
                sources = BY_CHANNEL.get(channel.toLowerCase(Locale.ROOT));
            }
        }
        if (sources != null) {
            if (eventId == 12 && eventType != null && sources.registryAdd != null) {
                if (eventType.equalsIgnoreCase("CreateKey")) {
                    return sources.registryAdd;
                }
                if (eventType.equalsIgnoreCase("DeleteKey") || eventType.equalsIgnoreCase("DeleteValue")) {
                    return sources.registryDelete;
                }
            }
            LogSource byId = sources.byEventId.get(eventId);
            if (byId != null) {
                return byId;
            }
        }
        if (provider != null && provider.equalsIgnoreCase(KERNEL_FILE_PROVIDER)) {
            // Kernel-File ETW: 19 Rename and 27 RenamePath rename a file; its other events access one.
            return eventId == 19 || eventId == 27 ? FILE_RENAME : FILE_ACCESS;
        }
        return sources == null ? WINDOWS : sources.serviceOnly;
    }

    private static void service(String service, String... channels) {
        for (String channel : channels) {
            String key = channel.toLowerCase(Locale.ROOT);
            CHANNEL_NAMES.putIfAbsent(key, channel);
            SERVICES.computeIfAbsent(key, k -> new ArrayList<>()).add(service);
        }
    }

    private static void category(String channel, long eventId, String... categories) {
        String key = channel.toLowerCase(Locale.ROOT);
        CHANNEL_NAMES.putIfAbsent(key, channel);
        CATEGORIES.computeIfAbsent(key, k -> new HashMap<>()).put(eventId, List.of(categories));
    }

    private static void precompute() {
        CHANNEL_NAMES.forEach((lower, name) -> {
            Set<String> services = Set.copyOf(SERVICES.getOrDefault(lower, List.of()));
            Map<Long, LogSource> byId = new HashMap<>();
            CATEGORIES
                    .getOrDefault(lower, Map.of())
                    .forEach(
                            (id, categories) -> byId.put(id, new LogSource(PRODUCT, Set.copyOf(categories), services)));
            boolean sysmon = lower.equals(SYSMON_CHANNEL.toLowerCase(Locale.ROOT));
            ChannelSources sources = new ChannelSources(
                    new LogSource(PRODUCT, Set.of(), services),
                    Map.copyOf(byId),
                    sysmon ? new LogSource(PRODUCT, Set.of("registry_event", "registry_add"), services) : null,
                    sysmon ? new LogSource(PRODUCT, Set.of("registry_event", "registry_delete"), services) : null);
            BY_CHANNEL.put(lower, sources);
            BY_CHANNEL.put(name, sources);
        });
    }

    private record ChannelSources(
            LogSource serviceOnly, Map<Long, LogSource> byEventId, LogSource registryAdd, LogSource registryDelete) {}
}
