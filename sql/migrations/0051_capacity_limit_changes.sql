-- Operator changes of a node's other daily limits (issue 17): inspections per day, outlet
-- units per day, the vendor's RTV quota per period. Append-only; the latest row per node
-- and kind is in force and applied on start (bench hours stay in capacity_changes).
CREATE TABLE IF NOT EXISTS capacity_limit_changes
(
    node_id    LowCardinality(String),
    kind       LowCardinality(String),
    value      Float64,
    author     String,
    changed_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (node_id, kind, changed_at);
