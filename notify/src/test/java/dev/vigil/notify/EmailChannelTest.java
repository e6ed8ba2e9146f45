package dev.vigil.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.testing.SelfSignedCertificates;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The e-mail channel against {@link LoopbackSmtpServer}: STARTTLS policies, AUTH PLAIN and LOGIN, and failures. */
class EmailChannelTest {
    private static final String PASSWORD = "changeit";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T03:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path dir;

    private static SSLContext serverTls;
    private static SSLContext clientTrust;

    @BeforeAll
    static void certificates() throws Exception {
        Path keystore = SelfSignedCertificates.create(dir, PASSWORD);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        clientTrust = SelfSignedCertificates.trusting(keystore, PASSWORD);
    }

    private static LoopbackSmtpServer.Settings submission() {
        return new LoopbackSmtpServer.Settings(serverTls, Map.of("soc", "s3cret"), "PLAIN LOGIN", true, null, null);
    }

    private static EmailChannel.Config config(
            int port, EmailChannel.StartTls startTls, String user, String password, SSLContext trust) {
        return new EmailChannel.Config(
                "mail",
                "127.0.0.1",
                port,
                startTls,
                user,
                password,
                "vigil@soc.example",
                List.of("analysts@acme.example", "oncall@acme.example"),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                trust,
                null);
    }

    private static MimeMessage parse(LoopbackSmtpServer.Received r) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(r.data()));
    }

    @Test
    void startTlsRequiredWithAuthPlainDeliversATextAndHtmlMessage() throws Exception {
        try (LoopbackSmtpServer server = new LoopbackSmtpServer(submission());
                EmailChannel channel = new EmailChannel(
                        config(server.port(), EmailChannel.StartTls.REQUIRED, "soc", "s3cret", clientTrust), CLOCK)) {
            assertThat(channel.deliver(Samples.hostile(), RenderOptions.DEFAULT))
                    .isInstanceOf(DeliveryOutcome.Delivered.class);

            LoopbackSmtpServer.Received r = server.received().getFirst();
            assertThat(r.tls()).isTrue();
            assertThat(r.authUser()).isEqualTo("soc");
            assertThat(r.mechanism()).isEqualTo("PLAIN");
            assertThat(r.mailFrom()).isEqualTo("<vigil@soc.example>");
            assertThat(r.recipients()).containsExactly("<analysts@acme.example>", "<oncall@acme.example>");
            // The credentials were sent only after the upgrade.
            assertThat(server.commands().indexOf("STARTTLS")).isLessThan(indexOfPrefix(server.commands(), "AUTH"));

            MimeMessage m = parse(r);
            assertThat(m.getSubject())
                    .isEqualTo(
                            "[Vigil] [High] Office <script>alert(1)</script> spawned PowerShell  Bcc: victim@example.com");
            // The CRLF in the title and in the host name added no header.
            assertThat(m.getHeader("Bcc")).isNull();
            assertThat(m.getHeader("X-Injected")).isNull();
            assertThat(Collections.list(m.getAllHeaderLines()))
                    .noneMatch(h -> h.startsWith("X-Injected") || h.startsWith("Bcc"));
            assertThat(m.getHeader("X-Vigil-Notification")).containsExactly("acme/a-1001");

            assertThat(m.isMimeType("multipart/alternative")).isTrue();
            Multipart parts = (Multipart) m.getContent();
            assertThat(parts.getCount()).isEqualTo(2);
            Part text = parts.getBodyPart(0);
            Part html = parts.getBodyPart(1);
            assertThat(text.isMimeType("text/plain")).isTrue();
            assertThat(html.isMimeType("text/html")).isTrue();
            assertThat((String) text.getContent()).contains("- User: **admin**<img src=x onerror=alert(1)>");
            assertThat((String) html.getContent())
                    .doesNotContain("<script>", "<img")
                    .contains("&lt;img src=x onerror=alert(1)&gt;")
                    .contains("<a href=\"https://vigil.example.com/alerts/a-1001?tenant=acme\">Open in Vigil</a>");
        }
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void authLoginIsUsedWhenTheServerOffersOnlyLoginAndChineseSubjectsAreEncoded() throws Exception {
        LoopbackSmtpServer.Settings login =
                new LoopbackSmtpServer.Settings(serverTls, Map.of("soc", "s3cret"), "LOGIN", true, null, null);
        try (LoopbackSmtpServer server = new LoopbackSmtpServer(login);
                EmailChannel channel = new EmailChannel(
                        config(server.port(), EmailChannel.StartTls.REQUIRED, "soc", "s3cret", clientTrust), CLOCK)) {
            RenderOptions zh = new RenderOptions(MessageLocale.ZH_CN, java.time.ZoneId.of("Asia/Shanghai"));
            assertThat(channel.deliver(Samples.hostile(), zh)).isInstanceOf(DeliveryOutcome.Delivered.class);
            LoopbackSmtpServer.Received r = server.received().getFirst();
            assertThat(r.mechanism()).isEqualTo("LOGIN");
            String raw = new String(r.data(), StandardCharsets.US_ASCII);
            assertThat(raw).contains("Subject: =?UTF-8?");
            assertThat(parse(r).getSubject()).startsWith("[Vigil] 【高危】Office");
        }
    }

    @Test
    void requiredStartTlsRefusesAServerThatDoesNotOfferIt() throws Exception {
        LoopbackSmtpServer.Settings plain =
                new LoopbackSmtpServer.Settings(null, Map.of("soc", "s3cret"), "PLAIN", false, null, null);
        try (LoopbackSmtpServer server = new LoopbackSmtpServer(plain);
                EmailChannel channel = new EmailChannel(
                        config(server.port(), EmailChannel.StartTls.REQUIRED, "soc", "s3cret", clientTrust), CLOCK)) {
            DeliveryOutcome outcome = channel.deliver(Samples.hostile(), RenderOptions.DEFAULT);
            assertThat(outcome).isInstanceOf(DeliveryOutcome.Failed.class);
            assertThat(((DeliveryOutcome.Failed) outcome).reason()).contains("STARTTLS");
            assertThat(server.received()).isEmpty();
            assertThat(server.commands()).noneMatch(c -> c.startsWith("AUTH"));
        }
    }

    @Test
    void opportunisticStartTlsSendsInTheClearWhenNotOfferedAndUpgradesWhenOffered() throws Exception {
        LoopbackSmtpServer.Settings plain = new LoopbackSmtpServer.Settings(null, null, "PLAIN", false, null, null);
        try (LoopbackSmtpServer server = new LoopbackSmtpServer(plain);
                EmailChannel channel = new EmailChannel(
                        config(server.port(), EmailChannel.StartTls.OPPORTUNISTIC, null, null, clientTrust), CLOCK)) {
            assertThat(channel.deliver(Samples.hostile(), RenderOptions.DEFAULT))
                    .isInstanceOf(DeliveryOutcome.Delivered.class);
            assertThat(server.received().getFirst().tls()).isFalse();
        }
        try (LoopbackSmtpServer server = new LoopbackSmtpServer(submission());
                EmailChannel channel = new EmailChannel(
                        config(server.port(), EmailChannel.StartTls.OPPORTUNISTIC, "soc", "s3cret", clientTrust),
                        CLOCK)) {
            assertThat(channel.deliver(Samples.hostile(), RenderOptions.DEFAULT))
                    .isInstanceOf(DeliveryOutcome.Delivered.class);
            assertThat(server.received().getFirst().tls()).isTrue();
        }
    }

    @Test
    void aWrongPasswordIsAFinalFailure() throws Exception {
        try (LoopbackSmtpServer server = new LoopbackSmtpServer(submission());
                EmailChannel channel = new EmailChannel(
                        config(server.port(), EmailChannel.StartTls.REQUIRED, "soc", "wrong", clientTrust), CLOCK)) {
            DeliveryOutcome outcome = channel.deliver(Samples.hostile(), RenderOptions.DEFAULT);
            assertThat(outcome).isInstanceOf(DeliveryOutcome.Failed.class);
            assertThat(((DeliveryOutcome.Failed) outcome).reason()).startsWith("SMTP authentication refused");
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void temporaryRepliesAreRetryableAndPermanentOnesAreNot() throws Exception {
        LoopbackSmtpServer.Settings busy = new LoopbackSmtpServer.Settings(
                serverTls, Map.of("soc", "s3cret"), "PLAIN", true, "451 4.3.0 Mailbox busy, try later", null);
        try (LoopbackSmtpServer server = new LoopbackSmtpServer(busy);
                EmailChannel channel = new EmailChannel(
                        config(server.port(), EmailChannel.StartTls.REQUIRED, "soc", "s3cret", clientTrust), CLOCK)) {
            DeliveryOutcome outcome = channel.deliver(Samples.hostile(), RenderOptions.DEFAULT);
            assertThat(outcome).isInstanceOf(DeliveryOutcome.Retryable.class);
            assertThat(((DeliveryOutcome.Retryable) outcome).reason()).contains("451 4.3.0 Mailbox busy");
        }
        LoopbackSmtpServer.Settings refused = new LoopbackSmtpServer.Settings(
                serverTls, Map.of("soc", "s3cret"), "PLAIN", true, null, "550 5.1.1 No such user");
        try (LoopbackSmtpServer server = new LoopbackSmtpServer(refused);
                EmailChannel channel = new EmailChannel(
                        config(server.port(), EmailChannel.StartTls.REQUIRED, "soc", "s3cret", clientTrust), CLOCK)) {
            DeliveryOutcome outcome = channel.deliver(Samples.hostile(), RenderOptions.DEFAULT);
            assertThat(outcome).isInstanceOf(DeliveryOutcome.Failed.class);
            assertThat(((DeliveryOutcome.Failed) outcome).reason()).contains("550 5.1.1 No such user");
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedAndAnUnreachableServerIsRetryable() throws Exception {
        try (LoopbackSmtpServer server = new LoopbackSmtpServer(submission());
                EmailChannel channel = new EmailChannel(
                        config(server.port(), EmailChannel.StartTls.REQUIRED, "soc", "s3cret", null), CLOCK)) {
            DeliveryOutcome outcome = channel.deliver(Samples.hostile(), RenderOptions.DEFAULT);
            assertThat(outcome).isInstanceOf(DeliveryOutcome.Failed.class);
            assertThat(((DeliveryOutcome.Failed) outcome).reason()).startsWith("SMTP TLS failed");
            assertThat(server.commands()).noneMatch(c -> c.startsWith("AUTH"));
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (EmailChannel channel = new EmailChannel(
                config(closedPort, EmailChannel.StartTls.REQUIRED, "soc", "s3cret", clientTrust), CLOCK)) {
            assertThat(channel.deliver(Samples.hostile(), RenderOptions.DEFAULT))
                    .isInstanceOf(DeliveryOutcome.Retryable.class);
        }
    }

    @Test
    void invalidAddressesAreRefusedAtConfiguration() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EmailChannel.Config(
                        "mail",
                        "127.0.0.1",
                        25,
                        EmailChannel.StartTls.OFF,
                        null,
                        null,
                        "vigil@soc.example",
                        List.of("a@b.example\r\nBcc: x@y.example"),
                        null,
                        null,
                        null,
                        null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel mail: to address");
    }
}
