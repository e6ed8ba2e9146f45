package dev.vigil.formats.audit;

import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextFormat;
import dev.vigil.formats.text.TextParser;
import java.util.List;

/**
 * Linux audit daemon logs ({@code /var/log/audit/audit.log}, raw or enriched format): lines such as {@code type=SYSCALL
 * msg=audit(1364481363.243:24287): arch=c000003e syscall=59 ... key="exec"}. The lines of one audit event share the
 * serial number after the colon and are joined into one {@code Event} by {@link AuditdParser}.
 *
 * <p>Detection: 90 when most sample lines start with {@code type=} or {@code node=} and carry {@code msg=audit(}; 60 when
 * they carry the marker after some other prefix (auditd lines forwarded through syslog).
 */
public final class AuditdFormat implements TextFormat {
    @Override
    public String name() {
        return "auditd";
    }

    @Override
    public String description() {
        return "Linux auditd logs (type=... msg=audit(epoch:serial): ...), records joined by serial";
    }

    @Override
    public int score(List<String> sample) {
        int strict = 0;
        int loose = 0;
        int total = 0;
        for (String line : sample) {
            if (line.isBlank()) {
                continue;
            }
            total++;
            int marker = line.indexOf("msg=audit(");
            if (marker < 0 || line.indexOf("type=") < 0) {
                continue;
            }
            loose++;
            if (line.startsWith("type=") || line.startsWith("node=")) {
                strict++;
            }
        }
        if (total == 0) {
            return 0;
        }
        if (strict * 2 > total) {
            return 90;
        }
        return loose * 2 > total ? 60 : 0;
    }

    @Override
    public TextParser newParser(TextContext context) {
        return new AuditdParser(context);
    }
}
