-- The first schema of Vigil's metadata. Written in the subset of SQL that SQLite and PostgreSQL share:
-- times are BIGINT milliseconds since the epoch (UTC), hashes are lower-case hex text, so that no column needs a
-- dialect's own timestamp or binary type. SQLite does not enforce VARCHAR lengths; MetadataStore checks them.

CREATE TABLE tenants (
    id VARCHAR(63) NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    retention_days INTEGER NOT NULL,
    settings_version BIGINT NOT NULL
);

-- The built-in tenant whose ADMIN tokens administer the whole server (creating tenants through the API).
-- Its creation time is the moment MetadataStore first opened the database (set right after this migration).
INSERT INTO tenants (id, created_at, retention_days, settings_version) VALUES ('system', 0, 30, 0);

CREATE TABLE api_tokens (
    token_id VARCHAR(16) NOT NULL PRIMARY KEY,
    tenant_id VARCHAR(63) NOT NULL REFERENCES tenants (id),
    role VARCHAR(16) NOT NULL,
    description VARCHAR(256) NOT NULL,
    secret_sha256 VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE INDEX api_tokens_by_tenant ON api_tokens (tenant_id);

CREATE TABLE disabled_rules (
    tenant_id VARCHAR(63) NOT NULL REFERENCES tenants (id),
    rule_id VARCHAR(256) NOT NULL,
    PRIMARY KEY (tenant_id, rule_id)
);

CREATE TABLE sigma_filters (
    tenant_id VARCHAR(63) NOT NULL REFERENCES tenants (id),
    name VARCHAR(128) NOT NULL,
    yaml TEXT NOT NULL,
    PRIMARY KEY (tenant_id, name)
);
