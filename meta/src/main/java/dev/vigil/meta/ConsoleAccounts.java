package dev.vigil.meta;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The web console's part of the metadata: users, sessions, the audit log and alert triage, in the same database and
 * under the same connection lock as {@link MetadataStore} (whose transactions this class borrows).
 *
 * <p>This class stores what it is given: password hashing, session-id generation and expiry policy belong to the
 * console, which hands over only PHC hash strings and SHA-256 digests of session ids. Every text is length-checked here
 * so both dialects behave alike (SQLite does not enforce VARCHAR lengths).
 */
public final class ConsoleAccounts {
    public static final int MAX_USER_NAME_CHARS = 64;
    public static final int MAX_COMMENT_CHARS = 2048;
    public static final int MAX_AUDIT_DETAILS_CHARS = 2048;
    public static final int MAX_AUDIT_TARGET_CHARS = 256;
    public static final int MAX_ALERT_ID_CHARS = 128;
    private static final int MAX_CLIENT_CHARS = 64;
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]*");
    private static final Pattern LOCALE = Pattern.compile("[a-z]{2,3}(-[A-Z]{2})?");

    private final MetadataStore store;

    public ConsoleAccounts(MetadataStore store) {
        this.store = requireNonNull(store, "store");
    }

    // ---------------------------------------------------------------- users

    /** Whether {@code name} may name a user: 1 to 64 letters, digits, '.', '_', '@' or '-', starting alphanumeric. */
    public static boolean isValidUserName(String name) {
        return name != null
                && !name.isEmpty()
                && name.length() <= MAX_USER_NAME_CHARS
                && USER_NAME.matcher(name).matches();
    }

    /**
     * Creates a user.
     *
     * @param passwordHash a PHC-format hash made by the console
     * @param tenants the tenants the user may see; must be non-empty unless the role sees all tenants
     * @throws IllegalArgumentException for an invalid or taken name, an unknown tenant or an invalid locale
     */
    public ConsoleUser createUser(
            String name, String passwordHash, ConsoleRole role, Set<TenantId> tenants, String locale) {
        checkUserName(name);
        requireNonNull(passwordHash, "passwordHash");
        requireNonNull(role, "role");
        requireNonNull(tenants, "tenants");
        checkLocale(locale);
        if (!role.seesAllTenants() && tenants.isEmpty()) {
            throw new IllegalArgumentException(
                    "user '" + name + "' with role " + role.wireName() + " needs at least one tenant");
        }
        return store.write("create console user '" + name + "'", c -> {
            if (findUser(c, name).isPresent()) {
                throw new IllegalArgumentException("console user '" + name + "' already exists");
            }
            long now = store.clockMillis();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO console_users"
                    + " (name, password_hash, role, locale, created_at, password_changed_at, disabled_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, passwordHash);
                ps.setString(3, role.name());
                ps.setString(4, locale);
                ps.setLong(5, now);
                ps.setLong(6, now);
                ps.setNull(7, Types.BIGINT);
                ps.executeUpdate();
            }
            for (String value : sortedValues(tenants)) {
                TenantId t = TenantId.of(value);
                if (MetadataStore.tenantExists(c, t)) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO console_user_tenants (user_name, tenant_id) VALUES (?, ?)")) {
                        ps.setString(1, name);
                        ps.setString(2, t.value());
                        ps.executeUpdate();
                    }
                } else {
                    throw new IllegalArgumentException("unknown tenant '" + t + "' for user '" + name + "'");
                }
            }
            return findUser(c, name).orElseThrow();
        });
    }

    public Optional<ConsoleUser> user(String name) {
        requireNonNull(name, "name");
        if (!isValidUserName(name)) {
            return Optional.empty();
        }
        return store.read("read console user '" + name + "'", c -> findUser(c, name));
    }

    /** Every user, by name. */
    public List<ConsoleUser> users() {
        return store.read("list console users", c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM console_users ORDER BY name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            List<ConsoleUser> out = new ArrayList<>(names.size());
            for (String n : names) {
                out.add(findUser(c, n).orElseThrow());
            }
            return Collections.unmodifiableList(out);
        });
    }

    /** The stored PHC hash of an enabled user's password; empty for an unknown or disabled user. */
    public Optional<String> passwordHash(String name) {
        requireNonNull(name, "name");
        if (!isValidUserName(name)) {
            return Optional.empty();
        }
        return store.read("read the password of '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT password_hash FROM console_users WHERE name = ? AND disabled_at IS NULL")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** Replaces a user's password hash and ends all of the user's sessions but {@code keepSessionSha256} (may be null). */
    public void setPasswordHash(String name, String passwordHash, String keepSessionSha256) {
        requireNonNull(passwordHash, "passwordHash");
        store.write("change the password of '" + name + "'", c -> {
            requireUser(c, name);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE console_users SET password_hash = ?, password_changed_at = ? WHERE name = ?")) {
                ps.setString(1, passwordHash);
                ps.setLong(2, store.clockMillis());
                ps.setString(3, name);
                ps.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM console_sessions WHERE user_name = ? AND id_sha256 <> ?")) {
                ps.setString(1, name);
                ps.setString(2, keepSessionSha256 == null ? "" : keepSessionSha256);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Sets the language a user's pages are shown in ({@code en}, {@code zh-CN}). */
    public void setLocale(String name, String locale) {
        checkLocale(locale);
        store.write("set the language of '" + name + "'", c -> {
            requireUser(c, name);
            try (PreparedStatement ps = c.prepareStatement("UPDATE console_users SET locale = ? WHERE name = ?")) {
                ps.setString(1, locale);
                ps.setString(2, name);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Disables (true) or re-enables a user; disabling ends the user's sessions. Returns whether this changed it. */
    public boolean setDisabled(String name, boolean disabled) {
        return store.write((disabled ? "disable" : "enable") + " console user '" + name + "'", c -> {
            ConsoleUser u = requireUser(c, name);
            if (u.disabled() == disabled) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE console_users SET disabled_at = ? WHERE name = ?")) {
                if (disabled) {
                    ps.setLong(1, store.clockMillis());
                } else {
                    ps.setNull(1, Types.BIGINT);
                }
                ps.setString(2, name);
                ps.executeUpdate();
            }
            if (disabled) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM console_sessions WHERE user_name = ?")) {
                    ps.setString(1, name);
                    ps.executeUpdate();
                }
            }
            return true;
        });
    }

    private ConsoleUser requireUser(Connection c, String name) throws SQLException {
        requireNonNull(name, "name");
        return findUser(c, name).orElseThrow(() -> new IllegalArgumentException("unknown console user '" + name + "'"));
    }

    private static Optional<ConsoleUser> findUser(Connection c, String name) throws SQLException {
        String role;
        String locale;
        long created;
        long changed;
        boolean disabled;
        try (PreparedStatement ps = c.prepareStatement("SELECT role, locale, created_at, password_changed_at,"
                + " disabled_at FROM console_users WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                role = rs.getString(1);
                locale = rs.getString(2);
                created = rs.getLong(3);
                changed = rs.getLong(4);
                rs.getLong(5);
                disabled = !rs.wasNull();
            }
        }
        Set<TenantId> tenants = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT tenant_id FROM console_user_tenants WHERE user_name = ? ORDER BY tenant_id")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tenants.add(TenantId.of(rs.getString(1)));
                }
            }
        }
        return Optional.of(new ConsoleUser(
                name,
                ConsoleRole.valueOf(role),
                tenants,
                locale,
                Instant.ofEpochMilli(created),
                Instant.ofEpochMilli(changed),
                disabled));
    }

    private static void checkUserName(String name) {
        requireNonNull(name, "name");
        if (!isValidUserName(name)) {
            throw new IllegalArgumentException("invalid user name '" + name + "': use 1 to " + MAX_USER_NAME_CHARS
                    + " letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
    }

    private static void checkLocale(String locale) {
        requireNonNull(locale, "locale");
        if (!LOCALE.matcher(locale).matches()) {
            throw new IllegalArgumentException("invalid locale '" + locale + "': use a tag such as en or zh-CN");
        }
    }

    // ---------------------------------------------------------------- sessions

    /** Stores a new session. */
    public void createSession(ConsoleSession session) {
        requireNonNull(session, "session");
        store.write("create a session for '" + session.userName() + "'", c -> {
            requireUser(c, session.userName());
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO console_sessions"
                            + " (id_sha256, user_name, csrf_token, created_at, last_seen_at, client) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, session.idSha256());
                ps.setString(2, session.userName());
                ps.setString(3, session.csrfToken());
                ps.setLong(4, session.created().toEpochMilli());
                ps.setLong(5, session.lastSeen().toEpochMilli());
                ps.setString(6, clip(session.client(), MAX_CLIENT_CHARS));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The session with that id digest, if it exists. Expiry is the caller's policy. */
    public Optional<ConsoleSession> session(String idSha256) {
        requireNonNull(idSha256, "idSha256");
        return store.read("read a session", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id_sha256, user_name, csrf_token, created_at,"
                    + " last_seen_at, client FROM console_sessions WHERE id_sha256 = ?")) {
                ps.setString(1, idSha256);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new ConsoleSession(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4)),
                            Instant.ofEpochMilli(rs.getLong(5)),
                            rs.getString(6)));
                }
            }
        });
    }

    /** Records activity on a session (for the idle timeout). */
    public void touchSession(String idSha256, Instant at) {
        store.write("touch a session", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE console_sessions SET last_seen_at = ? WHERE id_sha256 = ?")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, idSha256);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Ends a session; returns whether there was one. */
    public boolean deleteSession(String idSha256) {
        return store.write("end a session", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM console_sessions WHERE id_sha256 = ?")) {
                ps.setString(1, idSha256);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Deletes sessions idle since before {@code idleBefore} or created before {@code createdBefore}; returns how many. */
    public int deleteExpiredSessions(Instant idleBefore, Instant createdBefore) {
        return store.write("delete expired sessions", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM console_sessions WHERE last_seen_at < ? OR created_at < ?")) {
                ps.setLong(1, idleBefore.toEpochMilli());
                ps.setLong(2, createdBefore.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    // ---------------------------------------------------------------- audit

    /** Appends to the audit log; over-long target and details are cut (with an ellipsis) rather than refused. */
    public void audit(AuditEntry entry) {
        requireNonNull(entry, "entry");
        store.write("write the audit log", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log"
                    + " (at, user_name, tenant_id, action, target, details, client) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, entry.at().toEpochMilli());
                ps.setString(2, clip(entry.user(), MAX_USER_NAME_CHARS));
                if (entry.tenant() == null) {
                    ps.setNull(3, Types.VARCHAR);
                } else {
                    ps.setString(3, entry.tenant().value());
                }
                ps.setString(4, clip(entry.action(), 64));
                ps.setString(5, clip(entry.target(), MAX_AUDIT_TARGET_CHARS));
                ps.setString(6, clip(entry.details(), MAX_AUDIT_DETAILS_CHARS));
                ps.setString(7, clip(entry.client(), MAX_CLIENT_CHARS));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The newest audit entries, newest first.
     *
     * @param tenants only entries of these tenants; null for every entry (including those outside any tenant)
     * @param limit at most this many (1 to 10,000)
     */
    public List<AuditEntry> auditLog(Set<TenantId> tenants, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be 1 to 10000, was " + limit);
        }
        if (tenants != null && tenants.isEmpty()) {
            return List.of();
        }
        StringBuilder sql =
                new StringBuilder("SELECT at, user_name, tenant_id, action, target, details, client FROM audit_log");
        List<String> params = new ArrayList<>();
        if (tenants != null) {
            sql.append(" WHERE tenant_id IN (");
            for (String value : sortedValues(tenants)) {
                sql.append(params.isEmpty() ? "?" : ", ?");
                params.add(value);
            }
            sql.append(')');
        }
        sql.append(" ORDER BY at DESC LIMIT ").append(limit);
        return store.read("read the audit log", c -> {
            List<AuditEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setString(i + 1, params.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String tenant = rs.getString(3);
                        out.add(new AuditEntry(
                                Instant.ofEpochMilli(rs.getLong(1)),
                                rs.getString(2),
                                tenant == null ? null : TenantId.of(tenant),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7)));
                    }
                }
            }
            return Collections.unmodifiableList(out);
        });
    }

    // ---------------------------------------------------------------- triage

    /**
     * Records the same triage decision for several alerts of a tenant, replacing earlier ones, in one transaction.
     *
     * @return the decisions stored
     */
    public List<AlertTriage> triage(
            TenantId tenant, Collection<String> alertIds, AlertTriage.Status status, String comment, String user) {
        requireNonNull(tenant, "tenant");
        requireNonNull(alertIds, "alertIds");
        requireNonNull(status, "status");
        requireNonNull(comment, "comment");
        requireNonNull(user, "user");
        if (comment.length() > MAX_COMMENT_CHARS) {
            throw new IllegalArgumentException(
                    "comment is " + comment.length() + " characters; the limit is " + MAX_COMMENT_CHARS);
        }
        for (String id : alertIds) {
            if (id.isEmpty() || id.length() > MAX_ALERT_ID_CHARS) {
                throw new IllegalArgumentException("invalid alert id of " + id.length() + " characters");
            }
        }
        return store.write("triage alerts of tenant '" + tenant + "'", c -> {
            if (!MetadataStore.tenantExists(c, tenant)) {
                throw new IllegalArgumentException("unknown tenant '" + tenant + "'");
            }
            Instant at = Instant.ofEpochMilli(store.clockMillis());
            List<AlertTriage> out = new ArrayList<>();
            for (String id : new LinkedHashSet<>(alertIds)) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_triage"
                        + " (tenant_id, alert_id, status, comment, user_name, at) VALUES (?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (tenant_id, alert_id) DO UPDATE SET status = excluded.status,"
                        + " comment = excluded.comment, user_name = excluded.user_name, at = excluded.at")) {
                    ps.setString(1, tenant.value());
                    ps.setString(2, id);
                    ps.setString(3, status.name());
                    ps.setString(4, comment);
                    ps.setString(5, user);
                    ps.setLong(6, at.toEpochMilli());
                    ps.executeUpdate();
                }
                out.add(new AlertTriage(tenant, id, status, comment, user, at));
            }
            return Collections.unmodifiableList(out);
        });
    }

    /** The triage decisions recorded for those alerts of a tenant, by alert id (alerts never triaged are absent). */
    public Map<String, AlertTriage> triageOf(TenantId tenant, Collection<String> alertIds) {
        requireNonNull(tenant, "tenant");
        if (alertIds.isEmpty()) {
            return Map.of();
        }
        List<String> ids = List.copyOf(new LinkedHashSet<>(alertIds));
        StringBuilder sql = new StringBuilder("SELECT alert_id, status, comment, user_name, at FROM alert_triage"
                + " WHERE tenant_id = ? AND alert_id IN (");
        for (int i = 0; i < ids.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(')');
        return store.read("read the triage of tenant '" + tenant + "'", c -> {
            Map<String, AlertTriage> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                ps.setString(1, tenant.value());
                for (int i = 0; i < ids.size(); i++) {
                    ps.setString(i + 2, ids.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(
                                rs.getString(1),
                                new AlertTriage(
                                        tenant,
                                        rs.getString(1),
                                        AlertTriage.Status.valueOf(rs.getString(2)),
                                        rs.getString(3),
                                        rs.getString(4),
                                        Instant.ofEpochMilli(rs.getLong(5))));
                    }
                }
            }
            return Collections.unmodifiableMap(out);
        });
    }

    private static Set<String> sortedValues(Set<TenantId> tenants) {
        Set<String> out = new TreeSet<>();
        for (TenantId t : tenants) {
            out.add(t.value());
        }
        return out;
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
