-- Months holding decisions superseded by a decision made in {months}: their money
-- leaves those older months, so they are recomputed too. A re-decision can supersede a
-- decision of any age, so every decision's month is looked at, by the hash of its id
-- (decision_months, 0027). A hash two ids share only adds a month to recompute.
SELECT DISTINCT month
FROM decision_months
WHERE id_hash IN (SELECT cityHash64(supersedes) FROM decisions
                  WHERE supersedes != '' AND toYYYYMM(decided_at) IN {months:Array(UInt32)} AND decided_at <= {asOf:DateTime64(3)})
ORDER BY month
