-- The month of every decision, by a 64-bit hash of its id, kept at insert time. A cost
-- run recomputes the months whose decisions a re-decision supersedes, and finding them
-- probed decision_facts' text ids for the re-decided requests: the requests are spread
-- over the whole table, so that read most of it (0.9–3.8 s a run at 10 M decisions).
-- Looking the superseded ids' hashes up here takes 0.2–0.3 s. Two ids sharing a hash, or
-- a retried decision stored under a second time, only add a month to recompute. Derived
-- from decisions, like decision_facts: the page-cache default, no fsync.
CREATE TABLE IF NOT EXISTS decision_months
(
    id_hash UInt64,
    month   UInt32
)
ENGINE = ReplacingMergeTree
ORDER BY (id_hash, month);

CREATE MATERIALIZED VIEW IF NOT EXISTS decision_months_mv TO decision_months AS
SELECT cityHash64(decision_id) AS id_hash, toYYYYMM(decided_at) AS month
FROM decisions;

-- After the view exists, so no decision is missed; one stored twice is harmless.
INSERT INTO decision_months SELECT cityHash64(decision_id), toYYYYMM(decided_at) FROM decisions;
