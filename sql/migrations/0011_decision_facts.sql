-- The money facts of each decision in a narrow table sorted by return line, so "the
-- latest decision per (rma_id, line_index)" is an in-order aggregation that streams
-- instead of hashing every line. The cost terms are pulled out of the stored
-- breakdown once, at insert time, instead of parsing JSON on every refresh.
-- Breakdown keys are the navigator's factor names (DECISION-MODEL.md: inbound_logistics,
-- outbound_logistics, handling, repair_cost, refund_outflow, …); they are matched by
-- substring so a renamed or split factor still lands in its family.
CREATE TABLE IF NOT EXISTS decision_facts
(
    rma_id              String,
    line_index          UInt16,
    decision_id         String,
    decided_at          DateTime64(3, 'UTC'),
    sku                 LowCardinality(String),
    category            LowCardinality(String),
    reason              LowCardinality(String),
    resolution          LowCardinality(String),
    disposition         LowCardinality(String),
    receiving_node_id   LowCardinality(String),
    net_cost            Float64,
    recovery            Float64,
    wait_hours          Float64,
    baseline_net_cost   Float64,
    baseline_wait_hours Float64,
    logistics           Float64,
    handling            Float64,
    refunds             Float64,
    repair              Float64
)
ENGINE = ReplacingMergeTree
ORDER BY (rma_id, line_index, decision_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS decision_facts_mv TO decision_facts AS
WITH JSONExtractKeysAndValues(payload, 'breakdown', 'Float64') AS terms
SELECT
    rma_id, line_index, decision_id, decided_at, sku, category, reason, resolution, disposition,
    receiving_node_id, net_cost, recovery, wait_hours, baseline_net_cost, baseline_wait_hours,
    arraySum(arrayMap(t -> if(t.1 ILIKE '%logistic%', t.2, 0), terms)) AS logistics,
    arraySum(arrayMap(t -> if(t.1 ILIKE '%handling%', t.2, 0), terms)) AS handling,
    arraySum(arrayMap(t -> if(t.1 ILIKE '%refund%', t.2, 0), terms)) AS refunds,
    arraySum(arrayMap(t -> if(t.1 ILIKE '%repair%', t.2, 0), terms)) AS repair
FROM decisions;
