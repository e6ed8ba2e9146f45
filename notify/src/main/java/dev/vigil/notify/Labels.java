package dev.vigil.notify;

import dev.vigil.core.alert.Severity;
import java.util.Map;

/** The localised words templates use for kinds, severities and entity types. */
final class Labels {
    private static final Map<String, String> ENTITY_EN = Map.ofEntries(
            Map.entry("host", "Host"),
            Map.entry("user", "User"),
            Map.entry("ip", "IP address"),
            Map.entry("src_ip", "Source IP"),
            Map.entry("dst_ip", "Destination IP"),
            Map.entry("process", "Process"),
            Map.entry("file", "File"),
            Map.entry("hash", "File hash"),
            Map.entry("domain", "Domain"),
            Map.entry("url", "URL"));
    private static final Map<String, String> ENTITY_ZH = Map.ofEntries(
            Map.entry("host", "主机"),
            Map.entry("user", "用户"),
            Map.entry("ip", "IP 地址"),
            Map.entry("src_ip", "源 IP"),
            Map.entry("dst_ip", "目的 IP"),
            Map.entry("process", "进程"),
            Map.entry("file", "文件"),
            Map.entry("hash", "文件哈希"),
            Map.entry("domain", "域名"),
            Map.entry("url", "URL"));

    private Labels() {}

    static String kind(Notification.Kind kind, MessageLocale locale) {
        return switch (locale) {
            case EN -> kind == Notification.Kind.ALERT ? "Alert" : "Incident";
            case ZH_CN -> kind == Notification.Kind.ALERT ? "告警" : "安全事件";
        };
    }

    static String severity(Severity severity, MessageLocale locale) {
        return switch (locale) {
            case EN ->
                switch (severity) {
                    case INFORMATIONAL -> "Informational";
                    case LOW -> "Low";
                    case MEDIUM -> "Medium";
                    case HIGH -> "High";
                    case CRITICAL -> "Critical";
                };
            case ZH_CN ->
                switch (severity) {
                    case INFORMATIONAL -> "信息";
                    case LOW -> "低危";
                    case MEDIUM -> "中危";
                    case HIGH -> "高危";
                    case CRITICAL -> "严重";
                };
        };
    }

    static String entityType(String type, MessageLocale locale) {
        Map<String, String> names = locale == MessageLocale.ZH_CN ? ENTITY_ZH : ENTITY_EN;
        return names.getOrDefault(type, type);
    }
}
