-- The cost rule of cost_daily: money of each return line's current decision, by the
-- day it was decided, category, reason, resolution and disposition (reason feeds the
-- flows job, flows-refresh.sql), for {months} (or all months, {all}).
-- Included by cost-refresh-daily-{staged,all}.sql, which start the WITH list with the
-- current decisions `d` (cost-decisions-staged.sql: the months staged by
-- cost-decisions-months.sql, a full build one month a pass; cost-decisions.sql for the
-- whole build in one statement; see cost-recovery.job.ts) and insert into cost_daily_next.
-- A decision is current until another supersedes it (the navigator names the superseded
-- decision in every re-decision), so the current ones are a filter, not a per-line
-- aggregation (an argMax over (rma_id, line_index) is an order of magnitude slower).
-- Two things keep the full build short at 10 M decisions (docs/benchmarks.md):
--  * the current-decision filter compares ids as hash pairs (cost-current-decision.sql);
--  * the four text keys become one small number before grouping: their distinct
--    combinations (a few thousand) are listed first and each row's is looked up with
--    transform (a hash map), so rows are grouped by the day and the number instead of
--    hashing five keys. The number goes back to the four texts after grouping.
    (SELECT groupArray(key) FROM (
        SELECT DISTINCT concat(category, '\0', reason, '\0', resolution, '\0', disposition) AS key
        FROM decision_facts
        PREWHERE decided_at <= {asOf:DateTime64(3)} AND ({all:Bool} OR toYYYYMM(decided_at) IN {months:Array(UInt32)})
    )) AS keys,
    g AS (
        SELECT
            toDate(decided_at) AS day,
            transform(concat(category, '\0', reason, '\0', resolution, '\0', disposition), keys, arrayEnumerate(keys), 0) AS key_no,
            count() AS returns,
            sum(net_cost) AS net_cost, sum(recovery) AS recovery, sum(baseline_net_cost) AS baseline_net_cost,
            sum(logistics) AS logistics, sum(handling) AS handling, sum(refunds) AS refunds, sum(repair) AS repair,
            sum(wait_hours) AS wait_hours, sum(baseline_wait_hours) AS baseline_wait_hours
        FROM d
        GROUP BY day, key_no
    )
SELECT
    day, k[1] AS category, k[2] AS reason, k[3] AS resolution, k[4] AS disposition,
    returns, net_cost, recovery, baseline_net_cost, logistics, handling, refunds, repair, wait_hours, baseline_wait_hours,
    {asOf:DateTime64(3)} AS computed_at
FROM g
ARRAY JOIN [splitByChar('\0', keys[key_no])] AS k
