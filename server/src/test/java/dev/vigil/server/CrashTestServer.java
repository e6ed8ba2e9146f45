package dev.vigil.server;

import dev.vigil.meta.Role;
import dev.vigil.meta.Tenant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The server as {@link CrashRecoveryTest} runs it in a child JVM: starts on a data directory with fsync on every
 * append, makes the tenant and an ingest token on the first run, writes the token and its port beside the data for the test
 * to read, and waits to be killed.
 */
public final class CrashTestServer {
    private CrashTestServer() {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        VigilServer server = VigilServer.start(ServerConfig.defaults()
                .withData(data)
                .withPort(0)
                .withPipeline(new ServerConfig.Pipeline(
                        500, 1_000_000, java.time.Duration.ofSeconds(1), java.time.Duration.ofMinutes(10))));
        Path tokenFile = data.resolve("crash-test-token");
        if (!Files.exists(tokenFile)) {
            Tenant t = server.metadata().createTenant("crash");
            String token = server.metadata()
                    .createToken(t.id(), Role.INGEST, "crash test")
                    .token();
            Path tmp = data.resolve("crash-test-token.tmp");
            Files.writeString(tmp, token, StandardCharsets.UTF_8);
            Files.move(tmp, tokenFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        Path portTmp = data.resolve("crash-test-port.tmp");
        Files.writeString(portTmp, Integer.toString(server.port()), StandardCharsets.UTF_8);
        Files.move(portTmp, data.resolve("crash-test-port"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Thread.currentThread().join();
    }
}
