-- The status timeline of one return, oldest first.
SELECT status, occurred_at AS at, node_id, line_id, note
FROM return_status
WHERE rma_id = {rma:String}
ORDER BY occurred_at, event_id
