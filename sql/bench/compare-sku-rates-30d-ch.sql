-- SKU return rates of the last 30 days, as the product answers: from the daily roll-ups.
SELECT s.sku AS sku, sold, returned, returned / sold AS rate FROM
    (SELECT toString(sku) AS sku, sum(units) AS sold FROM daily_sales WHERE day >= toDate({since30:DateTime64(3)}) GROUP BY sku) AS s
    LEFT JOIN (SELECT toString(sku) AS sku, sum(units) AS returned FROM daily_returns WHERE day >= toDate({since30:DateTime64(3)}) GROUP BY sku) AS r USING (sku)
WHERE sold >= 30 ORDER BY rate DESC, sku LIMIT 50
