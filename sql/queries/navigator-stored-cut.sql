-- The newest arrival stamp in the store (events and decisions), and what was stored at
-- exactly that millisecond: after a restore the state holds all of it, so this is the
-- cut until something newer is routed.
SELECT
    toUnixTimestamp64Milli(m) AS ms,
    arrayFilter(x -> x != '', groupArrayIf(id, kind = 'event')) AS event_ids,
    arrayFilter(x -> x != '', groupArrayIf(id, kind = 'decision')) AS decision_ids
FROM
(
    SELECT greatest((SELECT max(received_at) FROM raw_events), (SELECT max(received_at) FROM decisions)) AS m
) AS newest
LEFT JOIN
(
    SELECT received_at, event_id AS id, 'event' AS kind FROM raw_events
    WHERE received_at = greatest((SELECT max(received_at) FROM raw_events), (SELECT max(received_at) FROM decisions))
    UNION ALL
    SELECT received_at, decision_id AS id, 'decision' AS kind FROM decisions
    WHERE received_at = greatest((SELECT max(received_at) FROM raw_events), (SELECT max(received_at) FROM decisions))
) AS at_newest ON at_newest.received_at = newest.m
GROUP BY m
