-- Reasons by category over the last 30 days from ClickHouse's line tables.
SELECT c.category AS category, toString(r.reason) AS reason, sum(r.qty) AS units FROM return_lines AS r
    INNER JOIN bench_sku_category AS c ON c.sku = r.sku
WHERE r.occurred_at >= {since30:DateTime64(3)} GROUP BY category, reason ORDER BY category, units DESC, reason
