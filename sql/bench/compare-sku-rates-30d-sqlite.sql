-- SKU return rates of the last 30 days in SQLite, through the covering indexes.
SELECT s.sku AS sku, sold, coalesce(returned, 0) AS returned, CAST(coalesce(returned, 0) AS REAL) / sold AS rate FROM
    (SELECT sku, sum(qty) AS sold FROM order_lines WHERE occurred_at >= @since GROUP BY sku) AS s
    LEFT JOIN (SELECT sku, sum(qty) AS returned FROM return_lines WHERE occurred_at >= @since GROUP BY sku) AS r USING (sku)
WHERE sold >= 30 ORDER BY rate DESC, sku LIMIT 50
