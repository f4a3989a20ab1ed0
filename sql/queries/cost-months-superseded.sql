-- Months holding decisions superseded by a decision made in {months}: their money
-- leaves those older months, so they are recomputed too. A re-decision can supersede a
-- decision of any age, so all of decision_facts is looked at, but only its key columns:
-- the superseded decision is in the re-decided request, and rma_id leads the sort key.
WITH redecided AS (
    SELECT rma_id, supersedes FROM decisions
    WHERE supersedes != '' AND toYYYYMM(decided_at) IN {months:Array(UInt32)} AND decided_at <= {asOf:DateTime64(3)}
)
SELECT DISTINCT toYYYYMM(decided_at) AS month
FROM decision_facts
WHERE rma_id IN (SELECT rma_id FROM redecided)
  AND decision_id IN (SELECT supersedes FROM redecided)
  AND decided_at <= {asOf:DateTime64(3)}
