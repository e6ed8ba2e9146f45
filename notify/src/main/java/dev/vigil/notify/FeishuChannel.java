package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;

/**
 * A Feishu (飞书) or Lark group's custom bot. The message is a rich-text {@code post} whose lines are plain {@code
 * text} elements, so nothing in a value can become markup or a mention, and URLs in values are defanged so the client
 * does not link them. With a signing secret ("签名校验"), the body carries {@code timestamp} (Unix seconds) and {@code sign}
 * ({@link Signatures#feishu}). The reply's {@code code} (or the older {@code StatusCode}) must be 0; 11232 and 9499
 * (frequency limits) are retried.
 */
public final class FeishuChannel implements NotificationChannel {
    static final Set<Long> RETRYABLE_CODES = Set.of(11232L, 9499L);

    /**
     * @param name the channel's name
     * @param url the bot's webhook URL, {@code https://open.feishu.cn/open-apis/bot/v2/hook/…}
     * @param secret the signing secret, or {@code null} when the bot uses keywords or IP lists
     * @param connectTimeout how long to wait for a connection
     * @param requestTimeout how long to wait for the reply
     * @param templates per-locale templates, or {@code null} for the built-in defanged text ones
     */
    public record Config(
            String name,
            URI url,
            String secret,
            Duration connectTimeout,
            Duration requestTimeout,
            Map<MessageLocale, ChannelTemplates> templates)
            implements ChannelConfig {
        public Config {
            requireNonNull(name, "name");
            requireNonNull(url, "url");
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
            requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
            templates = BuiltinTemplates.withDefaults(TemplateStyle.CHAT_TEXT, templates);
        }

        public Config(String name, URI url, String secret) {
            this(name, url, secret, null, null, null);
        }
    }

    private final Config config;
    private final InstantSource clock;
    private final HttpDelivery http;

    public FeishuChannel(Config config, InstantSource clock) {
        this.config = requireNonNull(config, "config");
        this.clock = requireNonNull(clock, "clock");
        this.http = new HttpDelivery(config.connectTimeout(), config.requestTimeout());
    }

    @Override
    public String name() {
        return config.name();
    }

    /** The request body for {@code n} signed at {@code timestampSeconds}. */
    ObjectNode body(Notification n, RenderOptions options, long timestampSeconds) {
        RenderedMessage m =
                MessageRenderer.render(config.templates().get(options.locale()), n, options.locale(), options.zone());
        ObjectNode body = NotificationJson.MAPPER.createObjectNode();
        if (config.secret() != null) {
            body.put("timestamp", Long.toString(timestampSeconds));
            body.put("sign", Signatures.feishu(config.secret(), timestampSeconds));
        }
        body.put("msg_type", "post");
        ObjectNode post = body.putObject("content")
                .putObject("post")
                .putObject(options.locale() == MessageLocale.ZH_CN ? "zh_cn" : "en_us");
        post.put("title", m.title());
        ArrayNode lines = post.putArray("content");
        for (String line : m.body().strip().split("\n")) {
            lines.addArray().addObject().put("tag", "text").put("text", line);
        }
        return body;
    }

    @Override
    public DeliveryOutcome deliver(Notification n, RenderOptions options) {
        byte[] body = NotificationJson.bytes(body(n, options, clock.instant().getEpochSecond()));
        try {
            HttpDelivery.Reply reply = http.post(config.url(), body, "application/json");
            return ChatRobots.outcome("Feishu", reply, clock.instant(), RETRYABLE_CODES, "code", "StatusCode");
        } catch (Exception e) {
            return HttpDelivery.ioFailure(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
