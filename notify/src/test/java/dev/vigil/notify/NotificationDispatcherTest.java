package dev.vigil.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Severity;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing, rate limits with summaries, full queues and isolation between channels. */
class NotificationDispatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-11-26T03:00:00Z"));
    private final RecordingListener listener = new RecordingListener();

    private NotificationDispatcher.Builder builder() throws IOException {
        return NotificationDispatcher.builder()
                .deadLetters(new JsonLinesDeadLetterStore(dir, 1000, p -> {
                    throw new AssertionError(p.toString());
                }))
                .listener(listener)
                .clock(clock)
                .sleeper(d -> {})
                .random(new SplittableRandom(1))
                .settings(
                        new NotificationDispatcher.Settings(100, 1, RetryPolicy.DEFAULT, null, Duration.ofSeconds(5)));
    }

    @Test
    void routesByTenantSeverityRuleGlobAndKindInTheRouteLanguage() throws Exception {
        CollectingChannel soc = new CollectingChannel("soc");
        CollectingChannel acmeChat = new CollectingChannel("acme-chat");
        CollectingChannel incidents = new CollectingChannel("incidents");
        RenderOptions zh = new RenderOptions(MessageLocale.ZH_CN, ZoneId.of("Asia/Shanghai"));
        try (NotificationDispatcher d = builder()
                .channel(soc, null)
                .channel(acmeChat, null)
                .channel(incidents, null)
                .route(new Route("critical-everywhere", null, Severity.CRITICAL, null, null, List.of("soc"), null))
                .route(new Route(
                        "acme-credential-access",
                        Set.of(TenantId.of("acme")),
                        Severity.MEDIUM,
                        List.of("*credential_access*", "win_lsass_*"),
                        null,
                        List.of("acme-chat", "soc"),
                        zh))
                .route(new Route(
                        "incidents", null, null, null, Set.of(Notification.Kind.INCIDENT), List.of("incidents"), null))
                .build()) {
            assertThat(d.submit(Samples.alert("acme", "1", Severity.HIGH, "win_lsass_dump")))
                    .isEqualTo(2);
            assertThat(d.submit(Samples.alert("acme", "2", Severity.LOW, "win_lsass_dump")))
                    .isZero();
            assertThat(d.submit(Samples.alert("globex", "3", Severity.HIGH, "win_lsass_dump")))
                    .isZero();
            assertThat(d.submit(Samples.alert("acme", "4", Severity.HIGH, "proc_creation_credential_access_x")))
                    .isEqualTo(2);
            assertThat(d.submit(Samples.alert("acme", "5", Severity.HIGH, "web_shell")))
                    .isZero();
            assertThat(d.submit(Samples.alert("globex", "6", Severity.CRITICAL, "anything")))
                    .isEqualTo(1);
            Notification incident = new Notification(
                    TenantId.of("globex"),
                    Notification.Kind.INCIDENT,
                    "7",
                    "Incident",
                    Severity.LOW,
                    "",
                    "",
                    clock.instant(),
                    List.of(),
                    List.of(),
                    List.of(),
                    null,
                    null);
            assertThat(d.submit(incident)).isEqualTo(1);
            assertThat(d.awaitIdle(WAIT)).isTrue();

            assertThat(acmeChat.ids()).containsExactly("1", "4");
            assertThat(soc.ids()).containsExactlyInAnyOrder("1", "4", "6");
            assertThat(incidents.ids()).containsExactly("7");
            // "soc" is named by two matching routes for alert 1: sent once, in the first matching route's language.
            assertThat(acmeChat.delivered.getFirst().options()).isEqualTo(zh);
            assertThat(soc.delivered.stream()
                            .filter(x -> x.notification().id().equals("6"))
                            .findFirst()
                            .orElseThrow()
                            .options())
                    .isEqualTo(RenderOptions.DEFAULT);
            assertThat(listener.counters.sent()).isEqualTo(6);
        }
    }

    @Test
    void aRouteNamingAnUnknownChannelIsRefused() {
        assertThatThrownBy(() -> builder()
                        .channel(new CollectingChannel("soc"), null)
                        .route(new Route("r", null, null, null, null, List.of("scoc"), null))
                        .build())
                .hasMessage("route r names unknown channel 'scoc'; configured: soc");
    }

    @Test
    void overTheRateLimitIsCountedAndSummarisedOnceTokensReturn() throws Exception {
        CollectingChannel chat = new CollectingChannel("chat");
        try (NotificationDispatcher d = builder()
                .channel(chat, new NotificationDispatcher.RateLimit(3, Duration.ofMinutes(1)))
                .route(new Route("all", null, null, null, null, List.of("chat"), null))
                .build()) {
            for (int i = 1; i <= 10; i++) {
                d.submit(Samples.alert("acme", "a" + i, i == 7 ? Severity.CRITICAL : Severity.MEDIUM, "r"));
            }
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(chat.ids()).containsExactly("a1", "a2", "a3");
            assertThat(listener.counters.rateLimited()).isEqualTo(7);

            // No token yet: the summary waits.
            d.flushSummaries();
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(chat.delivered).hasSize(3);

            // 20 seconds give one token back (3 per minute): the summary goes out.
            clock.advance(Duration.ofSeconds(20));
            d.flushSummaries();
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(chat.delivered).hasSize(4);
            Notification summary = chat.delivered.get(3).notification();
            assertThat(summary.ruleId()).isEqualTo(NotificationDispatcher.RATE_LIMIT_RULE);
            assertThat(summary.title()).isEqualTo("7 notifications held back by the rate limit of channel chat");
            assertThat(summary.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(summary.details())
                    .containsEntry("held_back", "7")
                    .containsEntry("medium", "6")
                    .containsEntry("critical", "1");

            // Nothing more held back: no further summary.
            clock.advance(Duration.ofMinutes(5));
            d.flushSummaries();
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(chat.delivered).hasSize(4);
        }
    }

    @Test
    void aHeldBackCountIsSummarisedBeforeTheTenantsNextNotification() throws Exception {
        CollectingChannel chat = new CollectingChannel("chat");
        try (NotificationDispatcher d = builder()
                .channel(chat, new NotificationDispatcher.RateLimit(1, Duration.ofMinutes(1)))
                .route(new Route("all", null, null, null, null, List.of("chat"), null))
                .build()) {
            d.submit(Samples.alert("acme", "a1", Severity.HIGH, "r"));
            d.submit(Samples.alert("acme", "a2", Severity.HIGH, "r"));
            d.submit(Samples.alert("globex", "g1", Severity.LOW, "r"));
            clock.advance(Duration.ofMinutes(1));
            d.submit(Samples.alert("acme", "a3", Severity.HIGH, "r"));
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(chat.ids()).hasSize(3);
            assertThat(chat.ids().get(0)).isEqualTo("a1");
            assertThat(chat.ids().get(1)).startsWith("rate-limit-chat-");
            assertThat(chat.delivered.get(1).notification().tenant()).isEqualTo(TenantId.of("acme"));
            assertThat(chat.ids().get(2)).isEqualTo("a3");

            // globex's held-back notification is still owed a summary of its own.
            clock.advance(Duration.ofMinutes(1));
            d.flushSummaries();
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(chat.delivered.getLast().notification().tenant()).isEqualTo(TenantId.of("globex"));
            assertThat(chat.delivered.getLast().notification().details()).containsEntry("held_back", "1");
        }
    }

    @Test
    void aStuckChannelNeitherBlocksTheCallerNorOtherChannelsAndItsOverflowIsDeadLettered() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CollectingChannel stuck = new CollectingChannel("stuck", gate);
        CollectingChannel fast = new CollectingChannel("fast");
        NotificationDispatcher d = builder()
                .settings(new NotificationDispatcher.Settings(2, 1, RetryPolicy.DEFAULT, null, Duration.ofSeconds(5)))
                .channel(stuck, null)
                .channel(fast, null)
                .route(new Route("all", null, null, null, null, List.of("stuck", "fast"), null))
                .build();
        try {
            d.submit(Samples.alert("acme", "n1", Severity.HIGH, "r"));
            assertThat(stuck.entered.await(30, TimeUnit.SECONDS)).isTrue();
            // n1 is in the stuck worker; n2 and n3 fill its queue of 2; n4 and n5 overflow. submit never blocks. (Each
            // is
            // let through the fast channel before the next, whose queue is as small.)
            for (int i = 2; i <= 5; i++) {
                d.submit(Samples.alert("acme", "n" + i, Severity.HIGH, "r"));
                for (int k = 0; k < 3000 && fast.delivered.size() < i; k++) {
                    Thread.sleep(10);
                }
            }
            assertThat(listener.counters.deadLettered()).isEqualTo(2);
            assertThat(d.deadLetters())
                    .extracting(l -> l.notification().id() + " " + l.reason() + " " + l.attempts())
                    .containsExactly("n4 queue of channel stuck is full 0", "n5 queue of channel stuck is full 0");
            // The fast channel got everything while the stuck one still holds its first notification.
            for (int i = 0; i < 3000 && fast.delivered.size() < 5; i++) {
                Thread.sleep(10);
            }
            assertThat(fast.ids()).containsExactly("n1", "n2", "n3", "n4", "n5");
            assertThat(stuck.delivered).isEmpty();
            gate.countDown();
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(stuck.ids()).containsExactly("n1", "n2", "n3");
        } finally {
            gate.countDown();
            d.close();
        }
    }

    @Test
    void closingDeadLettersWhatCouldNotBeDeliveredInTheGracePeriod() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CollectingChannel stuck = new CollectingChannel("stuck", gate);
        NotificationDispatcher d = builder()
                .settings(new NotificationDispatcher.Settings(10, 1, RetryPolicy.DEFAULT, null, Duration.ofMillis(200)))
                .channel(stuck, null)
                .route(new Route("all", null, null, null, null, List.of("stuck"), null))
                .build();
        d.submit(Samples.alert("acme", "n1", Severity.HIGH, "r"));
        assertThat(stuck.entered.await(30, TimeUnit.SECONDS)).isTrue();
        d.submit(Samples.alert("acme", "n2", Severity.HIGH, "r"));
        d.close();
        // n1 was interrupted in its attempt (retryable, but the dispatcher is stopping); n2 never started.
        assertThat(d.deadLetters()).extracting(l -> l.notification().id()).containsExactlyInAnyOrder("n1", "n2");
        assertThatThrownBy(() -> d.submit(Samples.alert("acme", "n3", Severity.HIGH, "r")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aChannelThatThrowsDoesNotKillItsWorker() throws Exception {
        NotificationChannel broken = new NotificationChannel() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public DeliveryOutcome deliver(Notification n, RenderOptions options) {
                if (n.id().equals("boom")) {
                    throw new IllegalStateException("bug");
                }
                return DeliveryOutcome.delivered();
            }
        };
        try (NotificationDispatcher d = builder()
                .channel(broken, null)
                .route(new Route("all", null, null, null, null, List.of("broken"), null))
                .build()) {
            d.submit(Samples.alert("acme", "boom", Severity.HIGH, "r"));
            d.submit(Samples.alert("acme", "fine", Severity.HIGH, "r"));
            assertThat(d.awaitIdle(WAIT)).isTrue();
            assertThat(listener.sentIds).containsExactly("broken:fine");
            assertThat(d.deadLetters().getFirst().reason())
                    .isEqualTo("channel error: java.lang.IllegalStateException: bug");
        }
    }
}
