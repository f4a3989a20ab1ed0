-- Swaps one month of open_returns in from its *_next twin, atomic per month (pipelines/snapshot.ts,
-- replaceMonths). ClickHouse does not bind the source table of REPLACE PARTITION … FROM
-- as a parameter, so each month-partitioned snapshot has its own statement.
ALTER TABLE open_returns REPLACE PARTITION {month:UInt32} FROM open_returns_next
