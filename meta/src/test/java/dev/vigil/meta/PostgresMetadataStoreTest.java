package dev.vigil.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store's contract on a real PostgreSQL server, plus recovery from a broken connection. */
@ExtendWith(PostgresExtension.class)
class PostgresMetadataStoreTest extends MetadataStoreContract {
    private PostgresServer server;

    @BeforeEach
    void server(PostgresServer server) {
        this.server = server;
    }

    @Override
    MetadataConfig newDatabase() throws Exception {
        return server.newDatabase();
    }

    @Test
    void aBrokenConnectionFailsOneCallAndTheNextReconnects() throws Exception {
        MetadataConfig.Postgres db = (MetadataConfig.Postgres) newDatabase();
        try (MetadataStore store = MetadataStore.open(db)) {
            store.createTenant("acme");
            String database = db.jdbcUrl().substring(db.jdbcUrl().lastIndexOf('/') + 1);
            try (Connection admin = DriverManager.getConnection(server.url("postgres"), PostgresServer.USER, "");
                    PreparedStatement kill = admin.prepareStatement(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ?")) {
                kill.setString(1, database);
                kill.executeQuery().close();
            }
            assertThatThrownBy(store::tenants).isInstanceOf(MetadataException.class);
            assertThat(store.tenant("acme")).isPresent();
        }
    }

    @Test
    void thePasswordNeverAppearsInTheConfigurationsText() {
        assertThat(MetadataConfig.postgres("jdbc:postgresql://db/vigil", "vigil", "s3cret")
                        .toString())
                .doesNotContain("s3cret");
    }
}
