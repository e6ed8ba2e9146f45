package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Event;
import dev.vigil.core.alert.Severity;
import dev.vigil.formats.syslog.CefWriter;
import dev.vigil.formats.syslog.SyslogWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Forwards notifications to another SIEM as CEF records inside RFC 5424 syslog, over UDP (one datagram per record),
 * TCP or TLS (both with RFC 6587 octet counting, one connection kept open and re-opened after a failure).
 *
 * <p>The CEF record is written by {@link CefWriter} (module {@code formats}), which escapes {@code |} and {@code \} in
 * the header and {@code =}, {@code \} and line breaks in extension values, so a value from a log cannot add a field
 * or a record. Extension keys: {@code rt} (time, ms), {@code externalId} (notification id), {@code cat} (alert or
 * incident), {@code cs1} tenant, {@code cs2} ATT&CK tactics, {@code cs3} techniques, {@code cs4} rule title, {@code
 * cs5} console link (each with its {@code csNLabel}), {@code msg} (the rendered text, as one line), and per entity
 * type {@code dhost}, {@code duser}, {@code src}, {@code dst}, {@code dproc}, {@code fname}, {@code fileHash}, {@code
 * destinationDnsDomain}, {@code request} (further values of one type are comma-joined). Severity maps to CEF 1, 3, 5,
 * 8 and 10.
 */
public final class SyslogChannel implements NotificationChannel {
    /** How records travel. */
    public enum Transport {
        UDP,
        TCP,
        TLS
    }

    /** UDP records are cut to this many bytes so one fits in a datagram everywhere syslog is received. */
    public static final int MAX_UDP_BYTES = 8 * 1024;

    /**
     * @param name the channel's name
     * @param host the receiving SIEM
     * @param port its port
     * @param transport UDP, TCP or TLS
     * @param facility the syslog facility code (0–23; 13 "log audit" or 16–23 "local0–7" are usual)
     * @param hostname the HOSTNAME written in each record
     * @param connectTimeout how long TCP and TLS wait for a connection
     * @param sslContext the context of TLS connections (its trust decides which certificates are accepted), or {@code
     *     null} for the JDK's default
     * @param templates per-locale templates of {@code msg}, or {@code null} for the built-in text ones
     */
    public record Config(
            String name,
            String host,
            int port,
            Transport transport,
            int facility,
            String hostname,
            Duration connectTimeout,
            SSLContext sslContext,
            Map<MessageLocale, ChannelTemplates> templates)
            implements ChannelConfig {
        public Config {
            requireNonNull(name, "name");
            requireNonNull(host, "host");
            requireNonNull(transport, "transport");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("channel " + name + ": port " + port + " is out of range");
            }
            if (facility < 0 || facility > 23) {
                throw new IllegalArgumentException("channel " + name + ": facility " + facility + " is not 0-23");
            }
            hostname = hostname == null || hostname.isBlank() ? "vigil" : hostname;
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
            templates = BuiltinTemplates.withDefaults(TemplateStyle.TEXT, templates);
        }

        public Config(String name, String host, int port, Transport transport) {
            this(name, host, port, transport, 13, null, null, null, null);
        }
    }

    private static final Map<String, String> ENTITY_KEYS = Map.ofEntries(
            Map.entry("host", "dhost"),
            Map.entry("user", "duser"),
            Map.entry("ip", "src"),
            Map.entry("src_ip", "src"),
            Map.entry("dst_ip", "dst"),
            Map.entry("process", "dproc"),
            Map.entry("file", "fname"),
            Map.entry("hash", "fileHash"),
            Map.entry("domain", "destinationDnsDomain"),
            Map.entry("url", "request"));

    private final Config config;
    private final CefWriter cef = new CefWriter();
    private final SyslogWriter syslog;
    private Socket socket; // guarded by this
    private OutputStream out; // guarded by this
    private DatagramSocket udp; // guarded by this

    public SyslogChannel(Config config) {
        this.config = requireNonNull(config, "config");
        SyslogWriter w = SyslogWriter.rfc5424();
        this.syslog = config.transport() == Transport.UDP ? w : w.octetCounting();
    }

    @Override
    public String name() {
        return config.name();
    }

    /** The CEF record of {@code n}. */
    String cef(Notification n, RenderOptions options) {
        RenderedMessage m =
                MessageRenderer.render(config.templates().get(options.locale()), n, options.locale(), options.zone());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("deviceVendor", "Vigil");
        f.put("deviceProduct", "Vigil");
        f.put("deviceVersion", "1");
        f.put("signatureId", n.ruleId().isEmpty() ? n.kind().label() : n.ruleId());
        f.put("name", TextFormat.oneLine(n.title()));
        f.put("severity", Integer.toString(cefSeverity(n.severity())));
        f.put("rt", n.time().toEpochMilli());
        f.put("externalId", n.id());
        f.put("cat", n.kind().label());
        custom(f, 1, "tenant", n.tenant().value());
        custom(f, 2, "tactics", String.join(",", n.tactics()));
        custom(f, 3, "techniques", String.join(",", n.techniques()));
        custom(f, 4, "rule", n.ruleTitle());
        custom(f, 5, "link", n.link() == null ? "" : n.link().toString());
        Map<String, List<String>> entities = new LinkedHashMap<>();
        for (Notification.Entity e : n.entities()) {
            String key = ENTITY_KEYS.get(e.type());
            if (key != null) {
                entities.computeIfAbsent(key, k -> new ArrayList<>()).add(e.value());
            }
        }
        entities.forEach((k, v) -> f.put(k, String.join(",", v)));
        // The text as one line: CEF receivers show msg in a single cell.
        f.put("msg", TextFormat.oneLine(m.body().strip().replace("\n", " | ")));
        return cef.write(Event.builder().tenant(n.tenant()).fields(f).build());
    }

    private static void custom(Map<String, Object> f, int index, String label, String value) {
        if (!value.isEmpty()) {
            f.put("cs" + index, value);
            f.put("cs" + index + "Label", label);
        }
    }

    static int cefSeverity(Severity s) {
        return switch (s) {
            case INFORMATIONAL -> 1;
            case LOW -> 3;
            case MEDIUM -> 5;
            case HIGH -> 8;
            case CRITICAL -> 10;
        };
    }

    private static int syslogSeverity(Severity s) {
        return switch (s) {
            case INFORMATIONAL -> 6;
            case LOW -> 5;
            case MEDIUM -> 4;
            case HIGH -> 3;
            case CRITICAL -> 2;
        };
    }

    /** The syslog record of {@code n}, framed for the transport (octet-counted for TCP and TLS). */
    String record(Notification n, RenderOptions options) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("log.syslog.priority", (long) (config.facility() * 8 + syslogSeverity(n.severity())));
        f.put("host.name", config.hostname());
        f.put("log.syslog.appname", "vigil");
        f.put("log.syslog.msgid", n.kind().label());
        f.put("message", cef(n, options));
        return syslog.write(
                Event.builder().tenant(n.tenant()).fields(f).timestamp(n.time()).build());
    }

    @Override
    public DeliveryOutcome deliver(Notification n, RenderOptions options) {
        String record = record(n, options);
        try {
            if (config.transport() == Transport.UDP) {
                sendUdp(record);
            } else {
                sendStream(record);
            }
            return DeliveryOutcome.delivered();
        } catch (IOException e) {
            return DeliveryOutcome.retryable(
                    "syslog " + config.transport() + " to " + config.host() + ":" + config.port() + ": " + e);
        }
    }

    private synchronized void sendUdp(String record) throws IOException {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, MAX_UDP_BYTES);
        while (length < bytes.length && length > 0 && (bytes[length] & 0xC0) == 0x80) {
            length--; // never cut a UTF-8 sequence in two
        }
        if (udp == null) {
            udp = new DatagramSocket();
        }
        udp.send(new DatagramPacket(bytes, length, new InetSocketAddress(config.host(), config.port())));
    }

    private synchronized void sendStream(String record) throws IOException {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        try {
            if (out == null) {
                connect();
            }
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            closeStream();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(config.host(), config.port()), (int)
                    config.connectTimeout().toMillis());
            if (config.transport() == Transport.TLS) {
                SSLContext context;
                try {
                    context = config.sslContext() != null ? config.sslContext() : SSLContext.getDefault();
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IOException("no default TLS context", e);
                }
                SSLSocket tls =
                        (SSLSocket) context.getSocketFactory().createSocket(s, config.host(), config.port(), true);
                SSLParameters params = tls.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(params);
                tls.startHandshake();
                s = tls;
            }
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        out = s.getOutputStream();
    }

    private void closeStream() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // Closing a broken connection: nothing more to do.
        }
        socket = null;
        out = null;
    }

    @Override
    public synchronized void close() {
        closeStream();
        if (udp != null) {
            udp.close();
            udp = null;
        }
    }
}
