package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;

/**
 * A DingTalk (钉钉) group's custom robot: a markdown message POSTed to the robot's webhook URL (which carries its
 * {@code access_token}). With a signing secret ("加签"), the query gets {@code timestamp} (Unix milliseconds) and {@code
 * sign}: {@link Signatures#dingTalk} URL-encoded. The reply's {@code errcode} must be 0; 130101 (sending too fast) and
 * -1 (busy) are retried.
 */
public final class DingTalkChannel implements NotificationChannel {
    static final Set<Long> RETRYABLE_CODES = Set.of(130101L, -1L);

    /**
     * @param name the channel's name
     * @param url the robot's webhook URL, {@code https://oapi.dingtalk.com/robot/send?access_token=…}
     * @param secret the signing secret ({@code SEC…}), or {@code null} when the robot uses keywords or IP lists
     * @param connectTimeout how long to wait for a connection
     * @param requestTimeout how long to wait for the reply
     * @param templates per-locale templates, or {@code null} for the built-in markdown ones
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
            templates = BuiltinTemplates.withDefaults(TemplateStyle.MARKDOWN, templates);
        }

        public Config(String name, URI url, String secret) {
            this(name, url, secret, null, null, null);
        }
    }

    private final Config config;
    private final InstantSource clock;
    private final HttpDelivery http;

    public DingTalkChannel(Config config, InstantSource clock) {
        this.config = requireNonNull(config, "config");
        this.clock = requireNonNull(clock, "clock");
        this.http = new HttpDelivery(config.connectTimeout(), config.requestTimeout());
    }

    @Override
    public String name() {
        return config.name();
    }

    /** The URL of one request: the configured one, plus {@code timestamp} and {@code sign} when signing. */
    URI signedUrl(long timestampMillis) {
        if (config.secret() == null) {
            return config.url();
        }
        String sign = URLEncoder.encode(Signatures.dingTalk(config.secret(), timestampMillis), StandardCharsets.UTF_8);
        String url = config.url().toString();
        return URI.create(url + (url.contains("?") ? "&" : "?") + "timestamp=" + timestampMillis + "&sign=" + sign);
    }

    @Override
    public DeliveryOutcome deliver(Notification n, RenderOptions options) {
        RenderedMessage m =
                MessageRenderer.render(config.templates().get(options.locale()), n, options.locale(), options.zone());
        ObjectNode body = NotificationJson.MAPPER.createObjectNode();
        body.put("msgtype", "markdown");
        body.putObject("markdown").put("title", m.title()).put("text", m.body());
        try {
            HttpDelivery.Reply reply = http.post(
                    signedUrl(clock.millis()), NotificationJson.bytes(body), "application/json;charset=utf-8");
            return ChatRobots.outcome("DingTalk", reply, clock.instant(), RETRYABLE_CODES, "errcode");
        } catch (Exception e) {
            return HttpDelivery.ioFailure(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
