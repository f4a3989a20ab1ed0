-- The columns a Decision is rebuilt from (decodeDecisionRow and DecisionRow in
-- server/store/decision-codec.ts), included by every read of decisions.
decision_id, rma_id, line_index, sku, supersedes, trigger, decided_at, resolution, inbound_mode,
receiving_node_id, exchange_source_node_id, disposition, net_cost, recovery, wait_hours, co2_kg,
score, candidates, weights_version, priority, baseline_resolution, baseline_disposition,
baseline_net_cost, baseline_wait_hours, baseline_co2_kg, tracking_token, payload
