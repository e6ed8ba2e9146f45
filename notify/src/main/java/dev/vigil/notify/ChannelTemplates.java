package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

/**
 * The templates of one channel in one language.
 *
 * @param title the subject or title, rendered with {@link TextFormat#PLAIN}
 * @param body the body, rendered with {@code bodyFormat}
 * @param bodyFormat how values are escaped in the body
 * @param html an HTML body for e-mail (rendered with {@link TextFormat#HTML}), or {@code null}
 */
public record ChannelTemplates(Template title, Template body, TextFormat bodyFormat, Template html) {
    public ChannelTemplates {
        requireNonNull(title, "title");
        requireNonNull(body, "body");
        requireNonNull(bodyFormat, "bodyFormat");
    }

    /**
     * Compiles templates given as text, e.g. from configuration; {@code where} prefixes the names in error messages.
     */
    public static ChannelTemplates compile(
            String where, String title, String body, TextFormat bodyFormat, String html) {
        return new ChannelTemplates(
                Template.compile(where + ".title", title),
                Template.compile(where + ".body", body),
                bodyFormat,
                html == null ? null : Template.compile(where + ".html", html));
    }
}
