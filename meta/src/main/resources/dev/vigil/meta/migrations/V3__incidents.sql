-- Incidents, their cases (status, assignee, tags, SLA times), comments, case audit trail, and suppressions with their
-- audit trail. The incident itself is a JSON snapshot (IncidentJson); the columns beside it are what the API filters,
-- sorts and pages by. Times are BIGINT epoch milliseconds; severity_rank is 0 (informational) to 4 (critical).

CREATE TABLE incidents (
    tenant_id VARCHAR(63) NOT NULL REFERENCES tenants (id),
    id VARCHAR(64) NOT NULL,
    title VARCHAR(300) NOT NULL,
    severity_rank INTEGER NOT NULL,
    status VARCHAR(32) NOT NULL,
    assignee VARCHAR(128),
    tags TEXT NOT NULL,
    risk DOUBLE PRECISION NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    alert_count BIGINT NOT NULL,
    merged_into VARCHAR(64),
    snapshot TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    acknowledged_at BIGINT,
    resolved_at BIGINT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE INDEX incidents_by_time ON incidents (tenant_id, last_seen);
CREATE INDEX incidents_by_status ON incidents (tenant_id, status, last_seen);
CREATE INDEX incidents_by_severity ON incidents (tenant_id, severity_rank, last_seen);
CREATE INDEX incidents_by_assignee ON incidents (tenant_id, assignee, last_seen);

CREATE TABLE incident_comments (
    tenant_id VARCHAR(63) NOT NULL,
    incident_id VARCHAR(64) NOT NULL,
    number INTEGER NOT NULL,
    author VARCHAR(128) NOT NULL,
    at BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (tenant_id, incident_id, number),
    FOREIGN KEY (tenant_id, incident_id) REFERENCES incidents (tenant_id, id)
);

CREATE TABLE incident_audit (
    tenant_id VARCHAR(63) NOT NULL,
    incident_id VARCHAR(64) NOT NULL,
    seq INTEGER NOT NULL,
    actor VARCHAR(128) NOT NULL,
    at BIGINT NOT NULL,
    field VARCHAR(32) NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    PRIMARY KEY (tenant_id, incident_id, seq),
    FOREIGN KEY (tenant_id, incident_id) REFERENCES incidents (tenant_id, id)
);

CREATE TABLE suppressions (
    tenant_id VARCHAR(63) NOT NULL REFERENCES tenants (id),
    id VARCHAR(64) NOT NULL,
    rule_id VARCHAR(256),
    entity_type VARCHAR(16),
    entity_value VARCHAR(1024),
    reason TEXT NOT NULL,
    author VARCHAR(128) NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    ended_at BIGINT,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE suppression_audit (
    tenant_id VARCHAR(63) NOT NULL,
    suppression_id VARCHAR(64) NOT NULL,
    kind VARCHAR(16) NOT NULL,
    actor VARCHAR(128) NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, suppression_id, kind),
    FOREIGN KEY (tenant_id, suppression_id) REFERENCES suppressions (tenant_id, id)
)
