package dev.vigil.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.TenantId;
import dev.vigil.core.alert.Severity;
import dev.vigil.core.testing.SelfSignedCertificates;
import dev.vigil.formats.syslog.SyslogFormat;
import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextParser;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syslog/CEF forwarding to UDP, TCP and TLS listeners on loopback; what arrives is read back with Vigil's own syslog and
 * CEF reader, so the hostile values must come back exactly, in the fields they were written to.
 */
class SyslogChannelTest {
    @TempDir
    Path dir;

    private static Event read(String record) {
        List<Event> events = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        TextParser parser =
                new SyslogFormat().newParser(new TextContext("forwarded", TenantId.DEFAULT, ZoneOffset.UTC, 2026));
        parser.line(record, 1, events::add, problems::add);
        parser.end(events::add, problems::add);
        assertThat(problems).as(record).isEmpty();
        assertThat(events).as(record).hasSize(1);
        return events.getFirst();
    }

    private static void assertForwarded(Event e) {
        assertThat(e.fields())
                .containsEntry("deviceVendor", "Vigil")
                .containsEntry("signatureId", "proc_creation_win_office_powershell")
                .containsEntry("severity", "8")
                .containsEntry("externalId", "a-1001")
                .containsEntry("cat", "alert")
                .containsEntry("cs1", "acme")
                .containsEntry("cs1Label", "tenant")
                .containsEntry("cs3", "T1059.001")
                .containsEntry("dhost", Samples.HOSTILE_HOST)
                .containsEntry("duser", Samples.HOSTILE_USER)
                .containsEntry("request", Samples.HOSTILE_URL)
                .containsEntry("dproc", "C:\\Windows\\System32\\cmd.exe | calc");
        assertThat(e.fields().get("name").toString()).startsWith("Office <script>alert(1)</script> spawned PowerShell");
        assertThat(e.fields().get("msg").toString()).startsWith("Alert: Office").contains("| Severity: High |");
        assertThat(e.timestamp()).isEqualTo(Samples.TIME);
    }

    @Test
    void udpCarriesOneRecordPerDatagram() throws Exception {
        try (DatagramSocket listener = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                SyslogChannel channel = new SyslogChannel(new SyslogChannel.Config(
                        "siem", "127.0.0.1", listener.getLocalPort(), SyslogChannel.Transport.UDP))) {
            listener.setSoTimeout(10_000);
            assertThat(channel.deliver(Samples.hostile(), RenderOptions.DEFAULT))
                    .isInstanceOf(DeliveryOutcome.Delivered.class);
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            listener.receive(p);
            String record = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            // Facility 13 (log audit) and severity 3 (error) for a high alert: PRI 107; no line break anywhere.
            assertThat(record).startsWith("<107>1 2026-11-26T02:38:17Z vigil vigil - alert - CEF:0|Vigil|Vigil|1|");
            assertThat(record).doesNotContain("\n", "\r");
            assertForwarded(read(record));
        }
    }

    @Test
    void tcpUsesOctetCountingOverOneConnectionAndReconnectsAfterADrop() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                SyslogChannel channel = new SyslogChannel(new SyslogChannel.Config(
                        "siem", "127.0.0.1", server.getLocalPort(), SyslogChannel.Transport.TCP))) {
            server.setSoTimeout(10_000);
            assertThat(channel.deliver(Samples.hostile(), RenderOptions.DEFAULT))
                    .isInstanceOf(DeliveryOutcome.Delivered.class);
            assertThat(channel.deliver(Samples.alert("acme", "a-2", Severity.CRITICAL, "r2"), RenderOptions.DEFAULT))
                    .isInstanceOf(DeliveryOutcome.Delivered.class);
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                assertForwarded(read(frame(in)));
                Event second = read(frame(in));
                assertThat(second.fields()).containsEntry("externalId", "a-2").containsEntry("severity", "10");
            }
            // The receiver closed the connection: sends fail until the channel reconnects, which it does by itself.
            DeliveryOutcome outcome = DeliveryOutcome.delivered();
            for (int i = 0; i < 50 && outcome instanceof DeliveryOutcome.Delivered; i++) {
                outcome = channel.deliver(Samples.alert("acme", "a-3", Severity.LOW, "r3"), RenderOptions.DEFAULT);
            }
            assertThat(outcome).isInstanceOf(DeliveryOutcome.Retryable.class);
            assertThat(channel.deliver(Samples.alert("acme", "a-4", Severity.LOW, "r4"), RenderOptions.DEFAULT))
                    .isInstanceOf(DeliveryOutcome.Delivered.class);
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                assertThat(read(frame(new DataInputStream(s.getInputStream()))).fields())
                        .containsEntry("externalId", "a-4");
            }
        }
    }

    @Test
    void tlsVerifiesTheReceiverAndFramesLikeTcp() throws Exception {
        String password = "changeit";
        Path keystore = SelfSignedCertificates.create(dir, password);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        try (SSLServerSocket server = (SSLServerSocket) serverContext
                        .getServerSocketFactory()
                        .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
                SyslogChannel channel = new SyslogChannel(new SyslogChannel.Config(
                        "siem",
                        "127.0.0.1",
                        server.getLocalPort(),
                        SyslogChannel.Transport.TLS,
                        16,
                        "vigil-1",
                        null,
                        SelfSignedCertificates.trusting(keystore, password),
                        null))) {
            server.setSoTimeout(10_000);
            Thread accept = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(10_000);
                    received.add(frame(new DataInputStream(s.getInputStream())));
                } catch (IOException e) {
                    received.add("error: " + e);
                }
            });
            accept.start();
            assertThat(channel.deliver(Samples.hostile(), RenderOptions.DEFAULT))
                    .isInstanceOf(DeliveryOutcome.Delivered.class);
            accept.join(20_000);
            assertThat(received).hasSize(1);
            assertThat(received.getFirst()).startsWith("<131>1 2026-11-26T02:38:17Z vigil-1 vigil");
            assertForwarded(read(received.getFirst()));
        }
    }

    private final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    void aReceiverWithAnUntrustedCertificateIsRefused() throws Exception {
        String password = "changeit";
        Path keystore = SelfSignedCertificates.create(dir, password);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        try (SSLServerSocket server = (SSLServerSocket) serverContext
                        .getServerSocketFactory()
                        .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
                SyslogChannel channel = new SyslogChannel(new SyslogChannel.Config(
                        "siem", "127.0.0.1", server.getLocalPort(), SyslogChannel.Transport.TLS))) {
            Thread accept = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read();
                } catch (IOException expected) {
                    // The client aborts the handshake.
                }
            });
            accept.start();
            DeliveryOutcome outcome = channel.deliver(Samples.hostile(), RenderOptions.DEFAULT);
            assertThat(outcome).isInstanceOf(DeliveryOutcome.Retryable.class);
            assertThat(((DeliveryOutcome.Retryable) outcome).reason()).contains("SSLHandshakeException");
            accept.join(20_000);
        }
    }

    /** Reads one octet-counted frame: decimal length, a space, that many bytes. */
    private static String frame(DataInputStream in) throws IOException {
        StringBuilder len = new StringBuilder();
        int c;
        while ((c = in.read()) != ' ') {
            if (c < '0' || c > '9') {
                throw new IOException("bad frame length character " + c);
            }
            len.append((char) c);
        }
        byte[] record = new byte[Integer.parseInt(len.toString())];
        in.readFully(record);
        return new String(record, StandardCharsets.UTF_8);
    }
}
