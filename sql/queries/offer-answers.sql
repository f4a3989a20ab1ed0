-- The offers of one return that were answered (the first answer of each counts).
SELECT offer_id, argMin(accepted, occurred_at) AS accepted
FROM offer_answers
WHERE rma_id = {rma:String}
GROUP BY offer_id
