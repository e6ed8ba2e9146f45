package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * POSTs each notification as JSON to a URL, signed with HMAC-SHA256 when a secret is configured. The payload is the
 * {@linkplain NotificationJson notification} plus {@code schema}, {@code delivery} (the same on every retry of one
 * notification, for receivers to deduplicate) and {@code message} (the rendered title and text); the headers are
 * {@code X-Vigil-Timestamp} (Unix seconds of this attempt), {@code X-Vigil-Signature} ({@link Signatures#webhook}) and
 * {@code X-Vigil-Delivery}. See docs/notifications.md for how a receiver verifies them.
 */
public final class WebhookChannel implements NotificationChannel {
    /** The payload's schema name; a receiver checks it before reading the rest. */
    public static final String SCHEMA = "vigil.notification.v1";

    /**
     * @param name the channel's name
     * @param url where to POST
     * @param secret the HMAC key shared with the receiver, or {@code null} to send unsigned
     * @param headers extra request headers (e.g. an API key the receiver wants)
     * @param connectTimeout how long to wait for a connection
     * @param requestTimeout how long to wait for the whole reply
     * @param templates per-locale templates of {@code message}, or {@code null} for the built-in text ones
     */
    public record Config(
            String name,
            URI url,
            String secret,
            Map<String, String> headers,
            Duration connectTimeout,
            Duration requestTimeout,
            Map<MessageLocale, ChannelTemplates> templates)
            implements ChannelConfig {
        public Config {
            requireNonNull(name, "name");
            requireNonNull(url, "url");
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
            requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
            templates = BuiltinTemplates.withDefaults(TemplateStyle.TEXT, templates);
            if (secret != null && secret.isEmpty()) {
                throw new IllegalArgumentException("channel " + name + ": secret is empty");
            }
        }

        public Config(String name, URI url, String secret) {
            this(name, url, secret, null, null, null, null);
        }
    }

    private final Config config;
    private final InstantSource clock;
    private final HttpDelivery http;
    private final String[] headers;

    public WebhookChannel(Config config, InstantSource clock) {
        this.config = requireNonNull(config, "config");
        this.clock = requireNonNull(clock, "clock");
        this.http = new HttpDelivery(config.connectTimeout(), config.requestTimeout());
        List<String> h = new ArrayList<>();
        config.headers().forEach((k, v) -> {
            h.add(k);
            h.add(v);
        });
        this.headers = h.toArray(String[]::new);
    }

    @Override
    public String name() {
        return config.name();
    }

    /** The body this channel POSTs for {@code n}. */
    public byte[] payload(Notification n, RenderOptions options) {
        RenderedMessage m =
                MessageRenderer.render(config.templates().get(options.locale()), n, options.locale(), options.zone());
        ObjectNode o = NotificationJson.MAPPER.createObjectNode();
        o.put("schema", SCHEMA);
        o.put("delivery", deliveryId(n));
        NotificationJson.write(n, o);
        o.putObject("message").put("title", m.title()).put("text", m.body());
        return NotificationJson.bytes(o);
    }

    private String deliveryId(Notification n) {
        return config.name() + ":" + n.tenant().value() + ":" + n.id();
    }

    @Override
    public DeliveryOutcome deliver(Notification n, RenderOptions options) {
        byte[] body = payload(n, options);
        long timestamp = clock.instant().getEpochSecond();
        List<String> h = new ArrayList<>(List.of(headers));
        h.add("X-Vigil-Timestamp");
        h.add(Long.toString(timestamp));
        h.add("X-Vigil-Delivery");
        h.add(deliveryId(n));
        if (config.secret() != null) {
            h.add("X-Vigil-Signature");
            h.add(Signatures.webhook(config.secret(), timestamp, body));
        }
        try {
            HttpDelivery.Reply reply = http.post(config.url(), body, "application/json", h.toArray(String[]::new));
            return reply.success() ? DeliveryOutcome.delivered() : reply.failure(clock.instant());
        } catch (Exception e) {
            return HttpDelivery.ioFailure(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
