-- Request months of the requests whose milestones changed in (since, until]: a scan of
-- the touched_at column, then the touched requests' rows by primary key.
SELECT DISTINCT toYYYYMM(assumeNotNull(requested_at)) AS month
FROM
(
    SELECT rma_id, min(requested_at) AS requested_at
    FROM rma_milestones
    WHERE rma_id IN (SELECT rma_id FROM rma_milestones
                     WHERE touched_at > {since:DateTime64(3)} AND touched_at <= {until:DateTime64(3)})
    GROUP BY rma_id
)
WHERE requested_at IS NOT NULL
ORDER BY month
