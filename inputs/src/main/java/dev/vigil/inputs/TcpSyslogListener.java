package dev.vigil.inputs;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLServerSocket;

/**
 * Syslog over TCP (RFC 6587), optionally over TLS (RFC 5425).
 *
 * <p><b>Threads.</b> One acceptor thread; each connection is read by its own virtual thread with blocking I/O, which
 * keeps the framing code sequential. A connection beyond {@code maxConnections} is closed at once and counted.
 *
 * <p><b>Framing</b> is detected per connection from its first byte: a digit 1-9 starts octet counting ({@code LEN SP
 * MSG}), anything else newline framing (LF or CRLF; trailing NULs dropped). An oversized message is skipped (up to the
 * next newline, or the declared length) and counted as rejected; an octet count that is not a number cannot be resynced
 * and closes the connection.
 *
 * <p><b>Timeouts.</b> Reads time out after the batch delay, so a quiet connection still submits its batch; a
 * connection that completes no message within {@code idleTimeout} (silent, or dribbling bytes, or stuck in the TLS
 * handshake) is closed and counted.
 *
 * <p><b>Backpressure.</b> A connection's thread submits its batch and, while the sink refuses, retries after each
 * {@code submitWait} without reading: the kernel buffers fill, the TCP window closes and the sender slows. Nothing
 * received is dropped except when the listener closes while the sink still refuses (counted).
 *
 * <p><b>Close</b> stops accepting, lets every connection process what it has read and submit it, then closes the
 * connections.
 */
public final class TcpSyslogListener implements AutoCloseable {
    private final SyslogListenerConfig config;
    private final IngestSink sink;
    private final ProblemSink problems;
    private final ServerSocket server;
    private final InputCounters counters;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closing;

    private TcpSyslogListener(SyslogListenerConfig config, IngestSink sink, ProblemSink problems) throws IOException {
        this.config = requireNonNull(config, "config");
        this.sink = requireNonNull(sink, "sink");
        this.problems = requireNonNull(problems, "problems");
        ServerSocket socket;
        if (config.tls() != null) {
            SSLServerSocket tls = (SSLServerSocket)
                    config.tls().serverContext().getServerSocketFactory().createServerSocket();
            tls.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            socket = tls;
        } else {
            socket = new ServerSocket();
        }
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(config.bindAddress(), config.port()), 128);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        this.server = socket;
        this.counters = new InputCounters((config.tls() != null ? "syslog-tls:" : "syslog-tcp:") + port());
        this.acceptor = Thread.ofPlatform()
                .name("vigil-" + counters.input())
                .daemon(true)
                .unstarted(this::accept);
    }

    /** Binds and starts accepting connections. */
    public static TcpSyslogListener start(SyslogListenerConfig config, IngestSink sink, ProblemSink problems)
            throws IOException {
        TcpSyslogListener listener = new TcpSyslogListener(config, sink, problems);
        listener.acceptor.start();
        return listener;
    }

    /** The bound port (the ephemeral one when the configuration said 0). */
    public int port() {
        return server.getLocalPort();
    }

    public InputCounters counters() {
        return counters;
    }

    private void accept() {
        while (!closing) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closing) {
                    problems.report(new Problem(counters.input(), 0, "accept failed: " + e));
                    // Out of file descriptors, typically: pause rather than spin and flood the problem sink.
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                continue;
            }
            if (connections.size() >= config.maxConnections() || closing) {
                counters.connectionRejected();
                closeQuietly(socket);
                continue;
            }
            Connection c = new Connection(socket);
            connections.add(c);
            counters.connectionOpened();
            c.thread = Thread.ofVirtual().name("vigil-" + c.source).start(c::run);
        }
    }

    /** Stops accepting, lets connections submit what they have read, and closes them. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        try {
            server.close();
        } catch (IOException e) {
            problems.report(new Problem(counters.input(), 0, "close failed: " + e));
        }
        acceptor.join();
        long grace = Math.max(
                1000, config.batchDelay().toMillis() * 4 + config.submitWait().toMillis() * 2);
        for (Connection c : connections) {
            c.thread.join(grace);
        }
        for (Connection c : connections) {
            closeQuietly(c.socket);
            c.thread.join();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Closing a broken socket: nothing left to do.
        }
    }

    /** One connection: framing state and its batch. */
    private final class Connection {
        final Socket socket;
        final String source;
        Thread thread;
        final byte[] buffer;
        int start;
        int end;
        /** Bytes still to skip of an oversized message; -1 means "up to the next newline". */
        long skipping;

        final MessageParser parser;
        final EventBatcher batcher;
        long lastMessageAt = System.nanoTime();

        Connection(Socket socket) {
            this.socket = socket;
            this.source = counters.input() + "/" + UdpSyslogListener.address(socket.getRemoteSocketAddress());
            this.buffer = new byte[Math.max(16 * 1024, config.maxMessageBytes() + 16)];
            this.parser = new MessageParser(config.format(), source, config.tenant(), counters, problems);
            this.batcher =
                    new EventBatcher(sink, config.batchSize(), config.batchDelay(), config.submitWait(), counters);
        }

        void run() {
            try (socket) {
                socket.setSoTimeout(SyslogListenerConfig.readTimeoutMillis(config));
                socket.setTcpNoDelay(true);
                InputStream in = socket.getInputStream();
                int framing = 0; // 0 unknown, 1 newline, 2 octet counting
                long idleNanos = config.idleTimeout().toNanos();
                while (!closing) {
                    int n;
                    try {
                        if (end == buffer.length) {
                            compact();
                        }
                        n = in.read(buffer, end, buffer.length - end);
                    } catch (SocketTimeoutException e) {
                        n = 0;
                    }
                    if (n < 0) {
                        break;
                    }
                    if (n > 0) {
                        counters.addBytes(n);
                        end += n;
                        if (framing == 0) {
                            framing = buffer[start] >= '1' && buffer[start] <= '9' ? 2 : 1;
                        }
                        boolean ok = framing == 2 ? octetCounted() : newlineFramed();
                        if (!ok) {
                            break;
                        }
                    }
                    if (batcher.due()) {
                        batcher.submitRetrying(() -> !closing);
                    }
                    if (System.nanoTime() - lastMessageAt > idleNanos) {
                        counters.closedIdle();
                        break;
                    }
                }
                if (framing == 1 && end > start && skipping == 0) {
                    // The peer closed, went idle or we are closing: the last unterminated line is as complete as it
                    // will get.
                    message(start, end - start);
                }
                parser.end(batcher::add);
                batcher.submitRetrying(() -> !closing);
            } catch (SocketException e) {
                if (!closing) {
                    counters.connectionError();
                }
                flushOnError();
            } catch (IOException e) {
                counters.connectionError();
                problems.report(new Problem(source, 0, "connection failed: " + e));
                flushOnError();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                counters.connectionClosed();
                connections.remove(this);
            }
        }

        private void flushOnError() {
            try {
                batcher.submitRetrying(() -> !closing);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void compact() {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        private void message(int offset, int length) {
            parser.message(buffer, offset, length, batcher::add);
            lastMessageAt = System.nanoTime();
        }

        private boolean newlineFramed() {
            int max = config.maxMessageBytes();
            while (start < end) {
                int nl = indexOfNewline(start, end);
                if (skipping != 0) {
                    if (nl < 0) {
                        start = end;
                        return true;
                    }
                    skipping = 0;
                    start = nl + 1;
                    lastMessageAt = System.nanoTime();
                    continue;
                }
                if (nl < 0) {
                    if (end - start > max) {
                        parser.reject(source, "message longer than " + max + " bytes rejected");
                        skipping = -1;
                        start = end;
                    }
                    return true;
                }
                if (nl - start > max) {
                    parser.reject(source, "message longer than " + max + " bytes rejected");
                } else {
                    message(start, nl - start);
                }
                start = nl + 1;
            }
            return true;
        }

        private int indexOfNewline(int from, int to) {
            for (int i = from; i < to; i++) {
                if (buffer[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private boolean octetCounted() {
            int max = config.maxMessageBytes();
            while (start < end) {
                if (skipping > 0) {
                    int skip = (int) Math.min(skipping, end - start);
                    start += skip;
                    skipping -= skip;
                    if (skipping == 0) {
                        lastMessageAt = System.nanoTime();
                    }
                    continue;
                }
                // Between frames senders may put a newline; RFC 6587 does not, rsyslog sometimes does.
                if (buffer[start] == '\n' || buffer[start] == '\r') {
                    start++;
                    continue;
                }
                int p = start;
                long length = 0;
                while (p < end && buffer[p] >= '0' && buffer[p] <= '9' && p - start < 10) {
                    length = length * 10 + (buffer[p] - '0');
                    p++;
                }
                if (p == end) {
                    return true; // the count is not complete yet
                }
                if (p == start || buffer[p] != ' ' || length == 0) {
                    parser.reject(
                            source,
                            "octet-counted framing broken (expected 'LENGTH SP' at a frame start)"
                                    + "; connection closed");
                    return false;
                }
                if (length > max) {
                    parser.reject(source, "message of " + length + " bytes longer than " + max + " bytes rejected");
                    start = p + 1;
                    skipping = length;
                    continue;
                }
                if (end - (p + 1) < length) {
                    return true; // wait for the rest of the frame
                }
                message(p + 1, (int) length);
                start = p + 1 + (int) length;
            }
            return true;
        }
    }
}
