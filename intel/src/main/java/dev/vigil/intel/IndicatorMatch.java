package dev.vigil.intel;

import static java.util.Objects.requireNonNull;

/**
 * An indicator an event met.
 *
 * @param indicator the indicator, with its sources and context
 * @param field the event field the value came from (e.g. {@code destination.ip}, {@code Hashes})
 * @param value the observable as looked up: an address, a domain (the URL's host for a domain indicator met through a
 *     URL), a single hash out of a Sysmon {@code Hashes} list, a file's base name
 */
public record IndicatorMatch(Indicator indicator, String field, String value) {
    public IndicatorMatch {
        requireNonNull(indicator, "indicator");
        requireNonNull(field, "field");
        requireNonNull(value, "value");
    }
}
