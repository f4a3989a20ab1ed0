-- Per-request milestones kept current at insert time, so the turnaround and open-returns
-- refreshes aggregate one narrow table keyed by rma_id instead of joining return_lines,
-- return_status and decision_facts (55 s at 10M returns). Each source feeds only its
-- own columns through its own view; the others take their defaults (NULL / empty state),
-- and every column merges with min, max or argMax, so a row seen twice changes nothing:
-- the backfill below is harmless to repeat. The latest decision's route is one
-- 'resolution|node' string under argMax by decided_at: a tuple-valued argMax merged
-- three times slower. touched_at is when a source row last reached the request, so a
-- refresh can find the requests that changed since its previous run.
CREATE TABLE IF NOT EXISTS rma_milestones
(
    rma_id       String,
    requested_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    received_at  SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    inspected_at SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    paid_at      SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    closed_at    SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    repaired     SimpleAggregateFunction(max, UInt8),
    has_status   SimpleAggregateFunction(max, UInt8),
    finished     SimpleAggregateFunction(max, UInt8),
    status_node  SimpleAggregateFunction(max, String),
    last_status  AggregateFunction(argMax, String, DateTime64(3, 'UTC')),
    route        AggregateFunction(argMax, String, DateTime64(3, 'UTC')),
    touched_at   SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY rma_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS rma_milestones_requests_mv TO rma_milestones AS
SELECT rma_id, min(occurred_at) AS requested_at, now64(3) AS touched_at
FROM return_lines
GROUP BY rma_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS rma_milestones_status_mv TO rma_milestones AS
SELECT
    rma_id,
    minIfOrNull(occurred_at, status = 'received') AS received_at,
    minIfOrNull(occurred_at, status = 'inspected') AS inspected_at,
    minIfOrNull(occurred_at, status IN ('refunded', 'exchange_shipped')) AS paid_at,
    minIfOrNull(occurred_at, status = 'closed') AS closed_at,
    toUInt8(countIf(status = 'repaired') > 0) AS repaired,
    toUInt8(1) AS has_status,
    toUInt8(countIf(status IN ('refunded', 'exchange_shipped', 'closed', 'cancelled')) > 0) AS finished,
    maxIf(toString(node_id), status IN ('received', 'inspected') AND node_id != '') AS status_node,
    argMaxState(toString(status), occurred_at) AS last_status,
    now64(3) AS touched_at
FROM return_status
GROUP BY rma_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS rma_milestones_decisions_mv TO rma_milestones AS
SELECT rma_id, argMaxState(concat(toString(resolution), '|', toString(receiving_node_id)), decided_at) AS route, now64(3) AS touched_at
FROM decisions
GROUP BY rma_id;

INSERT INTO rma_milestones (rma_id, requested_at, touched_at)
SELECT rma_id, min(occurred_at), now64(3) FROM return_lines GROUP BY rma_id;

INSERT INTO rma_milestones (rma_id, received_at, inspected_at, paid_at, closed_at, repaired, has_status, finished, status_node, last_status, touched_at)
SELECT
    rma_id,
    minIfOrNull(occurred_at, status = 'received'),
    minIfOrNull(occurred_at, status = 'inspected'),
    minIfOrNull(occurred_at, status IN ('refunded', 'exchange_shipped')),
    minIfOrNull(occurred_at, status = 'closed'),
    toUInt8(countIf(status = 'repaired') > 0),
    toUInt8(1),
    toUInt8(countIf(status IN ('refunded', 'exchange_shipped', 'closed', 'cancelled')) > 0),
    maxIf(toString(node_id), status IN ('received', 'inspected') AND node_id != ''),
    argMaxState(toString(status), occurred_at),
    now64(3)
FROM return_status
GROUP BY rma_id;

INSERT INTO rma_milestones (rma_id, route, touched_at)
SELECT rma_id, argMaxState(concat(toString(resolution), '|', toString(receiving_node_id)), decided_at), now64(3)
FROM decisions
GROUP BY rma_id;

-- The turnaround outputs, partitioned by month of the request day, so the job rebuilds
-- only the months holding requests touched since its last run (REPLACE PARTITION, atomic
-- per month). Derived data: dropping them means the next run rebuilds them in full.
DROP TABLE IF EXISTS turnaround_daily;
DROP TABLE IF EXISTS turnaround_daily_next;
CREATE TABLE IF NOT EXISTS turnaround_daily
(
    day               Date,
    receiving_node_id LowCardinality(String),
    resolution        LowCardinality(String),
    stage             LowCardinality(String),
    n                 UInt64,
    sum_hours         Float64,
    hours_q           AggregateFunction(quantilesTDigest(0.5, 0.9, 0.99), Float32),
    computed_at       DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, stage, receiving_node_id, resolution);
CREATE TABLE IF NOT EXISTS turnaround_daily_next AS turnaround_daily;

-- Open requests per request month and latest status; readers sum the months.
DROP TABLE IF EXISTS open_returns;
DROP TABLE IF EXISTS open_returns_next;
CREATE TABLE IF NOT EXISTS open_returns
(
    month       UInt32,
    status      LowCardinality(String),
    returns     UInt64,
    oldest_at   DateTime64(3, 'UTC'),
    computed_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY month
ORDER BY status;
CREATE TABLE IF NOT EXISTS open_returns_next AS open_returns;

-- How far an incremental job has read its sources (max touched_at seen, per job).
CREATE TABLE IF NOT EXISTS pipeline_watermarks
(
    job        String,
    watermark  DateTime64(3, 'UTC'),
    full_at    DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY job;

-- One SKU's decisions as a primary-key range read (/api/v1/skus/:sku scanned all of
-- them): projections sorted by SKU. Both tables are ReplacingMergeTree, whose merges
-- must rebuild a projection rather than refuse to keep one.
ALTER TABLE decision_facts MODIFY SETTING deduplicate_merge_projection_mode = 'rebuild';
ALTER TABLE decision_facts ADD PROJECTION IF NOT EXISTS by_sku (SELECT * ORDER BY sku, decided_at);
ALTER TABLE decision_facts MATERIALIZE PROJECTION by_sku SETTINGS mutations_sync = 1;
ALTER TABLE decisions MODIFY SETTING deduplicate_merge_projection_mode = 'rebuild';
ALTER TABLE decisions ADD PROJECTION IF NOT EXISTS superseded_by_sku (SELECT sku, supersedes, decided_at ORDER BY sku, supersedes);
ALTER TABLE decisions MATERIALIZE PROJECTION superseded_by_sku SETTINGS mutations_sync = 1;
