package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

/**
 * A notification rendered for one channel.
 *
 * @param title the subject or title, one line of plain text
 * @param body the body in the channel's format (plain text or markdown)
 * @param html the HTML alternative of an e-mail, or {@code null}
 */
public record RenderedMessage(String title, String body, String html) {
    public RenderedMessage {
        requireNonNull(title, "title");
        requireNonNull(body, "body");
    }
}
