-- Months holding decisions superseded by a decision made in {months}: their money
-- leaves those older months, so they are recomputed too. decision_facts is sorted by
-- rma_id, so the lookup is a primary-key read of the re-decided requests only.
WITH redecided AS (
    SELECT rma_id, supersedes FROM decisions
    WHERE supersedes != '' AND toYYYYMM(decided_at) IN {months:Array(UInt32)} AND decided_at <= {asOf:DateTime64(3)}
)
SELECT DISTINCT toYYYYMM(decided_at) AS month
FROM decision_facts
WHERE rma_id IN (SELECT rma_id FROM redecided)
  AND decision_id IN (SELECT supersedes FROM redecided)
  AND decided_at <= {asOf:DateTime64(3)}
