package dev.vigil.cli;

import dev.vigil.core.TenantId;
import dev.vigil.meta.IssuedToken;
import dev.vigil.meta.MetadataStore;
import dev.vigil.meta.Role;
import dev.vigil.meta.Tenant;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import dev.vigil.sigma.SigmaException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;

/** {@code vigil server}: the platform in one process, with embedded storage. */
@CommandLine.Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the Vigil server: ingestion (HTTP, syslog, files), detection, storage, search and the API.",
            "With --demo, also creates the tenant 'demo' and replays a built-in attack scenario into it."
        })
final class ServerCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--data", description = "data directory (default: ./vigil-data, or the config's)")
    Path data;

    @CommandLine.Option(names = "--config", description = "YAML configuration file")
    Path config;

    @CommandLine.Option(names = "--bind", description = "address to listen on (default 127.0.0.1)")
    String bind;

    @CommandLine.Option(names = "--port", description = "HTTP port (default 8080)")
    Integer port;

    @CommandLine.Option(names = "--demo", description = "create the demo tenant and replay an attack scenario")
    boolean demo;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ServerConfig cfg;
        try {
            cfg = config == null ? ServerConfig.defaults() : ServerConfig.load(config);
        } catch (ServerConfig.ConfigException e) {
            throw new CliException(e.getMessage(), 2);
        }
        if (data != null) {
            cfg = cfg.withData(data);
        }
        if (bind != null) {
            cfg = cfg.withBind(bind);
        }
        if (port != null) {
            cfg = cfg.withPort(port);
        }
        long started = System.nanoTime();
        VigilServer server;
        try {
            server = VigilServer.start(cfg);
        } catch (IOException | SigmaException e) {
            throw new CliException("cannot start: " + e.getMessage(), 1);
        }
        String base =
                "http://" + (cfg.bind().contains(":") ? "[" + cfg.bind() + "]" : cfg.bind()) + ":" + server.port();
        out.printf(
                "vigil: server listening on %s (data in %s, %d rules, started in %.1f s)%n",
                base,
                cfg.data().toAbsolutePath().normalize(),
                server.ruleReport().loaded(),
                (System.nanoTime() - started) / 1e9);
        for (int i = 0; i < cfg.syslog().size(); i++) {
            out.printf(
                    "vigil: syslog %s on %s:%d for tenant %s%n",
                    cfg.syslog().get(i).protocol(),
                    cfg.syslog().get(i).bind(),
                    server.syslogPorts().get(i),
                    cfg.syslog().get(i).tenant());
        }
        if (demo) {
            startDemo(server, base, out);
        } else if (server.metadata().tenants().stream().allMatch(Tenant::isSystem)) {
            out.println("vigil: no tenants yet: ./vigil admin tenant create NAME, then ./vigil admin token create"
                    + " --tenant NAME --role ingest");
        }
        out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }

    private static void startDemo(VigilServer server, String base, PrintWriter out) throws InterruptedException {
        MetadataStore meta = server.metadata();
        Tenant tenant = meta.tenant("demo").orElseGet(() -> meta.createTenant("demo"));
        IssuedToken read = meta.createToken(tenant.id(), Role.READ, "demo read token");
        IssuedToken ingest = meta.createToken(tenant.id(), Role.INGEST, "demo ingest token");
        TenantId id = tenant.id();
        int n = server.replayDemo(id);
        server.awaitIdle(Duration.ofSeconds(30));
        out.printf("vigil: demo tenant 'demo' received %d events of an attack scenario%n", n);
        out.printf("vigil: read token:   %s%n", read.token());
        out.printf("vigil: ingest token: %s%n", ingest.token());
        out.printf("  curl -s -H 'Authorization: Bearer %s' '%s/api/v1/alerts'%n", read.token(), base);
        out.printf(
                "  curl -s -H 'Authorization: Bearer %s' '%s/api/v1/events?q=Image:*powershell.exe'%n",
                read.token(), base);
    }
}
