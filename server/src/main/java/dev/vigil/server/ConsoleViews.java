package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.console.IntelView;
import dev.vigil.console.Masking;
import dev.vigil.console.SettingsView;
import dev.vigil.core.TenantId;
import dev.vigil.intel.IndicatorLookup;
import dev.vigil.notify.ChannelConfig;
import dev.vigil.notify.DingTalkChannel;
import dev.vigil.notify.EmailChannel;
import dev.vigil.notify.FeishuChannel;
import dev.vigil.notify.Notification;
import dev.vigil.notify.NotificationsConfig;
import dev.vigil.notify.Route;
import dev.vigil.notify.SyslogChannel;
import dev.vigil.notify.WeComChannel;
import dev.vigil.notify.WebhookChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The console's read-only views of the server: threat intelligence (the live index and the feeds' last pulls) and the
 * settings (inputs and notifications). Secrets never leave here: feed URLs lose their credentials and query strings,
 * chat-robot and webhook URLs everything after the host, and passwords and signing secrets are reported only as set.
 */
final class ConsoleViews {
    private ConsoleViews() {}

    static IntelView intel(IntelService intel, List<ServerConfig.IntelFeed> feeds, Supplier<IntelFeeds> pulls) {
        requireNonNull(intel, "intel");
        List<ServerConfig.IntelFeed> configured = List.copyOf(feeds);
        return new IntelView() {
            @Override
            public IndicatorLookup indicators() {
                return intel.index();
            }

            @Override
            public List<Feed> feeds() {
                IntelFeeds running = pulls.get();
                Map<String, IntelFeeds.Status> status = running == null ? Map.of() : running.status();
                List<Feed> out = new ArrayList<>();
                for (ServerConfig.IntelFeed f : configured) {
                    IntelFeeds.Status s = status.get(f.name());
                    out.add(new Feed(
                            f.name(),
                            f.type(),
                            Masking.url(f.url()),
                            f.tenant(),
                            f.interval(),
                            s == null ? null : s.at(),
                            s == null ? "" : s.outcome(),
                            s == null ? 0 : s.indicators(),
                            s == null ? 0 : s.rejected(),
                            s == null ? "" : s.error()));
                }
                return out;
            }
        };
    }

    /**
     * @param httpPort the bound HTTP port (read when the page is shown: the configuration may say 0)
     * @param syslogPorts the bound syslog ports in configuration order
     */
    static SettingsView settings(ServerConfig config, IntSupplier httpPort, Supplier<List<Integer>> syslogPorts) {
        requireNonNull(config, "config");
        return new SettingsView() {
            @Override
            public List<Input> inputs() {
                List<Input> out = new ArrayList<>();
                int port = httpPort.getAsInt();
                out.add(new Input("http", config.bind(), port, false, "", "/api/v1, console /"));
                out.add(new Input("ingest", config.bind(), port, false, "", "/api/v1/ingest"));
                out.add(new Input("hec", config.bind(), port, false, "", "/services/collector"));
                out.add(new Input("otlp", config.bind(), port, false, "", "/v1/logs"));
                List<Integer> bound = syslogPorts.get();
                for (int i = 0; i < config.syslog().size(); i++) {
                    ServerConfig.SyslogInput s = config.syslog().get(i);
                    int p = i < bound.size() ? bound.get(i) : s.port();
                    out.add(new Input(
                            "syslog-" + s.protocol(),
                            s.bind() == null ? config.bind() : s.bind(),
                            p,
                            s.protocol().equals("tls"),
                            s.tenant(),
                            ""));
                }
                for (ServerConfig.TailInput t : config.tail()) {
                    out.add(new Input("file", t.path().toString(), 0, false, t.tenant(), t.format()));
                }
                return out;
            }

            @Override
            public List<Channel> channels() {
                NotificationsConfig n = config.notifications();
                if (n == null) {
                    return List.of();
                }
                List<Channel> out = new ArrayList<>();
                for (NotificationsConfig.Channel c : n.channels()) {
                    out.add(channel(c.config()));
                }
                return out;
            }

            @Override
            public List<Route> routes() {
                NotificationsConfig n = config.notifications();
                if (n == null) {
                    return List.of();
                }
                List<Route> out = new ArrayList<>();
                for (dev.vigil.notify.Route r : n.routes()) {
                    out.add(route(r));
                }
                return out;
            }
        };
    }

    static SettingsView.Channel channel(ChannelConfig config) {
        return switch (config) {
            case WebhookChannel.Config c ->
                new SettingsView.Channel(
                        c.name(), "webhook", Masking.origin(c.url().toString()), c.secret() != null);
            case DingTalkChannel.Config c ->
                new SettingsView.Channel(
                        c.name(), "dingtalk", Masking.origin(c.url().toString()), c.secret() != null);
            case FeishuChannel.Config c ->
                new SettingsView.Channel(
                        c.name(), "feishu", Masking.origin(c.url().toString()), c.secret() != null);
            case WeComChannel.Config c ->
                new SettingsView.Channel(
                        c.name(), "wecom", Masking.origin(c.url().toString()), false);
            case EmailChannel.Config c ->
                new SettingsView.Channel(
                        c.name(),
                        "email",
                        c.host() + ":" + c.port() + " → " + String.join(", ", c.to()),
                        c.password() != null);
            case SyslogChannel.Config c ->
                new SettingsView.Channel(
                        c.name(),
                        "syslog",
                        c.transport().name().toLowerCase(Locale.ROOT) + "://" + c.host() + ":" + c.port(),
                        false);
            default -> new SettingsView.Channel(config.name(), "other", Masking.HIDDEN, false);
        };
    }

    private static SettingsView.Route route(Route r) {
        return new SettingsView.Route(
                r.name(),
                r.tenants().stream().map(TenantId::value).sorted().toList(),
                r.minSeverity().sigmaLevel(),
                r.rules(),
                r.kinds().stream()
                        .map(Notification.Kind::name)
                        .map(k -> k.toLowerCase(Locale.ROOT))
                        .sorted()
                        .toList(),
                r.channels(),
                r.options().locale().tag());
    }
}
