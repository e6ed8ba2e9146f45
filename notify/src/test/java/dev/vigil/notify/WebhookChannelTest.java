package dev.vigil.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.notify.LoopbackHttpServer.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook channel through the dispatcher against a receiver on loopback that verifies signatures as documented. */
class WebhookChannelTest {
    private static final String SECRET = "whsec-4b7c1e0f9a";
    private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");

    @TempDir
    Path dir;

    private LoopbackHttpServer receiver;
    private final RecordingListener listener = new RecordingListener();
    private NotificationDispatcher dispatcher;
    private JsonLinesDeadLetterStore store;

    @BeforeEach
    void start() throws IOException {
        receiver = new LoopbackHttpServer();
        // The receiver of docs/notifications.md: 401 unless the signature verifies and the timestamp is recent.
        receiver.check(r -> verify(r, SECRET, NOW) ? null : Reply.of(401, "{\"error\":\"bad signature\"}"));
        store = new JsonLinesDeadLetterStore(dir, 100, p -> {
            throw new AssertionError(p.toString());
        });
    }

    private void dispatcher(WebhookChannel.Config config) {
        dispatcher = NotificationDispatcher.builder()
                .channel(new WebhookChannel(config, Clock.fixed(NOW, ZoneOffset.UTC)), null)
                .route(new Route("all", null, null, null, null, List.of(config.name()), null))
                .deadLetters(store)
                .listener(listener)
                .settings(new NotificationDispatcher.Settings(
                        10,
                        1,
                        new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0),
                        null,
                        Duration.ofSeconds(5)))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .sleeper(d -> {})
                .random(new SplittableRandom(7))
                .build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (dispatcher != null) {
            dispatcher.close();
        }
        receiver.close();
    }

    /** How a receiver verifies: HMAC-SHA256 over "timestamp.body", constant-time compare, 5-minute tolerance. */
    static boolean verify(LoopbackHttpServer.Request r, String secret, Instant now) {
        String timestamp = r.header("X-Vigil-Timestamp");
        String signature = r.header("X-Vigil-Signature");
        if (timestamp == null || signature == null || !signature.startsWith("sha256=")) {
            return false;
        }
        long ts = Long.parseLong(timestamp);
        if (Math.abs(now.getEpochSecond() - ts) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(r.body());
            byte[] given = HexFormat.of().parseHex(signature.substring("sha256=".length()));
            return MessageDigest.isEqual(expected, given);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void twoServerErrorsAreRetriedWithBackoffThenTheSignedPayloadIsDelivered() throws Exception {
        receiver.script(Reply.of(500, "oops"), Reply.of(503, ""), Reply.of(200, "{}"));
        dispatcher(new WebhookChannel.Config("soar", receiver.uri("/hook"), SECRET));

        assertThat(dispatcher.submit(Samples.hostile())).isEqualTo(1);
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(30))).isTrue();

        List<LoopbackHttpServer.Request> requests = receiver.requests();
        assertThat(requests).hasSize(3);
        assertThat(listener.counters.sent()).isEqualTo(1);
        assertThat(listener.counters.retried()).isEqualTo(2);
        assertThat(listener.counters.failed()).isEqualTo(2);
        assertThat(listener.counters.deadLettered()).isZero();
        assertThat(listener.failures).containsExactly("soar: HTTP 500: oops", "soar: HTTP 503");
        // Equal jitter: the first wait is within [0.5 s, 1 s], the second within [1 s, 2 s].
        assertThat(listener.delays).hasSize(2);
        assertThat(listener.delays.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(listener.delays.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));

        // Every attempt carries the same delivery id, so a receiver can drop duplicates.
        assertThat(requests).extracting(r -> r.header("X-Vigil-Delivery")).containsOnly("soar:acme:a-1001");
        JsonNode json = new ObjectMapper().readTree(requests.get(2).body());
        assertThat(json.get("schema").asText()).isEqualTo("vigil.notification.v1");
        assertThat(json.get("tenant").asText()).isEqualTo("acme");
        assertThat(json.get("severity").asText()).isEqualTo("high");
        assertThat(json.at("/rule/id").asText()).isEqualTo("proc_creation_win_office_powershell");
        assertThat(json.at("/entities/0/value").asText()).isEqualTo(Samples.HOSTILE_HOST);
        assertThat(json.at("/entities/1/value").asText()).isEqualTo(Samples.HOSTILE_USER);
        assertThat(json.at("/attack/techniques/0").asText()).isEqualTo("T1059.001");
        assertThat(json.at("/details/command_line").asText()).isEqualTo(Samples.HOSTILE_COMMAND);
        assertThat(json.at("/message/title").asText()).startsWith("[High] Office <script>");
        assertThat(json.at("/message/text").asText()).contains("- Host: ws-042  X-Injected: yes");
        assertThat(requests.get(2).header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void aClientErrorIsNotRetriedButDeadLetteredAndCanBeReDriven() throws Exception {
        receiver.script(Reply.of(400, "{\"error\":\"unknown field\"}"));
        dispatcher(new WebhookChannel.Config("soar", receiver.uri("/hook"), SECRET));

        dispatcher.submit(Samples.hostile());
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(30))).isTrue();

        assertThat(receiver.requests()).hasSize(1);
        assertThat(listener.counters.retried()).isZero();
        assertThat(listener.counters.deadLettered()).isEqualTo(1);
        List<DeadLetter> letters = dispatcher.deadLetters();
        assertThat(letters).hasSize(1);
        assertThat(letters.getFirst().reason()).isEqualTo("HTTP 400: {\"error\":\"unknown field\"}");
        assertThat(letters.getFirst().attempts()).isEqualTo(1);
        assertThat(letters.getFirst().notification()).isEqualTo(Samples.hostile());

        // The receiver is fixed; the operator re-drives the letter and it is delivered.
        assertThat(dispatcher.redrive(List.of(letters.getFirst().id()))).isEqualTo(1);
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(receiver.requests()).hasSize(2);
        assertThat(listener.counters.sent()).isEqualTo(1);
        assertThat(dispatcher.deadLetters()).isEmpty();
    }

    @Test
    void retryAfterIsHonouredAndCappedByTheMaximumDelay() throws Exception {
        receiver.script(new Reply(429, "", "7", null), new Reply(503, "", "3600", null), Reply.of(200, "{}"));
        dispatcher(new WebhookChannel.Config("soar", receiver.uri("/hook"), SECRET));

        dispatcher.submit(Samples.hostile());
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(30))).isTrue();

        assertThat(listener.delays).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(30));
        assertThat(listener.counters.sent()).isEqualTo(1);
    }

    @Test
    void aWrongSecretIsRefusedByTheReceiverAndNotRetried() throws Exception {
        dispatcher(new WebhookChannel.Config("soar", receiver.uri("/hook"), "not-the-secret"));

        dispatcher.submit(Samples.hostile());
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(30))).isTrue();

        assertThat(receiver.requests()).hasSize(1);
        assertThat(listener.failures).containsExactly("soar: HTTP 401: {\"error\":\"bad signature\"}");
        assertThat(listener.counters.deadLettered()).isEqualTo(1);
    }

    @Test
    void aTamperedBodyOrAnOldTimestampDoesNotVerify() throws Exception {
        receiver.script(Reply.of(200, "{}"));
        dispatcher(new WebhookChannel.Config("soar", receiver.uri("/hook"), SECRET));
        dispatcher.submit(Samples.hostile());
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(30))).isTrue();
        LoopbackHttpServer.Request r = receiver.requests().getFirst();
        assertThat(verify(r, SECRET, NOW)).isTrue();

        byte[] tampered = r.body().clone();
        tampered[tampered.length - 2] ^= 1;
        assertThat(verify(new LoopbackHttpServer.Request(r.method(), r.uri(), r.headers(), tampered), SECRET, NOW))
                .isFalse();
        // A replay ten minutes later is outside the tolerance.
        assertThat(verify(r, SECRET, NOW.plusSeconds(600))).isFalse();
    }

    @Test
    void aSlowReceiverTimesOutAndTheNextAttemptSucceeds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        receiver.script(new Reply(200, "{}", null, release), Reply.of(200, "{}"));
        dispatcher(new WebhookChannel.Config(
                "soar", receiver.uri("/hook"), SECRET, null, Duration.ofSeconds(2), Duration.ofSeconds(1), null));
        try {
            dispatcher.submit(Samples.hostile());
            assertThat(dispatcher.awaitIdle(Duration.ofSeconds(30))).isTrue();
        } finally {
            release.countDown();
        }
        // On a loaded machine the first connection can itself outlast the timeout; either way it is a retried timeout.
        assertThat(listener.failures)
                .allMatch(f -> f.startsWith("soar: timed out"))
                .contains("soar: timed out: request timed out");
        assertThat(listener.counters.sent()).isEqualTo(1);
        assertThat(new ArrayList<>(receiver.requests())).hasSize(2);
    }
}
