-- The threat-intelligence knowledge base: indicators (global ones have scope '', a tenant's their tenant id) with the
-- whole indicator as JSON (the intel module's codec), and small named state values of the feeds (resume points,
-- HTTP validators) plus the version counter the server polls to reload its in-memory index.

CREATE TABLE indicators (
    scope VARCHAR(63) NOT NULL,
    type VARCHAR(16) NOT NULL,
    value VARCHAR(4096) NOT NULL,
    valid_until BIGINT,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (scope, type, value)
);

CREATE TABLE intel_state (
    name VARCHAR(200) NOT NULL PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

INSERT INTO intel_state (name, value, updated_at) VALUES ('version', '0', 0);
