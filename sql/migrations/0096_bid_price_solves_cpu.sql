-- The bid-prices solve's CPU time (issue 17): the wall clock of a solve on a shared
-- machine says more about the machine's load than about the solve, and HiGHS runs on the
-- process's JS thread, so each solve also records the process's CPU time over the same
-- span as solve_ms. NULL on solves recorded before.
ALTER TABLE bid_price_solves ADD COLUMN IF NOT EXISTS solve_cpu_ms Nullable(Float64) DEFAULT NULL;
