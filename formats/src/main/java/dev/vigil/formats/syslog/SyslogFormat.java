package dev.vigil.formats.syslog;

import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextFormat;
import dev.vigil.formats.text.TextParser;
import java.util.List;

/**
 * Syslog: RFC 5424 ({@code <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG}, structured data as {@code sd.ID.PARAM}
 * fields), RFC 3164 ({@code <PRI>Mmm dd hh:mm:ss host tag[pid]: msg}, with or without the PRI, macOS system.log
 * included), optionally octet-counted ({@code LEN <PRI>...}); CEF and LEEF records after a header are parsed too.
 *
 * <p>Fields: the source's names ({@code hostname}, {@code program}, {@code pid}, {@code msgid}, {@code facility},
 * {@code severity}, {@code priority}, {@code message}, {@code sd.*}) and ECS ({@code @timestamp}, {@code host.name},
 * {@code process.name}, {@code process.pid}, {@code log.syslog.*}, {@code event.*}, and for sshd, sudo, su and PAM
 * messages {@code user.name}, {@code source.ip}, {@code source.port}, {@code process.command_line}). Log source:
 * product {@code linux}, services {@code syslog}, the program's ({@code sshd}, {@code sudo}, {@code cron}, ...) and
 * {@code auth} for auth.log programs.
 *
 * <p>Detection scores: 75 when most sample lines are RFC 5424, 45 when most are RFC 3164 (or a mix), else 0.
 */
public final class SyslogFormat implements TextFormat {
    @Override
    public String name() {
        return "syslog";
    }

    @Override
    public String description() {
        return "syslog RFC 3164/5424 (octet-counted or not), with sshd/sudo/su/PAM messages";
    }

    @Override
    public int score(List<String> sample) {
        int rfc5424 = 0;
        int rfc3164 = 0;
        for (String line : sample) {
            switch (kind(line)) {
                case 2 -> rfc5424++;
                case 1 -> rfc3164++;
                default -> {
                    // not syslog
                }
            }
        }
        int n = sample.size();
        if (n == 0) {
            return 0;
        }
        if (rfc5424 * 2 > n) {
            return 75;
        }
        return (rfc5424 + rfc3164) * 2 > n ? 45 : 0;
    }

    /** 2 for an RFC 5424 line, 1 for an RFC 3164 line, 0 otherwise. */
    static int kind(String line) {
        int p = 0;
        int sp = SyslogParser.frameLengthEnd(line, 0);
        if (sp > 0) {
            p = sp + 1;
        }
        boolean pri = false;
        if (line.startsWith("<", p)) {
            int close = line.indexOf('>', p);
            if (close < p + 2 || close > p + 4 || SyslogTime.digits(line, p + 1, close) < 0) {
                return 0;
            }
            pri = true;
            p = close + 1;
        }
        if (pri && line.startsWith("1 ", p)) {
            return line.startsWith("- ", p + 2) || SyslogTime.iso(line, p + 2) != null ? 2 : 0;
        }
        SyslogTime.Parsed t = SyslogTime.bsd(line, p);
        if (t != null) {
            if (pri) {
                return 1;
            }
            // Mmm dd hh:mm:ss host tag...: a host and something after it
            int host = t.end + 1;
            while (host < line.length() && line.charAt(host) == ' ') {
                host++;
            }
            int sp2 = line.indexOf(' ', host);
            return sp2 > host && sp2 + 1 < line.length() ? 1 : 0;
        }
        t = SyslogTime.iso(line, p);
        if (t != null && line.length() > t.end && line.charAt(t.end) == ' ') {
            // RFC 3339 time, host, tag with a colon (rsyslog's high-precision template)
            int host = line.indexOf(' ', t.end + 1);
            int colon = host < 0 ? -1 : line.indexOf(": ", host);
            int tagSpace = host < 0 ? -1 : line.indexOf(' ', host + 1);
            return colon > host && (tagSpace < 0 || colon < tagSpace) ? 1 : 0;
        }
        return pri && p < line.length() ? 1 : 0;
    }

    @Override
    public TextParser newParser(TextContext context) {
        return new SyslogParser(context);
    }
}
