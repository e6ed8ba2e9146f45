package dev.vigil.taxii;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** TAXII timestamps: RFC 3339 in UTC with microseconds, the precision {@code date_added} needs for exact resumes. */
final class TaxiiTime {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private TaxiiTime() {}

    static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
