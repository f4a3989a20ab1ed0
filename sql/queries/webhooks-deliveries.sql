-- A subscription's delivery log, newest messages first, with every attempt.
-- Params: subscriptionId, limit, offset.
SELECT
    m.msg_id AS msg_id, m.event_type AS event_type, m.order_key AS order_key, m.created_at AS created_at,
    a.attempts AS attempts
FROM (
    SELECT msg_id, event_type, order_key, created_at, seq FROM webhook_messages FINAL
    WHERE subscription_id = {subscriptionId:String}
    ORDER BY seq DESC LIMIT {limit:UInt32} OFFSET {offset:UInt32}
) AS m
LEFT JOIN (
    SELECT msg_id,
        groupArray((attempt, toString(at), status_code, latency_ms, error, outcome, toString(next_attempt_at))) AS attempts
    FROM (SELECT * FROM webhook_attempts WHERE subscription_id = {subscriptionId:String} ORDER BY at, attempt)
    GROUP BY msg_id
) AS a ON a.msg_id = m.msg_id
ORDER BY m.seq DESC
