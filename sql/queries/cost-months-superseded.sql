-- Months holding decisions superseded by a decision made in {months}: their money
-- leaves those older months, so they are recomputed too. decision_facts is sorted by
-- rma_id, but re-decided requests are spread over all of it, so the lookup is bounded
-- to decisions made since {lookback} (PREWHERE on decided_at): a re-decision of an older
-- decision is picked up by the job's daily full rebuild.
WITH redecided AS (
    SELECT rma_id, supersedes FROM decisions
    WHERE supersedes != '' AND toYYYYMM(decided_at) IN {months:Array(UInt32)} AND decided_at <= {asOf:DateTime64(3)}
)
SELECT DISTINCT toYYYYMM(decided_at) AS month
FROM decision_facts
PREWHERE decided_at >= {lookback:DateTime64(3)} AND decided_at <= {asOf:DateTime64(3)}
WHERE rma_id IN (SELECT rma_id FROM redecided)
  AND decision_id IN (SELECT supersedes FROM redecided)
