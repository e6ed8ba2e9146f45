package dev.vigil.inputs;

import dev.vigil.formats.text.TextFormat;
import dev.vigil.formats.text.TextFormats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Chooses the text format of lines that arrive without a file: by a name the sender gives, else by detection. */
final class LineFormats {
    /** Splunk sourcetypes (and their common variants) that name a format the formats module reads. */
    private static final Map<String, String> SOURCETYPES = Map.ofEntries(
            Map.entry("syslog", "syslog"),
            Map.entry("linux_secure", "syslog"),
            Map.entry("linux_messages_syslog", "syslog"),
            Map.entry("rfc5424_syslog", "syslog"),
            Map.entry("cef", "cef"),
            Map.entry("leef", "leef"),
            Map.entry("access_combined", "access"),
            Map.entry("access_combined_wcookie", "access"),
            Map.entry("access_common", "access"),
            Map.entry("apache:access", "access"),
            Map.entry("nginx:plus:kv", "access"),
            Map.entry("apache_error", "apache-error"),
            Map.entry("apache:error", "apache-error"),
            Map.entry("nginx:error", "nginx-error"),
            Map.entry("linux_audit", "auditd"),
            Map.entry("linux:audit", "auditd"),
            Map.entry("bro", "zeek"),
            Map.entry("csv", "csv"));

    private LineFormats() {}

    /**
     * The format a sourcetype or format name names: a known Splunk sourcetype, a Vigil text format name, or empty when
     * it names neither (the caller then detects).
     */
    static Optional<TextFormat> named(String sourcetypeOrFormat) {
        if (sourcetypeOrFormat == null || sourcetypeOrFormat.isBlank()) {
            return Optional.empty();
        }
        String key = sourcetypeOrFormat.toLowerCase(Locale.ROOT).strip();
        String mapped = SOURCETYPES.get(key);
        if (mapped != null) {
            return TextFormats.byName(mapped);
        }
        if (key.startsWith("cef:") || key.endsWith(":cef")) {
            return TextFormats.byName("cef");
        }
        if (key.startsWith("syslog:") || key.endsWith(":syslog")) {
            return TextFormats.byName("syslog");
        }
        return TextFormats.byName(key);
    }

    /** The best format for the first non-blank sample lines; plain text when nothing fits better. */
    static TextFormat detect(List<String> lines) {
        List<String> sample = new ArrayList<>(TextFormats.SAMPLE_LINES);
        for (String line : lines) {
            if (!line.isBlank()) {
                sample.add(line);
                if (sample.size() == TextFormats.SAMPLE_LINES) {
                    break;
                }
            }
        }
        return TextFormats.detect(sample)
                .orElseGet(() -> TextFormats.byName("text").orElseThrow());
    }
}
