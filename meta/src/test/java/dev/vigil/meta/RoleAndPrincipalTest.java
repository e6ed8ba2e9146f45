package dev.vigil.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.TenantId;
import org.junit.jupiter.api.Test;

class RoleAndPrincipalTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId BETA = TenantId.of("beta");

    @Test
    void adminAllowsEverythingReadAndIngestOnlyThemselves() {
        for (Role needed : Role.values()) {
            assertThat(Role.ADMIN.allows(needed)).isTrue();
        }
        assertThat(Role.READ.allows(Role.READ)).isTrue();
        assertThat(Role.READ.allows(Role.INGEST)).isFalse();
        assertThat(Role.READ.allows(Role.ADMIN)).isFalse();
        assertThat(Role.INGEST.allows(Role.INGEST)).isTrue();
        assertThat(Role.INGEST.allows(Role.READ)).isFalse();
        assertThat(Role.INGEST.allows(Role.ADMIN)).isFalse();
    }

    @Test
    void rolesParseInAnyCaseAndRefuseOthersClearly() {
        assertThat(Role.parse("Ingest")).isEqualTo(Role.INGEST);
        assertThat(Role.READ.wireName()).isEqualTo("read");
        assertThatThrownBy(() -> Role.parse("root")).hasMessage("unknown role 'root': use ingest, read or admin");
    }

    @Test
    void aPrincipalActsOnlyWithinItsTenantUnlessItIsTheGlobalAdmin() {
        Principal acmeAdmin = new Principal(ACME, Role.ADMIN, "0000000000000001");
        Principal acmeReader = new Principal(ACME, Role.READ, "0000000000000002");
        Principal systemReader = new Principal(MetadataStore.SYSTEM_TENANT, Role.READ, "0000000000000003");
        Principal global = new Principal(MetadataStore.SYSTEM_TENANT, Role.ADMIN, "0000000000000004");

        assertThat(acmeAdmin.may(Role.ADMIN, ACME)).isTrue();
        assertThat(acmeAdmin.may(Role.READ, BETA)).isFalse();
        assertThat(acmeReader.may(Role.READ, ACME)).isTrue();
        assertThat(acmeReader.may(Role.INGEST, ACME)).isFalse();
        assertThat(systemReader.isGlobalAdmin()).isFalse();
        assertThat(systemReader.may(Role.READ, ACME)).isFalse();
        assertThat(global.isGlobalAdmin()).isTrue();
        assertThat(global.may(Role.ADMIN, BETA)).isTrue();
    }
}
