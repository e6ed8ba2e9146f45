package dev.vigil.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/** The configuration section as docs/notifications.md shows it, read from YAML the way the server reads its file. */
class NotificationsConfigTest {
    @TempDir
    Path dir;

    static final String EXAMPLE = """
            notifications:
              dead_letters: {dir: notify-dead-letters, max: 10000}
              queue_capacity: 1000
              workers_per_channel: 2
              retry: {max_attempts: 5, initial_delay_ms: 1000, max_delay_seconds: 120, multiplier: 2.0}
              summary_interval_seconds: 60
              channels:
                - name: soar
                  type: webhook
                  url: https://soar.example.com/hooks/vigil
                  secret: change-me
                  headers: {X-Api-Key: abc123}
                  timeout_seconds: 10
                - name: soc-mail
                  type: email
                  host: smtp.example.com
                  port: 587
                  starttls: required
                  username: vigil
                  password: change-me
                  from: vigil@example.com
                  to: [soc@example.com]
                  rate_limit: {count: 30, per_seconds: 3600}
                - name: siem
                  type: syslog
                  host: siem.example.com
                  transport: tls
                  facility: 13
                - name: ding
                  type: dingtalk
                  url: https://oapi.dingtalk.com/robot/send?access_token=TOKEN
                  secret: SECxxxxxxxx
                  rate_limit: {count: 20, per_seconds: 60}
                  templates:
                    zh-CN:
                      title: "【{{severity_name}}】{{title}}"
                - name: wecom
                  type: wecom
                  url: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY
                  rate_limit: {count: 20, per_seconds: 60}
                - name: feishu
                  type: feishu
                  url: https://open.feishu.cn/open-apis/bot/v2/hook/HOOK
                  secret: fs-secret
              routes:
                - name: everything-to-soar
                  channels: [soar, siem]
                - name: acme-high
                  tenants: [acme]
                  min_severity: high
                  rules: ["proc_creation_win_*", "win_lsass_*"]
                  kinds: [alert, incident]
                  channels: [ding, wecom, feishu]
                  locale: zh-CN
                  time_zone: Asia/Shanghai
                - name: incidents-by-mail
                  kinds: [incident]
                  channels: [soc-mail]
            """;

    private static Object notifications(String yaml) {
        LoadSettings settings =
                LoadSettings.builder().setSchema(new JsonSchema()).build();
        return ((Map<?, ?>) new Load(settings).loadFromString(yaml)).get("notifications");
    }

    @Test
    void theDocumentedExampleIsRead() {
        NotificationsConfig c = NotificationsConfig.parse(notifications(EXAMPLE), "vigil.yaml: notifications", dir);
        assertThat(c.channels())
                .extracting(ch -> ch.config().name())
                .containsExactly("soar", "soc-mail", "siem", "ding", "wecom", "feishu");
        assertThat(c.channels().get(1).rateLimit())
                .isEqualTo(new NotificationDispatcher.RateLimit(30, Duration.ofHours(1)));
        assertThat(c.channels().get(2).config()).isInstanceOfSatisfying(SyslogChannel.Config.class, s -> {
            assertThat(s.port()).isEqualTo(6514);
            assertThat(s.transport()).isEqualTo(SyslogChannel.Transport.TLS);
        });
        assertThat(c.channels().get(3).config()).isInstanceOfSatisfying(DingTalkChannel.Config.class, d -> {
            assertThat(d.templates().get(MessageLocale.ZH_CN).title().name())
                    .isEqualTo("vigil.yaml: notifications.channels[3].templates.zh-CN.title");
            assertThat(d.templates().get(MessageLocale.EN).title().name()).startsWith("builtin.");
        });
        Route acme = c.routes().get(1);
        assertThat(acme.tenants()).containsExactly(TenantId.of("acme"));
        assertThat(acme.minSeverity()).isEqualTo(Severity.HIGH);
        assertThat(acme.options()).isEqualTo(new RenderOptions(MessageLocale.ZH_CN, ZoneId.of("Asia/Shanghai")));
        assertThat(c.settings().retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(c.deadLetterDir()).isEqualTo(dir.resolve("notify-dead-letters"));
    }

    @Test
    void mistakesNameTheKey() {
        assertThatThrownBy(() -> NotificationsConfig.parse(
                        notifications(EXAMPLE.replace("type: wecom", "type: wechat")),
                        "vigil.yaml: notifications",
                        dir))
                .hasMessage("vigil.yaml: notifications.channels[4].type: must be webhook, email, syslog, dingtalk,"
                        + " wecom or feishu, not 'wechat'");
        assertThatThrownBy(() -> NotificationsConfig.parse(
                        notifications(EXAMPLE.replace("channels: [soc-mail]", "channels: [soc-mial]")), "f: n", dir))
                .hasMessage("f: n.routes[2].channels: no channel is named 'soc-mial'");
        assertThatThrownBy(() -> NotificationsConfig.parse(
                        notifications(EXAMPLE.replace("title: \"【{{severity_name}}】{{title}}\"", "title: \"{{sev}}\"")),
                        "f: n",
                        dir))
                .hasMessageStartingWith(
                        "template f: n.channels[3].templates.zh-CN.title at offset 0: unknown variable 'sev'");
        assertThatThrownBy(() -> NotificationsConfig.parse(
                        notifications(EXAMPLE.replace("min_severity: high", "min_severity: severe")), "f: n", dir))
                .hasMessageStartingWith("f: n.routes[1].min_severity: unknown Sigma level 'severe'");
        assertThatThrownBy(() -> NotificationsConfig.parse(
                        notifications(EXAMPLE.replace("timeout_seconds: 10", "timeout: 10")), "f: n", dir))
                .hasMessageStartingWith("f: n.channels[0].timeout: unknown key");
    }

    @Test
    void aStartedDispatcherDeliversThroughTheConfiguredWebhook() throws Exception {
        try (LoopbackHttpServer receiver = new LoopbackHttpServer()) {
            String yaml = """
                    notifications:
                      channels:
                        - {name: hook, type: webhook, url: "%s", secret: s3}
                      routes:
                        - {channels: [hook], min_severity: medium}
                    """.formatted(receiver.uri("/hook"));
            NotificationsConfig c = NotificationsConfig.parse(notifications(yaml), "f: notifications", dir);
            NotificationCounters counters = new NotificationCounters();
            NotificationDispatcher d = c.start(counters, InstantSource.system(), p -> {
                throw new AssertionError(p.toString());
            });
            try {
                assertThat(d.submit(Samples.hostile())).isEqualTo(1);
                assertThat(d.submit(Samples.alert("acme", "low", Severity.LOW, "r")))
                        .isZero();
                assertThat(d.awaitIdle(Duration.ofSeconds(30))).isTrue();
            } finally {
                d.close();
            }
            assertThat(counters.sent()).isEqualTo(1);
            assertThat(new ObjectMapper()
                            .readTree(receiver.requests().getFirst().body())
                            .get("id")
                            .asText())
                    .isEqualTo("a-1001");
        }
    }
}
