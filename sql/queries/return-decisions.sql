-- The visible decisions of one return (decisions-visible.sql), newest first. FINAL: a
-- producer's retry may have rewritten a decision row with the same id.
WITH candidates AS (SELECT event_id FROM decisions WHERE rma_id = {rma:String} AND event_id != '')
SELECT {{include:decision-columns}}
FROM decisions FINAL
WHERE rma_id = {rma:String} AND {{include:decisions-visible}}
ORDER BY decided_at DESC, decision_id DESC
