package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The server's metadata: tenants, API tokens and each tenant's rule settings, in SQLite (a file in the data directory,
 * the default) or PostgreSQL (for several servers sharing one metadata store).
 *
 * <p><b>Design.</b> One JDBC connection, used under a lock: metadata traffic is small (an indexed lookup per API call
 * for {@link #authenticate}, rare writes), and one connection keeps SQLite free of lock contention with itself. Writes
 * run in a transaction that first checks the tenant exists, so errors name the tenant instead of surfacing a dialect's
 * foreign-key message. The SQL is the subset both dialects share ({@code ON CONFLICT} upserts, BIGINT epoch
 * milliseconds, hex text for hashes); the one difference is connection set-up (SQLite's pragmas: foreign keys, WAL,
 * busy timeout). If a PostgreSQL connection breaks, the call that saw it fails with {@link MetadataException} and the
 * next call reconnects.
 *
 * <p><b>Tokens.</b> A token is {@code vgl_<tokenId>_<secret>} (see {@link TokenFormat}); only SHA-256 of the 256-bit
 * secret is stored, which suffices because the secret is random (no dictionary to guess from). {@link #authenticate}
 * hashes and compares in constant time whether or not the id exists (an unknown id is compared against a dummy hash),
 * so response time does not reveal which ids exist.
 *
 * <p><b>Global administration.</b> The first migration creates the tenant {@value #SYSTEM_TENANT_NAME}. An ADMIN token
 * of that tenant is a global administrator ({@link Principal#isGlobalAdmin()}): it may create tenants through the API
 * and act within any tenant. The first such token is made on the server's machine with {@code vigil admin token create
 * --tenant system --role admin}.
 *
 * <p><b>Settings version.</b> Each tenant row carries a counter incremented in the same transaction as every change to
 * its rule settings, filters or retention, so a server can poll {@link #settingsVersion} and reload only on change.
 * Calls that change nothing (disabling a rule already disabled) leave it alone.
 */
public final class MetadataStore implements AutoCloseable {
    static final String SYSTEM_TENANT_NAME = "system";
    /** The built-in tenant whose ADMIN tokens administer the whole server. */
    public static final TenantId SYSTEM_TENANT = TenantId.of(SYSTEM_TENANT_NAME);

    public static final int DEFAULT_RETENTION_DAYS = 30;
    public static final int MAX_RETENTION_DAYS = 36_500;
    public static final int MAX_DESCRIPTION_CHARS = 256;
    public static final int MAX_RULE_ID_CHARS = 256;
    public static final int MAX_FILTER_NAME_CHARS = 128;
    public static final int MAX_FILTER_YAML_CHARS = 1 << 20;

    private static final Pattern TENANT_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final int MAX_TENANT_NAME_CHARS = 63;
    private static final Pattern FILTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final MetadataConfig config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Compared against when a presented token id is unknown, so that path costs what a known id costs. */
    private final byte[] dummyHash;

    private final IncidentRepository incidents;
    private final Object lock = new Object();
    private Connection connection;
    private boolean closed;

    private MetadataStore(MetadataConfig config, Clock clock, Connection connection) {
        this.config = requireNonNull(config, "config");
        this.clock = requireNonNull(clock, "clock");
        this.connection = requireNonNull(connection, "connection");
        this.dummyHash = TokenFormat.sha256(randomBytes(TokenFormat.SECRET_BYTES));
        this.incidents = new IncidentRepository(this);
    }

    /** Opens (creating when needed) the store and brings its schema up to date. */
    public static MetadataStore open(MetadataConfig config) {
        return open(config, Clock.systemUTC());
    }

    /** As {@link #open(MetadataConfig)}, with the clock that stamps creation and revocation times. */
    public static MetadataStore open(MetadataConfig config, Clock clock) {
        requireNonNull(config, "config");
        requireNonNull(clock, "clock");
        Connection c = connect(config);
        try {
            Migrations.apply(c, clock);
            // The first migration cannot know the time in both dialects' SQL; stamp the system tenant here.
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE tenants SET created_at = ? WHERE id = ? AND created_at = 0")) {
                ps.setLong(1, clock.millis());
                ps.setString(2, SYSTEM_TENANT_NAME);
                ps.executeUpdate();
            }
            return new MetadataStore(config, clock, c);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c, e);
            if (e instanceof MetadataException me) {
                throw me;
            }
            throw new MetadataException("cannot prepare the metadata database " + describe(config) + ": " + e, e);
        }
    }

    private static Connection connect(MetadataConfig config) {
        try {
            return switch (config) {
                case MetadataConfig.Sqlite sqlite -> {
                    Path parent = sqlite.file().toAbsolutePath().getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                    Properties p = new Properties();
                    p.setProperty("foreign_keys", "true");
                    // WAL lets the command line change settings while a server reads them.
                    p.setProperty("journal_mode", "WAL");
                    p.setProperty("synchronous", "NORMAL");
                    p.setProperty("busy_timeout", "10000");
                    yield DriverManager.getConnection("jdbc:sqlite:" + sqlite.file(), p);
                }
                case MetadataConfig.Postgres pg -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
            };
        } catch (SQLException | IOException e) {
            throw new MetadataException("cannot open the metadata database " + describe(config) + ": " + e, e);
        }
    }

    private static String describe(MetadataConfig config) {
        return switch (config) {
            case MetadataConfig.Sqlite sqlite -> sqlite.file().toString();
            case MetadataConfig.Postgres pg -> pg.jdbcUrl();
        };
    }

    /** Incidents, cases and suppressions, over this store's connection. */
    public IncidentRepository incidents() {
        return incidents;
    }

    /** The schema version of the open database (the number of the last migration applied). */
    public int schemaVersion() {
        return read("read the schema version", Migrations::currentVersion);
    }

    // ---------------------------------------------------------------- tenants

    /**
     * Creates a tenant. Its name (which is also its {@link TenantId}) is 1 to 63 characters: lower-case letters, digits,
     * {@code -} and {@code _}, starting with a letter or digit.
     *
     * @throws IllegalArgumentException when the name is invalid or taken
     */
    public Tenant createTenant(String name) {
        TenantId id = tenantIdOf(name);
        return write("create tenant '" + name + "'", c -> {
            if (findTenant(c, id).isPresent()) {
                throw new IllegalArgumentException("tenant '" + name + "' already exists");
            }
            Instant created = now();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO tenants (id, created_at, retention_days, settings_version) VALUES (?, ?, ?, 0)")) {
                ps.setString(1, id.value());
                ps.setLong(2, created.toEpochMilli());
                ps.setInt(3, DEFAULT_RETENTION_DAYS);
                ps.executeUpdate();
            }
            return new Tenant(id, id.value(), created, DEFAULT_RETENTION_DAYS);
        });
    }

    /** The tenant of that name; empty when there is none (or the name could not be one). */
    public Optional<Tenant> tenant(String name) {
        requireNonNull(name, "name");
        if (!isValidTenantName(name)) {
            return Optional.empty();
        }
        return tenant(TenantId.of(name));
    }

    public Optional<Tenant> tenant(TenantId id) {
        requireNonNull(id, "id");
        return read("read tenant '" + id + "'", c -> findTenant(c, id));
    }

    /** Every tenant, the built-in {@code system} one included, by name. */
    public List<Tenant> tenants() {
        return read("list tenants", c -> {
            List<Tenant> out = new ArrayList<>();
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT id, created_at, retention_days FROM tenants ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(tenantOf(rs));
                }
            }
            return Collections.unmodifiableList(out);
        });
    }

    /** Sets how many days of a tenant's events the store keeps (1 to {@value #MAX_RETENTION_DAYS}). */
    public void setRetentionDays(TenantId tenant, int days) {
        requireNonNull(tenant, "tenant");
        if (days < 1 || days > MAX_RETENTION_DAYS) {
            throw new IllegalArgumentException("retention must be 1 to " + MAX_RETENTION_DAYS + " days, got " + days);
        }
        write("set the retention of tenant '" + tenant + "'", c -> {
            Tenant t = requireTenant(c, tenant);
            if (t.retentionDays() != days) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE tenants SET retention_days = ?, settings_version = settings_version + 1 WHERE id = ?")) {
                    ps.setInt(1, days);
                    ps.setString(2, tenant.value());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Whether {@code name} is a valid tenant name (see {@link #createTenant}). */
    public static boolean isValidTenantName(String name) {
        return name != null
                && !name.isEmpty()
                && name.length() <= MAX_TENANT_NAME_CHARS
                && TENANT_NAME.matcher(name).matches();
    }

    private static TenantId tenantIdOf(String name) {
        requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > MAX_TENANT_NAME_CHARS) {
            throw new IllegalArgumentException(
                    "tenant name must be 1 to " + MAX_TENANT_NAME_CHARS + " characters, got " + name.length());
        }
        if (!TENANT_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid tenant name '" + name
                    + "': use lower-case letters, digits, '-' or '_', starting with a letter or digit");
        }
        return TenantId.of(name);
    }

    private static Optional<Tenant> findTenant(Connection c, TenantId id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT id, created_at, retention_days FROM tenants WHERE id = ?")) {
            ps.setString(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(tenantOf(rs)) : Optional.empty();
            }
        }
    }

    static Tenant requireTenant(Connection c, TenantId id) throws SQLException {
        return findTenant(c, id).orElseThrow(() -> new IllegalArgumentException("unknown tenant '" + id + "'"));
    }

    private static Tenant tenantOf(ResultSet rs) throws SQLException {
        String id = rs.getString(1);
        return new Tenant(TenantId.of(id), id, Instant.ofEpochMilli(rs.getLong(2)), rs.getInt(3));
    }

    // ---------------------------------------------------------------- tokens

    /**
     * Issues an API token for a tenant. The returned {@link IssuedToken#token()} is the only copy of the secret.
     *
     * @throws IllegalArgumentException for an unknown tenant or a description over {@value #MAX_DESCRIPTION_CHARS}
     *     characters or with control characters
     */
    public IssuedToken createToken(TenantId tenant, Role role, String description) {
        requireNonNull(tenant, "tenant");
        requireNonNull(role, "role");
        requireNonNull(description, "description");
        checkText("description", description, MAX_DESCRIPTION_CHARS, true);
        String tokenId = TokenFormat.newTokenId(randomBytes(TokenFormat.ID_BYTES));
        byte[] secret = randomBytes(TokenFormat.SECRET_BYTES);
        String token = TokenFormat.format(tokenId, secret);
        String hash = TokenFormat.hex(TokenFormat.sha256(secret));
        return write("create a token for tenant '" + tenant + "'", c -> {
            requireTenant(c, tenant);
            Instant created = now();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_tokens"
                    + " (token_id, tenant_id, role, description, secret_sha256, created_at, revoked_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, tokenId);
                ps.setString(2, tenant.value());
                ps.setString(3, role.name());
                ps.setString(4, description);
                ps.setString(5, hash);
                ps.setLong(6, created.toEpochMilli());
                ps.setNull(7, Types.BIGINT);
                ps.executeUpdate();
            }
            return new IssuedToken(token, new TokenInfo(tokenId, tenant, role, description, created, null));
        });
    }

    /**
     * Who a presented token belongs to; empty when it is malformed, unknown, wrong or revoked (the four are not told
     * apart, so a caller cannot probe).
     */
    public Optional<Principal> authenticate(String presented) {
        Optional<TokenFormat.Parsed> parsed = TokenFormat.parse(presented);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        String tokenId = parsed.get().tokenId();
        byte[] presentedHash = TokenFormat.sha256(parsed.get().secret());
        StoredToken stored = read("authenticate a token", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT tenant_id, role, secret_sha256, revoked_at FROM api_tokens WHERE token_id = ?")) {
                ps.setString(1, tokenId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    rs.getLong(4);
                    boolean revoked = !rs.wasNull();
                    return new StoredToken(rs.getString(1), rs.getString(2), rs.getString(3), revoked);
                }
            }
        });
        byte[] expected = stored == null ? dummyHash : TokenFormat.storedHash(stored.secretSha256());
        boolean hashMatches = TokenFormat.sameHash(presentedHash, expected);
        if (stored == null || !hashMatches || stored.revoked()) {
            return Optional.empty();
        }
        return Optional.of(new Principal(TenantId.of(stored.tenantId()), Role.valueOf(stored.role()), tokenId));
    }

    private record StoredToken(String tenantId, String role, String secretSha256, boolean revoked) {}

    /**
     * Revokes a token for good.
     *
     * @return true when it was active, false when it had already been revoked
     * @throws IllegalArgumentException when no token has that id
     */
    public boolean revokeToken(String tokenId) {
        requireNonNull(tokenId, "tokenId");
        return write("revoke token '" + tokenId + "'", c -> {
            TokenInfo info = findToken(c, tokenId)
                    .orElseThrow(() -> new IllegalArgumentException("unknown token id '" + tokenId + "'"));
            if (!info.active()) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_tokens SET revoked_at = ? WHERE token_id = ? AND revoked_at IS NULL")) {
                ps.setLong(1, now().toEpochMilli());
                ps.setString(2, tokenId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** A token's public facts; empty for an unknown id. */
    public Optional<TokenInfo> token(String tokenId) {
        requireNonNull(tokenId, "tokenId");
        if (!TokenFormat.isTokenId(tokenId)) {
            return Optional.empty();
        }
        return read("read token '" + tokenId + "'", c -> findToken(c, tokenId));
    }

    /** The tenant's tokens, active and revoked, oldest first; never their secrets. */
    public List<TokenInfo> listTokens(TenantId tenant) {
        requireNonNull(tenant, "tenant");
        return read("list the tokens of tenant '" + tenant + "'", c -> {
            requireTenant(c, tenant);
            List<TokenInfo> out = new ArrayList<>();
            try (PreparedStatement ps =
                    c.prepareStatement(TOKEN_COLUMNS + " WHERE tenant_id = ? ORDER BY created_at, token_id")) {
                ps.setString(1, tenant.value());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(tokenInfoOf(rs));
                    }
                }
            }
            return Collections.unmodifiableList(out);
        });
    }

    private static final String TOKEN_COLUMNS =
            "SELECT token_id, tenant_id, role, description, created_at, revoked_at FROM api_tokens";

    private static Optional<TokenInfo> findToken(Connection c, String tokenId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(TOKEN_COLUMNS + " WHERE token_id = ?")) {
            ps.setString(1, tokenId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(tokenInfoOf(rs)) : Optional.empty();
            }
        }
    }

    private static TokenInfo tokenInfoOf(ResultSet rs) throws SQLException {
        long revoked = rs.getLong(6);
        boolean active = rs.wasNull();
        return new TokenInfo(
                rs.getString(1),
                TenantId.of(rs.getString(2)),
                Role.valueOf(rs.getString(3)),
                rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)),
                active ? null : Instant.ofEpochMilli(revoked));
    }

    // ---------------------------------------------------------------- rule settings

    /**
     * Enables or disables one rule (by its Sigma id or, for rules without one, the name the engine gives it) for a
     * tenant; every rule is enabled until disabled.
     *
     * @return whether this changed anything
     */
    public boolean setRuleEnabled(TenantId tenant, String ruleId, boolean enabled) {
        requireNonNull(tenant, "tenant");
        requireNonNull(ruleId, "ruleId");
        checkText("rule id", ruleId, MAX_RULE_ID_CHARS, false);
        return write((enabled ? "enable" : "disable") + " rule '" + ruleId + "' for tenant '" + tenant + "'", c -> {
            requireTenant(c, tenant);
            String sql = enabled
                    ? "DELETE FROM disabled_rules WHERE tenant_id = ? AND rule_id = ?"
                    : "INSERT INTO disabled_rules (tenant_id, rule_id) VALUES (?, ?)"
                            + " ON CONFLICT (tenant_id, rule_id) DO NOTHING";
            int changed;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, tenant.value());
                ps.setString(2, ruleId);
                changed = ps.executeUpdate();
            }
            if (changed > 0) {
                bumpSettingsVersion(c, tenant);
            }
            return changed > 0;
        });
    }

    /** The ids of the rules disabled for a tenant, sorted. */
    public Set<String> disabledRules(TenantId tenant) {
        requireNonNull(tenant, "tenant");
        return read("read the disabled rules of tenant '" + tenant + "'", c -> {
            requireTenant(c, tenant);
            Set<String> out = new LinkedHashSet<>();
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT rule_id FROM disabled_rules WHERE tenant_id = ? ORDER BY rule_id")) {
                ps.setString(1, tenant.value());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return Collections.unmodifiableSet(out);
        });
    }

    /**
     * Stores (or replaces) a tenant's Sigma filter document under a name. The YAML is kept as given; it is parsed and
     * checked by whoever loads the tenant's rules, so a bad filter is reported there with its name.
     *
     * @return whether this changed anything (false when the same text was already stored)
     */
    public boolean putFilter(TenantId tenant, String name, String yaml) {
        requireNonNull(tenant, "tenant");
        requireNonNull(name, "name");
        requireNonNull(yaml, "yaml");
        checkFilterName(name);
        if (yaml.length() > MAX_FILTER_YAML_CHARS) {
            throw new IllegalArgumentException(
                    "filter '" + name + "' is " + yaml.length() + " characters; the limit is " + MAX_FILTER_YAML_CHARS);
        }
        if (yaml.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    "filter '" + name + "' contains a NUL character at offset " + yaml.indexOf('\0'));
        }
        return write("store filter '" + name + "' of tenant '" + tenant + "'", c -> {
            requireTenant(c, tenant);
            if (yaml.equals(findFilter(c, tenant, name))) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sigma_filters (tenant_id, name, yaml)"
                    + " VALUES (?, ?, ?) ON CONFLICT (tenant_id, name) DO UPDATE SET yaml = excluded.yaml")) {
                ps.setString(1, tenant.value());
                ps.setString(2, name);
                ps.setString(3, yaml);
                ps.executeUpdate();
            }
            bumpSettingsVersion(c, tenant);
            return true;
        });
    }

    /** A tenant's filters, name to YAML, sorted by name. */
    public Map<String, String> filters(TenantId tenant) {
        requireNonNull(tenant, "tenant");
        return read("read the filters of tenant '" + tenant + "'", c -> {
            requireTenant(c, tenant);
            Map<String, String> out = new LinkedHashMap<>();
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT name, yaml FROM sigma_filters WHERE tenant_id = ? ORDER BY name")) {
                ps.setString(1, tenant.value());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return Collections.unmodifiableMap(out);
        });
    }

    /** Removes a filter; returns whether there was one. */
    public boolean deleteFilter(TenantId tenant, String name) {
        requireNonNull(tenant, "tenant");
        requireNonNull(name, "name");
        return write("delete filter '" + name + "' of tenant '" + tenant + "'", c -> {
            requireTenant(c, tenant);
            int deleted;
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM sigma_filters WHERE tenant_id = ? AND name = ?")) {
                ps.setString(1, tenant.value());
                ps.setString(2, name);
                deleted = ps.executeUpdate();
            }
            if (deleted > 0) {
                bumpSettingsVersion(c, tenant);
            }
            return deleted > 0;
        });
    }

    /** A counter that grows with every change to the tenant's rule settings, filters or retention. */
    public long settingsVersion(TenantId tenant) {
        requireNonNull(tenant, "tenant");
        return read("read the settings version of tenant '" + tenant + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT settings_version FROM tenants WHERE id = ?")) {
                ps.setString(1, tenant.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("unknown tenant '" + tenant + "'");
                    }
                    return rs.getLong(1);
                }
            }
        });
    }

    private static String findFilter(Connection c, TenantId tenant, String name) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT yaml FROM sigma_filters WHERE tenant_id = ? AND name = ?")) {
            ps.setString(1, tenant.value());
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void bumpSettingsVersion(Connection c, TenantId tenant) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE tenants SET settings_version = settings_version + 1 WHERE id = ?")) {
            ps.setString(1, tenant.value());
            ps.executeUpdate();
        }
    }

    private static void checkFilterName(String name) {
        if (name.isEmpty()
                || name.length() > MAX_FILTER_NAME_CHARS
                || !FILTER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid filter name '" + name + "': use 1 to " + MAX_FILTER_NAME_CHARS
                    + " letters, digits, '.', '-' or '_', starting with a letter or digit");
        }
    }

    private static void checkText(String what, String text, int maxChars, boolean mayBeEmpty) {
        if (!mayBeEmpty && text.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (text.length() > maxChars) {
            throw new IllegalArgumentException(what + " is " + text.length() + " characters; the limit is " + maxChars);
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new IllegalArgumentException(what + " contains a control character at offset " + i);
            }
        }
    }

    // ---------------------------------------------------------------- threat intelligence

    /**
     * Stores indicators, replacing those with the same scope, type and value (the caller has merged them), and bumps
     * the {@link #intelVersion() intel version} once. One transaction, one prepared statement in batches.
     */
    public void putIndicators(List<StoredIndicator> indicators) {
        requireNonNull(indicators, "indicators");
        if (indicators.isEmpty()) {
            return;
        }
        long now = clock.millis();
        write("store " + indicators.size() + " indicators", c -> {
            String sql = "INSERT INTO indicators (scope, type, value, valid_until, body, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope, type, value) DO UPDATE SET"
                    + " valid_until = excluded.valid_until, body = excluded.body, updated_at = excluded.updated_at";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int pending = 0;
                for (StoredIndicator i : indicators) {
                    ps.setString(1, i.scope() == null ? "" : i.scope().value());
                    ps.setString(2, i.type());
                    ps.setString(3, i.value());
                    if (i.validUntil() == null) {
                        ps.setNull(4, java.sql.Types.BIGINT);
                    } else {
                        ps.setLong(4, i.validUntil().toEpochMilli());
                    }
                    ps.setString(5, i.body());
                    ps.setLong(6, now);
                    ps.addBatch();
                    if (++pending == 1000) {
                        ps.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    ps.executeBatch();
                }
            }
            bumpIntelVersion(c, now);
            return null;
        });
    }

    /** Deletes indicators whose validity ended before {@code before}; returns how many. */
    public int deleteIndicatorsExpiredBefore(Instant before) {
        requireNonNull(before, "before");
        long now = clock.millis();
        return write("delete expired indicators", c -> {
            int deleted;
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM indicators WHERE valid_until IS NOT NULL AND valid_until < ?")) {
                ps.setLong(1, before.toEpochMilli());
                deleted = ps.executeUpdate();
            }
            if (deleted > 0) {
                bumpIntelVersion(c, now);
            }
            return deleted;
        });
    }

    /** Visits every stored indicator (global and of every tenant), in key order. */
    public void forEachIndicator(java.util.function.Consumer<StoredIndicator> visitor) {
        requireNonNull(visitor, "visitor");
        read("read the indicators", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT scope, type, value, valid_until, body FROM indicators ORDER BY scope, type, value")) {
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String scope = rs.getString(1);
                        long until = rs.getLong(4);
                        boolean noEnd = rs.wasNull();
                        visitor.accept(new StoredIndicator(
                                scope.isEmpty() ? null : TenantId.of(scope),
                                rs.getString(2),
                                rs.getString(3),
                                noEnd ? null : Instant.ofEpochMilli(until),
                                rs.getString(5)));
                    }
                }
            }
            return null;
        });
    }

    /**
     * A page of the indicators a tenant sees (its own and the global ones) stored after {@code after}, oldest change
     * first: what a TAXII collection serves, {@code offset} counting from {@code after}.
     */
    public List<StoredIndicator> indicatorsUpdatedAfter(TenantId tenant, Instant after, int offset, int limit) {
        requireNonNull(tenant, "tenant");
        requireNonNull(after, "after");
        return read("read the indicators of '" + tenant + "'", c -> {
            List<StoredIndicator> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT scope, type, value, valid_until, body, updated_at"
                    + " FROM indicators WHERE (scope = '' OR scope = ?) AND updated_at > ?"
                    + " ORDER BY updated_at, scope, type, value LIMIT ? OFFSET ?")) {
                ps.setString(1, tenant.value());
                ps.setLong(2, after.toEpochMilli());
                ps.setInt(3, limit);
                ps.setInt(4, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String scope = rs.getString(1);
                        long until = rs.getLong(4);
                        boolean noEnd = rs.wasNull();
                        out.add(new StoredIndicator(
                                scope.isEmpty() ? null : TenantId.of(scope),
                                rs.getString(2),
                                rs.getString(3),
                                noEnd ? null : Instant.ofEpochMilli(until),
                                rs.getString(5),
                                Instant.ofEpochMilli(rs.getLong(6))));
                    }
                }
            }
            return out;
        });
    }

    /** How many indicators are stored. */
    public long indicatorCount() {
        return read("count the indicators", c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM indicators")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** A counter raised by every change of the indicators, so a server notices imports made by another process. */
    public long intelVersion() {
        return Long.parseLong(intelState("version").orElse("0"));
    }

    /** A named value a feed keeps between pulls (a TAXII resume point, HTTP validators), if any. */
    public Optional<String> intelState(String name) {
        requireNonNull(name, "name");
        return read("read intel state '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM intel_state WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** Sets a named feed value (not {@code version}, which this store maintains). */
    public void putIntelState(String name, String value) {
        requireNonNull(name, "name");
        requireNonNull(value, "value");
        checkText("intel state name", name, 200, false);
        if (name.equals("version")) {
            throw new IllegalArgumentException("'version' is maintained by the store");
        }
        long now = clock.millis();
        write("store intel state '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO intel_state (name, value, updated_at)"
                    + " VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value,"
                    + " updated_at = excluded.updated_at")) {
                ps.setString(1, name);
                ps.setString(2, value);
                ps.setLong(3, now);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static void bumpIntelVersion(Connection c, long now) throws SQLException {
        long version;
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM intel_state WHERE name = 'version'");
                ResultSet rs = ps.executeQuery()) {
            version = rs.next() ? Long.parseLong(rs.getString(1)) : 0;
        }
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE intel_state SET value = ?, updated_at = ? WHERE name = 'version'")) {
            ps.setString(1, Long.toString(version + 1));
            ps.setLong(2, now);
            ps.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- connection and transactions

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs a read in auto-commit mode: one statement or a few, no transaction round trips. */
    <T> T read(String what, SqlWork<T> work) {
        synchronized (lock) {
            Connection c = connection();
            try {
                return work.run(c);
            } catch (SQLException e) {
                throw new MetadataException("could not " + what + ": " + e.getMessage(), e);
            }
        }
    }

    /** Runs a change in one transaction; any exception rolls it back and propagates. */
    <T> T write(String what, SqlWork<T> work) {
        synchronized (lock) {
            Connection c = connection();
            try {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, e);
                    throw e;
                } finally {
                    if (!c.isClosed()) {
                        c.setAutoCommit(true);
                    }
                }
            } catch (SQLException e) {
                throw new MetadataException("could not " + what + ": " + e.getMessage(), e);
            }
        }
    }

    /** The open connection, reconnecting when the last one broke. Called under {@link #lock}. */
    private Connection connection() {
        if (closed) {
            throw new IllegalStateException("the metadata store is closed");
        }
        try {
            if (connection.isClosed()) {
                connection = connect(config);
            }
        } catch (SQLException e) {
            throw new MetadataException("cannot reconnect to the metadata database " + describe(config), e);
        }
        return connection;
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void closeQuietly(Connection c, Exception cause) {
        try {
            c.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    /** The store's clock in epoch milliseconds, for {@link ConsoleAccounts}. */
    long clockMillis() {
        return clock.millis();
    }

    /** Whether the tenant exists, inside a transaction of {@link ConsoleAccounts}. */
    static boolean tenantExists(Connection c, TenantId id) throws SQLException {
        return findTenant(c, id).isPresent();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                connection.close();
            } catch (SQLException e) {
                throw new MetadataException("could not close the metadata database " + describe(config), e);
            }
        }
    }
}
