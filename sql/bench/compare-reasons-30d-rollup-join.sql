-- Reasons by category over the last 30 days: the roll-up of every (SKU, day, reason)
-- joined to the categories, as before 0029.
SELECT c.category AS category, toString(r.reason) AS reason, sum(r.units) AS units FROM daily_returns AS r
    INNER JOIN bench_sku_category AS c ON c.sku = r.sku
WHERE r.day >= toDate({since30:DateTime64(3)}) GROUP BY category, reason ORDER BY category, units DESC, reason
