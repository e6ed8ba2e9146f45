package dev.vigil.notify;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Severity;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Notifications for tests, with the hostile values that logs can carry. */
final class Samples {
    static final Instant TIME = Instant.parse("2026-11-26T02:38:17Z");
    static final String HOSTILE_HOST = "ws-042\r\nX-Injected: yes";
    static final String HOSTILE_USER = "**admin**<img src=x onerror=alert(1)>";
    static final String HOSTILE_URL = "http://evil.example/[click](javascript:alert(1))";
    static final String HOSTILE_COMMAND =
            "powershell -enc [link](https://evil.example) ![img](https://evil.example/x.png)";

    private Samples() {}

    /** An alert whose entity values and details try to break every format. */
    static Notification hostile() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("command_line", HOSTILE_COMMAND);
        details.put("parent", "winword.exe");
        return new Notification(
                TenantId.of("acme"),
                Notification.Kind.ALERT,
                "a-1001",
                "Office <script>alert(1)</script> spawned PowerShell\r\nBcc: victim@example.com",
                Severity.HIGH,
                "proc_creation_win_office_powershell",
                "Office application spawns PowerShell",
                TIME,
                List.of(
                        new Notification.Entity("host", HOSTILE_HOST),
                        new Notification.Entity("user", HOSTILE_USER),
                        new Notification.Entity("url", HOSTILE_URL),
                        new Notification.Entity("process", "C:\\Windows\\System32\\cmd.exe | calc")),
                List.of("execution"),
                List.of("T1059.001"),
                URI.create("https://vigil.example.com/alerts/a-1001?tenant=acme"),
                details);
    }

    /** A plain alert of {@code tenant} with the given severity and rule. */
    static Notification alert(String tenant, String id, Severity severity, String ruleId) {
        return new Notification(
                TenantId.of(tenant),
                Notification.Kind.ALERT,
                id,
                "Alert " + id,
                severity,
                ruleId,
                "Rule " + ruleId,
                TIME,
                List.of(new Notification.Entity("host", "ws-1")),
                List.of(),
                List.of(),
                null,
                Map.of());
    }
}
