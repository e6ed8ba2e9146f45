package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.ProblemSink;
import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@code notifications:} section of the server's configuration, read from the tree a YAML loader produced (maps,
 * lists, strings, numbers, booleans), and how to start a dispatcher from it. The shape is documented in
 * docs/notifications.md. Every mistake is reported with the path of the key, e.g. {@code vigil.yaml:
 * notifications.channels[2].url: required}.
 *
 * @param channels the channels in order, with their rate limits
 * @param routes the routes in order
 * @param settings queue, workers, retries, summaries
 * @param deadLetterDir the directory of the dead-letter file
 * @param maxDeadLetters the most dead letters kept
 */
public record NotificationsConfig(
        List<Channel> channels,
        List<Route> routes,
        NotificationDispatcher.Settings settings,
        Path deadLetterDir,
        int maxDeadLetters) {

    /** A channel's configuration and its rate limit ({@code null} for none). */
    public record Channel(ChannelConfig config, NotificationDispatcher.RateLimit rateLimit) {
        public Channel {
            requireNonNull(config, "config");
        }
    }

    public NotificationsConfig {
        channels = List.copyOf(channels);
        routes = List.copyOf(routes);
        requireNonNull(settings, "settings");
        requireNonNull(deadLetterDir, "deadLetterDir");
    }

    /**
     * Reads the section.
     *
     * @param section the {@code notifications} mapping ({@code null}: no channels, no routes)
     * @param where the file and key path for messages, e.g. {@code "vigil.yaml: notifications"}
     * @param base the directory relative paths (trust stores, the dead-letter directory) resolve against
     * @throws IllegalArgumentException naming the key that is wrong and why
     */
    public static NotificationsConfig parse(Object section, String where, Path base) {
        Node root = new Node(where, section == null ? Map.of() : map(section, where));
        root.allow(
                "channels",
                "routes",
                "queue_capacity",
                "workers_per_channel",
                "retry",
                "summary_interval_seconds",
                "shutdown_grace_seconds",
                "dead_letters");
        Node retry = root.child("retry");
        retry.allow("max_attempts", "initial_delay_ms", "max_delay_seconds", "multiplier");
        RetryPolicy policy = new RetryPolicy(
                retry.integer("max_attempts", 5, 1, 100),
                Duration.ofMillis(retry.integer("initial_delay_ms", 1000, 0, 3_600_000)),
                Duration.ofSeconds(retry.integer("max_delay_seconds", 120, 1, 86_400)),
                retry.number("multiplier", 2.0, 1.0, 10.0));
        NotificationDispatcher.Settings settings = new NotificationDispatcher.Settings(
                root.integer("queue_capacity", 1000, 1, 1_000_000),
                root.integer("workers_per_channel", 2, 1, 64),
                policy,
                Duration.ofSeconds(root.integer("summary_interval_seconds", 60, 1, 86_400)),
                Duration.ofSeconds(root.integer("shutdown_grace_seconds", 10, 0, 3600)));
        Node dead = root.child("dead_letters");
        dead.allow("dir", "max");
        Path deadDir = base.resolve(dead.string("dir", "notify-dead-letters"));
        int maxDead = dead.integer("max", 10_000, 1, 10_000_000);

        List<Channel> channels = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Node c : root.list("channels")) {
            Channel channel = channel(c, base);
            if (!names.add(channel.config().name())) {
                throw c.error(
                        "name", "another channel is named '" + channel.config().name() + "'");
            }
            channels.add(channel);
        }
        List<Route> routes = new ArrayList<>();
        for (Node r : root.list("routes")) {
            routes.add(route(r, names));
        }
        return new NotificationsConfig(channels, routes, settings, deadDir, maxDead);
    }

    /**
     * Opens the dead-letter store, creates the channels and starts a dispatcher.
     *
     * @param problems receives unreadable lines of the dead-letter file
     */
    public NotificationDispatcher start(NotificationListener listener, InstantSource clock, ProblemSink problems)
            throws IOException {
        NotificationDispatcher.Builder b = NotificationDispatcher.builder()
                .deadLetters(new JsonLinesDeadLetterStore(deadLetterDir, maxDeadLetters, problems))
                .listener(listener)
                .clock(clock)
                .settings(settings)
                .routes(routes);
        for (Channel c : channels) {
            b.channel(ChannelConfig.create(c.config(), clock), c.rateLimit());
        }
        return b.build();
    }

    private static Channel channel(Node c, Path base) {
        String name = c.required("name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw c.error("name", "use 1 to 64 letters, digits, '.', '_' or '-', not '" + name + "'");
        }
        String type = c.required("type").toLowerCase(Locale.ROOT);
        Set<String> common = Set.of("name", "type", "rate_limit", "templates", "connect_timeout_seconds");
        Duration connect = Duration.ofSeconds(c.integer("connect_timeout_seconds", 5, 1, 300));
        ChannelConfig config = switch (type) {
            case "webhook" -> {
                c.allow(common, "url", "secret", "headers", "timeout_seconds");
                Map<String, String> headers = new LinkedHashMap<>();
                Node h = c.child("headers");
                h.values.forEach((k, v) -> headers.put(k, h.string(k, "")));
                yield new WebhookChannel.Config(
                        name,
                        c.uri("url"),
                        c.string("secret", null),
                        headers,
                        connect,
                        Duration.ofSeconds(c.integer("timeout_seconds", 10, 1, 300)),
                        templates(c, name, TemplateStyle.TEXT));
            }
            case "email" -> {
                c.allow(
                        common,
                        "host",
                        "port",
                        "starttls",
                        "username",
                        "password",
                        "from",
                        "to",
                        "timeout_seconds",
                        "trust_store",
                        "trust_store_password");
                String startTls = c.string("starttls", "required").toUpperCase(Locale.ROOT);
                EmailChannel.StartTls policy;
                try {
                    policy = EmailChannel.StartTls.valueOf(startTls);
                } catch (IllegalArgumentException e) {
                    throw c.error("starttls", "must be required, opportunistic or off, not '" + startTls + "'");
                }
                yield new EmailChannel.Config(
                        name,
                        c.required("host"),
                        c.integer("port", 587, 1, 65535),
                        policy,
                        c.string("username", null),
                        c.string("password", null),
                        c.required("from"),
                        c.strings("to"),
                        connect,
                        Duration.ofSeconds(c.integer("timeout_seconds", 30, 1, 600)),
                        trust(c, base),
                        templates(c, name, TemplateStyle.EMAIL));
            }
            case "syslog" -> {
                c.allow(
                        common,
                        "host",
                        "port",
                        "transport",
                        "facility",
                        "hostname",
                        "trust_store",
                        "trust_store_password");
                String t = c.string("transport", "tcp").toUpperCase(Locale.ROOT);
                SyslogChannel.Transport transport;
                try {
                    transport = SyslogChannel.Transport.valueOf(t);
                } catch (IllegalArgumentException e) {
                    throw c.error("transport", "must be udp, tcp or tls, not '" + t.toLowerCase(Locale.ROOT) + "'");
                }
                yield new SyslogChannel.Config(
                        name,
                        c.required("host"),
                        c.integer("port", transport == SyslogChannel.Transport.TLS ? 6514 : 514, 1, 65535),
                        transport,
                        c.integer("facility", 13, 0, 23),
                        c.string("hostname", null),
                        connect,
                        trust(c, base),
                        templates(c, name, TemplateStyle.TEXT));
            }
            case "dingtalk" -> {
                c.allow(common, "url", "secret", "timeout_seconds");
                yield new DingTalkChannel.Config(
                        name,
                        c.uri("url"),
                        c.string("secret", null),
                        connect,
                        Duration.ofSeconds(c.integer("timeout_seconds", 10, 1, 300)),
                        templates(c, name, TemplateStyle.MARKDOWN));
            }
            case "wecom" -> {
                c.allow(common, "url", "timeout_seconds");
                yield new WeComChannel.Config(
                        name,
                        c.uri("url"),
                        connect,
                        Duration.ofSeconds(c.integer("timeout_seconds", 10, 1, 300)),
                        templates(c, name, TemplateStyle.MARKDOWN));
            }
            case "feishu", "lark" -> {
                c.allow(common, "url", "secret", "timeout_seconds");
                yield new FeishuChannel.Config(
                        name,
                        c.uri("url"),
                        c.string("secret", null),
                        connect,
                        Duration.ofSeconds(c.integer("timeout_seconds", 10, 1, 300)),
                        templates(c, name, TemplateStyle.CHAT_TEXT));
            }
            default ->
                throw c.error("type", "must be webhook, email, syslog, dingtalk, wecom or feishu, not '" + type + "'");
        };
        NotificationDispatcher.RateLimit limit = null;
        if (c.has("rate_limit")) {
            Node r = c.child("rate_limit");
            r.allow("count", "per_seconds");
            limit = new NotificationDispatcher.RateLimit(
                    r.integer("count", 0, 1, 1_000_000), Duration.ofSeconds(r.integer("per_seconds", 60, 1, 86_400)));
        }
        return new Channel(config, limit);
    }

    private static Map<MessageLocale, ChannelTemplates> templates(Node c, String name, TemplateStyle style) {
        Node t = c.child("templates");
        Map<MessageLocale, ChannelTemplates> out = new EnumMap<>(MessageLocale.class);
        for (String tag : t.values.keySet()) {
            MessageLocale locale;
            try {
                locale = MessageLocale.parse(tag);
            } catch (IllegalArgumentException e) {
                throw t.error(tag, e.getMessage());
            }
            Node l = t.child(tag);
            l.allow("title", "body", "html");
            ChannelTemplates builtin = BuiltinTemplates.of(style, locale);
            String where = l.path;
            out.put(
                    locale,
                    new ChannelTemplates(
                            l.has("title")
                                    ? Template.compile(where + ".title", l.string("title", ""))
                                    : builtin.title(),
                            l.has("body") ? Template.compile(where + ".body", l.string("body", "")) : builtin.body(),
                            builtin.bodyFormat(),
                            l.has("html") ? Template.compile(where + ".html", l.string("html", "")) : builtin.html()));
        }
        return out.isEmpty() ? null : out;
    }

    private static SSLContext trust(Node c, Path base) {
        String store = c.string("trust_store", null);
        if (store == null) {
            return null;
        }
        Path file = base.resolve(store);
        char[] password = c.string("trust_store_password", "").toCharArray();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw c.error("trust_store", "cannot read PKCS12 trust store " + file + ": " + e.getMessage());
        }
    }

    private static Route route(Node r, Set<String> channels) {
        r.allow("name", "tenants", "min_severity", "rules", "kinds", "channels", "locale", "time_zone");
        String name = r.string("name", r.path);
        Set<TenantId> tenants = new HashSet<>();
        for (String t : r.strings("tenants")) {
            try {
                tenants.add(TenantId.of(t));
            } catch (IllegalArgumentException e) {
                throw r.error("tenants", e.getMessage());
            }
        }
        Set<Notification.Kind> kinds = new HashSet<>();
        for (String k : r.strings("kinds")) {
            try {
                kinds.add(Notification.Kind.parse(k));
            } catch (IllegalArgumentException e) {
                throw r.error("kinds", e.getMessage());
            }
        }
        Severity min;
        try {
            min = Severity.fromSigmaLevel(r.string("min_severity", "informational"));
        } catch (IllegalArgumentException e) {
            throw r.error("min_severity", e.getMessage());
        }
        List<String> targets = r.strings("channels");
        if (targets.isEmpty()) {
            throw r.error("channels", "required: the channels this route sends to");
        }
        for (String t : targets) {
            if (!channels.contains(t)) {
                throw r.error("channels", "no channel is named '" + t + "'");
            }
        }
        MessageLocale locale;
        ZoneId zone;
        try {
            locale = MessageLocale.parse(r.string("locale", "en"));
        } catch (IllegalArgumentException e) {
            throw r.error("locale", e.getMessage());
        }
        try {
            zone = ZoneId.of(r.string("time_zone", "UTC"));
        } catch (RuntimeException e) {
            throw r.error("time_zone", "unknown time zone: " + e.getMessage());
        }
        return new Route(name, tenants, min, r.strings("rules"), kinds, targets, new RenderOptions(locale, zone));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String where) {
        if (o instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!(k instanceof String)) {
                    throw new IllegalArgumentException(where + ": key " + k + " must be text");
                }
            }
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException(where + ": must be a mapping");
    }

    /** One mapping of the tree with the path that leads to it. */
    private record Node(String path, Map<String, Object> values) {
        IllegalArgumentException error(String key, String message) {
            return new IllegalArgumentException(path + "." + key + ": " + message);
        }

        boolean has(String key) {
            return values.containsKey(key);
        }

        void allow(String... keys) {
            allow(Set.of(), keys);
        }

        void allow(Set<String> common, String... keys) {
            Set<String> allowed = new HashSet<>(common);
            allowed.addAll(List.of(keys));
            for (String k : values.keySet()) {
                if (!allowed.contains(k)) {
                    throw error(
                            k,
                            "unknown key (known: "
                                    + String.join(
                                            ", ", allowed.stream().sorted().toList()) + ")");
                }
            }
        }

        Node child(String key) {
            Object v = values.get(key);
            return new Node(path + "." + key, v == null ? Map.of() : map(v, path + "." + key));
        }

        List<Node> list(String key) {
            Object v = values.get(key);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List<?> l)) {
                throw error(key, "must be a list");
            }
            List<Node> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                String p = path + "." + key + "[" + i + "]";
                out.add(new Node(p, map(l.get(i), p)));
            }
            return out;
        }

        String string(String key, String dflt) {
            Object v = values.get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Map<?, ?> || v instanceof List<?>) {
                throw error(key, "must be a single value");
            }
            return String.valueOf(v);
        }

        String required(String key) {
            String s = string(key, null);
            if (s == null || s.isBlank()) {
                throw error(key, "required");
            }
            return s;
        }

        URI uri(String key) {
            String s = required(key);
            try {
                URI u = new URI(s);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("https") && !scheme.equals("http") || u.getHost() == null) {
                    throw error(key, "must be an http or https URL, not '" + s + "'");
                }
                return u;
            } catch (URISyntaxException e) {
                throw error(key, "invalid URL: " + e.getMessage());
            }
        }

        List<String> strings(String key) {
            Object v = values.get(key);
            if (v == null) {
                return List.of();
            }
            if (v instanceof String s) {
                return List.of(s);
            }
            if (!(v instanceof List<?> l)) {
                throw error(key, "must be a list");
            }
            List<String> out = new ArrayList<>();
            l.forEach(o -> out.add(String.valueOf(o)));
            return out;
        }

        int integer(String key, int dflt, int min, int max) {
            Object v = values.get(key);
            if (v == null) {
                if (dflt < min) {
                    throw error(key, "required");
                }
                return dflt;
            }
            if (!(v instanceof Number n) || n.longValue() != n.doubleValue()) {
                throw error(key, "must be a whole number, not '" + v + "'");
            }
            long l = n.longValue();
            if (l < min || l > max) {
                throw error(key, "must be between " + min + " and " + max + ", not " + l);
            }
            return (int) l;
        }

        double number(String key, double dflt, double min, double max) {
            Object v = values.get(key);
            if (v == null) {
                return dflt;
            }
            if (!(v instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max) {
                throw error(key, "must be a number between " + min + " and " + max + ", not '" + v + "'");
            }
            return n.doubleValue();
        }
    }
}
