-- Per subscription, since when its deliveries have been failing without a success in
-- between (the day-long failure that disables it survives a restart).
SELECT subscription_id, minIf(at, outcome = 'retry' AND at > last_ok) AS failing_since
FROM (
    SELECT subscription_id, outcome, at,
        max(if(outcome = 'delivered', at, toDateTime64(0, 3, 'UTC'))) OVER (PARTITION BY subscription_id) AS last_ok
    FROM webhook_attempts
    WHERE at > now64(3) - INTERVAL 3 DAY
)
GROUP BY subscription_id
HAVING failing_since > toDateTime64(0, 3, 'UTC')
