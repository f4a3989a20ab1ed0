-- Reasons by category over the last 30 days in SQLite: the lines joined to the same
-- sku → category table the roll-up is checked against.
SELECT c.category AS category, r.reason AS reason, sum(r.qty) AS units FROM return_lines AS r
    INNER JOIN sku_category AS c ON c.sku = r.sku
WHERE r.occurred_at >= @since GROUP BY c.category, r.reason ORDER BY c.category, units DESC, r.reason
