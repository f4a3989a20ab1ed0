-- Every accepted event, verbatim: the audit log, the replay source and the dedupe
-- authority (an eventId present here has been acknowledged). Ordered by event_id so
-- the dedupe lookup of a batch of ids is a primary-key read; partitioned by arrival
-- month so a history import spanning years does not create a partition per month.
CREATE TABLE IF NOT EXISTS raw_events
(
    event_id    String,
    type        LowCardinality(String),
    occurred_at DateTime64(3, 'UTC'),
    received_at DateTime64(3, 'UTC'),
    payload     String CODEC(ZSTD(3))
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY event_id;
