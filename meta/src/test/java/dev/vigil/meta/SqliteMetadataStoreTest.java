package dev.vigil.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract on SQLite files, plus what only SQLite has: the file in the data directory. */
class SqliteMetadataStoreTest extends MetadataStoreContract {
    @TempDir
    Path temp;

    private int databases;

    @Override
    MetadataConfig newDatabase() {
        return MetadataConfig.sqlite(temp.resolve("db" + ++databases).resolve("metadata.db"));
    }

    @Test
    void aDataDirectoryGetsItsMetadataFileCreatedWithItsParents() {
        Path dataDir = temp.resolve("not/yet/there");
        try (MetadataStore store = MetadataStore.open(MetadataConfig.inDataDirectory(dataDir))) {
            store.createTenant("acme");
        }
        assertThat(dataDir.resolve("metadata.db")).isRegularFile();
        try (MetadataStore store = MetadataStore.open(MetadataConfig.inDataDirectory(dataDir))) {
            assertThat(store.tenant("acme")).isPresent();
        }
        assertThat(Files.exists(dataDir.resolve("metadata.db"))).isTrue();
    }
}
