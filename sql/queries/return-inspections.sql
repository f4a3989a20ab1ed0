-- The inspections of one return, oldest first.
SELECT line_id, sku, grade, node_id, findings, occurred_at AS at
FROM inspections
WHERE rma_id = {rma:String}
ORDER BY occurred_at
