-- One row per navigator decision (per return line, and again per re-route).
-- decision_id is derived from the triggering event, so a producer's retry after a
-- failed request rewrites the same row instead of adding one: ReplacingMergeTree.
CREATE TABLE IF NOT EXISTS decisions
(
    decision_id             String,
    rma_id                  String,
    line_index              UInt16,
    sku                     LowCardinality(String),
    category                LowCardinality(String),
    reason                  LowCardinality(String),
    supersedes              String,
    trigger                 LowCardinality(String),
    decided_at              DateTime64(3, 'UTC'),
    resolution              LowCardinality(String),
    inbound_mode            LowCardinality(String),
    receiving_node_id       LowCardinality(String),
    exchange_source_node_id LowCardinality(String),
    disposition             LowCardinality(String),
    net_cost                Float64,
    recovery                Float64,
    wait_hours              Float64,
    co2_kg                  Float64,
    score                   Float64,
    candidates              UInt32,
    weights_version         UInt32,
    priority                Float64,
    baseline_resolution     LowCardinality(String),
    baseline_disposition    LowCardinality(String),
    baseline_net_cost       Float64,
    baseline_wait_hours     Float64,
    baseline_co2_kg         Float64,
    tracking_token          String,
    payload                 String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(decided_at)
ORDER BY (rma_id, decision_id);

-- Tracking page lookup (no key needed). Keyed by the token's SHA-256, not the token:
-- the index search then compares hashes, so its timing says nothing about how much of
-- a guessed token was right.
CREATE TABLE IF NOT EXISTS tracking_tokens
(
    token_sha256 FixedString(32),
    rma_id       String,
    decided_at   DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY token_sha256;

CREATE MATERIALIZED VIEW IF NOT EXISTS tracking_tokens_mv TO tracking_tokens AS
SELECT SHA256(tracking_token) AS token_sha256, rma_id, decided_at FROM decisions WHERE tracking_token != '';
