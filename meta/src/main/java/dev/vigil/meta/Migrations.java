package dev.vigil.meta;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings a database to the schema of this build, one set of scripts for SQLite and PostgreSQL alike.
 *
 * <p>Scripts are resources {@code dev/vigil/meta/migrations/V<n>__<what>.sql}, listed in {@link #SCRIPTS} (a jar cannot
 * be listed reliably, and a test checks the list against the directory). Each script runs in its own transaction,
 * together with the {@code schema_version} row that records it, so a failed script leaves no half-applied schema. Both
 * dialects have transactional DDL, which is what makes this work.
 *
 * <p>Two processes opening a fresh database at once may race on a script: the loser's transaction fails, is rolled back,
 * and if the recorded version shows the winner applied that script the loser carries on.
 *
 * <p>Scripts are split into statements at semicolons after removing {@code --} comments, so a script must not put
 * {@code ;} or {@code --} inside a string literal.
 */
final class Migrations {
    /** Every script, in order; append, never edit one that has shipped. */
    static final List<String> SCRIPTS =
            List.of("V1__init.sql", "V2__console_users.sql", "V3__incidents.sql", "V4__intel.sql");

    static final String RESOURCE_DIR = "/dev/vigil/meta/migrations/";
    private static final Pattern SCRIPT_NAME = Pattern.compile("V([1-9][0-9]*)__[a-z0-9_]+\\.sql");

    private Migrations() {}

    /** The schema version this build writes: the number of the last script. */
    static int latestVersion() {
        return version(SCRIPTS.get(SCRIPTS.size() - 1));
    }

    static int version(String scriptName) {
        Matcher m = SCRIPT_NAME.matcher(scriptName);
        if (!m.matches()) {
            throw new IllegalStateException("migration script name '" + scriptName + "' is not V<n>__<what>.sql");
        }
        return Integer.parseInt(m.group(1));
    }

    /** Applies every script the database lacks and returns how many this call applied. */
    static int apply(Connection connection, Clock clock) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement()) {
            s.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version ("
                            + "version INTEGER NOT NULL PRIMARY KEY, script VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)");
        }
        int current = currentVersion(connection);
        if (current > latestVersion()) {
            throw new MetadataException("the metadata database has schema version " + current
                    + " but this Vigil knows versions up to " + latestVersion() + ": upgrade Vigil");
        }
        int applied = 0;
        for (String script : SCRIPTS) {
            int version = version(script);
            if (version <= current) {
                continue;
            }
            try {
                applyOne(connection, script, version, clock);
                applied++;
            } catch (SQLException e) {
                if (currentVersion(connection) < version) {
                    throw e;
                }
                // Another process applied it first.
            }
            current = version;
        }
        return applied;
    }

    static int currentVersion(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void applyOne(Connection connection, String script, int version, Clock clock) throws SQLException {
        List<String> statements = statements(read(script));
        connection.setAutoCommit(false);
        try {
            try (Statement s = connection.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO schema_version (version, script, applied_at) VALUES (?, ?, ?)")) {
                ps.setInt(1, version);
                ps.setString(2, script);
                ps.setLong(3, clock.millis());
                ps.executeUpdate();
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    static String read(String script) {
        try (InputStream in = Migrations.class.getResourceAsStream(RESOURCE_DIR + script)) {
            if (in == null) {
                throw new IllegalStateException("migration script " + RESOURCE_DIR + script + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MetadataException("cannot read migration script " + script, e);
        }
    }

    /** The statements of a script: {@code --} comments removed, split at semicolons, blank ones dropped. */
    static List<String> statements(String script) {
        StringBuilder withoutComments = new StringBuilder(script.length());
        for (String line : script.split("\n", -1)) {
            int comment = line.indexOf("--");
            withoutComments
                    .append(comment >= 0 ? line.substring(0, comment) : line)
                    .append('\n');
        }
        List<String> out = new ArrayList<>();
        for (String part : withoutComments.toString().split(";", -1)) {
            String sql = part.strip();
            if (!sql.isEmpty()) {
                out.add(sql);
            }
        }
        return out;
    }
}
