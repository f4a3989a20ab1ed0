-- Fills cost_daily_next (all months, or only {months} for an incremental run; see
-- cost-recovery.job.ts): money of each return line's current decision, by the day it
-- was decided, category, reason, resolution and disposition (reason feeds the flows
-- job, flows-refresh.sql). A decision is current until another supersedes it (the
-- navigator names the superseded decision in every re-decision), so the current ones
-- are a filter, not a per-line aggregation: at 10M lines the argMax over
-- (rma_id, line_index) took a minute, the filter a few seconds.
INSERT INTO cost_daily_next
SELECT
    toDate(decided_at) AS day, category, reason, resolution, disposition,
    count() AS returns,
    sum(net_cost), sum(recovery), sum(baseline_net_cost), sum(logistics), sum(handling), sum(refunds), sum(repair),
    sum(wait_hours), sum(baseline_wait_hours),
    {asOf:DateTime64(3)} AS computed_at
FROM decision_facts
PREWHERE decided_at <= {asOf:DateTime64(3)} AND ({all:Bool} OR toYYYYMM(decided_at) IN {months:Array(UInt32)})
WHERE decision_id NOT IN (SELECT supersedes FROM decisions
                          WHERE supersedes != '' AND decided_at >= {since:DateTime64(3)} AND decided_at <= {asOf:DateTime64(3)})
GROUP BY day, category, reason, resolution, disposition
