package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.console.IntelView;
import dev.vigil.console.SettingsView;
import dev.vigil.meta.MetadataConfig;
import dev.vigil.meta.MetadataStore;
import dev.vigil.notify.NotificationsConfig;
import dev.vigil.store.EventStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings the console shows, built from a real configuration: every input and route, and no secret. */
class ConsoleViewsTest {
    private static final String SECRET = "S3CRET";

    @Test
    void settingsListTheInputsAndNotificationsWithEverySecretMasked(@TempDir Path dir) {
        NotificationsConfig notifications = NotificationsConfig.parse(
                Map.of(
                        "channels",
                        List.of(
                                Map.of(
                                        "name",
                                        "soar",
                                        "type",
                                        "webhook",
                                        "url",
                                        "https://soar.example.com/hooks/" + SECRET + "?k=" + SECRET,
                                        "secret",
                                        SECRET),
                                Map.of(
                                        "name", "ding",
                                        "type", "dingtalk",
                                        "url", "https://oapi.dingtalk.com/robot/send?access_token=" + SECRET),
                                Map.of(
                                        "name", "mail",
                                        "type", "email",
                                        "host", "smtp.example.com",
                                        "username", "vigil",
                                        "password", SECRET,
                                        "from", "vigil@example.com",
                                        "to", List.of("soc@example.com"))),
                        "routes",
                        List.of(
                                Map.of("name", "all", "channels", List.of("soar", "mail")),
                                Map.of(
                                        "name",
                                        "acme-high",
                                        "tenants",
                                        List.of("acme"),
                                        "min_severity",
                                        "high",
                                        "kinds",
                                        List.of("alert"),
                                        "channels",
                                        List.of("ding"),
                                        "locale",
                                        "zh-CN"))),
                "test.yaml: notifications",
                dir);
        ServerConfig config = ServerConfig.defaults().toBuilder()
                .syslog(List.of(new ServerConfig.SyslogInput("tls", "0.0.0.0", 6514, "acme", null, SECRET)))
                .tail(List.of(new ServerConfig.TailInput(Path.of("/var/log/auth.log"), "globex", "syslog")))
                .notifications(notifications)
                .build();
        SettingsView view = ConsoleViews.settings(config, () -> 18080, () -> List.of(16514));

        assertThat(view.inputs())
                .extracting(SettingsView.Input::kind)
                .containsExactly("http", "ingest", "hec", "otlp", "syslog-tls", "file");
        assertThat(view.inputs().get(0).port())
                .as("the bound port, not the configured one")
                .isEqualTo(18080);
        SettingsView.Input syslog = view.inputs().get(4);
        assertThat(syslog.port()).isEqualTo(16514);
        assertThat(syslog.tls()).isTrue();
        assertThat(syslog.tenant()).isEqualTo("acme");
        assertThat(view.inputs().get(5).address()).isEqualTo("/var/log/auth.log");

        assertThat(view.channels())
                .containsExactly(
                        new SettingsView.Channel("soar", "webhook", "https://soar.example.com/…", true),
                        new SettingsView.Channel("ding", "dingtalk", "https://oapi.dingtalk.com/…", false),
                        new SettingsView.Channel("mail", "email", "smtp.example.com:587 → soc@example.com", true));
        assertThat(view.routes())
                .containsExactly(
                        new SettingsView.Route(
                                "all", List.of(), "informational", List.of(), List.of(), List.of("soar", "mail"), "en"),
                        new SettingsView.Route(
                                "acme-high",
                                List.of("acme"),
                                "high",
                                List.of(),
                                List.of("alert"),
                                List.of("ding"),
                                "zh-CN"));
        assertThat(view.toString() + view.inputs() + view.channels() + view.routes())
                .doesNotContain(SECRET);
    }

    @Test
    void feedsShowWhereTheyArePulledFromWithoutCredentials(@TempDir Path dir) {
        ServerConfig.IntelFeed feed = new ServerConfig.IntelFeed(
                "partner",
                "taxii",
                "https://user:" + SECRET + "@taxii.example/api/collections/abc/?token=" + SECRET,
                Duration.ofHours(1),
                "acme",
                SECRET,
                null,
                null,
                null);
        Clock clock = Clock.systemUTC();
        try (MetadataStore meta = MetadataStore.open(MetadataConfig.sqlite(dir.resolve("metadata.db")), clock);
                EventStore store = EventStore.open(dir.resolve("store"))) {
            IntelService intel = new IntelService(meta, store, Duration.ofDays(1), clock);
            IntelView view = ConsoleViews.intel(intel, List.of(feed), () -> null);
            assertThat(view.feeds())
                    .containsExactly(new IntelView.Feed(
                            "partner",
                            "taxii",
                            "https://…@taxii.example/api/collections/abc/?…",
                            "acme",
                            Duration.ofHours(1),
                            null,
                            "",
                            0,
                            0,
                            ""));
            assertThat(view.indicators().size()).isZero();
        }
    }
}
