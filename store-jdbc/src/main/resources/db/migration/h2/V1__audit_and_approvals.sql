-- Same schema as db/migration/postgresql, in H2 types: CHARACTER LARGE OBJECT where PostgreSQL has
-- unbounded TEXT for JSON and free text (H2's VARCHAR stops at 1,000,000 characters).
-- Audit log: append-only, hash-chained. audit_chain holds the single lock row that serialises appends
-- (SELECT ... FOR UPDATE) and the chain head, so records deleted at the end are noticed by verify.
CREATE TABLE audit_chain (
    id        INTEGER PRIMARY KEY,
    last_seq  BIGINT  NOT NULL,
    last_hash CHAR(64) NOT NULL
);
INSERT INTO audit_chain (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq           BIGINT PRIMARY KEY,
    event_time    TIMESTAMP WITH TIME ZONE NOT NULL,
    request_id    CHARACTER VARYING,
    principal     CHARACTER VARYING NOT NULL,
    auth          CHARACTER VARYING,
    tool          CHARACTER VARYING,
    toolset       CHARACTER VARYING,
    resource      CHARACTER LARGE OBJECT,     -- JSON
    resource_key  CHAR(64), -- SHA-256 of the canonical resource JSON, for history counts
    args          CHARACTER LARGE OBJECT,     -- JSON, redacted
    decision      CHARACTER VARYING,
    reasons       CHARACTER LARGE OBJECT NOT NULL, -- JSON array of strings
    approval_id   CHARACTER VARYING,
    approvers     CHARACTER LARGE OBJECT NOT NULL, -- JSON array of strings
    phase         CHARACTER VARYING NOT NULL,
    duration_ms   BIGINT NOT NULL,
    result_digest CHARACTER VARYING,
    error         CHARACTER LARGE OBJECT,
    prev_hash     CHAR(64) NOT NULL,
    hash          CHAR(64) NOT NULL
);
CREATE INDEX audit_log_by_resource ON audit_log (resource_key, phase, event_time);
CREATE INDEX audit_log_by_principal ON audit_log (principal, phase, event_time);

-- Approvals. status holds PENDING, APPROVED, DENIED or USED; EXPIRED is derived from expires_at on read.
CREATE TABLE approvals (
    id                  VARCHAR(40) PRIMARY KEY,
    tool                CHARACTER VARYING NOT NULL,
    args_digest         CHAR(64) NOT NULL,
    requester           CHARACTER VARYING NOT NULL,
    resource            CHARACTER LARGE OBJECT,     -- JSON
    change_summary      CHARACTER LARGE OBJECT,
    min_approvals       INTEGER NOT NULL,
    approver_roles      CHARACTER LARGE OBJECT NOT NULL, -- JSON array of strings
    allow_self_approval BOOLEAN NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    status              VARCHAR(10) NOT NULL,
    used_at             TIMESTAMP WITH TIME ZONE,
    reasons             CHARACTER LARGE OBJECT
);
CREATE INDEX approvals_by_created ON approvals (created_at);

CREATE TABLE approval_votes (
    approval_id VARCHAR(40) NOT NULL REFERENCES approvals (id),
    principal   CHARACTER VARYING NOT NULL,
    roles       CHARACTER LARGE OBJECT NOT NULL, -- JSON array of strings
    approve     BOOLEAN NOT NULL,
    reason      CHARACTER LARGE OBJECT,
    voted_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (approval_id, principal)
);
