package dev.vigil.formats.text;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * What a {@link TextParser} needs to know about its file.
 *
 * @param source the file or input name, used in events' {@code SourceRef} and in problems
 * @param tenant the tenant of every event
 * @param defaultZone the zone of timestamps that carry none (RFC 3164 syslog, Apache error logs); UTC by default
 * @param defaultYear the year of timestamps that carry none (RFC 3164); 0 means "the current year in defaultZone"
 */
public record TextContext(String source, TenantId tenant, ZoneId defaultZone, int defaultYear) {
    public TextContext {
        requireNonNull(source, "source");
        requireNonNull(tenant, "tenant");
        requireNonNull(defaultZone, "defaultZone");
    }

    public static TextContext of(String source, TenantId tenant) {
        return new TextContext(source, tenant, ZoneOffset.UTC, 0);
    }
}
