-- Rebuilds open_returns_next: requests not yet made whole, closed or cancelled, by their
-- latest status ('requested' while no status arrived).
INSERT INTO open_returns_next
WITH
    requests AS (
        SELECT rma_id, min(occurred_at) AS requested_at FROM return_lines GROUP BY rma_id
    ),
    progress AS (
        SELECT
            rma_id,
            argMax(status, occurred_at) AS last_status,
            countIf(status IN ('refunded', 'exchange_shipped', 'closed', 'cancelled')) > 0 AS finished
        FROM return_status
        GROUP BY rma_id
    )
SELECT
    if(p.last_status = '', 'requested', p.last_status) AS status,
    count() AS returns,
    min(q.requested_at) AS oldest_at,
    {asOf:DateTime64(3)} AS computed_at
FROM requests AS q
LEFT JOIN progress AS p ON p.rma_id = q.rma_id
WHERE NOT p.finished AND q.requested_at <= {asOf:DateTime64(3)}
GROUP BY status
