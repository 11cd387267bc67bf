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
    request_id    TEXT,
    principal     TEXT NOT NULL,
    auth          TEXT,
    tool          TEXT,
    toolset       TEXT,
    resource      TEXT,     -- JSON
    resource_key  CHAR(64), -- SHA-256 of the canonical resource JSON, for history counts
    args          TEXT,     -- JSON, redacted
    decision      TEXT,
    reasons       TEXT NOT NULL, -- JSON array of strings
    approval_id   TEXT,
    approvers     TEXT NOT NULL, -- JSON array of strings
    phase         TEXT NOT NULL,
    duration_ms   BIGINT NOT NULL,
    result_digest TEXT,
    error         TEXT,
    prev_hash     CHAR(64) NOT NULL,
    hash          CHAR(64) NOT NULL
);
CREATE INDEX audit_log_by_resource ON audit_log (resource_key, phase, event_time);
CREATE INDEX audit_log_by_principal ON audit_log (principal, phase, event_time);

-- Approvals. status holds PENDING, APPROVED, DENIED or USED; EXPIRED is derived from expires_at on read.
CREATE TABLE approvals (
    id                  VARCHAR(40) PRIMARY KEY,
    tool                TEXT NOT NULL,
    args_digest         CHAR(64) NOT NULL,
    requester           TEXT NOT NULL,
    resource            TEXT,     -- JSON
    change_summary      TEXT,
    min_approvals       INTEGER NOT NULL,
    approver_roles      TEXT NOT NULL, -- JSON array of strings
    allow_self_approval BOOLEAN NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    status              VARCHAR(10) NOT NULL,
    used_at             TIMESTAMP WITH TIME ZONE,
    reasons             TEXT
);
CREATE INDEX approvals_by_created ON approvals (created_at);

CREATE TABLE approval_votes (
    approval_id VARCHAR(40) NOT NULL REFERENCES approvals (id),
    principal   TEXT NOT NULL,
    roles       TEXT NOT NULL, -- JSON array of strings
    approve     BOOLEAN NOT NULL,
    reason      TEXT,
    voted_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (approval_id, principal)
);
