-- Covering indexes, built after the load: each question is answered from an index alone.
CREATE INDEX order_lines_time ON order_lines (occurred_at, sku, qty);
CREATE INDEX return_lines_time ON return_lines (occurred_at, sku, qty, reason);
CREATE INDEX decisions_line ON decisions (rma_id, line_index, decided_at);
CREATE INDEX decisions_supersedes ON decisions (supersedes);
CREATE INDEX decisions_current ON decisions (decision_id, category, resolution, net_cost, baseline_net_cost);
ANALYZE;
