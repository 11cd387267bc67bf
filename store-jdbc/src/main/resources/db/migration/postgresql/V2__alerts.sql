-- Alerts taken in by the webhook receivers (issue 17). One row per fingerprint (deduplication key); the alert as
-- JSON in body, with the columns that are searched beside it.
CREATE TABLE alerts (
    id          VARCHAR(40) PRIMARY KEY,
    fingerprint CHAR(64) NOT NULL UNIQUE,
    status      VARCHAR(10) NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    body        TEXT NOT NULL -- JSON: Alert.toJson()
);
CREATE INDEX alerts_by_status ON alerts (status, updated_at);
CREATE INDEX alerts_by_updated ON alerts (updated_at);
