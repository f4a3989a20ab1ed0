-- Swaps one month of cost_daily in from its *_next twin, atomic per month (pipelines/snapshot.ts,
-- replaceMonths). ClickHouse does not bind the source table of REPLACE PARTITION … FROM
-- as a parameter, so each month-partitioned snapshot has its own statement.
ALTER TABLE cost_daily REPLACE PARTITION {month:UInt32} FROM cost_daily_next
