-- SKU return rates of the last 30 days from ClickHouse's line tables (the SQLite query).
SELECT s.sku AS sku, sold, returned, returned / sold AS rate FROM
    (SELECT toString(sku) AS sku, sum(qty) AS sold FROM order_lines WHERE occurred_at >= {since30:DateTime64(3)} GROUP BY sku) AS s
    LEFT JOIN (SELECT toString(sku) AS sku, sum(qty) AS returned FROM return_lines WHERE occurred_at >= {since30:DateTime64(3)} GROUP BY sku) AS r USING (sku)
WHERE sold >= 30 ORDER BY rate DESC, sku LIMIT 50
