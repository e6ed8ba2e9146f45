package dev.vigil.meta;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteIncidentRepositoryTest extends IncidentRepositoryContract {
    @TempDir
    Path temp;

    private int databases;

    @Override
    MetadataConfig newDatabase() {
        return MetadataConfig.sqlite(temp.resolve("db" + ++databases).resolve("metadata.db"));
    }
}
