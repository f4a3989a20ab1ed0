-- The cost terms of a decision's breakdown become columns written by the application,
-- and decision_facts_mv copies them instead of parsing the payload JSON on every insert
-- (that parse was a large share of the insert cost per decision). The payload itself
-- is now the compact format of server/store/decision-codec.ts, which has no
-- "breakdown" key; rows written before keep their full JSON, and for those the DEFAULT
-- expressions below recover the terms on read, exactly as the old view computed them.
ALTER TABLE decisions
    ADD COLUMN IF NOT EXISTS logistics Float64 DEFAULT arraySum(arrayMap(t -> if(t.1 ILIKE '%logistic%', t.2, 0), JSONExtractKeysAndValues(payload, 'breakdown', 'Float64'))),
    ADD COLUMN IF NOT EXISTS handling Float64 DEFAULT arraySum(arrayMap(t -> if(t.1 ILIKE '%handling%', t.2, 0), JSONExtractKeysAndValues(payload, 'breakdown', 'Float64'))),
    ADD COLUMN IF NOT EXISTS refunds Float64 DEFAULT arraySum(arrayMap(t -> if(t.1 ILIKE '%refund%', t.2, 0), JSONExtractKeysAndValues(payload, 'breakdown', 'Float64'))),
    ADD COLUMN IF NOT EXISTS repair Float64 DEFAULT arraySum(arrayMap(t -> if(t.1 ILIKE '%repair%', t.2, 0), JSONExtractKeysAndValues(payload, 'breakdown', 'Float64')));

DROP VIEW IF EXISTS decision_facts_mv;
CREATE MATERIALIZED VIEW IF NOT EXISTS decision_facts_mv TO decision_facts AS
SELECT
    rma_id, line_index, decision_id, decided_at, sku, category, reason, resolution, disposition,
    receiving_node_id, net_cost, recovery, wait_hours, baseline_net_cost, baseline_wait_hours,
    logistics, handling, refunds, repair
FROM decisions;
