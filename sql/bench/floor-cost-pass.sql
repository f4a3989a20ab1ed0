-- The least work an exact full cost build does: one pass over the current decisions
-- (the cost job's rule) grouped by day and SKU, counting rows only.
SELECT count() AS n FROM (
    SELECT toDate(decided_at) AS day, sku, count() AS decisions FROM decision_facts
    WHERE {{include:cost-current-decision}} GROUP BY day, sku)
