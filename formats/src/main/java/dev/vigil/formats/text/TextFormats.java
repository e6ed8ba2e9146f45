package dev.vigil.formats.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The registry of text formats, in detection priority order (more specific first). Add a format by adding it to
 * {@link #ALL}.
 */
public final class TextFormats {
    /** How many non-blank lines detection looks at. */
    public static final int SAMPLE_LINES = 32;

    private static final List<TextFormat> ALL = List.of(
            // Formats of later readers register here, most specific first; plain text is the last resort.
            new dev.vigil.formats.network.ZeekFormat(),
            new dev.vigil.formats.windows.WindowsXmlFormat(),
            new dev.vigil.formats.syslog.CefFormat(),
            new dev.vigil.formats.syslog.LeefFormat(),
            new dev.vigil.formats.audit.AuditdFormat(),
            new dev.vigil.formats.syslog.SyslogFormat(),
            dev.vigil.formats.web.AccessLogFormat.standard(),
            dev.vigil.formats.web.AccessLogFormat.nginxStandard(),
            new dev.vigil.formats.web.ApacheErrorLogFormat(),
            new dev.vigil.formats.web.NginxErrorLogFormat(),
            new dev.vigil.formats.csv.CsvFormat(),
            new dev.vigil.formats.generic.TimestampedLineFormat(),
            new PlainTextFormat());

    private TextFormats() {}

    public static List<TextFormat> all() {
        return ALL;
    }

    public static Optional<TextFormat> byName(String name) {
        Optional<TextFormat> custom = customAccessFormat(name);
        if (custom.isPresent()) {
            return custom;
        }
        String n = name.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(f -> f.name().equals(n)).findFirst();
    }

    /** Prefix of a name that carries an Apache {@code LogFormat} string: {@code apache-format:%h %l %u %t ...}. */
    public static final String APACHE_FORMAT_PREFIX = "apache-format:";

    /** Prefix of a name that carries an nginx {@code log_format} string: {@code nginx-format:$remote_addr ...}. */
    public static final String NGINX_FORMAT_PREFIX = "nginx-format:";

    /**
     * A custom access-log format named by its format string after {@link #APACHE_FORMAT_PREFIX} or {@link
     * #NGINX_FORMAT_PREFIX}; empty for any other name.
     *
     * @throws IllegalArgumentException when the format string cannot be used, saying why
     */
    public static Optional<TextFormat> customAccessFormat(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith(APACHE_FORMAT_PREFIX)) {
            return Optional.of(
                    dev.vigil.formats.web.AccessLogFormat.apache(name.substring(APACHE_FORMAT_PREFIX.length())));
        }
        if (lower.startsWith(NGINX_FORMAT_PREFIX)) {
            return Optional.of(
                    dev.vigil.formats.web.AccessLogFormat.nginx(name.substring(NGINX_FORMAT_PREFIX.length())));
        }
        return Optional.empty();
    }

    public static List<String> names() {
        List<String> out = new ArrayList<>();
        ALL.forEach(f -> out.add(f.name()));
        return out;
    }

    /** The best-fitting format for the sample lines, or empty when none scores above zero. */
    public static Optional<TextFormat> detect(List<String> sample) {
        TextFormat best = null;
        int bestScore = 0;
        for (TextFormat f : ALL) {
            int s = f.score(sample);
            if (s > bestScore) {
                best = f;
                bestScore = s;
            }
        }
        return Optional.ofNullable(best);
    }
}
