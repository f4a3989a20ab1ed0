-- Reasons by category over the last 30 days, from the per-category roll-up the product
-- keeps at insert time and reconciles with the catalog (0029; reasons-range.sql reads it
-- the same way).
SELECT toString(category) AS category, toString(reason) AS reason, sum(units) AS units FROM category_reasons_daily
WHERE day >= toDate({since30:DateTime64(3)}) GROUP BY category, reason HAVING units > 0 ORDER BY category, units DESC, reason
