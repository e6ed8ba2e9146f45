package dev.vigil.inputs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.ProblemCollector;
import dev.vigil.core.TenantId;
import dev.vigil.core.testing.SelfSignedCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyslogListenersTest {
    private static final TenantId TENANT = TenantId.of("acme");
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final CollectingSink sink = new CollectingSink();
    private final ProblemCollector problems = new ProblemCollector(1000);

    private static String line(int i) {
        return "<86>Nov 14 22:13:" + String.format(java.util.Locale.ROOT, "%02d", i % 60) + " bastion sshd["
                + (1000 + i)
                + "]: Failed password for invalid user u" + i + " from 203.0.113." + (i % 250) + " port 5" + i
                + " ssh2";
    }

    private static SyslogListenerConfig config() {
        return SyslogListenerConfig.defaults(TENANT).withBatch(50, Duration.ofMillis(20));
    }

    @Test
    void udpOneDatagramPerMessage() throws Exception {
        try (UdpSyslogListener listener = UdpSyslogListener.start(config(), sink, problems);
                DatagramSocket client = new DatagramSocket()) {
            for (int i = 0; i < 20; i++) {
                byte[] b = (line(i) + "\n").getBytes(UTF_8);
                client.send(new DatagramPacket(b, b.length, new InetSocketAddress(LOOPBACK, listener.port())));
            }
            sink.awaitEvents(20);
            assertThat(sink.events()).allSatisfy(e -> assertThat(e.tenant()).isEqualTo(TENANT));
            assertThat(sink.events()).extracting(e -> e.field("user.name")).contains("u0", "u19");
            assertThat(sink.events().getFirst().source().source()).startsWith("syslog-udp:127.0.0.1:");
            // The counter follows the sink's acceptance, on the listener's thread.
            sink.await(() -> listener.counters().eventsIn() == 20, "the events counter");
            assertThat(listener.counters().bytesIn()).isGreaterThan(20L * 80);
        }
    }

    @Test
    void udpOversizedDatagramRejectedAndRefusedBatchesDropped() throws Exception {
        try (UdpSyslogListener listener = UdpSyslogListener.start(config().withMaxMessageBytes(200), sink, problems);
                DatagramSocket client = new DatagramSocket()) {
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, listener.port());
            byte[] big = ("<13>" + "x".repeat(400)).getBytes(UTF_8);
            client.send(new DatagramPacket(big, big.length, to));
            sink.await(() -> listener.counters().rejected() == 1, "the oversized datagram");

            sink.refuse(true);
            for (int i = 0; i < 10; i++) {
                byte[] b = line(i).getBytes(UTF_8);
                client.send(new DatagramPacket(b, b.length, to));
            }
            sink.await(() -> listener.counters().dropped() == 10, "10 dropped events");
            sink.refuse(false);
            byte[] b = line(99).getBytes(UTF_8);
            client.send(new DatagramPacket(b, b.length, to));
            sink.awaitEvents(1);
            assertThat(sink.events())
                    .singleElement()
                    .satisfies(e -> assertThat(e.field("user.name")).isEqualTo("u99"));
            sink.await(() -> listener.counters().eventsIn() == 1, "the events counter");
            assertThat(problems.problems().getFirst().message()).contains("longer than 200 bytes");
        }
    }

    @Test
    void tcpNewlineFramingWithCrlfAndAFinalUnterminatedLine() throws Exception {
        try (TcpSyslogListener listener = TcpSyslogListener.start(config(), sink, problems)) {
            try (Socket s = new Socket(LOOPBACK, listener.port())) {
                OutputStream out = s.getOutputStream();
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 300; i++) {
                    sb.append(line(i)).append(i % 2 == 0 ? "\n" : "\r\n");
                }
                sb.append("CEF:0|Acme|FW|1.0|100|Blocked|5|src=198.51.100.4 dst=10.1.1.1");
                out.write(sb.toString().getBytes(UTF_8));
            }
            sink.awaitEvents(301);
            List<Event> events = sink.events();
            assertThat(events.get(0).field("user.name")).isEqualTo("u0");
            assertThat(events.get(299).field("user.name")).isEqualTo("u299");
            assertThat(events.get(299).source().record()).isEqualTo(300);
            assertThat(events.get(300).field("source.ip")).isEqualTo("198.51.100.4");
            sink.await(() -> listener.counters().connectionsOpen() == 0, "the connection to close");
            assertThat(listener.counters().rejected()).isZero();
        }
    }

    @Test
    void tcpOctetCountingWithEmbeddedNewlinesAndOversizedFrames() throws Exception {
        try (TcpSyslogListener listener = TcpSyslogListener.start(config().withMaxMessageBytes(300), sink, problems)) {
            try (Socket s = new Socket(LOOPBACK, listener.port())) {
                OutputStream out = s.getOutputStream();
                String multi = "<13>1 2024-05-01T10:00:00Z host app 1 - - first line\nsecond line";
                String big = "<13>1 2024-05-01T10:00:00Z host app 1 - - " + "y".repeat(400);
                String rfc5424 = "<165>1 2024-05-01T10:00:01.5Z mymachine su - ID47 [exampleSDID@32473 iut=\"3\"]"
                        + " 'su root' failed for lonvick on /dev/pts/8";
                byte[] frames = (frame(multi) + frame(big) + frame(rfc5424)).getBytes(UTF_8);
                // Byte by byte in places: framing must not depend on how TCP segments the stream.
                out.write(frames, 0, 7);
                out.flush();
                out.write(frames, 7, frames.length - 7);
            }
            sink.awaitEvents(2);
            sink.await(() -> listener.counters().connectionsOpen() == 0, "the connection to close");
            List<Event> events = sink.events();
            assertThat(events).hasSize(2);
            assertThat((String) events.get(0).field("message")).isEqualTo("first line\nsecond line");
            assertThat(events.get(1).field("sd.exampleSDID@32473.iut")).isEqualTo("3");
            assertThat(events.get(1).field("program")).isEqualTo("su");
            assertThat(listener.counters().rejected()).isEqualTo(1);
            assertThat(problems.problems())
                    .anySatisfy(p -> assertThat(p.message()).contains("longer than 300 bytes"));
        }
    }

    private static String frame(String message) {
        return message.getBytes(UTF_8).length + " " + message;
    }

    @Test
    void tcpOversizedLineIsSkippedUpToItsNewline() throws Exception {
        try (TcpSyslogListener listener = TcpSyslogListener.start(config().withMaxMessageBytes(100), sink, problems)) {
            try (Socket s = new Socket(LOOPBACK, listener.port())) {
                OutputStream out = s.getOutputStream();
                out.write(("<13>" + "z".repeat(50_000) + "\n").getBytes(UTF_8));
                out.write("<13>Nov 14 22:13:20 host app: fine\n".getBytes(UTF_8));
            }
            sink.awaitEvents(1);
            assertThat(sink.messages()).containsExactly("fine");
            sink.await(() -> listener.counters().rejected() == 1, "one rejection");
        }
    }

    @Test
    void idleConnectionsAreClosedEvenWhenTheyDribble() throws Exception {
        SyslogListenerConfig cfg = config().withIdleTimeout(Duration.ofMillis(300));
        try (TcpSyslogListener listener = TcpSyslogListener.start(cfg, sink, problems)) {
            try (Socket silent = new Socket(LOOPBACK, listener.port())) {
                silent.setSoTimeout((int) CollectingSink.GIVE_UP_MILLIS);
                assertThat(silent.getInputStream().read()).isEqualTo(-1);
            }
            try (Socket dribbling = new Socket(LOOPBACK, listener.port())) {
                dribbling.setSoTimeout(50);
                OutputStream out = dribbling.getOutputStream();
                InputStream in = dribbling.getInputStream();
                boolean closed = false;
                long deadline = System.currentTimeMillis() + CollectingSink.GIVE_UP_MILLIS;
                // One byte at a time, never a newline: bytes arrive but no message completes.
                while (!closed && System.currentTimeMillis() < deadline) {
                    try {
                        out.write('a');
                        out.flush();
                        closed = in.read() == -1;
                    } catch (java.net.SocketTimeoutException e) {
                        // still open
                    } catch (IOException e) {
                        closed = true;
                    }
                }
                assertThat(closed).isTrue();
            }
            sink.await(() -> listener.counters().connectionsClosedIdle() == 2, "two idle closes");
            sink.await(() -> listener.counters().connectionsOpen() == 0, "no open connection");
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefused() throws Exception {
        try (TcpSyslogListener listener = TcpSyslogListener.start(config().withMaxConnections(1), sink, problems);
                Socket first = new Socket(LOOPBACK, listener.port())) {
            first.getOutputStream().write((line(1) + "\n").getBytes(UTF_8));
            sink.awaitEvents(1);
            try (Socket second = new Socket(LOOPBACK, listener.port())) {
                second.setSoTimeout((int) CollectingSink.GIVE_UP_MILLIS);
                assertThat(second.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(listener.counters().connectionsRejected()).isEqualTo(1);
            assertThat(listener.counters().connectionsOpen()).isEqualTo(1);
        }
    }

    @Test
    void tcpBackpressureStopsReadingUntilTheSinkAcceptsAndLosesNothing() throws Exception {
        int messages = 40_000;
        String padding = " pad=" + "p".repeat(900);
        try (TcpSyslogListener listener = TcpSyslogListener.start(
                config().withBatch(500, Duration.ofMillis(20)).withSubmitWait(Duration.ofMillis(20)), sink, problems)) {
            sink.refuse(true);
            CountDownLatch written = new CountDownLatch(1);
            List<Throwable> writerFailure = new ArrayList<>();
            Socket client = new Socket(LOOPBACK, listener.port());
            Thread writer = Thread.ofPlatform().start(() -> {
                try (client) {
                    OutputStream out = new java.io.BufferedOutputStream(client.getOutputStream(), 1 << 16);
                    for (int i = 0; i < messages; i++) {
                        out.write((line(i) + padding + "\n").getBytes(UTF_8));
                    }
                    out.flush();
                } catch (IOException e) {
                    writerFailure.add(e);
                } finally {
                    written.countDown();
                }
            });
            sink.await(() -> sink.refusals() >= 5, "the sink to refuse five times");
            // About 40 MB cannot fit in socket buffers and the listener's one batch: the writer must be blocked.
            assertThat(written.getCount()).isEqualTo(1);
            assertThat(sink.events()).isEmpty();
            sink.refuse(false);
            assertThat(written.await(CollectingSink.GIVE_UP_MILLIS, TimeUnit.MILLISECONDS))
                    .isTrue();
            writer.join();
            assertThat(writerFailure).isEmpty();
            sink.awaitEvents(messages);
            List<Event> events = sink.events();
            assertThat(events).hasSize(messages);
            for (int i = 0; i < messages; i += 997) {
                assertThat(events.get(i).field("user.name")).isEqualTo("u" + i);
            }
            assertThat(listener.counters().dropped()).isZero();
            // The refusal in progress when the sink relented ended in acceptance.
            assertThat(listener.counters().refused()).isGreaterThanOrEqualTo(4);
            // The counter follows the sink's acceptance of the last batch, on the connection's thread.
            sink.await(() -> listener.counters().eventsIn() == messages, "the events counter");
        }
    }

    @Test
    void tlsWithASelfSignedCertificate(@TempDir Path dir) throws Exception {
        Path keystore = SelfSignedCertificates.create(dir, "s3cret!");

        SyslogListenerConfig cfg = config().withTls(new TlsConfig(keystore, "s3cret!"));
        try (TcpSyslogListener listener = TcpSyslogListener.start(cfg, sink, problems)) {
            assertThat(listener.counters().input()).startsWith("syslog-tls:");
            try (SSLSocket s = (SSLSocket) SelfSignedCertificates.trusting(keystore, "s3cret!")
                    .getSocketFactory()
                    .createSocket(LOOPBACK, listener.port())) {
                s.startHandshake();
                OutputStream out = s.getOutputStream();
                out.write((frame(line(7)) + frame(line(8))).getBytes(UTF_8));
                out.flush();
                sink.awaitEvents(2);
            }
            assertThat(sink.events()).extracting(e -> e.field("user.name")).containsExactly("u7", "u8");

            // A client that does not speak TLS gets no event in and is counted as a connection error.
            try (Socket plain = new Socket(LOOPBACK, listener.port())) {
                plain.setSoTimeout((int) CollectingSink.GIVE_UP_MILLIS);
                plain.getOutputStream().write((line(9) + "\n").getBytes(UTF_8));
                drain(plain.getInputStream());
            }
            sink.await(() -> listener.counters().connectionErrors() == 1, "the plain-text client's error");
            assertThat(sink.events()).hasSize(2);
        }
    }

    private static void drain(InputStream in) {
        try {
            while (in.read() >= 0) {
                // the server's TLS alert, then end of stream
            }
        } catch (IOException e) {
            // reset by the server: closed as well
        }
    }

    @Test
    void closeSubmitsWhatWasReceived() throws Exception {
        TcpSyslogListener listener =
                TcpSyslogListener.start(config().withBatch(10_000, Duration.ofSeconds(30)), sink, problems);
        try (Socket s = new Socket(LOOPBACK, listener.port())) {
            s.getOutputStream().write((line(1) + "\n" + line(2) + "\n").getBytes(UTF_8));
            s.getOutputStream().flush();
            sink.await(() -> listener.counters().bytesIn() > 0 && sink.submits() == 0, "the bytes to arrive");
            // Received but not due for 30 s: close must submit them.
            sink.await(() -> listener.counters().bytesIn() >= 2L * line(1).length(), "both lines");
            listener.close();
        }
        assertThat(sink.events()).extracting(e -> e.field("user.name")).containsExactly("u1", "u2");
    }

    /**
     * Random messages (some with embedded newlines when octet-counted, some oversized), framed either way and written
     * in random pieces: the events must be exactly the in-limit messages, in order.
     */
    @Test
    void randomizedFramingAgainstTheMessagesSent() throws Exception {
        for (long seed = 1; seed <= 6; seed++) {
            java.util.Random random = new java.util.Random(seed);
            boolean octet = seed % 2 == 0;
            CollectingSink runSink = new CollectingSink();
            List<String> expected = new ArrayList<>();
            StringBuilder stream = new StringBuilder();
            int rejected = 0;
            for (int i = 0; i < 200; i++) {
                String body = "m" + i + " " + "w".repeat(random.nextInt(random.nextInt(10) == 0 ? 400 : 60));
                if (octet && random.nextInt(5) == 0) {
                    body += "\ncontinued";
                }
                String message = "<13>Nov 14 22:13:20 host app: " + body;
                if (message.getBytes(UTF_8).length > 300) {
                    rejected++;
                } else {
                    expected.add(body);
                }
                stream.append(octet ? frame(message) : message + (random.nextBoolean() ? "\n" : "\r\n"));
            }
            byte[] bytes = stream.toString().getBytes(UTF_8);
            try (TcpSyslogListener listener =
                    TcpSyslogListener.start(config().withMaxMessageBytes(300), runSink, problems)) {
                try (Socket s = new Socket(LOOPBACK, listener.port())) {
                    s.setTcpNoDelay(true);
                    OutputStream out = s.getOutputStream();
                    int at = 0;
                    while (at < bytes.length) {
                        int n = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 700));
                        out.write(bytes, at, n);
                        out.flush();
                        at += n;
                    }
                }
                runSink.awaitEvents(expected.size());
                int rejectedMessages = rejected;
                runSink.await(
                        () -> listener.counters().connectionsOpen() == 0
                                && listener.counters().rejected() == rejectedMessages,
                        "the connection to close with its rejections counted");
            }
            assertThat(runSink.messages()).as("seed " + seed).isEqualTo(new ArrayList<Object>(expected));
        }
    }
}
