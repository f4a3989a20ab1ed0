-- The current-decision rule of the cost snapshots (included by cost-refresh-daily.sql and
-- cost-refresh-sku.sql, so the two cannot disagree): a decision counts until a later one
-- names it in `supersedes`, among the re-decisions made from {since} to {asOf}.
-- Ids are compared as a pair of 64-bit hashes (128 bits: a false match among 12M ids has
-- odds of about 1e-25) instead of as strings, which probes about twice as fast
-- (docs/benchmarks.md).
(cityHash64(decision_id), xxHash64(decision_id)) NOT IN
    (SELECT cityHash64(supersedes), xxHash64(supersedes) FROM decisions
     WHERE supersedes != '' AND decided_at >= {since:DateTime64(3)} AND decided_at <= {asOf:DateTime64(3)})
