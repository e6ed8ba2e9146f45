-- The web console: its users, their sessions, the audit log and alert triage. Same dialect subset as V1: times are
-- BIGINT epoch milliseconds, hashes lower-case hex text.

-- A console user. password_hash is a PHC string (Argon2id); role is a ConsoleRole name; locale a BCP 47 tag.
CREATE TABLE console_users (
    name VARCHAR(64) NOT NULL PRIMARY KEY,
    password_hash VARCHAR(256) NOT NULL,
    role VARCHAR(32) NOT NULL,
    locale VARCHAR(16) NOT NULL,
    created_at BIGINT NOT NULL,
    password_changed_at BIGINT NOT NULL,
    disabled_at BIGINT
);

-- The tenants a user may see (ignored for platform administrators, who see all).
CREATE TABLE console_user_tenants (
    user_name VARCHAR(64) NOT NULL REFERENCES console_users (name) ON DELETE CASCADE,
    tenant_id VARCHAR(63) NOT NULL REFERENCES tenants (id),
    PRIMARY KEY (user_name, tenant_id)
);

-- A login session. Only SHA-256 of the random session id is kept; the CSRF token is per session.
CREATE TABLE console_sessions (
    id_sha256 VARCHAR(64) NOT NULL PRIMARY KEY,
    user_name VARCHAR(64) NOT NULL REFERENCES console_users (name) ON DELETE CASCADE,
    csrf_token VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    client VARCHAR(64) NOT NULL
);

CREATE INDEX console_sessions_by_user ON console_sessions (user_name);

-- Who did what, when, where. tenant_id is NULL for actions outside any tenant (logins, user changes).
CREATE TABLE audit_log (
    at BIGINT NOT NULL,
    user_name VARCHAR(64) NOT NULL,
    tenant_id VARCHAR(63),
    action VARCHAR(64) NOT NULL,
    target VARCHAR(256) NOT NULL,
    details VARCHAR(2048) NOT NULL,
    client VARCHAR(64) NOT NULL
);

CREATE INDEX audit_log_by_time ON audit_log (at);
CREATE INDEX audit_log_by_tenant ON audit_log (tenant_id, at);

-- The latest triage decision on an alert (the store's alerts are immutable; their handling lives here).
CREATE TABLE alert_triage (
    tenant_id VARCHAR(63) NOT NULL REFERENCES tenants (id),
    alert_id VARCHAR(128) NOT NULL,
    status VARCHAR(32) NOT NULL,
    comment VARCHAR(2048) NOT NULL,
    user_name VARCHAR(64) NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, alert_id)
);
