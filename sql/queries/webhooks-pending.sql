-- Messages still to deliver, oldest first: no attempt yet, or the last word on them is a
-- scheduled retry or a manual redelivery. Loaded at start (and when the in-memory queue
-- ran dry after spilling); a message older than a month is past any retry window.
-- Params: limit.
SELECT
    m.msg_id AS msg_id, m.subscription_id AS subscription_id, m.event_type AS event_type, m.order_key AS order_key,
    m.seq AS seq, m.payload AS payload, m.created_at AS created_at,
    a.attempts AS attempts, a.next_at AS next_at, a.round_started_at AS round_started_at
FROM (SELECT * FROM webhook_messages FINAL WHERE created_at > now64(3) - INTERVAL 30 DAY) AS m
LEFT JOIN (
    SELECT msg_id,
        countIf(outcome != 'redeliver') AS attempts,
        argMax(outcome, (at, attempt)) AS last_outcome,
        argMax(next_attempt_at, (at, attempt)) AS next_at,
        maxIf(at, outcome = 'redeliver') AS round_started_at
    FROM webhook_attempts
    WHERE at > now64(3) - INTERVAL 30 DAY
    GROUP BY msg_id
) AS a ON a.msg_id = m.msg_id
WHERE a.last_outcome NOT IN ('delivered', 'failed')
ORDER BY m.seq
LIMIT {limit:UInt32}
