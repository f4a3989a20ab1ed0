-- Webhooks out (Standard Webhooks). Three append-only tables. Subscriptions are fsynced
-- (an admin's acknowledged change survives a power cut). The outbox and the attempt log
-- are not: they are written after the events' acknowledgement anyway (a crash in that
-- window loses the messages whatever the setting), every part they fsync would share
-- the disk with ingest's own acknowledged writes, and a lost attempt record only means
-- a message is sent again (at least once).

-- Subscriptions: every change is a new row (ReplacingMergeTree on updated_at), deletion
-- included. The secret is kept as issued: signing needs it, a hash would not do.
-- previous_secret signs alongside the new one for a day after a rotation, so a receiver
-- can switch keys without dropping messages.
CREATE TABLE IF NOT EXISTS webhook_subscriptions
(
    subscription_id String,
    url             String,
    description     String,
    events          Array(LowCardinality(String)),
    secret          String,
    previous_secret String,
    rotated_at      DateTime64(3, 'UTC'),
    enabled         UInt8,
    disabled_reason String,
    deleted         UInt8,
    created_at      DateTime64(3, 'UTC'),
    updated_at      DateTime64(3, 'UTC'),
    author          String
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY subscription_id
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;

-- The outbox: one row per message to one subscription. msg_id is derived from what the
-- message is about and the subscription, so enqueueing the same thing twice is one
-- message. seq orders messages of one return (order_key) for in-order delivery.
CREATE TABLE IF NOT EXISTS webhook_messages
(
    msg_id          String,
    subscription_id String,
    event_type      LowCardinality(String),
    order_key       String,
    seq             UInt64,
    payload         String CODEC(ZSTD(3)),
    created_at      DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(created_at)
ORDER BY (subscription_id, msg_id);

-- The delivery log: one row per attempt (and one 'redeliver' row per manual redelivery,
-- which starts a new round). outcome: delivered | retry | failed (gave up) | redeliver.
CREATE TABLE IF NOT EXISTS webhook_attempts
(
    msg_id          String,
    subscription_id String,
    attempt         UInt16,
    at              DateTime64(3, 'UTC'),
    status_code     UInt16,
    latency_ms      UInt32,
    error           String,
    outcome         LowCardinality(String),
    next_attempt_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (subscription_id, msg_id, at);
