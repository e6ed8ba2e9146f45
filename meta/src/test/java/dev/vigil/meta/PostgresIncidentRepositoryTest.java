package dev.vigil.meta;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresIncidentRepositoryTest extends IncidentRepositoryContract {
    private PostgresServer server;

    @BeforeEach
    void server(PostgresServer server) {
        this.server = server;
    }

    @Override
    MetadataConfig newDatabase() throws Exception {
        return server.newDatabase();
    }
}
