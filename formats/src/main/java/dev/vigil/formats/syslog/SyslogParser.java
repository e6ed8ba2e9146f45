package dev.vigil.formats.syslog;

import dev.vigil.core.Event;
import dev.vigil.core.FieldMap;
import dev.vigil.core.LogSource;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.SourceRef;
import dev.vigil.formats.text.InstantText;
import dev.vigil.formats.text.SessionAddresses;
import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses syslog lines (RFC 3164, RFC 5424, octet-counted frames of RFC 6587) and CEF or LEEF records, alone or after a
 * syslog header, into events. Shared by {@link SyslogFormat}, {@link CefFormat} and {@link LeefFormat}.
 *
 * <p>An octet-counted frame whose message holds line breaks spans several lines: the parser joins the following lines
 * until the declared length is reached, unless a line starts a new record, in which case the short frame is reported
 * and parsed as it is.
 */
final class SyslogParser implements TextParser {
    private static final String[] FACILITIES = {
        "kern",
        "user",
        "mail",
        "daemon",
        "auth",
        "syslog",
        "lpr",
        "news",
        "uucp",
        "cron",
        "authpriv",
        "ftp",
        "ntp",
        "security",
        "console",
        "solaris-cron",
        "local0",
        "local1",
        "local2",
        "local3",
        "local4",
        "local5",
        "local6",
        "local7"
    };
    private static final String[] SEVERITIES = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

    private final TextContext context;
    private final Instant now;
    private final int currentYear;
    private final SessionAddresses sessions = new SessionAddresses();
    private final LinuxLogSources programs = new LinuxLogSources();
    private final InstantText timestamps = new InstantText();
    private final RecentStrings recent = new RecentStrings();
    private static final Pattern SSH_CONNECTION_FROM =
            Pattern.compile("^Connection from ([0-9A-Fa-f.:]+) port (\\d{1,5})(?!\\d)");

    // An octet-counted frame still being joined.
    private StringBuilder pending;
    private long pendingBytes;
    private long pendingNeed;
    private long pendingLine;

    SyslogParser(TextContext context) {
        this(context, Instant.now());
    }

    SyslogParser(TextContext context, Instant now) {
        this.context = context;
        this.now = now;
        this.currentYear = LocalDate.ofInstant(now, context.defaultZone()).getYear();
    }

    @Override
    public void line(String line, long lineNumber, Consumer<Event> out, ProblemSink problems) {
        if (pending != null) {
            long joined = pendingBytes + 1 + Utf8.length(line);
            if (startsRecord(line) && joined != pendingNeed) {
                flushPending(out, problems);
            } else {
                pending.append('\n').append(line);
                pendingBytes = joined;
                if (pendingBytes >= pendingNeed) {
                    String rec = pending.toString();
                    long need = pendingNeed;
                    long bytes = pendingBytes;
                    long start = pendingLine;
                    pending = null;
                    if (bytes != need) {
                        problems.report(new Problem(
                                context.source(),
                                start,
                                "octet-counted frame declares " + need + " bytes but has " + bytes));
                    }
                    record(rec, start, out, problems);
                }
                return;
            }
        }
        if (line.isBlank()) {
            return;
        }
        frames(line, lineNumber, out, problems);
    }

    @Override
    public void end(Consumer<Event> out, ProblemSink problems) {
        if (pending != null) {
            flushPending(out, problems);
        }
    }

    private void flushPending(Consumer<Event> out, ProblemSink problems) {
        String rec = pending.toString();
        problems.report(new Problem(
                context.source(),
                pendingLine,
                "octet-counted frame truncated: declares " + pendingNeed + " bytes, has " + pendingBytes));
        pending = null;
        record(rec, pendingLine, out, problems);
    }

    /** Whether {@code line} starts a syslog record (a frame length, a PRI or a CEF/LEEF marker). */
    private static boolean startsRecord(String line) {
        return frameLengthEnd(line, 0) > 0
                || (!line.isEmpty() && line.charAt(0) == '<')
                || line.startsWith("CEF:")
                || line.startsWith("LEEF:");
    }

    /** The index of the space after an octet count at {@code i} followed by {@code <}, or -1. */
    static int frameLengthEnd(String s, int i) {
        int p = i;
        while (p < s.length() && p - i < 9 && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
            p++;
        }
        if (p == i || p + 1 >= s.length() || s.charAt(p) != ' ' || s.charAt(p + 1) != '<' || s.charAt(i) == '0') {
            return -1;
        }
        return p;
    }

    private void frames(String line, long lineNumber, Consumer<Event> out, ProblemSink problems) {
        int start = 0;
        while (true) {
            int sp = frameLengthEnd(line, start);
            if (sp < 0) {
                record(start == 0 ? line : line.substring(start), lineNumber, out, problems);
                return;
            }
            long declared = Long.parseLong(line, start, sp, 10);
            int from = sp + 1;
            int end = Utf8.indexAfterBytes(line, from, declared);
            if (end == -2) {
                problems.report(new Problem(
                        context.source(),
                        lineNumber,
                        "octet-counted frame declares " + declared + " bytes, which ends inside a character"));
                record(line.substring(from), lineNumber, out, problems);
                return;
            }
            if (end < 0) {
                // Shorter than declared: the message continues on the next lines (or the frame is truncated).
                pending = new StringBuilder(line.substring(from));
                pendingBytes = Utf8.length(line, from, line.length());
                pendingNeed = declared;
                pendingLine = lineNumber;
                return;
            }
            if (end == line.length()) {
                record(line.substring(from), lineNumber, out, problems);
                return;
            }
            if (line.charAt(end) == ' ' && frameLengthEnd(line, end + 1) > 0) {
                record(line.substring(from, end), lineNumber, out, problems);
                start = end + 1;
            } else if (frameLengthEnd(line, end) > 0) {
                record(line.substring(from, end), lineNumber, out, problems);
                start = end;
            } else {
                problems.report(new Problem(
                        context.source(),
                        lineNumber,
                        "octet-counted frame declares " + declared + " bytes but has "
                                + Utf8.length(line, from, line.length())));
                record(line.substring(from), lineNumber, out, problems);
                return;
            }
        }
    }

    /** One syslog record (without framing). */
    void record(String rec, long lineNumber, Consumer<Event> out, ProblemSink problems) {
        Map<String, Object> f = new FieldMap(32);
        int p = 0;
        int pri = -1;
        if (rec.startsWith("<")) {
            int close = rec.indexOf('>', 1);
            int value = close > 1 && close <= 4 ? SyslogTime.digits(rec, 1, close) : -1;
            if (value >= 0 && value <= 191) {
                pri = value;
                p = close + 1;
            }
        }
        Instant ts = null;
        String payloadMarker = null;
        boolean ok;
        if (rec.startsWith("1 ", p) && (pri >= 0 || SyslogTime.isDigit(rec, p + 2) || rec.startsWith("- ", p + 2))) {
            Header5424 h = new Header5424(rec, p + 2, f, recent);
            String err = h.parse();
            if (err != null) {
                problems.report(new Problem(context.source(), lineNumber, err));
                return;
            }
            ts = h.timestamp == null ? null : h.timestamp.instant(context.defaultZone(), currentYear);
            p = h.end;
            ok = true;
        } else {
            int mark = Payloads.markerIndex(rec, p);
            Header3164 h = new Header3164(rec, p, f, mark, recent);
            ok = h.parse() || pri >= 0;
            if (h.timestamp != null) {
                ts = instant3164(h.timestamp);
            }
            p = h.end;
            if (!ok && mark >= 0) {
                p = mark; // a CEF or LEEF record after something that is not a syslog header
                ok = true;
            }
        }
        if (!ok) {
            problems.report(new Problem(
                    context.source(), lineNumber, "not a syslog, CEF or LEEF record: " + Payloads.excerpt(rec)));
            return;
        }
        String message = p >= rec.length() ? "" : rec.substring(p);
        if (!message.isEmpty() && message.charAt(0) == '\uFEFF') {
            message = message.substring(1);
        }
        if (pri >= 0) {
            int facility = pri >> 3;
            int severity = pri & 7;
            Long priority = (long) pri;
            f.put("priority", priority);
            f.put("facility", FACILITIES[facility]);
            f.put("severity", SEVERITIES[severity]);
            f.put("log.syslog.priority", priority);
            f.put("log.syslog.facility.code", (long) facility);
            f.put("log.syslog.facility.name", FACILITIES[facility]);
            f.put("log.syslog.severity.code", (long) severity);
            f.put("log.syslog.severity.name", SEVERITIES[severity]);
        }
        f.put("message", message);
        LogSource logSource;
        int mark = message.startsWith("CEF:") || message.startsWith("LEEF:") ? 0 : -1;
        if (mark == 0) {
            payloadMarker = message.startsWith("CEF:") ? "CEF" : "LEEF";
        }
        if (payloadMarker != null) {
            String err = payloadMarker.equals("CEF") ? Payloads.cef(message, f) : Payloads.leef(message, f);
            if (err != null) {
                problems.report(new Problem(context.source(), lineNumber, err));
                return;
            }
            Instant t = Payloads.deviceTime(f, context.defaultZone(), currentYear);
            if (t != null) {
                ts = t;
            }
            Object vendor = f.get("deviceVendor");
            logSource = new LogSource(vendor == null ? null : vendor.toString(), null, null);
        } else {
            String program = (String) f.get("program");
            if (program == null) {
                logSource = LinuxLogSources.SYSLOG;
            } else {
                LinuxLogSources.Program known = programs.of(program);
                AuthMessages.enrich(known.base(), message, f);
                carrySshdAddress(program, message, f);
                logSource = known.logSource();
            }
        }
        if (ts != null) {
            f.put("@timestamp", timestamps.format(ts));
        }
        f.putIfAbsent("event.kind", "event");
        out.accept(Event.builder()
                .tenant(context.tenant())
                .fields(f)
                .original(rec)
                .logSource(logSource)
                .timestamp(ts)
                .source(new SourceRef(context.source(), lineNumber))
                .build());
    }

    /**
     * sshd logs a session's client address once ({@code Connection from ...}) and later lines of the session, under the
     * same pid, without it: those take the address last seen for the pid in this file ({@code source.ip}, marked {@code
     * vigil.source_ip_inherited}), as fail2ban's multi-line sshd filter does. The address is remembered from any sshd
     * line with {@code source.ip}, including {@code Connection from ADDR port N} (which also gets {@code source.ip} and
     * {@code source.port} itself).
     */
    private void carrySshdAddress(String program, String message, Map<String, Object> f) {
        Object pid = f.get("process.pid");
        if (!"sshd".equals(program) || pid == null) {
            return;
        }
        Matcher opened = message.startsWith("Connection from ") ? SSH_CONNECTION_FROM.matcher(message) : null;
        if (opened != null && !f.containsKey("source.ip") && opened.find()) {
            // "Connection from 192.0.2.1 port 51353 [on 192.0.2.2 port 22]": the session's client.
            f.put("source.ip", opened.group(1));
            f.put("source.port", Long.parseLong(opened.group(2)));
        }
        // Only sshd's addresses are kept, so its pid alone names the process (the Long is in the map already).
        if (f.get("source.ip") instanceof String ip) {
            sessions.remember(pid, ip);
        } else if (!f.containsKey("source.domain")) {
            String carried = sessions.recall(pid);
            if (carried != null) {
                f.put("source.ip", carried);
                f.put("vigil.source_ip_inherited", true);
            }
        }
    }

    /** The instant of a year-less RFC 3164 time: the default year, or the previous one when that is in the future. */
    private Instant instant3164(SyslogTime.Parsed t) {
        try {
            if (t.year != 0) {
                return t.instant(context.defaultZone(), t.year);
            }
            int year = context.defaultYear() != 0 ? context.defaultYear() : currentYear;
            Instant i = t.instant(context.defaultZone(), year);
            if (i.isAfter(now.plusSeconds(86_400))) {
                i = t.instant(context.defaultZone(), year - 1);
            }
            return i;
        } catch (DateTimeException e) {
            // Feb 29 in a year that has none: leave the event without a time rather than invent one.
            return null;
        }
    }
}
