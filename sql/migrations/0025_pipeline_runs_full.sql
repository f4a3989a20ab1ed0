-- Whether a run built its job's outputs in full (1) or recomputed only what changed (0):
-- turnaround and cost-recovery are incremental after their first build, and an operator
-- can ask for a rebuild (POST /api/v1/pipelines/:job/run?rebuild=true). Runs recorded
-- before this column existed read as 0.
ALTER TABLE pipeline_runs ADD COLUMN IF NOT EXISTS full UInt8 DEFAULT 0;
