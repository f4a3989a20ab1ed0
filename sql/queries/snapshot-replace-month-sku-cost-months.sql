-- Swaps one month of sku_cost_months in from its *_next twin, atomic per month
-- (pipelines/snapshot.ts, replaceMonths; see snapshot-replace-month-sku-costs.sql).
ALTER TABLE sku_cost_months REPLACE PARTITION {month:UInt32} FROM sku_cost_months_next
