package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;

/**
 * A WeCom (企业微信) group robot: a markdown message POSTed to the robot's webhook URL, whose {@code key} parameter is
 * the only credential (WeCom robots have no signature). The content is cut to WeCom's limit of 4096 UTF-8 bytes at a
 * character boundary, never inside an escape. The reply's {@code errcode} must be 0; 45009 (API frequency limit) and
 * -1 (busy) are retried.
 */
public final class WeComChannel implements NotificationChannel {
    /** WeCom's limit on a markdown message's content, in UTF-8 bytes. */
    public static final int MAX_CONTENT_BYTES = 4096;

    static final Set<Long> RETRYABLE_CODES = Set.of(45009L, -1L);

    /**
     * @param name the channel's name
     * @param url the robot's webhook URL, {@code https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…}
     * @param connectTimeout how long to wait for a connection
     * @param requestTimeout how long to wait for the reply
     * @param templates per-locale templates, or {@code null} for the built-in markdown ones
     */
    public record Config(
            String name,
            URI url,
            Duration connectTimeout,
            Duration requestTimeout,
            Map<MessageLocale, ChannelTemplates> templates)
            implements ChannelConfig {
        public Config {
            requireNonNull(name, "name");
            requireNonNull(url, "url");
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
            requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
            templates = BuiltinTemplates.withDefaults(TemplateStyle.MARKDOWN, templates);
        }

        public Config(String name, URI url) {
            this(name, url, null, null, null);
        }
    }

    private final Config config;
    private final InstantSource clock;
    private final HttpDelivery http;

    public WeComChannel(Config config, InstantSource clock) {
        this.config = requireNonNull(config, "config");
        this.clock = requireNonNull(clock, "clock");
        this.http = new HttpDelivery(config.connectTimeout(), config.requestTimeout());
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public DeliveryOutcome deliver(Notification n, RenderOptions options) {
        RenderedMessage m =
                MessageRenderer.render(config.templates().get(options.locale()), n, options.locale(), options.zone());
        ObjectNode body = NotificationJson.MAPPER.createObjectNode();
        body.put("msgtype", "markdown");
        body.putObject("markdown").put("content", truncate(m.body(), MAX_CONTENT_BYTES));
        try {
            HttpDelivery.Reply reply = http.post(config.url(), NotificationJson.bytes(body), "application/json");
            return ChatRobots.outcome("WeCom", reply, clock.instant(), RETRYABLE_CODES, "errcode");
        } catch (Exception e) {
            return HttpDelivery.ioFailure(e);
        }
    }

    /**
     * {@code markdown} cut to at most {@code maxBytes} UTF-8 bytes, ending with "…" when cut; never in the middle of a
     * surrogate pair or after a lone escaping backslash.
     */
    static String truncate(String markdown, int maxBytes) {
        if (markdown.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return markdown;
        }
        String ellipsis = "\n\n…";
        int budget = maxBytes - ellipsis.getBytes(StandardCharsets.UTF_8).length;
        int bytes = 0;
        int end = 0;
        while (end < markdown.length()) {
            int cp = markdown.codePointAt(end);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > budget) {
                break;
            }
            bytes += len;
            end += Character.charCount(cp);
        }
        int backslashes = 0;
        while (backslashes < end && markdown.charAt(end - 1 - backslashes) == '\\') {
            backslashes++;
        }
        if (backslashes % 2 == 1) {
            end--;
        }
        return markdown.substring(0, end) + ellipsis;
    }

    @Override
    public void close() {
        http.close();
    }
}
