-- Answers to the offers decisions make (return.offer_answered), by return: the tracking
-- page shows which offers are still open. raw_events is sorted by event_id, so without
-- this every page view would scan it.
CREATE TABLE IF NOT EXISTS offer_answers
(
    rma_id      String,
    line_index  UInt16,
    offer_id    String,
    accepted    UInt8,
    event_id    String,
    occurred_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (rma_id, offer_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS offer_answers_mv TO offer_answers AS
SELECT
    JSONExtractString(payload, 'rmaId') AS rma_id,
    toUInt16(JSONExtractUInt(payload, 'lineIndex')) AS line_index,
    JSONExtractString(payload, 'offerId') AS offer_id,
    toUInt8(JSONExtractBool(payload, 'accepted')) AS accepted,
    event_id,
    occurred_at
FROM raw_events
WHERE type = 'return.offer_answered';
