-- The SKU list of a period (sql/queries/skus-range.sql) summed the net cost of every
-- SKU and day of sku_costs in it: about 0.9 M rows for a year at 1 M returns.
-- sku_cost_months holds the same money by SKU and calendar month, so a period reads its
-- whole months here and only the days of a month it holds in part from sku_costs
-- (sql/queries/period-whole-months.sql).
-- It is a snapshot of the cost job like sku_costs, and built from it: each run sums the
-- months it rewrote in sku_costs_next by month into sku_cost_months_next and swaps them
-- in with REPLACE PARTITION (pipelines/cost-recovery.job.ts), a full build with
-- EXCHANGE TABLES. Partitioned by month like sku_costs, so a month is replaced whole.
-- sku is a String as in sku_costs: with tens of thousands of SKUs a LowCardinality
-- column outgrows its dictionary and read about twice as slowly here (docs/benchmarks.md).
CREATE TABLE IF NOT EXISTS sku_cost_months
(
    month             Date,
    sku               String,
    returns           UInt64,
    net_cost          Float64,
    recovery          Float64,
    baseline_net_cost Float64,
    computed_at       DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(month)
ORDER BY (sku, month);
CREATE TABLE IF NOT EXISTS sku_cost_months_next AS sku_cost_months;

-- The months so far, from sku_costs as the last cost run left it. Migrations run before
-- the jobs, so sku_costs does not change meanwhile; emptying first makes a migration
-- interrupted after the backfill safe to rerun.
TRUNCATE TABLE IF EXISTS sku_cost_months;

INSERT INTO sku_cost_months (month, sku, returns, net_cost, recovery, baseline_net_cost, computed_at)
SELECT toStartOfMonth(day) AS month, sku, sum(returns), sum(net_cost), sum(recovery), sum(baseline_net_cost), max(computed_at)
FROM sku_costs
GROUP BY month, sku;
