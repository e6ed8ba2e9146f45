package dev.vigil.formats.audit;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.SourceRef;
import dev.vigil.core.TenantId;
import dev.vigil.formats.JsonShape;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * systemd journal entries exported with {@code journalctl -o json}: objects with {@code __REALTIME_TIMESTAMP}, or with
 * {@code MESSAGE} and {@code _SYSTEMD_UNIT} or {@code SYSLOG_IDENTIFIER}. The journal's fields stay as they are
 * (binary fields, exported as arrays of byte values, are decoded as UTF-8); the time is {@code __REALTIME_TIMESTAMP}
 * (microseconds since the epoch). ECS: {@code host.name} from {@code _HOSTNAME}, {@code process.pid} from {@code
 * _PID}, {@code process.name} from {@code SYSLOG_IDENTIFIER} or {@code _COMM}, {@code process.executable} from {@code
 * _EXE}, {@code process.command_line} from {@code _CMDLINE}, {@code user.id} from {@code _UID}, {@code message} from
 * {@code MESSAGE}. Log source: product {@code linux}, service by the identifier: {@code sshd} → sshd and auth, {@code
 * sudo} → sudo and auth, {@code cron}/{@code crond}/{@code CRON} → cron, anything else → syslog.
 */
public final class JournaldShape implements JsonShape {
    @Override
    public String name() {
        return "journald";
    }

    @Override
    public boolean matches(Map<String, Object> root) {
        return root.containsKey("__REALTIME_TIMESTAMP")
                || (root.containsKey("MESSAGE")
                        && (root.containsKey("_SYSTEMD_UNIT") || root.containsKey("SYSLOG_IDENTIFIER")));
    }

    @Override
    public Event normalize(Map<String, Object> root, String source, long position, TenantId tenant) {
        Map<String, Object> f = new LinkedHashMap<>(root.size() * 2);
        for (Map.Entry<String, Object> e : root.entrySet()) {
            f.put(e.getKey(), value(e.getValue()));
        }
        Instant time = micros(f.get("__REALTIME_TIMESTAMP"));
        if (time == null) {
            time = micros(f.get("_SOURCE_REALTIME_TIMESTAMP"));
        }
        if (time != null) {
            f.put("@timestamp", time.toString());
        }
        String ident = f.get("SYSLOG_IDENTIFIER") instanceof String s ? s : null;
        String comm = f.get("_COMM") instanceof String s ? s : null;
        String process = ident != null ? ident : comm;
        f.put("event.kind", "event");
        f.put("event.module", "journald");
        copy(f, "_HOSTNAME", "host.name");
        copyLong(f, "_PID", "process.pid");
        if (process != null) {
            f.put("process.name", process);
        }
        copy(f, "_EXE", "process.executable");
        copy(f, "_CMDLINE", "process.command_line");
        copy(f, "_UID", "user.id");
        copy(f, "MESSAGE", "message");
        copy(f, "_SYSTEMD_UNIT", "systemd.unit");
        copy(f, "PRIORITY", "log.syslog.severity.code");
        return Event.builder()
                .tenant(tenant)
                .fields(f)
                .original(root)
                .logSource(logSource(process))
                .timestamp(time)
                .source(new SourceRef(source, position))
                .build();
    }

    static LogSource logSource(String process) {
        String p = process == null ? "" : process.toLowerCase(Locale.ROOT);
        Set<String> services = switch (p) {
            case "sshd" -> Set.of("sshd", "auth");
            case "sudo" -> Set.of("sudo", "auth");
            case "su", "login", "systemd-logind" -> Set.of("auth");
            case "cron", "crond" -> Set.of("cron");
            default -> Set.of("syslog");
        };
        return new LogSource("linux", Set.of(), services);
    }

    private static Object value(Object v) {
        if (v instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Number) {
            byte[] bytes = new byte[list.size()];
            for (int i = 0; i < bytes.length; i++) {
                if (!(list.get(i) instanceof Number n)) {
                    return v;
                }
                bytes[i] = (byte) n.intValue();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        return v;
    }

    private static Instant micros(Object v) {
        if (!(v instanceof String s) || s.isEmpty()) {
            return v instanceof Long l ? Instant.EPOCH.plusNanos(l * 1000) : null;
        }
        try {
            long us = Long.parseLong(s);
            return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000);
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }

    private static void copy(Map<String, Object> f, String from, String to) {
        Object v = f.get(from);
        if (v != null) {
            f.put(to, v);
        }
    }

    private static void copyLong(Map<String, Object> f, String from, String to) {
        if (f.get(from) instanceof String s) {
            try {
                f.put(to, Long.parseLong(s));
            } catch (NumberFormatException e) {
                // not a pid
            }
        }
    }
}
