package dev.vigil.inputs;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.ProblemSink;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Syslog over UDP (RFC 5426): one datagram is one message.
 *
 * <p>One thread receives, parses and batches; the socket's read timeout is the batch delay, so a quiet socket still
 * submits what it holds. Each sender gets its own parser (parsers remember per-process state such as sshd session
 * addresses), in a bounded least-recently-used map.
 *
 * <p>UDP has no backpressure: a sender cannot be slowed. A batch the sink refuses within {@code submitWait} is dropped
 * and counted in {@link InputCounters#dropped()}; datagrams the kernel drops while this thread waits are not seen at
 * all (a larger receive buffer, set here to 4 MiB where the OS allows, absorbs bursts). A datagram larger than {@code
 * maxMessageBytes} is rejected.
 */
public final class UdpSyslogListener implements AutoCloseable {
    private static final int MAX_SENDERS = 1024;

    private final SyslogListenerConfig config;
    private final IngestSink sink;
    private final ProblemSink problems;
    private final DatagramSocket socket;
    private final InputCounters counters;
    private final Thread receiver;
    private volatile boolean closing;

    private UdpSyslogListener(SyslogListenerConfig config, IngestSink sink, ProblemSink problems) throws IOException {
        this.config = requireNonNull(config, "config");
        this.sink = requireNonNull(sink, "sink");
        this.problems = requireNonNull(problems, "problems");
        this.socket = new DatagramSocket(null);
        try {
            socket.setReceiveBufferSize(4 << 20);
            socket.bind(new InetSocketAddress(config.bindAddress(), config.port()));
            socket.setSoTimeout(SyslogListenerConfig.readTimeoutMillis(config));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        this.counters = new InputCounters("syslog-udp:" + socket.getLocalPort());
        this.receiver = Thread.ofPlatform()
                .name("vigil-syslog-udp-" + socket.getLocalPort())
                .daemon(true)
                .unstarted(this::receive);
    }

    /** Binds and starts receiving. */
    public static UdpSyslogListener start(SyslogListenerConfig config, IngestSink sink, ProblemSink problems)
            throws IOException {
        UdpSyslogListener listener = new UdpSyslogListener(config, sink, problems);
        listener.receiver.start();
        return listener;
    }

    /** The bound port (the ephemeral one when the configuration said 0). */
    public int port() {
        return socket.getLocalPort();
    }

    public InputCounters counters() {
        return counters;
    }

    private void receive() {
        int max = config.maxMessageBytes();
        // One byte more than allowed: a datagram that fills it was longer than the limit (the rest is cut by the OS).
        byte[] buffer = new byte[max + 1];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        EventBatcher batcher =
                new EventBatcher(sink, config.batchSize(), config.batchDelay(), config.submitWait(), counters);
        Map<SocketAddress, MessageParser> parsers = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<SocketAddress, MessageParser> eldest) {
                return size() > MAX_SENDERS;
            }
        };
        try {
            while (!closing) {
                try {
                    packet.setLength(buffer.length);
                    socket.receive(packet);
                    counters.addBytes(packet.getLength());
                    SocketAddress from = packet.getSocketAddress();
                    MessageParser parser = parsers.computeIfAbsent(
                            from,
                            a -> new MessageParser(
                                    config.format(), "syslog-udp:" + address(a), config.tenant(), counters, problems));
                    if (packet.getLength() > max) {
                        parser.reject("syslog-udp:" + address(from), "datagram longer than " + max + " bytes rejected");
                    } else {
                        parser.message(buffer, 0, packet.getLength(), batcher::add);
                    }
                } catch (SocketTimeoutException e) {
                    // Quiet socket: fall through to submit what is waiting.
                } catch (SocketException e) {
                    if (!closing) {
                        problems.report(new dev.vigil.core.Problem(counters.input(), 0, "socket failed: " + e));
                    }
                    break;
                }
                if (batcher.due()) {
                    batcher.submitOrDrop();
                }
            }
            batcher.submitOrDrop();
        } catch (IOException e) {
            problems.report(new dev.vigil.core.Problem(counters.input(), 0, "receive failed: " + e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String address(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() + ":" + i.getPort() : a.toString();
    }

    /** Stops receiving, submits what was received, and waits for the receiving thread to end. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        // The receive loop sees the flag within one batch delay (its read timeout) and submits its last batch.
        receiver.join(Math.max(
                1000, config.batchDelay().toMillis() * 4 + config.submitWait().toMillis()));
        socket.close();
        receiver.join();
    }
}
