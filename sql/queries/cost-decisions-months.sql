-- Stages the current decisions made in {months} (cost-decisions.sql, {all} false) for an
-- incremental cost run (cost-recovery.job.ts); cost-decisions-staged.sql gives them to
-- both snapshots.
INSERT INTO cost_decisions_next
{{include:cost-decisions}}
