package dev.vigil.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.TenantId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What every backend of {@link MetadataStore} must do, run once against SQLite and once against PostgreSQL by the
 * subclasses. Each test gets a fresh, empty database from {@link #newDatabase()}.
 */
abstract class MetadataStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    /** A configuration for a database nobody has used yet. */
    abstract MetadataConfig newDatabase() throws Exception;

    private static MetadataStore open(MetadataConfig config) {
        return MetadataStore.open(config, Clock.fixed(T0, ZoneOffset.UTC));
    }

    /** A plain JDBC connection to the same database, to look at the rows the store wrote. */
    static Connection rawConnection(MetadataConfig config) throws SQLException {
        return switch (config) {
            case MetadataConfig.Sqlite s -> DriverManager.getConnection("jdbc:sqlite:" + s.file());
            case MetadataConfig.Postgres p -> DriverManager.getConnection(p.jdbcUrl(), p.user(), p.password());
        };
    }

    private static List<Map<String, String>> rows(MetadataConfig config, String table) throws SQLException {
        List<Map<String, String>> out = new ArrayList<>();
        try (Connection c = rawConnection(config);
                Statement s = c.createStatement();
                // The table name is one of this test's constants.
                ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new TreeMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnName(i).toLowerCase(java.util.Locale.ROOT), rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- schema

    @Test
    void migrationsApplyOnceAndReopeningChangesNothing() throws Exception {
        MetadataConfig db = newDatabase();
        try (MetadataStore store = open(db)) {
            assertThat(store.schemaVersion()).isEqualTo(Migrations.latestVersion());
            store.createTenant("acme");
        }
        try (MetadataStore store = open(db)) {
            assertThat(store.schemaVersion()).isEqualTo(Migrations.latestVersion());
            assertThat(store.tenant("acme")).isPresent();
        }
        assertThat(rows(db, "schema_version")).hasSize(Migrations.SCRIPTS.size());
        try (Connection c = rawConnection(db)) {
            assertThat(Migrations.apply(c, Clock.systemUTC())).isZero();
        }
    }

    @Test
    void aDatabaseFromANewerVigilIsRefusedWithTheReason() throws Exception {
        MetadataConfig db = newDatabase();
        open(db).close();
        try (Connection c = rawConnection(db);
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO schema_version (version, script, applied_at) VALUES (?, ?, 0)")) {
            ps.setInt(1, Migrations.latestVersion() + 1);
            ps.setString(2, "V999__future.sql");
            ps.executeUpdate();
        }
        assertThatThrownBy(() -> open(db))
                .isInstanceOf(MetadataException.class)
                .hasMessageContaining("schema version " + (Migrations.latestVersion() + 1))
                .hasMessageContaining("upgrade Vigil");
    }

    // ---------------------------------------------------------------- tenants

    @Test
    void theSystemTenantExistsFromTheStartAndIsStampedWithTheFirstOpen() throws Exception {
        try (MetadataStore store = open(newDatabase())) {
            Tenant system = store.tenant("system").orElseThrow();
            assertThat(system.isSystem()).isTrue();
            assertThat(system.created()).isEqualTo(T0);
            assertThat(store.tenants()).extracting(Tenant::name).containsExactly("system");
        }
    }

    @Test
    void tenantsAreCreatedListedAndLookedUp() throws Exception {
        try (MetadataStore store = open(newDatabase())) {
            Tenant beta = store.createTenant("beta-2");
            Tenant acme = store.createTenant("acme_corp");
            assertThat(acme.id()).isEqualTo(TenantId.of("acme_corp"));
            assertThat(acme.created()).isEqualTo(T0);
            assertThat(acme.retentionDays()).isEqualTo(MetadataStore.DEFAULT_RETENTION_DAYS);
            assertThat(store.tenants())
                    .containsExactly(acme, beta, store.tenant("system").orElseThrow());
            assertThat(store.tenant("beta-2")).contains(beta);
            assertThat(store.tenant("nobody")).isEmpty();
            assertThat(store.tenant("Not A Name")).isEmpty();
        }
    }

    @Test
    void badAndDuplicateTenantNamesAreRefusedWithTheReason() throws Exception {
        try (MetadataStore store = open(newDatabase())) {
            store.createTenant("acme");
            assertThatThrownBy(() -> store.createTenant("acme"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tenant 'acme' already exists");
            assertThatThrownBy(() -> store.createTenant("system")).hasMessage("tenant 'system' already exists");
            for (String bad : List.of("Acme", "-acme", "_x", "ac me", "acme!", "é")) {
                assertThatThrownBy(() -> store.createTenant(bad))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("invalid tenant name '" + bad + "'");
            }
            assertThatThrownBy(() -> store.createTenant(""))
                    .hasMessage("tenant name must be 1 to 63 characters, got 0");
            assertThatThrownBy(() -> store.createTenant("a".repeat(64)))
                    .hasMessage("tenant name must be 1 to 63 characters, got 64");
            assertThat(store.createTenant("a".repeat(63)).name()).hasSize(63);
            assertThat(store.tenants()).hasSize(3);
        }
    }

    @Test
    void retentionIsSetValidatedAndCountsAsASettingsChange() throws Exception {
        try (MetadataStore store = open(newDatabase())) {
            TenantId acme = store.createTenant("acme").id();
            long before = store.settingsVersion(acme);
            store.setRetentionDays(acme, 400);
            assertThat(store.tenant(acme).orElseThrow().retentionDays()).isEqualTo(400);
            assertThat(store.settingsVersion(acme)).isEqualTo(before + 1);
            store.setRetentionDays(acme, 400);
            assertThat(store.settingsVersion(acme)).isEqualTo(before + 1);
            assertThatThrownBy(() -> store.setRetentionDays(acme, 0))
                    .hasMessage("retention must be 1 to 36500 days, got 0");
            assertThatThrownBy(() -> store.setRetentionDays(TenantId.of("nobody"), 10))
                    .hasMessage("unknown tenant 'nobody'");
        }
    }

    // ---------------------------------------------------------------- tokens

    @Test
    void theRightTokenAuthenticatesAsItsTenantAndRole() throws Exception {
        try (MetadataStore store = open(newDatabase())) {
            TenantId acme = store.createTenant("acme").id();
            IssuedToken issued = store.createToken(acme, Role.INGEST, "shipper on web-1");
            assertThat(issued.token()).startsWith("vgl_" + issued.info().tokenId() + "_");
            assertThat(store.authenticate(issued.token()))
                    .contains(new Principal(acme, Role.INGEST, issued.info().tokenId()));
            assertThat(issued.toString()).doesNotContain(issued.token());
        }
    }

    @Test
    void wrongUnknownMalformedAndRevokedTokensAuthenticateNobody() throws Exception {
        try (MetadataStore store = open(newDatabase())) {
            TenantId acme = store.createTenant("acme").id();
            IssuedToken issued = store.createToken(acme, Role.ADMIN, "");
            String token = issued.token();
            String id = issued.info().tokenId();
            String otherSecret = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
            String unknownId = id.equals("0123456789abcdef") ? "fedcba9876543210" : "0123456789abcdef";
            String secret = token.substring(token.length() - TokenFormat.SECRET_CHARS);

            assertThat(store.authenticate("vgl_" + id + "_" + otherSecret))
                    .as("wrong secret")
                    .isEmpty();
            assertThat(store.authenticate("vgl_" + unknownId + "_" + secret))
                    .as("unknown id")
                    .isEmpty();
            for (String malformed : List.of(
                    "",
                    "vgl_",
                    token.substring(1),
                    token + "A",
                    token.toUpperCase(java.util.Locale.ROOT),
                    "Bearer " + token,
                    token.replace("vgl_", "vgk_"),
                    "vgl_" + id + "-" + secret)) {
                assertThat(store.authenticate(malformed)).as(malformed).isEmpty();
            }
            assertThat(store.authenticate(null)).isEmpty();

            assertThat(store.revokeToken(id)).isTrue();
            assertThat(store.authenticate(token)).as("revoked").isEmpty();
            assertThat(store.revokeToken(id)).as("revoking twice").isFalse();
            assertThat(store.token(id).orElseThrow().revoked()).isEqualTo(T0);
            assertThatThrownBy(() -> store.revokeToken(unknownId)).hasMessage("unknown token id '" + unknownId + "'");
        }
    }

    @Test
    void theDatabaseNeverHoldsATokenOrItsSecretInClear() throws Exception {
        MetadataConfig db = newDatabase();
        List<String> tokens = new ArrayList<>();
        try (MetadataStore store = open(db)) {
            TenantId acme = store.createTenant("acme").id();
            for (Role role : Role.values()) {
                tokens.add(store.createToken(acme, role, "token for " + role).token());
            }
        }
        List<Map<String, String>> rows = rows(db, "api_tokens");
        assertThat(rows).hasSize(tokens.size());
        for (String token : tokens) {
            String secret = token.substring(token.length() - TokenFormat.SECRET_CHARS);
            String secretHex = TokenFormat.hex(Base64.getUrlDecoder().decode(secret));
            String expectedHash =
                    TokenFormat.hex(TokenFormat.sha256(Base64.getUrlDecoder().decode(secret)));
            for (Map<String, String> row : rows) {
                for (String value : row.values()) {
                    if (value != null) {
                        assertThat(value).doesNotContain(secret).doesNotContain(secretHex);
                    }
                }
            }
            assertThat(rows)
                    .anySatisfy(row -> assertThat(row.get("secret_sha256")).isEqualTo(expectedHash));
        }
        // And the tokens still work after reopening, from the hashes alone.
        try (MetadataStore store = open(db)) {
            for (String token : tokens) {
                assertThat(store.authenticate(token)).isPresent();
            }
        }
    }

    @Test
    void tokensAreListedPerTenantWithoutSecrets() throws Exception {
        try (MetadataStore store = open(newDatabase())) {
            TenantId acme = store.createTenant("acme").id();
            TenantId beta = store.createTenant("beta").id();
            IssuedToken a1 = store.createToken(acme, Role.READ, "dashboards");
            IssuedToken a2 = store.createToken(acme, Role.INGEST, "shipper");
            IssuedToken b1 = store.createToken(beta, Role.ADMIN, "beta admin");
            store.revokeToken(a1.info().tokenId());

            List<TokenInfo> acmeTokens = store.listTokens(acme);
            assertThat(acmeTokens)
                    .extracting(TokenInfo::tokenId)
                    .containsExactlyInAnyOrder(a1.info().tokenId(), a2.info().tokenId());
            assertThat(acmeTokens).filteredOn(TokenInfo::active).containsExactly(a2.info());
            assertThat(store.listTokens(beta)).containsExactly(b1.info());
            assertThat(acmeTokens.toString()).doesNotContain(a1.token()).doesNotContain(a2.token());
            assertThatThrownBy(() -> store.listTokens(TenantId.of("nobody"))).hasMessage("unknown tenant 'nobody'");
        }
    }

    @Test
    void tokensNeedAKnownTenantAndAPrintableDescription() throws Exception {
        try (MetadataStore store = open(newDatabase())) {
            TenantId acme = store.createTenant("acme").id();
            assertThatThrownBy(() -> store.createToken(TenantId.of("nobody"), Role.READ, ""))
                    .hasMessage("unknown tenant 'nobody'");
            assertThatThrownBy(() -> store.createToken(acme, Role.READ, "line\nbreak"))
                    .hasMessage("description contains a control character at offset 4");
            assertThatThrownBy(() -> store.createToken(acme, Role.READ, "x".repeat(257)))
                    .hasMessage("description is 257 characters; the limit is 256");
            assertThat(store.listTokens(acme)).isEmpty();
        }
    }

    @Test
    void aSystemAdminTokenIsAGlobalAdministrator() throws Exception {
        try (MetadataStore store = open(newDatabase())) {
            TenantId acme = store.createTenant("acme").id();
            Principal global = store.authenticate(store.createToken(MetadataStore.SYSTEM_TENANT, Role.ADMIN, "root")
                            .token())
                    .orElseThrow();
            Principal acmeAdmin = store.authenticate(
                            store.createToken(acme, Role.ADMIN, "acme").token())
                    .orElseThrow();
            assertThat(global.isGlobalAdmin()).isTrue();
            assertThat(global.may(Role.ADMIN, acme)).isTrue();
            assertThat(acmeAdmin.isGlobalAdmin()).isFalse();
            assertThat(acmeAdmin.may(Role.ADMIN, MetadataStore.SYSTEM_TENANT)).isFalse();
        }
    }

    // ---------------------------------------------------------------- rule settings

    @Test
    void ruleSettingsAndFiltersAreIsolatedPerTenant() throws Exception {
        try (MetadataStore store = open(newDatabase())) {
            TenantId acme = store.createTenant("acme").id();
            TenantId beta = store.createTenant("beta").id();
            store.setRuleEnabled(acme, "rule-1", false);
            store.putFilter(acme, "no-admins", "title: x\n");
            assertThat(store.disabledRules(acme)).containsExactly("rule-1");
            assertThat(store.disabledRules(beta)).isEmpty();
            assertThat(store.filters(acme)).containsExactly(Map.entry("no-admins", "title: x\n"));
            assertThat(store.filters(beta)).isEmpty();
            assertThat(store.deleteFilter(beta, "no-admins")).isFalse();
            assertThat(store.filters(acme)).hasSize(1);
            assertThat(store.setRuleEnabled(beta, "rule-1", true)).isFalse();
            assertThat(store.disabledRules(acme)).containsExactly("rule-1");
        }
    }

    @Test
    void theSettingsVersionMovesWithEveryChangeAndOnlyThen() throws Exception {
        try (MetadataStore store = open(newDatabase())) {
            TenantId acme = store.createTenant("acme").id();
            TenantId beta = store.createTenant("beta").id();
            long v = store.settingsVersion(acme);
            assertThat(store.setRuleEnabled(acme, "r", false)).isTrue();
            assertThat(store.settingsVersion(acme)).isEqualTo(++v);
            assertThat(store.setRuleEnabled(acme, "r", false)).isFalse();
            assertThat(store.settingsVersion(acme)).isEqualTo(v);
            assertThat(store.setRuleEnabled(acme, "r", true)).isTrue();
            assertThat(store.settingsVersion(acme)).isEqualTo(++v);
            assertThat(store.putFilter(acme, "f", "a: 1\n")).isTrue();
            assertThat(store.settingsVersion(acme)).isEqualTo(++v);
            assertThat(store.putFilter(acme, "f", "a: 1\n")).isFalse();
            assertThat(store.settingsVersion(acme)).isEqualTo(v);
            assertThat(store.putFilter(acme, "f", "a: 2\n")).isTrue();
            assertThat(store.filters(acme)).containsExactly(Map.entry("f", "a: 2\n"));
            assertThat(store.settingsVersion(acme)).isEqualTo(++v);
            assertThat(store.deleteFilter(acme, "f")).isTrue();
            assertThat(store.settingsVersion(acme)).isEqualTo(++v);
            assertThat(store.settingsVersion(beta)).isZero();
            assertThatThrownBy(() -> store.settingsVersion(TenantId.of("nobody")))
                    .hasMessage("unknown tenant 'nobody'");
        }
    }

    @Test
    void badRuleIdsAndFiltersAreRefusedWithTheReason() throws Exception {
        try (MetadataStore store = open(newDatabase())) {
            TenantId acme = store.createTenant("acme").id();
            assertThatThrownBy(() -> store.setRuleEnabled(acme, "", false)).hasMessage("rule id must not be empty");
            assertThatThrownBy(() -> store.putFilter(acme, "bad name", "a: 1"))
                    .hasMessageStartingWith("invalid filter name 'bad name'");
            assertThatThrownBy(() -> store.putFilter(acme, "f", "a: 1\0"))
                    .hasMessage("filter 'f' contains a NUL character at offset 4");
            assertThatThrownBy(() -> store.putFilter(acme, "f", "x".repeat(MetadataStore.MAX_FILTER_YAML_CHARS + 1)))
                    .hasMessageContaining("the limit is " + MetadataStore.MAX_FILTER_YAML_CHARS);
            assertThatThrownBy(() -> store.setRuleEnabled(TenantId.of("nobody"), "r", false))
                    .hasMessage("unknown tenant 'nobody'");
            assertThat(store.settingsVersion(acme)).isZero();
        }
    }

    /**
     * Random sequences of setting changes against a plain in-memory model of what they should do; the store must agree
     * with the model after every step, for every tenant (which also shows the tenants never leak into each other).
     */
    @Test
    void randomSettingChangesAgreeWithASimpleModel() throws Exception {
        long seed = 20260301L;
        Random random = new Random(seed);
        List<TenantId> tenants = new ArrayList<>();
        Map<TenantId, Set<String>> disabled = new HashMap<>();
        Map<TenantId, Map<String, String>> filters = new HashMap<>();
        Map<TenantId, Long> versions = new HashMap<>();
        try (MetadataStore store = open(newDatabase())) {
            for (String name : List.of("t1", "t2", "t3")) {
                TenantId id = store.createTenant(name).id();
                tenants.add(id);
                disabled.put(id, new TreeSet<>());
                filters.put(id, new TreeMap<>());
                versions.put(id, 0L);
            }
            for (int step = 0; step < 120; step++) {
                TenantId t = tenants.get(random.nextInt(tenants.size()));
                String key = "k" + random.nextInt(5);
                boolean changed;
                String what;
                switch (random.nextInt(4)) {
                    case 0 -> {
                        what = "disable " + key;
                        changed = store.setRuleEnabled(t, key, false);
                        assertThat(changed).as(what).isEqualTo(disabled.get(t).add(key));
                    }
                    case 1 -> {
                        what = "enable " + key;
                        changed = store.setRuleEnabled(t, key, true);
                        assertThat(changed).as(what).isEqualTo(disabled.get(t).remove(key));
                    }
                    case 2 -> {
                        String yaml = "v: " + random.nextInt(3) + "\n";
                        what = "put " + key + " " + yaml;
                        changed = store.putFilter(t, key, yaml);
                        assertThat(changed)
                                .as(what)
                                .isEqualTo(!yaml.equals(filters.get(t).put(key, yaml)));
                    }
                    default -> {
                        what = "delete " + key;
                        changed = store.deleteFilter(t, key);
                        assertThat(changed).as(what).isEqualTo(filters.get(t).remove(key) != null);
                    }
                }
                if (changed) {
                    versions.merge(t, 1L, Long::sum);
                }
                for (TenantId each : tenants) {
                    String context = "seed " + seed + ", step " + step + " (" + what + " on " + t + "), tenant " + each;
                    assertThat(store.disabledRules(each)).as(context).containsExactlyElementsOf(disabled.get(each));
                    assertThat(store.filters(each)).as(context).containsExactlyEntriesOf(filters.get(each));
                    assertThat(store.settingsVersion(each)).as(context).isEqualTo(versions.get(each));
                }
            }
        }
    }

    // ---------------------------------------------------------------- threat intelligence

    @Test
    void indicatorsAreUpsertedByScopeTypeAndValueAndExpire() throws Exception {
        MetadataConfig db = newDatabase();
        try (MetadataStore store = open(db)) {
            TenantId acme = store.createTenant("acme").id();
            long before = store.intelVersion();
            store.putIndicators(List.of(
                    new StoredIndicator(null, "DOMAIN", "evil.example", null, "{\"v\":1}"),
                    new StoredIndicator(acme, "DOMAIN", "evil.example", T0.minusSeconds(60), "{\"v\":2}"),
                    new StoredIndicator(null, "IPV4", "203.0.113.9", T0.plusSeconds(3600), "{\"v\":3}")));
            assertThat(store.intelVersion()).isEqualTo(before + 1);
            store.putIndicators(List.of(new StoredIndicator(null, "DOMAIN", "evil.example", null, "{\"v\":4}")));
            assertThat(store.indicatorCount())
                    .as("same key replaced, not added")
                    .isEqualTo(3);

            List<StoredIndicator> all = new ArrayList<>();
            store.forEachIndicator(all::add);
            assertThat(all)
                    .containsExactly(
                            new StoredIndicator(null, "DOMAIN", "evil.example", null, "{\"v\":4}"),
                            new StoredIndicator(null, "IPV4", "203.0.113.9", T0.plusSeconds(3600), "{\"v\":3}"),
                            new StoredIndicator(acme, "DOMAIN", "evil.example", T0.minusSeconds(60), "{\"v\":2}"));

            assertThat(store.indicatorsUpdatedAfter(acme, Instant.EPOCH, 0, 10))
                    .extracting(StoredIndicator::value, StoredIndicator::updatedAt)
                    .as("the tenant's own and the global ones, with the time they were stored")
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("evil.example", T0),
                            org.assertj.core.groups.Tuple.tuple("203.0.113.9", T0),
                            org.assertj.core.groups.Tuple.tuple("evil.example", T0));
            assertThat(store.indicatorsUpdatedAfter(acme, T0, 0, 10)).isEmpty();
            TenantId other = store.createTenant("other").id();
            assertThat(store.indicatorsUpdatedAfter(other, Instant.EPOCH, 0, 10))
                    .hasSize(2);
            assertThat(store.deleteIndicatorsExpiredBefore(T0)).isEqualTo(1);
            assertThat(store.indicatorCount()).isEqualTo(2);
            assertThat(store.intelVersion()).isEqualTo(before + 3);

            assertThat(store.intelState("taxii:feed-a")).isEmpty();
            store.putIntelState("taxii:feed-a", "2026-03-01T11:00:00Z");
            store.putIntelState("taxii:feed-a", "2026-03-01T12:00:00Z");
            assertThat(store.intelState("taxii:feed-a")).contains("2026-03-01T12:00:00Z");
            assertThatThrownBy(() -> store.putIntelState("version", "9")).hasMessageContaining("version");
        }
        try (MetadataStore reopened = open(db)) {
            assertThat(reopened.indicatorCount()).isEqualTo(2);
        }
    }

    // ---------------------------------------------------------------- console accounts

    @Test
    void consoleUsersKeepTheirRoleTenantsLocaleAndHashButNeverShowTheHash() throws Exception {
        try (MetadataStore store = open(newDatabase())) {
            store.createTenant("acme");
            store.createTenant("globex");
            ConsoleAccounts accounts = new ConsoleAccounts(store);
            ConsoleUser op = accounts.createUser(
                    "olga",
                    "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA",
                    ConsoleRole.PROVIDER_OPERATOR,
                    Set.of(TenantId.of("acme"), TenantId.of("globex")),
                    "zh-CN");
            assertThat(op.tenants()).containsExactlyInAnyOrder(TenantId.of("acme"), TenantId.of("globex"));
            assertThat(op.toString()).doesNotContain("argon2id");
            assertThat(accounts.user("olga")).contains(op);
            assertThat(accounts.passwordHash("olga")).contains("$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA");

            assertThatThrownBy(() ->
                            accounts.createUser("olga", "h", ConsoleRole.VIEWER, Set.of(TenantId.of("acme")), "en"))
                    .hasMessageContaining("already exists");
            assertThatThrownBy(() -> accounts.createUser("ann", "h", ConsoleRole.ANALYST, Set.of(), "en"))
                    .hasMessageContaining("needs at least one tenant");
            assertThatThrownBy(() ->
                            accounts.createUser("ann", "h", ConsoleRole.ANALYST, Set.of(TenantId.of("nope")), "en"))
                    .hasMessageContaining("unknown tenant 'nope'");
            assertThat(accounts.user("ann"))
                    .as("the failed creation rolled back")
                    .isEmpty();
            assertThatThrownBy(() -> accounts.createUser("<b>", "h", ConsoleRole.PLATFORM_ADMIN, Set.of(), "en"))
                    .hasMessageContaining("invalid user name");

            accounts.setLocale("olga", "en");
            assertThat(accounts.user("olga").orElseThrow().locale()).isEqualTo("en");
            assertThat(accounts.setDisabled("olga", true)).isTrue();
            assertThat(accounts.passwordHash("olga"))
                    .as("a disabled user cannot log in")
                    .isEmpty();
            assertThat(accounts.users()).extracting(ConsoleUser::name).containsExactly("olga");
        }
    }

    @Test
    void consoleSessionsExpireAndEndWithPasswordChanges() throws Exception {
        try (MetadataStore store = open(newDatabase())) {
            store.createTenant("acme");
            ConsoleAccounts accounts = new ConsoleAccounts(store);
            accounts.createUser("ann", "h1", ConsoleRole.ANALYST, Set.of(TenantId.of("acme")), "en");
            accounts.createSession(new ConsoleSession("s1", "ann", "c1", T0, T0, "127.0.0.1"));
            accounts.createSession(new ConsoleSession("s2", "ann", "c2", T0, T0.plusSeconds(100), "127.0.0.1"));
            assertThat(accounts.session("s1").orElseThrow().csrfToken()).isEqualTo("c1");
            accounts.touchSession("s1", T0.plusSeconds(50));
            assertThat(accounts.session("s1").orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(50));

            assertThat(accounts.deleteExpiredSessions(T0.plusSeconds(60), T0.minusSeconds(1)))
                    .isEqualTo(1);
            assertThat(accounts.session("s1")).isEmpty();
            assertThat(accounts.session("s2")).isPresent();

            accounts.createSession(new ConsoleSession("s3", "ann", "c3", T0, T0, "127.0.0.1"));
            accounts.setPasswordHash("ann", "h2", "s3");
            assertThat(accounts.session("s2"))
                    .as("other sessions end with a password change")
                    .isEmpty();
            assertThat(accounts.session("s3")).isPresent();
            assertThat(accounts.passwordHash("ann")).contains("h2");
            assertThat(accounts.deleteSession("s3")).isTrue();
            assertThat(accounts.deleteSession("s3")).isFalse();
        }
    }

    @Test
    void theAuditLogIsReadNewestFirstPerTenantAndTriageIsTheLatestDecision() throws Exception {
        try (MetadataStore store = open(newDatabase())) {
            TenantId acme = store.createTenant("acme").id();
            TenantId globex = store.createTenant("globex").id();
            ConsoleAccounts accounts = new ConsoleAccounts(store);
            accounts.audit(new AuditEntry(T0, "ann", null, "login.success", "ann", "", "127.0.0.1"));
            accounts.audit(new AuditEntry(T0.plusSeconds(1), "ann", acme, "rule.disable", "r1", "x".repeat(5000), "c"));
            accounts.audit(new AuditEntry(T0.plusSeconds(2), "bob", globex, "token.create", "t1", "", "c"));

            assertThat(accounts.auditLog(null, 10))
                    .extracting(AuditEntry::action)
                    .containsExactly("token.create", "rule.disable", "login.success");
            List<AuditEntry> acmeOnly = accounts.auditLog(Set.of(acme), 10);
            assertThat(acmeOnly).extracting(AuditEntry::action).containsExactly("rule.disable");
            assertThat(acmeOnly.get(0).details())
                    .hasSize(ConsoleAccounts.MAX_AUDIT_DETAILS_CHARS)
                    .endsWith("…");
            assertThat(accounts.auditLog(Set.of(), 10)).isEmpty();

            accounts.triage(acme, List.of("a1", "a2"), AlertTriage.Status.ACKNOWLEDGED, "looking", "ann");
            accounts.triage(acme, List.of("a2"), AlertTriage.Status.FALSE_POSITIVE, "backup job", "bob");
            Map<String, AlertTriage> triage = accounts.triageOf(acme, List.of("a1", "a2", "a3"));
            assertThat(triage).containsOnlyKeys("a1", "a2");
            assertThat(triage.get("a1").status()).isEqualTo(AlertTriage.Status.ACKNOWLEDGED);
            assertThat(triage.get("a2").status()).isEqualTo(AlertTriage.Status.FALSE_POSITIVE);
            assertThat(triage.get("a2").comment()).isEqualTo("backup job");
            assertThat(accounts.triageOf(globex, List.of("a1")))
                    .as("triage is per tenant")
                    .isEmpty();
        }
    }
}
