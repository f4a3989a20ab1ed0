-- Swaps one month of turnaround_daily in from its *_next twin, atomic per month (pipelines/snapshot.ts,
-- replaceMonths). ClickHouse does not bind the source table of REPLACE PARTITION … FROM
-- as a parameter, so each month-partitioned snapshot has its own statement.
ALTER TABLE turnaround_daily REPLACE PARTITION {month:UInt32} FROM turnaround_daily_next
