package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** Where the metadata lives: a SQLite file (the default) or a PostgreSQL database. */
public sealed interface MetadataConfig {
    /** The file name of the SQLite store inside a data directory. */
    String SQLITE_FILE_NAME = "metadata.db";

    /** The SQLite store of a data directory: {@code <dataDir>/metadata.db}. */
    static MetadataConfig inDataDirectory(Path dataDir) {
        return new Sqlite(requireNonNull(dataDir, "dataDir").resolve(SQLITE_FILE_NAME));
    }

    static MetadataConfig sqlite(Path file) {
        return new Sqlite(file);
    }

    static MetadataConfig postgres(String jdbcUrl, String user, String password) {
        return new Postgres(jdbcUrl, user, password);
    }

    /** A SQLite database file; its parent directories are created when missing. */
    record Sqlite(Path file) implements MetadataConfig {
        public Sqlite {
            requireNonNull(file, "file");
        }
    }

    /** A PostgreSQL database reached by a {@code jdbc:postgresql:} URL. */
    record Postgres(String jdbcUrl, String user, String password) implements MetadataConfig {
        public Postgres {
            requireNonNull(jdbcUrl, "jdbcUrl");
            requireNonNull(user, "user");
            requireNonNull(password, "password");
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException(
                        "PostgreSQL URL must start with 'jdbc:postgresql:', got '" + jdbcUrl + "'");
            }
        }

        /** Never prints the password, so a logged configuration leaks nothing. */
        @Override
        public String toString() {
            return "Postgres[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***]";
        }
    }
}
