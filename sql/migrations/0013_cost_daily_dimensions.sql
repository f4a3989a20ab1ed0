-- cost_daily at day × category × resolution × disposition: with reason and receiving
-- node as well the table held nearly a row per decided line (1.7M rows at 1M returns)
-- and its refresh was dominated by writing them. Per-SKU, per-reason and per-warehouse
-- money is read from decision_facts / sku_costs instead.
ALTER TABLE cost_daily DROP COLUMN IF EXISTS reason, DROP COLUMN IF EXISTS receiving_node_id;
ALTER TABLE cost_daily_next DROP COLUMN IF EXISTS reason, DROP COLUMN IF EXISTS receiving_node_id;
