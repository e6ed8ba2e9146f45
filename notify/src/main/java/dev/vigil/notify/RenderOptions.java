package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import java.time.ZoneId;

/**
 * How a route wants its messages written.
 *
 * @param locale the template language
 * @param zone the time zone of times in the message
 */
public record RenderOptions(MessageLocale locale, ZoneId zone) {
    public static final RenderOptions DEFAULT = new RenderOptions(MessageLocale.EN, ZoneId.of("UTC"));

    public RenderOptions {
        requireNonNull(locale, "locale");
        requireNonNull(zone, "zone");
    }
}
