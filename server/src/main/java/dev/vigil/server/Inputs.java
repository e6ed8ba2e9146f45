package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.ProblemSink;
import dev.vigil.core.TenantId;
import dev.vigil.inputs.FileTailer;
import dev.vigil.inputs.InputCounters;
import dev.vigil.inputs.SyslogListenerConfig;
import dev.vigil.inputs.TailConfig;
import dev.vigil.inputs.TcpSyslogListener;
import dev.vigil.inputs.TlsConfig;
import dev.vigil.inputs.UdpSyslogListener;
import dev.vigil.meta.MetadataStore;
import dev.vigil.meta.Tenant;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured syslog listeners and file tailers. Each names its tenant, which must exist: events are never
 * received for a tenant nobody created.
 */
final class Inputs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Inputs.class);

    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<Integer> syslogPorts = new ArrayList<>();
    private final List<InputCounters> counters = new ArrayList<>();
    private final List<FileTailer> tailers = new ArrayList<>();

    Inputs(ServerConfig config, MetadataStore meta, DurableIngest ingest, Path checkpoints, ServerMetrics metrics)
            throws IOException {
        requireNonNull(config, "config");
        ProblemSink problems = p -> LOG.warn("input: {}", p);
        try {
            for (ServerConfig.SyslogInput s : config.syslog()) {
                TenantId tenant = tenant(meta, s.tenant(), "syslog " + s.protocol() + " port " + s.port());
                String name = "syslog-" + s.protocol() + "-" + s.port();
                SyslogListenerConfig c = SyslogListenerConfig.defaults(tenant)
                        .withBind(InetAddress.getByName(s.bind()), s.port())
                        .withIdleTimeout(config.http().idleTimeout());
                if (s.protocol().equals("tls")) {
                    c = c.withTls(new TlsConfig(s.keystore(), s.keystorePassword()));
                }
                if (s.protocol().equals("udp")) {
                    UdpSyslogListener l = UdpSyslogListener.start(c, ingest.forInput(name), problems);
                    running.add(l);
                    syslogPorts.add(l.port());
                    counters.add(l.counters());
                } else {
                    TcpSyslogListener l = TcpSyslogListener.start(c, ingest.forInput(name), problems);
                    running.add(l);
                    syslogPorts.add(l.port());
                    counters.add(l.counters());
                }
            }
            Files.createDirectories(checkpoints);
            int n = 0;
            for (ServerConfig.TailInput t : config.tail()) {
                TenantId tenant = tenant(meta, t.tenant(), "tail " + t.path());
                TailConfig c = TailConfig.of(
                        tenant, List.of(t.path().toString()), checkpoints.resolve("tail-" + n++ + ".json"));
                if (t.format() != null) {
                    c = c.withFormat(t.format());
                }
                FileTailer tailer = new FileTailer(c, ingest.forInput("tail"), problems);
                running.add(tailer);
                tailers.add(tailer);
                counters.add(tailer.counters());
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        for (InputCounters c : counters) {
            metrics.inputCounters(c);
        }
    }

    private static TenantId tenant(MetadataStore meta, String name, String input) {
        return meta.tenant(name)
                .map(Tenant::id)
                .orElseThrow(() -> new IllegalStateException(input + " names tenant '" + name
                        + "', which does not exist (./vigil admin tenant create " + name + ")"));
    }

    void start() {
        tailers.forEach(FileTailer::start);
    }

    List<Integer> syslogPorts() {
        return List.copyOf(syslogPorts);
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                LOG.warn("while closing an input", e);
            }
        }
        running.clear();
    }
}
