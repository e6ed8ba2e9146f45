package dev.vigil.formats.audit;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.SourceRef;
import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Joins the lines of auditd records by serial number into one event each.
 *
 * <p>A record is emitted at its {@code EOE} line, when no line of it has been seen for {@link #WINDOW} lines (records
 * of different events may interleave, but only briefly), when more than {@link #MAX_PENDING} records are open (the
 * oldest goes first), or at the end of the input. A record holds at most {@link #MAX_LINES} lines; further lines are
 * reported and dropped, so memory stays bounded whatever the input.
 *
 * <p>Fields are named as auditd writes them and Sigma's auditd rules read them: {@code type} is the list of the record
 * types joined (e.g. {@code [SYSCALL, EXECVE, PATH, PROCTITLE]}); {@code a0}..{@code aN} are the EXECVE arguments (the
 * SYSCALL register values only when there is no EXECVE); {@code name} is multi-valued when several PATH records name
 * files; a key found in several records becomes multi-valued; the keys inside a user-space {@code msg='...'} are fields
 * too. Values auditd hex-encodes (unquoted {@code exe}, {@code comm}, {@code name}, {@code cwd}, {@code proctitle},
 * EXECVE arguments, ...) are decoded, NUL separators of {@code proctitle} becoming spaces. {@code SYSCALL} is the
 * syscall's name (from the enriched format, or from the x86_64 number). ECS fields are added as flat dotted keys.
 */
public final class AuditdParser implements TextParser {
    /** Lines after which a record that got no new line is considered complete. */
    static final int WINDOW = 64;
    /** Open records at most. */
    static final int MAX_PENDING = 256;
    /** Lines per record at most. */
    static final int MAX_LINES = 512;

    private static final LogSource LOG_SOURCE = new LogSource("linux", Set.of(), Set.of("auditd"));
    private static final Set<String> HEX_KEYS = Set.of(
            "exe",
            "comm",
            "name",
            "cwd",
            "proctitle",
            "cmd",
            "acct",
            "path",
            "data",
            "key",
            "old-value",
            "new-value",
            "ocomm",
            "grp",
            "new_group",
            "old_group",
            "vm",
            "root_dir",
            "sw",
            "watch");

    private final TextContext context;
    private final Map<String, Record> pending = new LinkedHashMap<>();

    /** A parser for one file. */
    public AuditdParser(TextContext context) {
        this.context = context;
    }

    private static final class Record {
        final String id;
        final Instant time;
        final String serial;
        final String node;
        final long firstLine;
        long lastLine;
        final List<String> types = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        final Map<String, Object> fields = new LinkedHashMap<>();
        final Map<String, Integer> owner = new LinkedHashMap<>();
        boolean execve;
        boolean overflowReported;

        Record(String id, Instant time, String serial, String node, long line) {
            this.id = id;
            this.time = time;
            this.serial = serial;
            this.node = node;
            this.firstLine = line;
            this.lastLine = line;
        }
    }

    @Override
    public void line(String line, long lineNumber, Consumer<Event> out, ProblemSink problems) {
        if (line.isBlank()) {
            return;
        }
        int typeAt = line.indexOf("type=");
        int msgAt = line.indexOf("msg=audit(");
        int close = msgAt < 0 ? -1 : line.indexOf(')', msgAt);
        if (typeAt < 0 || msgAt < typeAt || close < 0) {
            report(problems, lineNumber, "not an auditd record (no type=... msg=audit(...)), skipped");
            return;
        }
        String type = line.substring(typeAt + 5, spaceOrEnd(line, typeAt + 5));
        String stamp = line.substring(msgAt + 10, close);
        int colon = stamp.indexOf(':');
        Instant time = colon < 0 ? null : epoch(stamp.substring(0, colon));
        if (type.isEmpty() || time == null) {
            report(problems, lineNumber, "malformed auditd header '" + abbreviate(line) + "', skipped");
            return;
        }
        String serial = stamp.substring(colon + 1);
        String node = null;
        int nodeAt = line.lastIndexOf("node=", typeAt);
        if (nodeAt >= 0) {
            node = line.substring(nodeAt + 5, spaceOrEnd(line, nodeAt + 5));
        }
        String id = (node == null ? "" : node) + '|' + stamp;
        expire(lineNumber, out);
        Record r = pending.get(id);
        if ("EOE".equals(type)) {
            if (r != null) {
                pending.remove(id);
                emit(r, out);
            }
            return;
        }
        if (r == null) {
            r = new Record(id, time, serial, node, lineNumber);
            pending.put(id, r);
            if (pending.size() > MAX_PENDING) {
                Iterator<Record> it = pending.values().iterator();
                Record oldest = it.next();
                it.remove();
                emit(oldest, out);
            }
        }
        r.lastLine = lineNumber;
        if (r.lines.size() >= MAX_LINES) {
            if (!r.overflowReported) {
                r.overflowReported = true;
                report(
                        problems,
                        lineNumber,
                        "auditd record " + serial + " has more than " + MAX_LINES + " lines; further lines dropped");
            }
            return;
        }
        r.lines.add(line);
        r.types.add(type);
        int body = close + 1;
        if (body < line.length() && line.charAt(body) == ':') {
            body++;
        }
        Map<String, String> kv = new LinkedHashMap<>();
        Map<String, Boolean> quoted = new LinkedHashMap<>();
        parsePairs(line, body, line.length(), kv, quoted);
        boolean execve = "EXECVE".equals(type);
        r.execve |= execve;
        int index = r.lines.size() - 1;
        for (Map.Entry<String, String> e : kv.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            boolean arg = isArg(key);
            if (!Boolean.TRUE.equals(quoted.get(key)) && (HEX_KEYS.contains(key) || (execve && arg)) && isHex(value)) {
                value = decodeHex(value, "proctitle".equals(key));
            }
            if (arg) {
                if (execve) {
                    r.fields.put(key, value);
                    r.owner.put(key, index);
                } else if (!r.execve) {
                    r.fields.putIfAbsent(key, value);
                    r.owner.putIfAbsent(key, index);
                }
                continue;
            }
            add(r, key, value, index);
        }
    }

    @Override
    public void end(Consumer<Event> out, ProblemSink problems) {
        for (Record r : pending.values()) {
            emit(r, out);
        }
        pending.clear();
    }

    private void expire(long lineNumber, Consumer<Event> out) {
        Iterator<Record> it = pending.values().iterator();
        while (it.hasNext()) {
            Record r = it.next();
            if (lineNumber - r.lastLine > WINDOW) {
                it.remove();
                emit(r, out);
            }
        }
    }

    private static void add(Record r, String key, Object value, int index) {
        Integer previous = r.owner.get(key);
        if (previous == null) {
            r.fields.put(key, value);
            r.owner.put(key, index);
        } else if (previous == index) {
            r.fields.put(key, value); // "old auid=1 new auid=2": the last one
        } else {
            Object old = r.fields.get(key);
            List<Object> list;
            if (old instanceof MultiValue mv) {
                list = mv;
            } else {
                list = new MultiValue();
                list.add(old);
                r.fields.put(key, list);
            }
            list.add(value);
            r.owner.put(key, index);
        }
    }

    /** A list this parser made for a key seen in several records (as opposed to a value). */
    private static final class MultiValue extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;
    }

    private void emit(Record r, Consumer<Event> out) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", List.copyOf(r.types));
        for (Map.Entry<String, Object> e : r.fields.entrySet()) {
            Object v = e.getValue();
            fields.put(e.getKey(), v instanceof MultiValue mv ? List.copyOf(mv) : v);
        }
        if (r.node != null) {
            fields.putIfAbsent("node", r.node);
        }
        if (!fields.containsKey("SYSCALL") && fields.get("syscall") instanceof String number) {
            String arch = fields.get("arch") instanceof String a ? a : "c000003e";
            if ("c000003e".equals(arch)) {
                String name = Syscalls.x86_64(number);
                if (name != null) {
                    fields.put("SYSCALL", name);
                }
            }
        }
        ecs(r, fields);
        out.accept(Event.builder()
                .tenant(context.tenant())
                .fields(fields)
                .original(String.join("\n", r.lines))
                .logSource(LOG_SOURCE)
                .timestamp(r.time)
                .source(new SourceRef(context.source(), r.firstLine))
                .build());
    }

    private static void ecs(Record r, Map<String, Object> f) {
        f.put("@timestamp", r.time.toString());
        f.put("event.kind", "event");
        f.put("event.module", "auditd");
        String primary = r.types.get(0);
        Object syscallName = f.get("SYSCALL");
        f.put("event.action", syscallName instanceof String s ? s : primary.toLowerCase(Locale.ROOT));
        String category = category(r.types);
        if (category != null) {
            f.put("event.category", category);
        }
        Object success = f.get("success");
        Object res = f.get("res");
        if ("yes".equals(success) || "success".equals(res) || "1".equals(res)) {
            f.put("event.outcome", "success");
        } else if ("no".equals(success) || "failed".equals(res) || "0".equals(res)) {
            f.put("event.outcome", "failure");
        }
        copy(f, "node", "host.name");
        copy(f, "hostname", "source.domain");
        copy(f, "uid", "user.id");
        copy(f, "auid", "user.audit.id");
        copy(f, "euid", "user.effective.id");
        copy(f, "acct", "user.name");
        if (!f.containsKey("user.name")) {
            copy(f, "UID", "user.name");
        }
        copyNumber(f, "pid", "process.pid");
        copyNumber(f, "ppid", "process.parent.pid");
        copy(f, "exe", "process.executable");
        copy(f, "comm", "process.name");
        copy(f, "cwd", "process.working_directory");
        copy(f, "tty", "process.tty");
        if (f.get("proctitle") instanceof String title) {
            f.put("process.command_line", title);
        } else if (r.execve) {
            List<String> args = new ArrayList<>();
            for (int i = 0; f.get("a" + i) instanceof String a; i++) {
                args.add(a);
            }
            if (!args.isEmpty()) {
                f.put("process.command_line", String.join(" ", args));
                f.put("process.args", args);
            }
        }
        copy(f, "name", "file.path");
        Object addr = f.get("addr");
        if (addr instanceof String a && !"?".equals(a)) {
            f.put("source.ip", a);
        }
        copy(f, "key", "tags");
    }

    private static String category(List<String> types) {
        for (String t : types) {
            switch (t) {
                case "EXECVE":
                    return "process";
                case "USER_AUTH", "USER_LOGIN", "USER_LOGOUT", "CRED_ACQ", "CRED_DISP", "USER_ERR":
                    return "authentication";
                case "ADD_USER", "DEL_USER", "ADD_GROUP", "DEL_GROUP", "USER_MGMT", "GRP_MGMT", "USER_CHAUTHTOK":
                    return "iam";
                case "CONFIG_CHANGE", "DAEMON_START", "DAEMON_END", "SERVICE_START", "SERVICE_STOP":
                    return "configuration";
                case "SOCKADDR":
                    return "network";
                default:
                // keep looking
            }
        }
        return null;
    }

    private static void copy(Map<String, Object> f, String from, String to) {
        Object v = f.get(from);
        if (v != null && !"?".equals(v) && !"(null)".equals(v) && !"(none)".equals(v)) {
            f.put(to, v);
        }
    }

    private static void copyNumber(Map<String, Object> f, String from, String to) {
        if (f.get(from) instanceof String s) {
            try {
                f.put(to, Long.parseLong(s));
            } catch (NumberFormatException e) {
                // not a number: leave it out of ECS
            }
        }
    }

    /** Parses {@code key=value} pairs; quoted values lose their quotes, a {@code '...'} value is parsed for pairs. */
    static void parsePairs(String s, int from, int to, Map<String, String> out, Map<String, Boolean> quoted) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\u001d' || c == '\t') {
                i++;
                continue;
            }
            int keyStart = i;
            while (i < to && s.charAt(i) != '=' && s.charAt(i) != ' ' && s.charAt(i) != '\u001d') {
                i++;
            }
            if (i >= to || s.charAt(i) != '=') {
                continue; // a bare word ("user", "old")
            }
            String key = s.substring(keyStart, i);
            i++;
            if (i < to && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
                char q = s.charAt(i);
                int end = s.indexOf(q, i + 1);
                if (end < 0 || end > to) {
                    end = to;
                }
                if (q == '\'') {
                    parsePairs(s, i + 1, end, out, quoted);
                } else if (!key.isEmpty()) {
                    out.put(key, s.substring(i + 1, end));
                    quoted.put(key, true);
                }
                i = end + 1;
            } else {
                int end = i;
                while (end < to && s.charAt(end) != ' ' && s.charAt(end) != '\u001d') {
                    end++;
                }
                if (!key.isEmpty()) {
                    out.put(key, s.substring(i, end));
                    quoted.put(key, false);
                }
                i = end;
            }
        }
    }

    private static boolean isArg(String key) {
        if (key.length() < 2 || key.charAt(0) != 'a') {
            return false;
        }
        for (int i = 1; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static boolean isHex(String v) {
        if (v.length() < 2 || (v.length() & 1) != 0) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    static String decodeHex(String v, boolean nulToSpace) {
        byte[] bytes = new byte[v.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(v, 2 * i, 2 * i + 2, 16);
        }
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (nulToSpace) {
            s = s.replace('\0', ' ').strip();
        }
        return s;
    }

    private static Instant epoch(String s) {
        int dot = s.indexOf('.');
        try {
            long seconds = Long.parseLong(dot < 0 ? s : s.substring(0, dot));
            long nanos = 0;
            if (dot >= 0) {
                String frac = s.substring(dot + 1);
                if (frac.isEmpty() || frac.length() > 9) {
                    return null;
                }
                nanos = Long.parseLong(frac);
                for (int i = frac.length(); i < 9; i++) {
                    nanos *= 10;
                }
            }
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return null;
        }
    }

    private static int spaceOrEnd(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\u001d') {
            i++;
        }
        return i;
    }

    private void report(ProblemSink problems, long line, String message) {
        problems.report(new Problem(context.source(), line, message));
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
