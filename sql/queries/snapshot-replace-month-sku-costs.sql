-- Swaps one month of sku_costs in from its *_next twin, atomic per month (pipelines/snapshot.ts,
-- replaceMonths). ClickHouse does not bind the source table of REPLACE PARTITION … FROM
-- as a parameter, so each month-partitioned snapshot has its own statement.
ALTER TABLE sku_costs REPLACE PARTITION {month:UInt32} FROM sku_costs_next
