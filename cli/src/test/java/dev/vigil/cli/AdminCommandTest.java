package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.TenantId;
import dev.vigil.meta.MetadataConfig;
import dev.vigil.meta.MetadataStore;
import dev.vigil.meta.Principal;
import dev.vigil.meta.Role;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil admin ...} end to end: run the command line, read what it printed, and check it against the store. */
class AdminCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    private Run vigil(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private String data() {
        return tmp.resolve("data").toString();
    }

    private MetadataStore store() {
        return MetadataStore.open(MetadataConfig.inDataDirectory(Path.of(data())));
    }

    @Test
    void aTenantIsCreatedAndListed() throws Exception {
        Run created = vigil("admin", "tenant", "create", "acme", "--data", data());
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).isEqualTo("created tenant acme\n");
        assertThat(tmp.resolve("data/metadata.db")).isRegularFile();

        Run list = vigil("admin", "tenant", "list", "--data", data(), "--format", "json");
        assertThat(list.exit()).isZero();
        assertThat(list.json().findValuesAsText("name")).containsExactly("acme", "system");
        assertThat(list.json().get(0).get("retentionDays").asInt()).isEqualTo(MetadataStore.DEFAULT_RETENTION_DAYS);

        Run text = vigil("admin", "tenant", "list", "--data", data());
        assertThat(text.out().lines().toList()).hasSize(3).element(1).asString().startsWith("acme ");
    }

    @Test
    void aPrintedTokenAuthenticatesAsItsTenantAndRole() throws Exception {
        vigil("admin", "tenant", "create", "acme", "--data", data());
        Run json = vigil(
                "admin",
                "token",
                "create",
                "--tenant",
                "acme",
                "--role",
                "ingest",
                "--description",
                "web-1 shipper",
                "--data",
                data(),
                "--format",
                "json");
        assertThat(json.exit()).as(json.err()).isZero();
        JsonNode printed = json.json();
        assertThat(printed.size()).as("exactly {\"token\":...}").isEqualTo(1);
        String token = printed.get("token").asText();

        Run bare = vigil("admin", "token", "create", "--tenant", "acme", "--role", "READ", "--data", data());
        assertThat(bare.exit()).as(bare.err()).isZero();
        String bareToken = bare.out().strip();
        assertThat(bare.out()).isEqualTo(bareToken + "\n");
        assertThat(bare.err()).contains("shown only this once").doesNotContain(bareToken);

        try (MetadataStore store = store()) {
            Principal shipper = store.authenticate(token).orElseThrow();
            assertThat(shipper.tenant()).isEqualTo(TenantId.of("acme"));
            assertThat(shipper.role()).isEqualTo(Role.INGEST);
            assertThat(store.authenticate(bareToken).orElseThrow().role()).isEqualTo(Role.READ);
        }

        Run list = vigil("admin", "token", "list", "--tenant", "acme", "--data", data(), "--format", "json");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).doesNotContain(token.substring(21)).doesNotContain(bareToken.substring(21));
        assertThat(list.json().findValuesAsText("role")).containsExactlyInAnyOrder("ingest", "read");
        assertThat(list.json().findValuesAsText("description")).contains("web-1 shipper");
    }

    @Test
    void aRevokedTokenNoLongerAuthenticates() throws Exception {
        vigil("admin", "tenant", "create", "acme", "--data", data());
        String token = vigil(
                        "admin",
                        "token",
                        "create",
                        "--tenant",
                        "acme",
                        "--role",
                        "admin",
                        "--data",
                        data(),
                        "--format",
                        "json")
                .json()
                .get("token")
                .asText();
        String id = vigil("admin", "token", "list", "--tenant", "acme", "--data", data(), "--format", "json")
                .json()
                .get(0)
                .get("id")
                .asText();
        assertThat(token).startsWith("vgl_" + id + "_");

        Run revoke = vigil("admin", "token", "revoke", id, "--data", data());
        assertThat(revoke.exit()).as(revoke.err()).isZero();
        assertThat(revoke.out()).isEqualTo("revoked token " + id + "\n");
        assertThat(vigil("admin", "token", "revoke", id, "--data", data()).out())
                .isEqualTo("token " + id + " was already revoked\n");
        try (MetadataStore store = store()) {
            assertThat(store.authenticate(token)).isEmpty();
        }
        Run text = vigil("admin", "token", "list", "--tenant", "acme", "--data", data());
        assertThat(text.out()).contains(id).contains("revoked");
    }

    @Test
    void mistakesExitNonZeroWithAOneLineReason() {
        vigil("admin", "tenant", "create", "acme", "--data", data());

        Run duplicate = vigil("admin", "tenant", "create", "acme", "--data", data());
        assertThat(duplicate.exit()).isEqualTo(2);
        assertThat(duplicate.err()).isEqualTo("vigil: tenant 'acme' already exists\n");

        Run badName = vigil("admin", "tenant", "create", "Acme!", "--data", data());
        assertThat(badName.exit()).isEqualTo(2);
        assertThat(badName.err()).startsWith("vigil: invalid tenant name 'Acme!'");

        Run unknownTenant = vigil("admin", "token", "create", "--tenant", "nobody", "--role", "read", "--data", data());
        assertThat(unknownTenant.exit()).isEqualTo(2);
        assertThat(unknownTenant.err()).isEqualTo("vigil: unknown tenant 'nobody'\n");
        assertThat(unknownTenant.out()).isEmpty();

        Run badRole = vigil("admin", "token", "create", "--tenant", "acme", "--role", "root", "--data", data());
        assertThat(badRole.exit()).isEqualTo(2);
        assertThat(badRole.err()).contains("unknown role 'root': use ingest, read or admin");

        Run unknownList = vigil("admin", "token", "list", "--tenant", "nobody", "--data", data());
        assertThat(unknownList.exit()).isEqualTo(2);
        assertThat(unknownList.err()).isEqualTo("vigil: unknown tenant 'nobody'\n");

        Run unknownToken = vigil("admin", "token", "revoke", "0123456789abcdef", "--data", data());
        assertThat(unknownToken.exit()).isEqualTo(2);
        assertThat(unknownToken.err()).isEqualTo("vigil: unknown token id '0123456789abcdef'\n");

        try (MetadataStore store = store()) {
            assertThat(store.tenants()).extracting(t -> t.name()).containsExactly("acme", "system");
            assertThat(store.listTokens(TenantId.of("acme"))).isEmpty();
        }
    }

    @Test
    void theHelpNamesTheDefaultDataDirectory() {
        Run help = vigil("admin", "tenant", "create", "--help");
        assertThat(help.out()).contains("--data=DIR").contains("vigil-data");
        assertThat(help.exit()).isZero();
    }

    @Test
    void aConsoleUserIsCreatedWithAGeneratedPasswordThatVerifies() throws Exception {
        assertThat(vigil("admin", "tenant", "create", "acme", "--data", data()).exit())
                .isZero();
        Run created = vigil(
                "admin",
                "user",
                "create",
                "alice",
                "--role",
                "analyst",
                "--tenant",
                "acme",
                "--data",
                data(),
                "--format",
                "json");
        assertThat(created.exit()).as(created.err()).isZero();
        String password = created.json().get("password").asText();
        assertThat(password).hasSize(20);
        assertThat(created.json().get("role").asText()).isEqualTo("analyst");
        try (MetadataStore store = store()) {
            String hash = new dev.vigil.meta.ConsoleAccounts(store)
                    .passwordHash("alice")
                    .orElseThrow();
            assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
            assertThat(new dev.vigil.console.Passwords().verify(password, hash)).isTrue();
        }

        Run noTenant = vigil("admin", "user", "create", "bob", "--role", "viewer", "--data", data());
        assertThat(noTenant.exit()).isEqualTo(2);
        assertThat(noTenant.err()).contains("needs at least one tenant");
        Run badRole = vigil("admin", "user", "create", "bob", "--role", "root", "--data", data());
        assertThat(badRole.exit()).isEqualTo(2);
        assertThat(badRole.err()).contains("unknown console role 'root'");

        Run list = vigil("admin", "user", "list", "--data", data());
        assertThat(list.out()).isEqualTo("alice analyst acme\n");
    }
}
