-- Tasks people work from. A task is a line of a decision's plan (payload.t of the compact
-- decision format: [role, action, dueAt, nodeId, detail]); its id is the decision id and
-- its place in the plan, so a producer's retry that rewrites a decision rewrites the same
-- tasks (ReplacingMergeTree). Filled by a materialised view from decisions: a task exists
-- exactly when its decision is durable, with no second write on the ingest path.
CREATE TABLE IF NOT EXISTS tasks
(
    task_id     String,
    decision_id String,
    rma_id      String,
    line_index  UInt16,
    task_index  UInt16,
    role        LowCardinality(String),
    action      LowCardinality(String),
    node_id     LowCardinality(String),
    due_at      DateTime64(3, 'UTC'),
    priority    Float64,
    detail      String CODEC(ZSTD(3)),
    created_at  DateTime64(3, 'UTC'),
    -- Work lists read by role (the key; a task id lookup searches the few roles); a
    -- return's page and a re-decision read by return and decision: skip indexes.
    INDEX rma_bf rma_id TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX decision_bf decision_id TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(due_at)
ORDER BY (role, task_id);

-- The plan is parsed once per decision (the subquery), then one row per task (ARRAY
-- JOIN). A subquery rather than WITH: the old query analyzer refuses a WITH alias there.
CREATE MATERIALIZED VIEW IF NOT EXISTS tasks_mv TO tasks AS
SELECT
    concat(decision_id, '.', toString(idx - 1)) AS task_id,
    decision_id, rma_id, line_index,
    toUInt16(idx - 1) AS task_index,
    JSONExtractString(t, 1) AS role,
    JSONExtractString(t, 2) AS action,
    JSONExtractString(t, 4) AS node_id,
    parseDateTime64BestEffort(JSONExtractString(t, 3), 3, 'UTC') AS due_at,
    priority,
    JSONExtractRaw(t, 5) AS detail,
    decided_at AS created_at
FROM (SELECT decision_id, rma_id, line_index, priority, decided_at, JSONExtractArrayRaw(payload, 't') AS plan FROM decisions)
ARRAY JOIN plan AS t, arrayEnumerate(plan) AS idx;

-- A re-decision replaces its predecessor's plan: every task of the superseded decision
-- that nobody finished reads as cancelled from the moment of the new decision (see
-- sql/queries/tasks-current.sql). One row per superseded decision, by the same view trick.
CREATE TABLE IF NOT EXISTS task_supersessions
(
    superseded_id String,
    superseded_by String,
    at            DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY superseded_id;

-- (Not "supersedes AS decision_id": ClickHouse would then read decision_id as that alias.)
CREATE MATERIALIZED VIEW IF NOT EXISTS task_supersessions_mv TO task_supersessions AS
SELECT supersedes AS superseded_id, decision_id AS superseded_by, decided_at AS at FROM decisions WHERE supersedes != '';

-- What people did to a task, append-only: who, when, the note, and an inspection's grade
-- and findings. The current status is derived (tasks-current.sql); nothing is updated in place.
CREATE TABLE IF NOT EXISTS task_events
(
    task_id  String,
    rma_id   String,
    status   LowCardinality(String),
    actor    String,
    note     String,
    grade    LowCardinality(String),
    findings String,
    at       DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (task_id, at)
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;

-- Overdue tasks already announced in the alerts room, so each is raised once.
CREATE TABLE IF NOT EXISTS task_overdue_alerts
(
    task_id    String,
    alerted_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY task_id;

-- Decisions stored before this migration get their tasks too (compact payloads only;
-- the rare older JSON payloads predate plans with tasks people work from).
INSERT INTO tasks
SELECT
    concat(decision_id, '.', toString(idx - 1)) AS task_id,
    decision_id, rma_id, line_index,
    toUInt16(idx - 1) AS task_index,
    JSONExtractString(t, 1) AS role,
    JSONExtractString(t, 2) AS action,
    JSONExtractString(t, 4) AS node_id,
    parseDateTime64BestEffort(JSONExtractString(t, 3), 3, 'UTC') AS due_at,
    priority,
    JSONExtractRaw(t, 5) AS detail,
    decided_at AS created_at
FROM (SELECT decision_id, rma_id, line_index, priority, decided_at, JSONExtractArrayRaw(payload, 't') AS plan FROM decisions)
ARRAY JOIN plan AS t, arrayEnumerate(plan) AS idx
WHERE task_id NOT IN (SELECT task_id FROM tasks);

INSERT INTO task_supersessions
SELECT supersedes AS superseded_id, decision_id AS superseded_by, decided_at AS at FROM decisions
WHERE supersedes != '' AND supersedes NOT IN (SELECT superseded_id FROM task_supersessions);
