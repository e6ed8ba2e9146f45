package dev.vigil.inputs;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import dev.vigil.formats.text.TextFormats;
import java.net.InetAddress;
import java.time.Duration;

/**
 * How a syslog listener listens. Build from {@link #defaults(TenantId)} and the {@code with…} methods.
 *
 * @param tenant the tenant of every event received
 * @param bindAddress the local address to bind
 * @param port the port, 0 for an ephemeral one (the listener's {@code port()} tells which)
 * @param maxMessageBytes the largest message; larger ones are rejected and counted
 * @param idleTimeout a TCP connection that completes no message for this long is closed
 * @param maxConnections TCP connections beyond this many are closed at once
 * @param format the text format of the messages ({@code syslog}, which also reads CEF and LEEF after a header, or
 *     {@code cef}, {@code leef})
 * @param batchSize events gathered before a submit
 * @param batchDelay the longest an event waits in a batch before it is submitted
 * @param submitWait how long one submit may wait for the sink: TCP retries after it (the sender is slowed), UDP drops
 * @param tls the certificate for TCP over TLS, or {@code null} for plain TCP (ignored by UDP)
 */
public record SyslogListenerConfig(
        TenantId tenant,
        InetAddress bindAddress,
        int port,
        int maxMessageBytes,
        Duration idleTimeout,
        int maxConnections,
        String format,
        int batchSize,
        Duration batchDelay,
        Duration submitWait,
        TlsConfig tls) {
    public SyslogListenerConfig {
        requireNonNull(tenant, "tenant");
        requireNonNull(bindAddress, "bindAddress");
        requireNonNull(idleTimeout, "idleTimeout");
        requireNonNull(format, "format");
        requireNonNull(batchDelay, "batchDelay");
        requireNonNull(submitWait, "submitWait");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535: " + port);
        }
        if (maxMessageBytes < 16 || maxMessageBytes > 65507 * 16) {
            throw new IllegalArgumentException("maxMessageBytes must be 16 to 1048112: " + maxMessageBytes);
        }
        if (maxConnections < 1 || batchSize < 1) {
            throw new IllegalArgumentException("maxConnections and batchSize must be positive");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || batchDelay.isNegative() || batchDelay.isZero()) {
            throw new IllegalArgumentException("idleTimeout and batchDelay must be positive");
        }
        if (TextFormats.byName(format).isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown format '" + format + "'; known: " + String.join(", ", TextFormats.names()));
        }
    }

    /**
     * Loopback, an ephemeral port, 64 KiB messages, 60 s idle timeout, 1024 connections, syslog, batches of 500 events
     * or 50 ms, 200 ms per submit attempt, no TLS.
     */
    public static SyslogListenerConfig defaults(TenantId tenant) {
        return new SyslogListenerConfig(
                tenant,
                InetAddress.getLoopbackAddress(),
                0,
                64 * 1024,
                Duration.ofSeconds(60),
                1024,
                "syslog",
                500,
                Duration.ofMillis(50),
                Duration.ofMillis(200),
                null);
    }

    public SyslogListenerConfig withBind(InetAddress address, int port) {
        return new SyslogListenerConfig(
                tenant,
                address,
                port,
                maxMessageBytes,
                idleTimeout,
                maxConnections,
                format,
                batchSize,
                batchDelay,
                submitWait,
                tls);
    }

    public SyslogListenerConfig withMaxMessageBytes(int bytes) {
        return new SyslogListenerConfig(
                tenant,
                bindAddress,
                port,
                bytes,
                idleTimeout,
                maxConnections,
                format,
                batchSize,
                batchDelay,
                submitWait,
                tls);
    }

    public SyslogListenerConfig withIdleTimeout(Duration timeout) {
        return new SyslogListenerConfig(
                tenant,
                bindAddress,
                port,
                maxMessageBytes,
                timeout,
                maxConnections,
                format,
                batchSize,
                batchDelay,
                submitWait,
                tls);
    }

    public SyslogListenerConfig withMaxConnections(int connections) {
        return new SyslogListenerConfig(
                tenant,
                bindAddress,
                port,
                maxMessageBytes,
                idleTimeout,
                connections,
                format,
                batchSize,
                batchDelay,
                submitWait,
                tls);
    }

    public SyslogListenerConfig withFormat(String name) {
        return new SyslogListenerConfig(
                tenant,
                bindAddress,
                port,
                maxMessageBytes,
                idleTimeout,
                maxConnections,
                name,
                batchSize,
                batchDelay,
                submitWait,
                tls);
    }

    public SyslogListenerConfig withBatch(int size, Duration delay) {
        return new SyslogListenerConfig(
                tenant,
                bindAddress,
                port,
                maxMessageBytes,
                idleTimeout,
                maxConnections,
                format,
                size,
                delay,
                submitWait,
                tls);
    }

    public SyslogListenerConfig withSubmitWait(Duration wait) {
        return new SyslogListenerConfig(
                tenant,
                bindAddress,
                port,
                maxMessageBytes,
                idleTimeout,
                maxConnections,
                format,
                batchSize,
                batchDelay,
                wait,
                tls);
    }

    public SyslogListenerConfig withTls(TlsConfig tlsConfig) {
        return new SyslogListenerConfig(
                tenant,
                bindAddress,
                port,
                maxMessageBytes,
                idleTimeout,
                maxConnections,
                format,
                batchSize,
                batchDelay,
                submitWait,
                tlsConfig);
    }

    /**
     * How long a listener's read blocks: the batch delay, but at most 100 ms, so that closing and idle connections are
     * noticed soon even when batches may wait longer.
     */
    static int readTimeoutMillis(SyslogListenerConfig config) {
        return (int) Math.clamp(config.batchDelay().toMillis(), 1, 100);
    }
}
