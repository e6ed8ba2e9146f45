package dev.vigil.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.alert.Severity;
import dev.vigil.notify.LoopbackHttpServer.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DingTalk, WeCom and Feishu robots against loopback receivers that check requests as the vendors document: the
 * signatures are recomputed here with {@link Mac} directly from the documented recipes, not with {@link Signatures}.
 */
class ChatRobotChannelsTest {
    private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RenderOptions ZH = new RenderOptions(MessageLocale.ZH_CN, ZoneId.of("Asia/Shanghai"));

    private LoopbackHttpServer receiver;

    @BeforeEach
    void start() throws IOException {
        receiver = new LoopbackHttpServer();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> query(LoopbackHttpServer.Request r) {
        Map<String, String> params = new HashMap<>();
        for (String pair : r.uri().getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static JsonNode json(LoopbackHttpServer.Request r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // DingTalk: sign = urlEncode(base64(HmacSHA256(key = secret, data = timestamp + "\n" + secret))), timestamp in ms,
    // both as query parameters; the server refuses a timestamp more than an hour from its clock.
    private static Reply dingTalkCheck(LoopbackHttpServer.Request r, String secret) {
        Map<String, String> q = query(r);
        long ts = Long.parseLong(q.get("timestamp"));
        String expected = Base64.getEncoder()
                .encodeToString(hmacSha256(
                        secret.getBytes(StandardCharsets.UTF_8),
                        (q.get("timestamp") + "\n" + secret).getBytes(StandardCharsets.UTF_8)));
        if (!"tok123".equals(q.get("access_token"))
                || Math.abs(ts - NOW.toEpochMilli()) > 3_600_000
                || !expected.equals(q.get("sign"))) {
            return Reply.of(200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}");
        }
        return null;
    }

    @Test
    void dingTalkSignsTheQueryAndSendsEscapedMarkdown() {
        String secret = "SEC0123456789abcdef+/=";
        receiver.check(r -> dingTalkCheck(r, secret)).fallback(Reply.of(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
        try (DingTalkChannel channel = new DingTalkChannel(
                new DingTalkChannel.Config("ding", receiver.uri("/robot/send?access_token=tok123"), secret), CLOCK)) {
            assertThat(channel.deliver(Samples.hostile(), ZH)).isInstanceOf(DeliveryOutcome.Delivered.class);
        }
        LoopbackHttpServer.Request r = receiver.requests().getFirst();
        assertThat(query(r).get("timestamp")).isEqualTo(Long.toString(NOW.toEpochMilli()));
        JsonNode body = json(r);
        assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
        assertThat(body.at("/markdown/title").asText()).startsWith("【高危】Office");
        String text = body.at("/markdown/text").asText();
        assertThat(text)
                .startsWith("### 高危告警：Office \\<script\\>")
                .contains("\\*\\*admin\\*\\*")
                .contains("hxxp\\[:\\]//evil.example")
                .contains("[在 Vigil 中查看](https://vigil.example.com/alerts/a-1001?tenant=acme)");
        assertThat(text.split("\\]\\(", -1)).hasSize(2);
    }

    @Test
    void dingTalkRefusalsAndRateLimitsAreTold() {
        receiver.check(r -> dingTalkCheck(r, "SECright"))
                .script(Reply.of(200, "{\"errcode\":130101,\"errmsg\":\"send too fast, exceed 20 times per minute\"}"))
                .fallback(Reply.of(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
        URIHolder url = new URIHolder(receiver.uri("/robot/send?access_token=tok123"));
        try (DingTalkChannel right =
                        new DingTalkChannel(new DingTalkChannel.Config("ding", url.uri, "SECright"), CLOCK);
                DingTalkChannel wrong =
                        new DingTalkChannel(new DingTalkChannel.Config("ding", url.uri, "SECwrong"), CLOCK)) {
            assertThat(right.deliver(Samples.hostile(), RenderOptions.DEFAULT))
                    .isEqualTo(new DeliveryOutcome.Retryable(
                            "DingTalk error 130101: send too fast, exceed 20 times per minute", null));
            assertThat(right.deliver(Samples.hostile(), RenderOptions.DEFAULT))
                    .isInstanceOf(DeliveryOutcome.Delivered.class);
            assertThat(wrong.deliver(Samples.hostile(), RenderOptions.DEFAULT))
                    .isEqualTo(new DeliveryOutcome.Failed("DingTalk error 310000: sign not match"));
        }
    }

    private record URIHolder(java.net.URI uri) {}

    @Test
    void weComSendsMarkdownWithinItsSizeLimitAndRetriesItsFrequencyLimit() {
        receiver.check(r -> "key=k-693a".equals(r.uri().getRawQuery())
                        ? null
                        : Reply.of(200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}"))
                .script(Reply.of(200, "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}"))
                .fallback(Reply.of(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
        List<Notification.Entity> many = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            many.add(new Notification.Entity("host", "主机-" + i + "-[x](y)"));
        }
        Notification big = new Notification(
                Samples.hostile().tenant(),
                Notification.Kind.INCIDENT,
                "i-7",
                "Lateral movement",
                Severity.CRITICAL,
                "",
                "",
                NOW,
                many,
                List.of("lateral-movement"),
                List.of("T1021.002"),
                null,
                Map.of());
        try (WeComChannel channel = new WeComChannel(
                new WeComChannel.Config("wecom", receiver.uri("/cgi-bin/webhook/send?key=k-693a")), CLOCK)) {
            assertThat(channel.deliver(big, ZH))
                    .isEqualTo(new DeliveryOutcome.Retryable("WeCom error 45009: api freq out of limit", null));
            assertThat(channel.deliver(big, ZH)).isInstanceOf(DeliveryOutcome.Delivered.class);
        }
        try (WeComChannel wrongKey = new WeComChannel(
                new WeComChannel.Config("wecom", receiver.uri("/cgi-bin/webhook/send?key=nope")), CLOCK)) {
            assertThat(wrongKey.deliver(big, ZH))
                    .isEqualTo(new DeliveryOutcome.Failed("WeCom error 93000: invalid webhook url"));
        }
        JsonNode body = json(receiver.requests().get(1));
        assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
        String content = body.at("/markdown/content").asText();
        assertThat(content.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
        assertThat(content).startsWith("### 严重安全事件：Lateral movement").endsWith("\n\n…");
        assertThat(content).contains("- **主机**: 主机-0-\\[x\\]\\(y\\)");
    }

    @Test
    void weComTruncationNeverSplitsAnEscapeOrACharacter() {
        String s = "ab\\[中\\]" + "x".repeat(10);
        for (int max = 8; max < 30; max++) {
            String t = WeComChannel.truncate(s, max);
            assertThat(t.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(max);
            String kept = t.endsWith("\n\n…") ? t.substring(0, t.length() - 3) : t;
            assertThat(s).startsWith(kept);
            int trailing = 0;
            while (trailing < kept.length() && kept.charAt(kept.length() - 1 - trailing) == '\\') {
                trailing++;
            }
            assertThat(trailing % 2)
                    .as("cut after a lone backslash at %d: %s", max, t)
                    .isZero();
        }
    }

    // Feishu: sign = base64(HmacSHA256(key = timestamp + "\n" + secret, data = empty)), timestamp in seconds, both in
    // the JSON body.
    private static Reply feishuCheck(LoopbackHttpServer.Request r, String secret) {
        JsonNode body = json(r);
        String ts = body.path("timestamp").asText();
        String expected = Base64.getEncoder()
                .encodeToString(hmacSha256((ts + "\n" + secret).getBytes(StandardCharsets.UTF_8), new byte[0]));
        if (ts.isEmpty()
                || Math.abs(Long.parseLong(ts) - NOW.getEpochSecond()) > 3600
                || !expected.equals(body.path("sign").asText())) {
            return Reply.of(
                    200,
                    "{\"code\":19021,\"msg\":\"sign match fail or timestamp is not within one hour from current time\",\"data\":{}}");
        }
        return null;
    }

    @Test
    void feishuSignsTheBodyAndSendsPlainTextElements() {
        String secret = "fs-secret-9Qd";
        receiver.check(r -> feishuCheck(r, secret))
                .script(Reply.of(200, "{\"code\":11232,\"msg\":\"frequency limited\",\"data\":{}}"))
                .fallback(Reply.of(200, "{\"code\":0,\"msg\":\"success\",\"data\":{}}"));
        try (FeishuChannel channel = new FeishuChannel(
                        new FeishuChannel.Config("feishu", receiver.uri("/open-apis/bot/v2/hook/abc"), secret), CLOCK);
                FeishuChannel wrong = new FeishuChannel(
                        new FeishuChannel.Config("feishu", receiver.uri("/open-apis/bot/v2/hook/abc"), "other"),
                        CLOCK)) {
            assertThat(channel.deliver(Samples.hostile(), ZH))
                    .isEqualTo(new DeliveryOutcome.Retryable("Feishu error 11232: frequency limited", null));
            assertThat(channel.deliver(Samples.hostile(), ZH)).isInstanceOf(DeliveryOutcome.Delivered.class);
            assertThat(wrong.deliver(Samples.hostile(), ZH))
                    .isEqualTo(new DeliveryOutcome.Failed("Feishu error 19021: sign match fail or timestamp is not"
                            + " within one hour from current time"));
        }
        JsonNode body = json(receiver.requests().get(1));
        assertThat(body.get("timestamp").asText()).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(body.get("msg_type").asText()).isEqualTo("post");
        JsonNode post = body.at("/content/post/zh_cn");
        assertThat(post.get("title").asText()).startsWith("【高危】Office");
        List<String> lines = new ArrayList<>();
        for (JsonNode line : post.get("content")) {
            assertThat(line).hasSize(1);
            assertThat(line.get(0).get("tag").asText()).isEqualTo("text");
            lines.add(line.get(0).get("text").asText());
        }
        assertThat(lines)
                .contains("- 主机: ws-042  X-Injected: yes")
                .contains("- 地址: hxxp[:]//evil.example/[click](javascript:alert(1))".replace("地址", "URL"));
    }

    @Test
    void anHttpErrorOrANonJsonReplyIsAFailure() {
        receiver.script(Reply.of(502, "bad gateway"), Reply.of(200, "<html>proxy</html>"));
        try (WeComChannel channel =
                new WeComChannel(new WeComChannel.Config("wecom", receiver.uri("/send?key=k")), CLOCK)) {
            assertThat(channel.deliver(Samples.hostile(), RenderOptions.DEFAULT))
                    .isEqualTo(new DeliveryOutcome.Retryable("HTTP 502: bad gateway", null));
            assertThat(channel.deliver(Samples.hostile(), RenderOptions.DEFAULT))
                    .isEqualTo(new DeliveryOutcome.Failed("WeCom replied HTTP 200 with a body that is not JSON"));
        }
    }
}
