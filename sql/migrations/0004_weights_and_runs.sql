-- Versioned routing weights and policy; every change is a new row (audit trail).
CREATE TABLE IF NOT EXISTS weights_versions
(
    version    UInt32,
    author     String,
    created_at DateTime64(3, 'UTC'),
    comment    String,
    weights    String,
    policy     String,
    diff       String
)
ENGINE = MergeTree
ORDER BY version;

-- One row per scheduled pipeline run.
CREATE TABLE IF NOT EXISTS pipeline_runs
(
    job         LowCardinality(String),
    run_id      String,
    started_at  DateTime64(3, 'UTC'),
    finished_at DateTime64(3, 'UTC'),
    status      LowCardinality(String),
    duration_ms UInt32,
    rows        UInt64,
    error       String
)
ENGINE = MergeTree
ORDER BY (job, started_at);
