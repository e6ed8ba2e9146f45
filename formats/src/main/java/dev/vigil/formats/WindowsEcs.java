package dev.vigil.formats;

import dev.vigil.core.Event;
import dev.vigil.core.FieldDeriver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Derives Elastic Common Schema fields of a Windows event from its flat fields, when first asked for (a {@link
 * FieldDeriver}), as winlogbeat and Elastic's ingest pipelines name them, beside the Sigma names the event already
 * has: the time (as ECS names it), {@code event.*}, {@code host.name}, {@code winlog.*} for every event, and per
 * event ID the {@code process.*}, {@code user.*}, {@code source.*}/{@code destination.*}, {@code network.*}, {@code
 * file.*}, {@code registry.*}, {@code dns.*} fields of Sysmon (1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 17, 18, 22,
 * 23, 25, 26), Security (4624, 4625, 4634, 4648, 4672, 4688, 4689, 4697, 4698,
 * 4720, 4726, 4732, 4768, 4769, 4776, 1102), System 7045 and PowerShell 4104.
 *
 * <p>ECS keys contain dots (or, for the time, an at sign), so they never collide with a Sigma name; a key already present is
 * never overwritten, and for winlogbeat events neither is a key the original record already holds (nested or flat), so
 * the beat's own ECS values stay what {@link dev.vigil.core.Event#field(String)} returns. Values are derived from the
 * flat Sigma-named fields only, so an event read from EVTX and from its JSON export get the same ECS fields.
 *
 * <p>A switch on the event ID and plain string operations: no regular expressions. Stateless and thread-safe.
 */
final class WindowsEcs {
    private static final List<String> PROCESS = List.of("process");
    private static final List<String> FILE = List.of("file");
    private static final List<String> NETWORK = List.of("network");
    private static final List<String> REGISTRY = List.of("registry");
    private static final List<String> DRIVER = List.of("driver");
    private static final List<String> AUTHENTICATION = List.of("authentication");
    private static final List<String> IAM = List.of("iam");
    private static final List<String> IAM_CONFIGURATION = List.of("iam", "configuration");
    private static final List<String> START = List.of("start");
    private static final List<String> END = List.of("end");
    private static final List<String> CHANGE = List.of("change");
    private static final List<String> CREATION = List.of("creation");
    private static final List<String> DELETION = List.of("deletion");
    private static final List<String> ACCESS = List.of("access");
    private static final List<String> INFO = List.of("info");
    private static final List<String> ADMIN = List.of("admin");
    private static final List<String> ADMIN_CHANGE = List.of("admin", "change");
    private static final List<String> ADMIN_CREATION = List.of("admin", "creation");
    private static final List<String> CONNECTION_START = List.of("connection", "start");
    private static final List<String> PROTOCOL_INFO = List.of("protocol", "info");
    private static final List<String> USER_CREATION = List.of("user", "creation");
    private static final List<String> USER_DELETION = List.of("user", "deletion");
    private static final List<String> GROUP_CHANGE = List.of("group", "change");

    /** Derives the ECS fields of an evtx_dump-shaped event (from an EVTX file or its JSON export). */
    static final FieldDeriver EVTX = new Deriver(false);

    /** Derives the ECS fields of a winlogbeat event, leaving alone those its record already has. */
    static final FieldDeriver WINLOGBEAT = new Deriver(true);

    /** Names ECS derives all contain a dot, or start with an at sign (the time). */
    static boolean isEcsName(String name) {
        return name.indexOf('.') >= 0 || name.startsWith("@");
    }

    private record Deriver(boolean winlogbeat) implements FieldDeriver {
        @Override
        public boolean mayDerive(String name) {
            return isEcsName(name);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void derive(Event event, Map<String, Object> into) {
            Map<String, Object> original =
                    winlogbeat && event.original() instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
            new WindowsEcs(event.ownFields(), into, original).map(event.timestamp());
        }
    }

    /** The event's own (Sigma-named) fields, read only. */
    private final Map<String, Object> fields;
    /** Where the ECS fields go. */
    private final Map<String, Object> into;
    /** The winlogbeat record whose own keys must not be shadowed; {@code null} for evtx_dump events. */
    private final Map<String, Object> original;

    private WindowsEcs(Map<String, Object> fields, Map<String, Object> into, Map<String, Object> original) {
        this.fields = fields;
        this.into = into;
        this.original = original;
    }

    private void map(Instant time) {
        if (time != null) {
            put("@timestamp", time.toString());
        }
        put("event.kind", "event");
        Object idValue = fields.get("EventID");
        String code = idValue == null ? null : idValue.toString();
        String provider = str("Provider_Name");
        String channel = str("Channel");
        String computer = str("Computer");
        put("event.code", code);
        put("event.provider", provider);
        put("host.name", computer);
        put("winlog.channel", channel);
        put("winlog.event_id", code);
        put("winlog.provider_name", provider);
        put("winlog.provider_guid", str("Provider_Guid"));
        put("winlog.computer_name", computer);
        put("winlog.record_id", fields.get("EventRecordID"));
        put("winlog.user.identifier", str("Security_UserID"));
        put("winlog.process.pid", fields.get("ProcessID"));
        put("winlog.process.thread.id", fields.get("ThreadID"));
        if (!(idValue instanceof Long l)) {
            return;
        }
        int id = l.intValue();
        if ("Microsoft-Windows-Sysmon".equals(provider) || "Microsoft-Windows-Sysmon/Operational".equals(channel)) {
            put("event.module", "sysmon");
            sysmon(id);
        } else if ("Microsoft-Windows-Security-Auditing".equals(provider) || "Security".equals(channel)) {
            put("event.module", "security");
            security(id);
        } else if (id == 7045 && ("Service Control Manager".equals(provider) || "System".equals(channel))) {
            put("event.module", "system");
            category(IAM_CONFIGURATION, ADMIN_CHANGE, "service-installed");
            service();
            user("AccountName", null, null);
        } else if (id == 4104
                && ("Microsoft-Windows-PowerShell".equals(provider)
                        || "Microsoft-Windows-PowerShell/Operational".equals(channel))) {
            put("event.module", "powershell");
            category(PROCESS, INFO, "Execute a Remote Command");
            put("powershell.file.script_block_id", str("ScriptBlockId"));
            put("powershell.file.script_block_text", str("ScriptBlockText"));
            put("powershell.sequence", number("MessageNumber"));
            put("powershell.total", number("MessageTotal"));
            file(str("Path"));
        }
    }

    // ---- Sysmon ----

    private void sysmon(int id) {
        switch (id) {
            case 1 -> {
                category(PROCESS, START, "Process Create");
                process();
                put("process.command_line", str("CommandLine"));
                put("process.working_directory", str("CurrentDirectory"));
                put("process.pe.original_file_name", str("OriginalFileName"));
                put("process.pe.description", str("Description"));
                put("process.pe.product", str("Product"));
                put("process.pe.company", str("Company"));
                put("process.pe.file_version", str("FileVersion"));
                put("process.parent.entity_id", str("ParentProcessGuid"));
                put("process.parent.pid", number("ParentProcessId"));
                executable("process.parent", str("ParentImage"));
                put("process.parent.command_line", str("ParentCommandLine"));
                hashes("process.hash.");
                user("User", null, null);
            }
            case 2 -> {
                category(FILE, CHANGE, "File creation time changed");
                process();
                file(str("TargetFilename"));
                user("User", null, null);
            }
            case 3 -> {
                category(NETWORK, CONNECTION_START, "Network connection detected");
                process();
                user("User", null, null);
                put("source.ip", ip(str("SourceIp")));
                put("source.port", number("SourcePort"));
                put("source.domain", value(str("SourceHostname")));
                put("destination.ip", ip(str("DestinationIp")));
                put("destination.port", number("DestinationPort"));
                put("destination.domain", value(str("DestinationHostname")));
                String protocol = value(str("Protocol"));
                put("network.transport", protocol == null ? null : protocol.toLowerCase(Locale.ROOT));
                String ipv6 = str("SourceIsIpv6");
                put("network.type", ipv6 == null ? null : "true".equalsIgnoreCase(ipv6) ? "ipv6" : "ipv4");
                String initiated = str("Initiated");
                put(
                        "network.direction",
                        initiated == null ? null : "true".equalsIgnoreCase(initiated) ? "egress" : "ingress");
                String portName = value(str("DestinationPortName"));
                put("network.protocol", portName == null ? null : portName.toLowerCase(Locale.ROOT));
            }
            case 5 -> {
                category(PROCESS, END, "Process terminated");
                process();
                user("User", null, null);
            }
            case 6 -> {
                category(DRIVER, START, "Driver loaded");
                file(str("ImageLoaded"));
                hashes("file.hash.");
                signature("file.code_signature.");
            }
            case 7 -> {
                category(PROCESS, CHANGE, "Image loaded");
                process();
                user("User", null, null);
                String dll = str("ImageLoaded");
                put("dll.path", dll);
                put("dll.name", basename(dll));
                put("dll.pe.original_file_name", str("OriginalFileName"));
                put("dll.pe.description", str("Description"));
                put("dll.pe.product", str("Product"));
                put("dll.pe.company", str("Company"));
                put("dll.pe.file_version", str("FileVersion"));
                hashes("dll.hash.");
                signature("dll.code_signature.");
            }
            case 8 -> {
                category(PROCESS, CHANGE, "CreateRemoteThread detected");
                sourceProcess();
                user("SourceUser", null, null);
            }
            case 10 -> {
                category(PROCESS, ACCESS, "Process accessed");
                sourceProcess();
                put("process.thread.id", number("SourceThreadId"));
                user("SourceUser", null, null);
            }
            case 11 -> {
                category(FILE, CREATION, "File created");
                process();
                file(str("TargetFilename"));
                user("User", null, null);
            }
            case 12, 13, 14 -> {
                String eventType = str("EventType");
                List<String> type = CHANGE;
                if (eventType != null && eventType.startsWith("Create")) {
                    type = CREATION;
                } else if (eventType != null && eventType.startsWith("Delete")) {
                    type = DELETION;
                }
                category(
                        REGISTRY,
                        type,
                        id == 12
                                ? "Registry object added or deleted"
                                : id == 13 ? "Registry value set" : "Registry object renamed");
                process();
                user("User", null, null);
                boolean value = id == 13 || (eventType != null && eventType.endsWith("Value"));
                registry(str("TargetObject"), value);
                if (id == 13) {
                    registryData(str("Details"));
                }
            }
            case 15 -> {
                category(FILE, CREATION, "File stream created");
                process();
                file(str("TargetFilename"));
                hashes("file.hash.");
                user("User", null, null);
            }
            case 17, 18 -> {
                category(FILE, id == 17 ? CREATION : ACCESS, id == 17 ? "Pipe Created" : "Pipe Connected");
                process();
                put("file.name", str("PipeName"));
                user("User", null, null);
            }
            case 22 -> {
                category(NETWORK, PROTOCOL_INFO, "Dns query");
                process();
                user("User", null, null);
                put("network.protocol", "dns");
                put("dns.question.name", value(str("QueryName")));
                dnsAnswers(str("QueryResults"));
            }
            case 23, 26 -> {
                category(FILE, DELETION, id == 23 ? "File Delete archived" : "File Delete logged");
                process();
                file(str("TargetFilename"));
                hashes("file.hash.");
                user("User", null, null);
            }
            case 25 -> {
                category(PROCESS, CHANGE, "Process Tampering");
                process();
                user("User", null, null);
            }
            default -> {
                // other Sysmon events (4, 9, 16, 19-21, 24, 27-29, 255): the generic fields only
            }
        }
    }

    /** The acting process of most Sysmon events: {@code ProcessGuid}, {@code ProcessId}, {@code Image}. */
    private void process() {
        put("process.entity_id", str("ProcessGuid"));
        put("process.pid", number("ProcessId"));
        executable("process", str("Image"));
    }

    /** The acting process of Sysmon 8 and 10: {@code SourceProcessGuid}, {@code SourceProcessId}, {@code SourceImage}. */
    private void sourceProcess() {
        put("process.entity_id", str("SourceProcessGuid"));
        put("process.pid", number("SourceProcessId"));
        executable("process", str("SourceImage"));
    }

    /** {@code Hashes} ({@code MD5=..,SHA256=..,IMPHASH=..}) as {@code prefix + md5} etc., lower-cased as Elastic does. */
    private void hashes(String prefix) {
        String hashes = str("Hashes");
        if (hashes == null || hashes.isEmpty()) {
            return;
        }
        int start = 0;
        int n = hashes.length();
        while (start < n) {
            int comma = hashes.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            int eq = hashes.indexOf('=', start);
            if (eq > start && eq < end - 1) {
                String name = hashes.substring(start, eq).strip().toLowerCase(Locale.ROOT);
                String value = hashes.substring(eq + 1, end).strip().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !value.isEmpty()) {
                    put(prefix + name, value);
                }
            }
            start = end + 1;
        }
    }

    private void signature(String prefix) {
        String signed = str("Signed");
        if (signed != null) {
            put(prefix + "signed", "true".equalsIgnoreCase(signed));
        }
        String status = value(str("SignatureStatus"));
        if (status != null) {
            put(prefix + "valid", "Valid".equalsIgnoreCase(status));
            put(prefix + "status", status);
        }
        put(prefix + "subject_name", value(str("Signature")));
    }

    /** {@code registry.path}, {@code .hive}, {@code .key} and, for a value, {@code .value}, from a Sysmon path. */
    private void registry(String path, boolean isValue) {
        if (path == null || path.isEmpty()) {
            return;
        }
        put("registry.path", path);
        int slash = path.indexOf('\\');
        String root = slash < 0 ? path : path.substring(0, slash);
        String hive = hive(root);
        String rest = path;
        if (hive != null) {
            put("registry.hive", hive);
            rest = slash < 0 ? "" : path.substring(slash + 1);
        }
        if (isValue) {
            int last = rest.lastIndexOf('\\');
            put("registry.value", last < 0 ? rest : rest.substring(last + 1));
            rest = last < 0 ? "" : rest.substring(0, last);
        }
        if (!rest.isEmpty()) {
            put("registry.key", rest);
        }
    }

    private static String hive(String root) {
        return switch (root.toUpperCase(Locale.ROOT)) {
            case "HKLM", "HKEY_LOCAL_MACHINE" -> "HKLM";
            case "HKU", "HKEY_USERS" -> "HKU";
            case "HKCU", "HKEY_CURRENT_USER" -> "HKCU";
            case "HKCR", "HKEY_CLASSES_ROOT" -> "HKCR";
            case "HKCC", "HKEY_CURRENT_CONFIG" -> "HKCC";
            default -> null;
        };
    }

    /**
     * Sysmon 13's {@code Details} as {@code registry.data.strings} and {@code .type}: {@code DWORD (0x00000001)} gives
     * {@code ["1"]} and {@code SZ_DWORD} (a {@code QWORD (0xhigh-0xlow)} its 64-bit value), as Elastic's Sysmon pipeline
     * does; other text is a string value.
     */
    private void registryData(String details) {
        if (details == null) {
            return;
        }
        String type = "SZ_SZ";
        String data = details;
        if (details.startsWith("DWORD (") || details.startsWith("QWORD (")) {
            type = details.charAt(0) == 'D' ? "SZ_DWORD" : "SZ_QWORD";
            int close = details.indexOf(')', 7);
            String hex =
                    details.substring(7, close < 0 ? details.length() : close).replace("-0x", "");
            Long n = Values.parseLong(hex.startsWith("0x") ? hex : "0x" + hex);
            if (n != null) {
                data = Long.toUnsignedString(n);
            }
        } else if (details.startsWith("Binary Data")) {
            type = "SZ_BINARY";
        }
        put("registry.data.strings", List.of(data));
        put("registry.data.type", type);
    }

    /**
     * Sysmon 22's {@code QueryResults} ({@code type:  5 host.example;::ffff:10.0.0.1;}) as {@code dns.answers} (the
     * answer data, in order) and {@code dns.resolved_ip} (the addresses among them).
     */
    private void dnsAnswers(String results) {
        if (results == null || results.isEmpty() || results.equals("-")) {
            return;
        }
        List<String> answers = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        int start = 0;
        int n = results.length();
        while (start < n) {
            int semi = results.indexOf(';', start);
            int end = semi < 0 ? n : semi;
            String item = results.substring(start, end).strip();
            start = end + 1;
            if (item.isEmpty()) {
                continue;
            }
            if (item.startsWith("type:")) {
                // "type:  5 name": a CNAME or other record; its data is the last word
                int space = item.lastIndexOf(' ');
                answers.add(space < 0 ? item : item.substring(space + 1));
            } else {
                String ip = ip(item);
                answers.add(ip);
                ips.add(ip);
            }
        }
        if (!answers.isEmpty()) {
            put("dns.answers", answers);
        }
        if (!ips.isEmpty()) {
            put("dns.resolved_ip", ips);
        }
    }

    // ---- Security ----

    private void security(int id) {
        switch (id) {
            case 4624, 4625 -> {
                boolean success = id == 4624;
                category(AUTHENTICATION, START, success ? "logged-in" : "logon-failed");
                put("event.outcome", success ? "success" : "failure");
                user("TargetUserName", "TargetDomainName", "TargetUserSid");
                logon();
                sourceAddress();
                put("source.domain", value(str("WorkstationName")));
                securityProcess("ProcessName", "ProcessId");
                if (!success) {
                    put("winlog.logon.failure.status", value(str("Status")));
                    put("winlog.logon.failure.sub_status", value(str("SubStatus")));
                    put("winlog.logon.failure.reason", value(str("FailureReason")));
                }
            }
            case 4634 -> {
                category(AUTHENTICATION, END, "logged-out");
                put("event.outcome", "success");
                user("TargetUserName", "TargetDomainName", "TargetUserSid");
                logon();
            }
            case 4648 -> {
                category(AUTHENTICATION, START, "logged-in-explicit");
                put("event.outcome", "success");
                user("SubjectUserName", "SubjectDomainName", "SubjectUserSid");
                put("user.target.name", value(str("TargetUserName")));
                put("user.target.domain", value(str("TargetDomainName")));
                put("destination.domain", value(str("TargetServerName")));
                sourceAddress();
                securityProcess("ProcessName", "ProcessId");
            }
            case 4672 -> {
                category(IAM, ADMIN, "logged-in-special");
                put("event.outcome", "success");
                user("SubjectUserName", "SubjectDomainName", "SubjectUserSid");
                put("winlog.logon.id", value(str("SubjectLogonId")));
            }
            case 4688 -> {
                category(PROCESS, START, "created-process");
                securityProcess("NewProcessName", "NewProcessId");
                put("process.command_line", value(str("CommandLine")));
                String parent = value(str("ParentProcessName"));
                if (parent != null) {
                    executable("process.parent", parent);
                }
                Long parentPid = hexNumber("ProcessId");
                put("process.parent.pid", parentPid);
                user("SubjectUserName", "SubjectDomainName", "SubjectUserSid");
                put("user.target.name", value(str("TargetUserName")));
                put("user.target.domain", value(str("TargetDomainName")));
            }
            case 4689 -> {
                category(PROCESS, END, "exited-process");
                securityProcess("ProcessName", "ProcessId");
                user("SubjectUserName", "SubjectDomainName", "SubjectUserSid");
            }
            case 4697 -> {
                category(IAM_CONFIGURATION, ADMIN_CHANGE, "service-installed");
                service();
                user("SubjectUserName", "SubjectDomainName", "SubjectUserSid");
            }
            case 4698 -> {
                category(IAM_CONFIGURATION, ADMIN_CREATION, "scheduled-task-created");
                user("SubjectUserName", "SubjectDomainName", "SubjectUserSid");
                put("winlog.task_name", value(str("TaskName")));
            }
            case 4720, 4726 -> {
                category(
                        IAM,
                        id == 4720 ? USER_CREATION : USER_DELETION,
                        id == 4720 ? "added-user-account" : "deleted-user-account");
                user("SubjectUserName", "SubjectDomainName", "SubjectUserSid");
                put("user.target.name", value(str("TargetUserName")));
                put("user.target.domain", value(str("TargetDomainName")));
                put("user.target.id", value(str("TargetSid")));
            }
            case 4732 -> {
                category(IAM, GROUP_CHANGE, "added-member-to-group");
                user("SubjectUserName", "SubjectDomainName", "SubjectUserSid");
                put("group.name", value(str("TargetUserName")));
                put("group.domain", value(str("TargetDomainName")));
                put("group.id", value(str("TargetSid")));
                put("user.target.id", value(str("MemberSid")));
                put("user.target.name", value(str("MemberName")));
            }
            case 4768, 4769 -> {
                category(
                        AUTHENTICATION,
                        START,
                        id == 4768 ? "kerberos-authentication-ticket-requested" : "kerberos-service-ticket-requested");
                outcomeFromStatus("Status");
                if (id == 4768) {
                    user("TargetUserName", "TargetDomainName", "TargetSid");
                } else {
                    user("TargetUserName", "TargetDomainName", null);
                    put("service.name", value(str("ServiceName")));
                }
                sourceAddress();
            }
            case 4776 -> {
                category(AUTHENTICATION, START, "credential-validated");
                outcomeFromStatus("Status");
                user("TargetUserName", null, null);
                put("source.domain", value(str("Workstation")));
            }
            case 1102 -> {
                category(IAM, ADMIN_CHANGE, "audit-log-cleared");
                user("SubjectUserName", "SubjectDomainName", "SubjectUserSid");
            }
            default -> {
                // other Security events: the generic fields only
            }
        }
    }

    private static final String[] LOGON_TYPES = {
        null,
        null,
        "Interactive",
        "Network",
        "Batch",
        "Service",
        null,
        "Unlock",
        "NetworkCleartext",
        "NewCredentials",
        "RemoteInteractive",
        "CachedInteractive",
        "CachedRemoteInteractive",
        "CachedUnlock"
    };

    private void logon() {
        Long type = number("LogonType");
        if (type != null) {
            String name = type >= 0 && type < LOGON_TYPES.length ? LOGON_TYPES[type.intValue()] : null;
            put("winlog.logon.type", name == null ? type.toString() : name);
        }
        put("winlog.logon.id", value(str("TargetLogonId")));
    }

    private void sourceAddress() {
        String ip = value(str("IpAddress"));
        put("source.ip", ip == null ? null : ip(ip));
        Long port = number("IpPort");
        put("source.port", port == null || port == 0 ? null : port);
    }

    private void securityProcess(String executableField, String pidField) {
        executable("process", value(str(executableField)));
        put("process.pid", hexNumber(pidField));
    }

    private void service() {
        put("service.name", value(str("ServiceName")));
        put("service.type", value(str("ServiceType")));
        String file = value(str("ServiceFileName"));
        put("service.executable", file == null ? value(str("ImagePath")) : file);
    }

    private void outcomeFromStatus(String field) {
        String status = value(str(field));
        if (status != null) {
            Long n = Values.parseLong(status);
            put("event.outcome", n != null && n == 0 ? "success" : "failure");
        }
    }

    // ---- shared helpers ----

    private void category(List<String> category, List<String> type, String action) {
        put("event.category", category);
        put("event.type", type);
        put("event.action", action);
    }

    /** {@code prefix.executable} and {@code prefix.name} (the basename) from a path. */
    private void executable(String prefix, String path) {
        if (path == null || path.isEmpty() || path.equals("-")) {
            return;
        }
        put(prefix + ".executable", path);
        put(prefix + ".name", basename(path));
    }

    /** {@code file.path}, {@code file.name}, {@code file.directory} and {@code file.extension}. */
    private void file(String path) {
        if (path == null || path.isEmpty() || path.equals("-")) {
            return;
        }
        put("file.path", path);
        int sep = lastSeparator(path);
        String name = path.substring(sep + 1);
        put("file.name", name);
        if (sep > 0) {
            put("file.directory", path.substring(0, sep));
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0 && dot < name.length() - 1) {
            put("file.extension", name.substring(dot + 1).toLowerCase(Locale.ROOT));
        }
    }

    /**
     * {@code user.name}, {@code user.domain}, {@code user.id}: from a {@code DOMAIN\\user} field when {@code
     * domainField} is {@code null}, else from the two fields.
     */
    private void user(String nameField, String domainField, String sidField) {
        String name = value(str(nameField));
        if (name != null) {
            int slash = domainField == null ? name.indexOf('\\') : -1;
            if (slash >= 0) {
                put("user.domain", slash == 0 ? null : name.substring(0, slash));
                put("user.name", name.substring(slash + 1));
            } else {
                put("user.name", name);
            }
        }
        if (domainField != null) {
            put("user.domain", value(str(domainField)));
        }
        if (sidField != null) {
            put("user.id", value(str(sidField)));
        }
    }

    static String basename(String path) {
        if (path == null) {
            return null;
        }
        return path.substring(lastSeparator(path) + 1);
    }

    private static int lastSeparator(String path) {
        return Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
    }

    /** An address without its IPv4-mapped IPv6 prefix ({@code ::ffff:10.0.0.1} is {@code 10.0.0.1}). */
    private static String ip(String ip) {
        if (ip == null || ip.isEmpty() || ip.equals("-")) {
            return null;
        }
        if (ip.regionMatches(true, 0, "::ffff:", 0, 7) && ip.indexOf('.') > 0) {
            return ip.substring(7);
        }
        return ip;
    }

    /** {@code null} for the placeholders Windows writes for "no value": empty and {@code -}. */
    private static String value(String s) {
        return s == null || s.isEmpty() || s.equals("-") ? null : s;
    }

    private String str(String field) {
        Object v = fields.get(field);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        if (v instanceof List<?>) {
            return null;
        }
        return v.toString();
    }

    /** A whole number (a {@code Long}, or a decimal or {@code 0x} string), else {@code null}. */
    private Long number(String field) {
        Object v = fields.get(field);
        if (v instanceof Long l) {
            return l;
        }
        return v instanceof String s ? Values.parseLong(s) : null;
    }

    /** As {@link #number}: Security events write process IDs in hex ({@code 0x1a4}); parseLong reads both. */
    private Long hexNumber(String field) {
        return number(field);
    }

    private void put(String key, Object value) {
        if (value == null || fields.containsKey(key) || into.containsKey(key)) {
            return;
        }
        if (original != null && inOriginal(original, key)) {
            if (key.indexOf('.') < 0) {
                // a key without a dot (the time) is not looked up in the original by Event.field: keep the beat's
                // own value as the flat field
                into.put(key, Values.scalar(original.get(key)));
            }
            return;
        }
        into.put(key, value);
    }

    /** Whether the winlogbeat record holds {@code dotted}, nested or as a flat dotted key at any level. */
    private static boolean inOriginal(Map<?, ?> map, String dotted) {
        if (map.containsKey(dotted)) {
            return true;
        }
        int dot = dotted.indexOf('.');
        while (dot > 0) {
            if (map.get(dotted.substring(0, dot)) instanceof Map<?, ?> child
                    && inOriginal(child, dotted.substring(dot + 1))) {
                return true;
            }
            dot = dotted.indexOf('.', dot + 1);
        }
        return false;
    }
}
